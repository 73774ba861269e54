package dev.meshfleet.sandbox.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;

/** The design goal of a later issue: 1,000 workload clusters registered behind one API server port. */
class ThousandClustersIT {

    @Test
    void aThousandClustersAreRegisteredBehindOneServerAndEachAnswersUnderItsPrefix() throws Exception {
        List<String> clusters = SandboxOptions.parse(SandboxOptions.Mode.UP, List.of("--clusters", "1000")).clusters();
        try (MockApiServer server = MockApiServer.start();
                WorkloadSimulator sim = WorkloadSimulator.start(server, clusters, Duration.ofSeconds(1))) {
            Registration.installCrds(server.client());
            Registration.registerClusters(server, clusters);

            assertThat(server.client().secrets().inNamespace(Registration.NAMESPACE).withLabel(Crds.CLUSTER_LABEL)
                    .list().getItems()).hasSize(1000);
            assertThat(sim.clusters()).hasSize(1000);
            assertThat(server.client("cluster1000").namespaces().list().getItems()).isNotNull();
            assertThat(server.clusterUrl("cluster1000")).startsWith(server.url() + "/clusters/");
        }
    }
}
