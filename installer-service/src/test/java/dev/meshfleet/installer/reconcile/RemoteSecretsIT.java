package dev.meshfleet.installer.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.cluster.WorkloadWatches;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.installer.work.Trigger;
import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.Backoff;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;

/**
 * Seed 004's remote secrets, built as {@code istioctl create-remote-secret} builds them (docs/adr/0031): the remote
 * cluster's installation creates the reader's token Secret (filled by the simulated token controller); the external
 * cluster's installation, owned by another replica, reads that token through the remote cluster's client and writes
 * the kubeconfig Secret; it waits, naming the token, while there is none; no event carries the token; a remote's
 * token Secret recreated with a new token is in the kubeconfig Secret after one resync, which at rest reads each
 * remote's token Secret once and writes nothing.
 */
class RemoteSecretsIT {
    static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
    static final Owner ECP = new Owner(ResourceKind.ExternalControlPlane, "gloo-mesh", "mesh1", "uid-e");
    static final String NS = "external-istiod";
    static final String TOKEN = "istio-reader-service-account-istio-remote-secret-token";
    private static MockApiServer server;
    private static WorkloadSimulator simulator;

    private final List<InstallationEvent> events = new CopyOnWriteArrayList<>();
    /** Two replicas: one owns the remote clusters, the other the external cluster only. */
    private final Ownership remoteOwner = new Ownership();
    private final Ownership externalOwner = new Ownership();
    private final WorkloadWatches watches = new WorkloadWatches(cluster -> { });
    private final ClusterReconciler remotes = reconciler("r1", remoteOwner);
    private final ClusterReconciler external = reconciler("r2", externalOwner);

