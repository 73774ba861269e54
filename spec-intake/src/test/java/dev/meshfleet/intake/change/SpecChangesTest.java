package dev.meshfleet.intake.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;

class SpecChangesTest {

    @Test
    void everyFieldOfTheResourceReachesTheRecordAndSurvivesTheWire() {
        LifecycleResource glm = new LifecycleResource(ResourceKind.GatewayLifecycleManager, "gloo-mesh",
                "istio-ingressgateway", "uid-9", 5, "1234", false, true, "argocd", "{\"installations\":[]}");
        Instant now = Instant.parse("2026-11-23T12:00:00.123Z");

        SpecChange change = SpecChanges.of(glm, Operation.UPSERT, now);
        SpecChange decoded = AvroSerde.of(SpecChange.class).decode(AvroSerde.of(SpecChange.class).encode(change));

        assertThat(decoded.getUid()).isEqualTo("uid-9");
        assertThat(decoded.getKind()).isEqualTo(ResourceKind.GatewayLifecycleManager);
        assertThat(decoded.getNamespace()).isEqualTo("gloo-mesh");
        assertThat(decoded.getName()).isEqualTo("istio-ingressgateway");
        assertThat(decoded.getGeneration()).isEqualTo(5);
        assertThat(decoded.getResourceVersion()).isEqualTo("1234");
        assertThat(decoded.getOperation()).isEqualTo(Operation.UPSERT);
        assertThat(decoded.getActor()).isEqualTo("argocd");
        assertThat(decoded.getObservedAt()).isEqualTo(now);
        assertThat(decoded.getSpecJson()).isEqualTo("{\"installations\":[]}");
    }

    @Test
    void anUnknownActorAndResourceVersionBecomeEmptyStringsNotNulls() {
        LifecycleResource ilm = new LifecycleResource(ResourceKind.IstioLifecycleManager, "ns", "n", "u", 1, null,
                false, true, null, "{}");

        SpecChange change = SpecChanges.of(ilm, Operation.DELETE, Instant.EPOCH);

        assertThat(change.getActor()).isEmpty();
        assertThat(change.getResourceVersion()).isEmpty();
    }

    @Test
    void theAnnotationsMeshfleetActsOnSurviveTheWireAndNoneIsNullAsBeforeTheFieldExisted() {
        LifecycleResource smc = new LifecycleResource(ResourceKind.ServiceMeshController, "gloo-mesh", "smc", "u", 1, "7",
                false, true, "kubectl", "{}", null, new java.util.TreeMap<>(java.util.Map.of(
                        "peering.solo.io/data-plane-service-type", "nodeport")));

        SpecChange decoded = AvroSerde.of(SpecChange.class).decode(AvroSerde.of(SpecChange.class)
                .encode(SpecChanges.of(smc, Operation.UPSERT, Instant.EPOCH)));

        assertThat(decoded.getAnnotations()).isEqualTo(java.util.Map.of("peering.solo.io/data-plane-service-type",
                "nodeport"));
        assertThat(SpecChanges.of(smc.withAnnotations(java.util.Map.of()), Operation.UPSERT, Instant.EPOCH)
                .getAnnotations()).isNull();
    }
}

