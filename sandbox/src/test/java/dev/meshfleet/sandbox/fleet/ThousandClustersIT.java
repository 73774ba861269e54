package dev.meshfleet.sandbox.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

/** The design goal of a later issue: 1,000 workload clusters registered behind one API server port. */
class ThousandClustersIT {

    @Test
    void aThousandClustersAreRegisteredBehindOneServerAndEachAnswersUnderItsPrefix() throws Exception {
        List<String> expected = IntStream.rangeClosed(1, 1000).mapToObj(i -> "cluster" + i).toList();
        List<String> clusters = SandboxOptions.parse(SandboxOptions.Mode.UP, List.of("--clusters", "1000")).clusters();
        assertThat(clusters).containsExactlyInAnyOrderElementsOf(expected);
        try (MockApiServer server = MockApiServer.start();
                WorkloadSimulator sim = WorkloadSimulator.start(server, clusters, Duration.ofSeconds(1))) {
            Registration.installCrds(server.client());
            Registration.registerClusters(server, clusters, MockApiServer.ADMIN_TOKEN);

            assertThat(server.client().secrets().inNamespace(Registration.NAMESPACE).withLabel(Crds.CLUSTER_LABEL)
                    .list().getItems()).extracting(s -> s.getMetadata().getLabels().get(Crds.CLUSTER_LABEL))
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(sim.clusters()).containsExactlyInAnyOrderElementsOf(expected);

            // Each cluster is its own store: what is written under cluster1000's prefix is seen there only.
            server.client("cluster1000").configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("only-in-1000").endMetadata().build()).create();
            assertThat(server.client("cluster1000").configMaps().inNamespace("default").list().getItems())
                    .extracting(c -> c.getMetadata().getName()).contains("only-in-1000");
            assertThat(server.client("cluster999").configMaps().inNamespace("default").list().getItems())
                    .extracting(c -> c.getMetadata().getName()).doesNotContain("only-in-1000");
            assertThat(server.clusterUrl("cluster1000")).startsWith(server.url() + "/clusters/");
        }
    }
}
