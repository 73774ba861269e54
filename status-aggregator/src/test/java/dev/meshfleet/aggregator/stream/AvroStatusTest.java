package dev.meshfleet.aggregator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meshfleet.aggregator.fold.Installation;
import dev.meshfleet.aggregator.fold.Owner;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.aggregator.fold.StatusFold;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;

/** The wire edge keeps what the fold holds: an installer event's facts survive the stores and lifecycle-status. */
class AvroStatusTest {
    private static final OwnerRef SMC = new OwnerRef(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio",
            "uid-1");

    @Test
    void aPeeringInstallationsFactsGoFromTheEventThroughTheStoredStatusBack() {
        Map<String, String> facts = Map.of("eastwest.address", "192.0.2.10", "eastwest.addressType", "IPAddress",
                "peers.up", "cluster2", "peers.down", "cluster3=AddressMismatch");
        InstallationEvent event = InstallationEvent.newBuilder().setOwner(SMC).setGeneration(1).setCluster("cluster1")
                .setRevision("peering").setState("HEALTHY").setMessage("").setPlanHash("p1")
                .setSource("installer/installer-0").setSourceEpoch(1).setSequence(7)
                .setTime(Instant.parse("2026-11-30T10:00:00Z")).setFacts(facts).build();

        Status folded = StatusFold.foldAll(null, List.of(AvroStatus.event(event)));
        LifecycleStatus stored = AvroStatus.avro(folded);
        Installation back = AvroStatus.status(stored).installation("cluster1", "peering").orElseThrow();

        assertThat(stored.getClusters().get("cluster1").getInstallations().get("peering").getFacts()).isEqualTo(facts);
        assertThat(back.facts()).isEqualTo(facts);
        assertThat(AvroStatus.status(stored).owner()).isEqualTo(new Owner(ResourceKind.ServiceMeshController,
                "gloo-mesh", "managed-istio", "uid-1"));
    }
}
