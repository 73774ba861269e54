package dev.meshfleet.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.ChartRelease;
import dev.meshfleet.schemas.v1.ClusterStatus;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.InstallationStatus;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.schemas.v1.StatusSummary;
import dev.meshfleet.schemas.v1.UpgradePolicy;

class AvroSerdeTest {

    static final OwnerRef OWNER = OwnerRef.newBuilder().setKind(ResourceKind.IstioLifecycleManager)
            .setNamespace("gloo-mesh").setName("istiod-control-plane").setUid("u-1").build();

    static SpecChange specChange() {
        return SpecChange.newBuilder().setUid("u-1").setKind(ResourceKind.IstioLifecycleManager)
                .setNamespace("gloo-mesh").setName("istiod-control-plane").setGeneration(3)
                .setResourceVersion("17").setOperation(Operation.UPSERT).setActor("kubectl-client-side-apply")
                .setObservedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setSpecJson("{\"installations\":[]}")
                .build();
    }

    @Test
    void everyTopicRecordSurvivesARoundTripUnchanged() {
        InstallationPlan plan = InstallationPlan.newBuilder().setOwner(OWNER).setGeneration(3).setRevision("1-24")
                .setTag("1.24.2-solo")
                .setCharts(List.of(ChartRelease.newBuilder().setChart("istiod").setReleaseName("istiod-1-24")
                        .setNamespace("istio-system").setValuesJson("{\"revision\":\"1-24\"}").build()))
                .setDefaultRevision(true).setUpgradePolicy(UpgradePolicy.newBuilder().build())
                .setObservedOperatorJson("{}").setPlanHash("abc").build();
        ClusterDesiredState state = ClusterDesiredState.newBuilder().setCluster("cluster1")
                .setInstallations(List.of(plan)).setPlanHash("def").build();
        InstallationEvent event = InstallationEvent.newBuilder().setOwner(OWNER).setGeneration(3)
                .setCluster("cluster1").setRevision("1-24").setState("HEALTHY").setSource("installer/0")
                .setSourceEpoch(2).setSequence(9).setTime(Instant.ofEpochMilli(5)).build();
        LifecycleStatus status = LifecycleStatus.newBuilder().setOwner(OWNER).setObservedGeneration(3)
                .setClusters(Map.of("cluster1", ClusterStatus.newBuilder().setInstallations(Map.of("1-24",
                        InstallationStatus.newBuilder().setState("HEALTHY").setGeneration(3)
                                .setUpdatedAt(Instant.ofEpochMilli(5)).build())).build()))
                .setSummary(StatusSummary.newBuilder().setState("HEALTHY").setHealthy(1).setTotal(1).build())
                .build();

        assertThat(roundTrip(SpecChange.class, specChange())).isEqualTo(specChange());
        assertThat(roundTrip(ClusterDesiredState.class, state)).isEqualTo(state);
        assertThat(roundTrip(InstallationEvent.class, event)).isEqualTo(event);
        assertThat(roundTrip(LifecycleStatus.class, status)).isEqualTo(status);
    }

    @Test
    void anOptionalTimeSurvivesARoundTripSetAndUnset() {
        // The intermediate CA's rotation time (ADR 0028): a timestamp inside a union, on the event and the status.
        Instant rotateAt = Instant.parse("2027-07-31T19:09:43Z");
        InstallationEvent event = InstallationEvent.newBuilder().setOwner(OWNER).setGeneration(1).setCluster("cluster1")
                .setRevision("").setState("HEALTHY").setSource("installer/0").setTime(Instant.ofEpochMilli(5))
                .setCaRotateAt(rotateAt).build();
        InstallationStatus status = InstallationStatus.newBuilder().setState("HEALTHY").setGeneration(1)
                .setUpdatedAt(Instant.ofEpochMilli(5)).setCaRotateAt(rotateAt).build();
        LifecycleStatus lifecycle = LifecycleStatus.newBuilder().setOwner(OWNER).setObservedGeneration(1)
                .setClusters(Map.of("cluster1", ClusterStatus.newBuilder().setInstallations(Map.of("", status)).build()))
                .setSummary(StatusSummary.newBuilder().setState("HEALTHY").setHealthy(1).setTotal(1).build()).build();

        assertThat(roundTrip(InstallationEvent.class, event).getCaRotateAt()).isEqualTo(rotateAt);
        assertThat(roundTrip(LifecycleStatus.class, lifecycle)).isEqualTo(lifecycle);
        InstallationEvent unset = InstallationEvent.newBuilder(event).setCaRotateAt(null).build();
        assertThat(roundTrip(InstallationEvent.class, unset).getCaRotateAt()).isNull();
    }

    @Test
    void encodedRecordsStartWithTheSingleObjectMarkerAndTheSchemaFingerprint() {
        byte[] bytes = AvroSerde.of(SpecChange.class).encode(specChange());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(SpecChange.getClassSchema());
        for (int i = 0; i < 8; i++) {
            assertThat(bytes[2 + i]).isEqualTo((byte) (fingerprint >>> (8 * i)));
        }
    }

    @Test
    void bytesThatAreNotAnAvroRecordRaiseASerializationExceptionNamingTheTopic() {
        AvroSerde<SpecChange> serde = AvroSerde.of(SpecChange.class);
        assertThatThrownBy(() -> serde.deserialize("meshfleet.spec-changes", "not avro".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("meshfleet.spec-changes");
    }

    @Test
    void aRecordOfAnotherTypeIsRejectedRatherThanMisread() {
        byte[] event = AvroSerde.of(InstallationEvent.class).encode(InstallationEvent.newBuilder().setOwner(OWNER)
                .setGeneration(1).setCluster("c").setRevision("r").setState("HEALTHY").setSource("translator")
                .setTime(Instant.EPOCH).build());
        assertThatThrownBy(() -> AvroSerde.of(SpecChange.class).deserialize("t", event))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void aTombstoneIsNullBothWays() {
        AvroSerde<SpecChange> serde = AvroSerde.of(SpecChange.class);
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(Class<T> type, T value) {
        AvroSerde<T> serde = AvroSerde.of(type);
        return serde.deserialize("topic", serde.serialize("topic", value));
    }
}
