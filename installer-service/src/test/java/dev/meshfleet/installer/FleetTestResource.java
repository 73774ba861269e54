package dev.meshfleet.installer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.testkit.Fault;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A management cluster and workload clusters behind testkit's MockApiServer, with the workload
 * simulator marking Deployments ready. Registered: cluster1, cluster4, cluster8-10 (healthy),
 * cluster2 (unreachable), cluster5 (rejects every apply), cluster6 (workloads never ready),
 * cluster7 (an istiod Meshfleet did not install). Simulated but not registered: cluster3 (a test
 * registers it).
 */
public class FleetTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String SECRET_NAMESPACE = "meshfleet";
    private MockApiServer server;
    private WorkloadSimulator simulator;

    @Override
    public Map<String, String> start() {
        server = MockApiServer.start();
        simulator = WorkloadSimulator.start(server, Map.of("cluster1", List.of(),
                "cluster2", List.of(new Fault.Unreachable()),
                "cluster3", List.of(),
                "cluster4", List.of(),
                "cluster5", List.of(new Fault.RejectApply()),
                "cluster6", List.of(new Fault.NeverReady()),
                "cluster7", List.of(new Fault.UnmanagedIstio()),
                "cluster8", List.of(),
                "cluster9", List.of(),
                "cluster10", List.of()), Duration.ofMillis(300));
        for (String cluster : List.of("cluster1", "cluster2", "cluster4", "cluster5", "cluster6", "cluster7",
                "cluster8", "cluster9", "cluster10")) {
            register(server, cluster);
        }
        return Map.of("quarkus.kubernetes-client.api-server-url", server.url(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", SECRET_NAMESPACE);
    }

    // Tests must not call into this class: Quarkus loads test resources in another class loader.
    /** What an operator does to register a workload cluster: a labelled Secret holding its kubeconfig. */
    private static void register(MockApiServer server, String cluster) {
        String kubeconfig = server.kubeconfig(cluster);
        server.client().resource(new SecretBuilder().withNewMetadata().withName("cluster-" + cluster)
                .withNamespace(SECRET_NAMESPACE).addToLabels(Crds.CLUSTER_LABEL, cluster).endMetadata()
                .addToData(Crds.KUBECONFIG_KEY, Base64.getEncoder().encodeToString(
                        kubeconfig.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