    private ClusterReconciler reconciler(String replica, Ownership ownership) {
        return new ClusterReconciler(ownership, cluster -> Optional.of(server.client(cluster)), watches,
                new ChartRenderer(Path.of("..", "charts")), (key, event) -> events.add(event), new TestClock(T0),
                new ClusterReconciler.Settings(replica, "meshfleet", Duration.ofMillis(100),
                        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)), true));
    }

    @AfterEach
    void stopWatches() {
        watches.close();
    }

    @BeforeAll
    static void startServer() {
        AvroTrust.install();
        server = MockApiServer.start();
        simulator = WorkloadSimulator.start(server, Map.of("x1", List.of(), "x2", List.of(), "x3", List.of(),
                "y1", List.of(), "y2", List.of(), "z1", List.of(), "z2", List.of(), "z3", List.of()),
                Duration.ofMillis(50));
    }

    @AfterAll
    static void stopServer() {
        simulator.close();
        server.close();
    }

    static Plan remotePlan(String hash) {
        return new Plan(ECP, 1, "", "1.24.2", List.of(new ChartSpec("remote-reader", "remote-reader", NS,
                "{\"serviceAccount\":{\"create\":true}}")), "", false, Duration.ofMinutes(1), "{}", hash);
    }

    static Plan externalPlan(String hash, String... remotes) {
        StringBuilder secrets = new StringBuilder();
        for (int i = 0; i < remotes.length; i++) {
            secrets.append(i == 0 ? "" : ",").append("{\"cluster\":\"").append(remotes[i]).append("\",\"name\":\"")
                    .append(i == 0 ? "istio-kubeconfig" : "istio-remote-secret-" + remotes[i]).append("\",\"key\":\"")
                    .append(i == 0 ? "config" : remotes[i]).append("\",\"readerToken\":\"").append(NS).append('/')
                    .append(TOKEN).append("\"}");
        }
        return new Plan(ECP, 1, "", "1.24.2", List.of(new ChartSpec("remote-secrets", "remote-secrets", NS,
                "{\"secrets\":[" + secrets + "]}")), "", false, Duration.ofMinutes(1), "{}", hash);
    }

    void untilHealthy(ClusterReconciler reconciler, String cluster) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            reconciler.reconcile(cluster, Trigger.CHANGE);
            return events.stream().anyMatch(e -> e.getCluster().equals(cluster) && e.getState().equals("HEALTHY"));
        });
    }

    static Secret secret(String cluster, String name) {
        return server.client(cluster).secrets().inNamespace(NS).withName(name).get();
    }

    static String decoded(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    static String kubeconfig(String cluster, String secret, String key) {
        Secret s = secret(cluster, secret);
        assertThat(s).as("%s/%s in %s", NS, secret, cluster).isNotNull();
        assertThat(s.getData()).as("%s's data", secret).containsOnlyKeys(key);
        return decoded(s.getData().get(key));
    }

    @Test
    void theExternalClustersReplicaWritesAKubeconfigPerRemoteClusterWithTheTokenItReadsFromThatCluster() {
        remoteOwner.assigned(0, 1);
        remoteOwner.desired("x2", 0, List.of(remotePlan("r-x2")));
        remoteOwner.desired("x3", 0, List.of(remotePlan("r-x3")));
        untilHealthy(remotes, "x2");
        untilHealthy(remotes, "x3");
        externalOwner.assigned(0, 1);
        externalOwner.desired("x1", 0, List.of(externalPlan("e-x1", "x2", "x3")));
        untilHealthy(external, "x1");

        for (String[] remote : new String[][] {{"x2", "istio-kubeconfig", "config"},
                {"x3", "istio-remote-secret-x3", "x3"}}) {
            Secret token = secret(remote[0], TOKEN);
            assertThat(token.getType()).isEqualTo("kubernetes.io/service-account-token");
            String readerToken = decoded(token.getData().get("token"));
            Config config = Config.fromKubeconfig(kubeconfig("x1", remote[1], remote[2]));
            assertThat(config.getAutoOAuthToken()).as("the reader's token of " + remote[0]).isEqualTo(readerToken);
            assertThat(config.getMasterUrl()).as("the API server of " + remote[0])
                    .isEqualTo(server.client(remote[0]).getConfiguration().getMasterUrl());
            assertThat(config.getCurrentContext().getName()).isEqualTo(remote[0]);
            Secret written = secret("x1", remote[1]);
            assertThat(written.getMetadata().getLabels()).containsEntry("istio/multiCluster", "true");
            assertThat(written.getMetadata().getAnnotations()).containsEntry("networking.istio.io/cluster", remote[0]);
            assertThat(events).noneMatch(e -> String.valueOf(e.getMessage()).contains(readerToken)
                    || String.valueOf(e.getObservedOperatorJson()).contains(readerToken));
        }
        // The external cluster's replica owns no remote cluster: it read their tokens, it wrote nothing there.
        assertThat(externalOwner.get("x2")).isEmpty();
    }

    @Test
    void theExternalInstallationWaitsNamingTheTokenUntilTheRemoteClusterHasItAndWritesNoEmptySecret() {
        externalOwner.assigned(0, 1);
        externalOwner.desired("y1", 0, List.of(externalPlan("e-y1", "y2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            external.reconcile("y1", Trigger.CHANGE);
            return events.stream().anyMatch(e -> e.getCluster().equals("y1")
                    && e.getState().equals("INSTALLING_CONTROL_PLANE"));
        });
        InstallationEvent waiting = events.stream().filter(e -> e.getCluster().equals("y1")).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(waiting.getState()).isEqualTo("INSTALLING_CONTROL_PLANE");
        assertThat(waiting.getMessage()).contains("cluster y2", NS + "/" + TOKEN);
        assertThat(secret("y1", "istio-kubeconfig")).as("no kubeconfig Secret without a token").isNull();

        remoteOwner.assigned(0, 1);
        remoteOwner.desired("y2", 0, List.of(remotePlan("r-y2")));
        untilHealthy(remotes, "y2");
        untilHealthy(external, "y1");
        assertThat(Config.fromKubeconfig(kubeconfig("y1", "istio-kubeconfig", "config")).getAutoOAuthToken())
                .isEqualTo(decoded(secret("y2", TOKEN).getData().get("token")));
    }

    /** The reader's token the remote cluster's token Secret holds now, as the token controller wrote it. */
    static String readerToken(String cluster) {
        Secret token = secret(cluster, TOKEN);
        assertThat(token).as("the reader token Secret of %s", cluster).isNotNull();
        assertThat(token.getData()).as("the reader token Secret of %s", cluster).containsKey("token");
        return decoded(token.getData().get("token"));
    }

    /** Requests to the API servers of {@code clusters} for Secrets, by cluster and "verb secrets". */
    static Map<String, Long> secretRequests(String... clusters) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String cluster : clusters) {
            server.requestCounts().of(cluster).forEach((verb, n) -> {
                if (verb.endsWith(" secrets")) {
                    out.put(cluster + ": " + verb, n);
                }
            });
        }
        return out;
    }

    @Test
    void aRemotesReaderTokenSecretRecreatedWithANewTokenIsInTheExternalClustersRemoteSecretAfterOneResync() {
        remoteOwner.assigned(0, 1);
        remoteOwner.desired("z2", 0, List.of(remotePlan("r-z2")));
        remoteOwner.desired("z3", 0, List.of(remotePlan("r-z3")));
        untilHealthy(remotes, "z2");
        untilHealthy(remotes, "z3");
        externalOwner.assigned(0, 1);
        externalOwner.desired("z1", 0, List.of(externalPlan("e-z1", "z2", "z3")));
        untilHealthy(external, "z1");
        String configToken = readerToken("z2");
        String oldToken = readerToken("z3");
        assertThat(Config.fromKubeconfig(kubeconfig("z1", "istio-remote-secret-z3", "z3")).getAutoOAuthToken())
                .isEqualTo(oldToken);

        // z3's token Secret recreated as its installation renders it (no data); the token controller fills a new token.
        Secret old = secret("z3", TOKEN);
        server.client("z3").secrets().inNamespace(NS).withName(TOKEN).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> secret("z3", TOKEN) == null);
        server.client("z3").secrets().inNamespace(NS).resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(TOKEN).withNamespace(NS)
                        .withLabels(old.getMetadata().getLabels()).withAnnotations(old.getMetadata().getAnnotations())
                        .build())
                .withType(old.getType()).build()).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Secret now = secret("z3", TOKEN);
            return now != null && now.getData() != null && now.getData().containsKey("token");
        });
        String newToken = readerToken("z3");
        assertThat(newToken).as("the recreated Secret's token").isNotEqualTo(oldToken);
        assertThat(secret("z3", TOKEN).getMetadata().getUid()).isNotEqualTo(old.getMetadata().getUid());

        int seen = events.size();
        external.reconcile("z1", Trigger.CHECK);

        assertThat(Config.fromKubeconfig(kubeconfig("z1", "istio-remote-secret-z3", "z3")).getAutoOAuthToken())
                .as("z3's remote secret after one resync").isEqualTo(newToken);
        assertThat(Config.fromKubeconfig(kubeconfig("z1", "istio-kubeconfig", "config")).getAutoOAuthToken())
                .as("the config cluster's kubeconfig, whose token did not change").isEqualTo(configToken);
        List<InstallationEvent> resync = events.subList(seen, events.size());
        assertThat(resync).extracting(e -> e.getState().toString())
                .containsExactly("RECONCILING_CONTROL_PLANE", "HEALTHY");
        assertThat(resync.get(0).getMessage()).contains("Secret " + NS + "/istio-remote-secret-z3",
                NS + "/" + TOKEN, "cluster z3", "was recreated");
        assertThat(events).noneMatch(e -> String.valueOf(e.getMessage()).contains(newToken)
                || String.valueOf(e.getMessage()).contains(oldToken)
                || String.valueOf(e.getObservedOperatorJson()).contains(newToken));

        // At rest a resync of the external cluster reads each remote's token Secret once and writes no Secret, and a
        // resync of a remote cluster (nothing to fill there) sends no request for a Secret at all.
        Map<String, Long> before = secretRequests("z1", "z2", "z3");
        external.reconcile("z1", Trigger.CHECK);
        remotes.reconcile("z3", Trigger.CHECK);
        assertThat(difference(before, secretRequests("z1", "z2", "z3")))
                .isEqualTo(Map.of("z2: get secrets", 1L, "z3: get secrets", 1L));
        assertThat(events).as("events after the refill's RECONCILING and HEALTHY").hasSize(seen + 2);
    }

    /** What was counted between {@code before} and {@code after}, without the zeros. */
    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new java.util.TreeMap<>();
        after.forEach((k, n) -> {
            long d = n - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }
}
