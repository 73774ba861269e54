package dev.meshfleet.sandbox.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.history.History.Admission;
import dev.meshfleet.sandbox.history.History.Change;
import dev.meshfleet.sandbox.history.History.Transition;

/** The join of ADR 0023 and one entry per generation, over sequences of records as the topics hold them. */
class HistoryTest {
    static final String V1 = "{\"installations\":[{\"istioOperatorSpec\":{\"tag\":\"1.24.2-solo\"},\"revision\":\"1-24\"}]}";
    static final String V2 = "{\"installations\":[{\"istioOperatorSpec\":{\"tag\":\"1.24.3-solo\"},\"revision\":\"1-24\"}]}";
    /** V1 and V2 are already canonical (keys sorted, no whitespace): their hashes, computed here by hand. */
    static final String H1 = sha256(V1);
    static final String H2 = sha256(V2);

    static Instant t(int second) {
        return Instant.parse("2026-11-30T05:00:00Z").plusSeconds(second);
    }

    static Admission admitted(String user, long generation, String hash, String operation, int second) {
        return new Admission("uid-1", OptionalLong.of(generation), hash, operation, user, List.of("team"), t(second));
    }

    @Test
    void twoGenerationsByTwoUsersWithTheChangedTagAndEachClustersTransitions() {
        var entries = History.of(
                List.of(new Change("uid-1", 1, false, "kubectl-client-side-apply", t(1), V1),
                        new Change("uid-1", 2, false, "kubectl-client-side-apply", t(20), V2)),
                List.of(admitted("platform-admin", 1, H1, "CREATE", 0), admitted("mesh-operator", 2, H2, "UPDATE", 19)),
                List.of(new Transition(1, "cluster1", "1-24", "INSTALL_PENDING", t(1)),
                        new Transition(1, "cluster1", "1-24", "HEALTHY", t(5)),
                        new Transition(2, "cluster1", "1-24", "UPDATING_CONTROL_PLANE", t(21)),
                        new Transition(2, "cluster1", "1-24", "HEALTHY", t(24))));
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).who().toString()).isEqualTo("platform-admin [team]");
        assertThat(entries.get(0).when()).isEqualTo(t(0));
        assertThat(entries.get(0).transitions().get("cluster1/1-24")).extracting(Transition::state)
                .containsExactly("INSTALL_PENDING", "HEALTHY");
        assertThat(entries.get(1).who().toString()).isEqualTo("mesh-operator [team]");
        assertThat(entries.get(1).changes()).extracting(Object::toString)
                .containsExactly("spec.installations[0].istioOperatorSpec.tag: \"1.24.2-solo\" -> \"1.24.3-solo\"");
        assertThat(entries.get(1).transitions().get("cluster1/1-24")).extracting(Transition::state)
                .containsExactly("UPDATING_CONTROL_PLANE", "HEALTHY");
    }

    @Test
    void aStateReportedAgainIsNoTransition() {
        var entries = History.of(List.of(new Change("uid-1", 1, false, "m", t(1), V1)), List.of(),
                List.of(new Transition(1, "cluster1", "1-24", "INSTALLING_CONTROL_PLANE", t(2)),
                        new Transition(1, "cluster1", "1-24", "INSTALLING_CONTROL_PLANE", t(3)),
                        new Transition(1, "cluster1", "1-24", "HEALTHY", t(5)),
                        new Transition(1, "cluster1", "1-24", "HEALTHY", t(9))));
        assertThat(entries.get(0).transitions().get("cluster1/1-24")).extracting(Transition::state, Transition::time)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("INSTALLING_CONTROL_PLANE", t(2)),
                        org.assertj.core.groups.Tuple.tuple("HEALTHY", t(5)));
    }

    @Test
    void aChangeRepublishedAfterARestartIsOneEntry() {
        var entries = History.of(List.of(new Change("uid-1", 1, false, "m", t(1), V1),
                new Change("uid-1", 1, false, "m", t(50), V1)), List.of(), List.of());
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).when()).isEqualTo(t(1));
    }

    @Test
    void anAdmissionThatNeverBecameAChangeIsNoEntryAndOneWithAnotherSpecNamesNoOne() {
        // mesh-operator's request for generation 2 lost a conflict: what was stored as 2 is V2 by nobody recorded.
        var entries = History.of(List.of(new Change("uid-1", 2, false, "kubectl-edit", t(20), V2)),
                List.of(admitted("mesh-operator", 2, H1, "UPDATE", 19)), List.of());
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).who().toString()).isEqualTo("kubectl-edit (field manager; no admission record)");
        assertThat(entries.get(0).who().fromAdmission()).isFalse();
    }

    @Test
    void aRecreatedResourceIsToldApartByItsUid() {
        var entries = History.of(List.of(new Change("uid-2", 1, false, "m", t(30), V1)),
                List.of(admitted("platform-admin", 1, H1, "CREATE", 0)), List.of());
        assertThat(entries.get(0).who().fromAdmission()).isFalse();
    }

    @Test
    void aDeletionIsAnEntryWithItsOwnUserAndTheUninstallTransitionsAfterIt() {
        var entries = History.of(
                List.of(new Change("uid-1", 1, false, "m", t(1), V1), new Change("uid-1", 1, true, "m", t(40), V1)),
                List.of(admitted("platform-admin", 1, H1, "CREATE", 0), admitted("mesh-operator", 1, H1, "DELETE", 39)),
                List.of(new Transition(1, "cluster1", "1-24", "HEALTHY", t(5)),
                        new Transition(1, "cluster1", "1-24", "UNINSTALLING_CONTROL_PLANE", t(41)),
                        new Transition(1, "cluster1", "1-24", "UNINSTALLED_CONTROL_PLANE", t(43))));
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).delete()).isFalse();
        assertThat(entries.get(0).who().name()).isEqualTo("platform-admin");
        assertThat(entries.get(0).transitions().get("cluster1/1-24")).extracting(Transition::state)
                .containsExactly("HEALTHY");
        assertThat(entries.get(1).delete()).isTrue();
        assertThat(entries.get(1).who().name()).isEqualTo("mesh-operator");
        assertThat(entries.get(1).transitions().get("cluster1/1-24")).extracting(Transition::state)
                .containsExactly("UNINSTALLING_CONTROL_PLANE", "UNINSTALLED_CONTROL_PLANE");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
