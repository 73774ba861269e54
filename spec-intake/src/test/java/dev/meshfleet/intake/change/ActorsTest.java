package dev.meshfleet.intake.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;

class ActorsTest {

    private static ManagedFieldsEntry entry(String manager, String time, String... topFields) {
        FieldsV1 fields = new FieldsV1();
        for (String f : topFields) {
            fields.setAdditionalProperty(f, Map.of());
        }
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Update").withTime(time)
                .withFieldsType("FieldsV1").withFieldsV1(fields).build();
    }

    @Test
    void theNewestSpecOwnerIsTheActorEvenWhenAStatusWriterCameLater() {
        List<ManagedFieldsEntry> entries = List.of(
                entry("kubectl-client-side-apply", "2026-11-23T10:00:00Z", "f:metadata", "f:spec"),
                entry("alice-edit", "2026-11-23T11:00:00Z", "f:spec"),
                entry("status-aggregator", "2026-11-23T12:00:00Z", "f:status"));

        assertThat(Actors.of(entries)).isEqualTo("alice-edit");
    }

    @Test
    void newestIsDecidedByTimeNotByPositionInTheList() {
        List<ManagedFieldsEntry> entries = List.of(
                entry("argocd", "2026-11-23T12:00:00Z", "f:spec"),
                entry("kubectl", "2026-11-23T09:00:00Z", "f:spec"));

        assertThat(Actors.of(entries)).isEqualTo("argocd");
    }

    @Test
    void amongEntriesOfTheSameSecondTheLaterOneInTheListWins() {
        List<ManagedFieldsEntry> entries = List.of(
                entry("first", "2026-11-23T12:00:00Z", "f:spec"),
                entry("second", "2026-11-23T12:00:00Z", "f:spec"));

        assertThat(Actors.of(entries)).isEqualTo("second");
    }

    @Test
    void withoutASpecOwnerTheNewestManagerIsTheActor() {
        List<ManagedFieldsEntry> entries = List.of(
                entry("creator", "2026-11-23T10:00:00Z", "f:metadata"),
                entry("labeller", "2026-11-23T11:00:00Z", "f:metadata"));

        assertThat(Actors.of(entries)).isEqualTo("labeller");
    }

    @Test
    void noManagedFieldsMeansAnUnknownActor() {
        assertThat(Actors.of(null)).isEmpty();
        assertThat(Actors.of(List.of())).isEmpty();
    }

    @Test
    void anEntryWithoutATimeLosesToATimedOneInsteadOfFailing() {
        List<ManagedFieldsEntry> entries = List.of(
                entry("timed", "2026-11-23T10:00:00Z", "f:spec"),
                entry("untimed", null, "f:spec"),
                entry("garbled", "yesterday", "f:spec"));

        assertThat(Actors.of(entries)).isEqualTo("timed");
    }

    @Test
    void aTimeThatIsNotRfc3339IsReportedWithItsManagerAndValue() {
        List<ManagedFieldsEntry> entries = List.of(
                entry("timed", "2026-11-23T10:00:00Z", "f:spec"),
                entry("untimed", null, "f:spec"),
                entry("garbled", "yesterday", "f:spec"));

        Actors.Actor actor = Actors.read(entries);

        assertThat(actor.manager()).isEqualTo("timed");
        assertThat(actor.unreadable()).containsExactly(new Actors.UnreadableTime("garbled", "yesterday"));
    }

    @Test
    void readableTimesReportNothing() {
        assertThat(Actors.read(List.of(entry("a", "2026-11-23T10:00:00Z", "f:spec"), entry("b", null, "f:spec")))
                .unreadable()).isEmpty();
    }
}
