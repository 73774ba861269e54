package dev.meshfleet.installer.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.meshfleet.testkit.CertificateChains.certificates;
import static dev.meshfleet.testkit.CertificateChains.entry;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.cluster.WorkloadWatches;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.pki.CaCertsIssuer;
import dev.meshfleet.installer.pki.CertificateAuthority;
import dev.meshfleet.installer.pki.RootOfTrust;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.installer.work.Trigger;
import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.Backoff;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.CertificateChains;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * The shared root of trust wired (issue 12 item 5, ADR 0028): a ServiceMeshController's cluster gets an intermediate of
 * the one root in Istio's {@code cacerts}, kept across reconciles, replaced at two thirds of its life, with the time on
 * its events; an ILM gets none; without a root the controller waits for a person, naming the Secret. Chains are checked
 * by the JDK's CertPathValidator.
 */
class CaCertsIT {
    static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
    static final Duration INTERMEDIATE = Duration.ofDays(90);
    static final SecureRandom RANDOM = new SecureRandom();
    static final CertificateAuthority.Ca ROOT = CertificateAuthority.generateRoot("test root", T0.minus(Duration.ofDays(1)),
            Duration.ofDays(3650), RANDOM);
    static final Owner SMC = new Owner(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio", "uid-s");
    static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istio", "uid-i");
    private static MockApiServer server;
    private static WorkloadSimulator simulator;

    private final List<InstallationEvent> events = new CopyOnWriteArrayList<>();
    private final Ownership ownership = new Ownership();
    private final TestClock clock = new TestClock(T0);
    private final AtomicReference<RootOfTrust.Result> root = new AtomicReference<>(
            new RootOfTrust.Result.Ready(ROOT, RootOfTrust.digest(ROOT)));
    private final WorkloadWatches watches = new WorkloadWatches(cluster -> { });
    private final ClusterReconciler reconciler = new ClusterReconciler(ownership,
            cluster -> Optional.of(server.client(cluster)), watches, new ChartRenderer(Path.of("..", "charts")),
            (key, event) -> events.add(event), clock, new ClusterReconciler.Settings("r1", "meshfleet",
                    Duration.ofMillis(100), new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)), true),
            new CaCertsIssuer(root::get, INTERMEDIATE, RANDOM));

    @AfterEach
    void stopWatches() {
        watches.close();
    }

    @BeforeAll
    static void startServer() {
        AvroTrust.install();
        server = MockApiServer.start();
        simulator = WorkloadSimulator.start(server, Map.of("a1", List.of(), "a2", List.of(), "a3", List.of(),
                "a4", List.of(), "a5", List.of(), "a6", List.of(), "a7", List.of()), Duration.ofMillis(50));
    }

    @AfterAll
    static void stopServer() {
        simulator.close();
        server.close();
    }

    static Plan plan(Owner owner) {
        return plan(owner, false);
    }

    static Plan plan(Owner owner, boolean takeOverUnmanaged) {
        return new Plan(owner, 1, "", "1.28.1-patch0-solo", List.of(new ChartSpec("base", "base", "istio-system", "{}"),
                new ChartSpec("istiod", "istiod", "istio-system", "{}")), "", false, Duration.ofMinutes(1), "{}",
                "hash-" + owner.name() + "-" + takeOverUnmanaged, takeOverUnmanaged);
    }

    static Secret cacerts(String cluster) {
        return server.client(cluster).secrets().inNamespace("istio-system").withName("cacerts").get();
    }

    /** The JDK validates cert-chain.pem against the test's root as the one trust anchor; root-cert.pem is that root. */
    static X509Certificate validatedIntermediate(Secret secret, Instant at) throws Exception {
        assertThat(certificates(entry(secret, "root-cert.pem"))).containsExactly(ROOT.certificate());
        return CertificateChains.validatedIntermediate(secret, ROOT.certificate(), at);
    }

    void untilHealthy(String cluster, Trigger trigger) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            reconciler.reconcile(cluster, trigger);
            return events.stream().anyMatch(e -> e.getCluster().equals(cluster) && e.getState().equals("HEALTHY"));
        });
    }

    InstallationEvent lastHealthy(String cluster) {
        return events.stream().filter(e -> e.getCluster().equals(cluster) && e.getState().equals("HEALTHY"))
                .reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aServiceMeshControllersClusterGetsAnIntermediateOfTheSharedRootAndItsEventsSayWhenItIsReplaced()
            throws Exception {
        ownership.assigned(0, 1);
        ownership.desired("a1", 0, List.of(plan(SMC)));
        ownership.desired("a2", 0, List.of(plan(SMC)));
        untilHealthy("a1", Trigger.CHANGE);
        untilHealthy("a2", Trigger.CHANGE);

        for (String cluster : List.of("a1", "a2")) {
            Secret secret = cacerts(cluster);
            assertThat(secret).as("cacerts in " + cluster).isNotNull();
            assertThat(secret.getData()).containsOnlyKeys("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem");
            X509Certificate intermediate = validatedIntermediate(secret, T0);
            assertThat(intermediate.getSubjectX500Principal().getName()).contains("L=" + cluster);
            assertThat(entry(secret, "ca-cert.pem")).isEqualTo(CertificateAuthority.pem(intermediate));
            assertThat(entry(secret, "ca-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----");
            // Issued at T0 for 90 days: replaced 60 days in.
            assertThat(lastHealthy(cluster).getCaRotateAt()).isEqualTo(Instant.parse("2027-01-29T00:00:00Z"));
            assertThat(secret.getMetadata().getAnnotations()).containsEntry("meshfleet.dev/rotate-at",
                    "2027-01-29T00:00:00Z");
            ConfigMap inventory = server.client(cluster).configMaps().inNamespace("meshfleet-system")
                    .withLabel("meshfleet.dev/inventory", "true").list().getItems().get(0);
            assertThat(inventory.getData().toString()).as("listed, so that an uninstall removes it")
                    .contains("istio-system", "cacerts");
        }
        assertThat(entry(cacerts("a1"), "ca-cert.pem")).as("one intermediate per cluster")
                .isNotEqualTo(entry(cacerts("a2"), "ca-cert.pem"));
        assertThat(events).extracting(InstallationEvent::getMessage).noneMatch(m -> m.contains("PRIVATE KEY"));
    }

    @Test
    void theIntermediateIsKeptAcrossResyncsAndReplacedAtTwoThirdsOfItsLifeByOneOfTheSameRoot() throws Exception {
        ownership.assigned(1, 1);
        ownership.desired("a3", 1, List.of(plan(SMC)));
        untilHealthy("a3", Trigger.CHANGE);
        String first = entry(cacerts("a3"), "ca-cert.pem");

        clock.set(T0.plus(Duration.ofDays(59)));
        events.clear();
        reconciler.reconcile("a3", Trigger.RESYNC);
        assertThat(entry(cacerts("a3"), "ca-cert.pem")).as("not yet due").isEqualTo(first);
        assertThat(lastHealthy("a3").getCaRotateAt()).isEqualTo(Instant.parse("2027-01-29T00:00:00Z"));

        Instant due = T0.plus(Duration.ofDays(60));
        clock.set(due);
        events.clear();
        reconciler.reconcile("a3", Trigger.POLL);
        Secret replaced = cacerts("a3");
        assertThat(entry(replaced, "ca-cert.pem")).as("replaced when due").isNotEqualTo(first);
        assertThat(validatedIntermediate(replaced, due).getNotBefore().toInstant()).isEqualTo(due);
        assertThat(events).as("the new rotation time is said although the state stays HEALTHY")
                .extracting(e -> e.getState() + " " + e.getCaRotateAt())
                .containsExactly("HEALTHY " + due.plus(Duration.ofDays(60)));
    }

    @Test
    void withoutARootTheControllerWaitsForAPersonNamingTheSecretAndAnIlmGetsNoCacerts() {
        root.set(new RootOfTrust.Result.Missing("the root of trust Secret gloo-mesh/meshfleet-root-ca does not exist"));
        ownership.assigned(2, 1);
        ownership.desired("a4", 2, List.of(plan(SMC)));
        ownership.desired("a5", 2, List.of(plan(ILM)));

        reconciler.reconcile("a4", Trigger.CHANGE);
        untilHealthy("a5", Trigger.CHANGE);

        assertThat(events).filteredOn(e -> e.getCluster().equals("a4")).extracting(e -> e.getState() + ": " + e.getMessage())
                .containsExactly("ACTION_REQUIRED: the root of trust Secret gloo-mesh/meshfleet-root-ca does not exist");
        assertThat(server.client("a4").apps().deployments().inNamespace("istio-system").list().getItems())
                .as("nothing installed without its CA").isEmpty();
        assertThat(cacerts("a5")).as("an ILM brings its own CA setup").isNull();
        assertThat(lastHealthy("a5").getCaRotateAt()).isNull();
    }

    @Test
    void removingTheControllerRemovesItsCacerts() {
        ownership.assigned(3, 1);
        ownership.desired("a6", 3, List.of(plan(SMC)));
        untilHealthy("a6", Trigger.CHANGE);
        assertThat(cacerts("a6")).isNotNull();

        ownership.desired("a6", 3, List.of());
        reconciler.reconcile("a6", Trigger.CHANGE);

        assertThat(cacerts("a6")).isNull();
    }

    @Test
    void aCacertsMeshfleetDidNotWriteIsLeftAloneUnderAbortAndTakenOverUnderForce() throws Exception {
        var a7 = server.client("a7");
        a7.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("istio-system").endMetadata().build()).create();
        a7.secrets().inNamespace("istio-system").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("cacerts").endMetadata().addToStringData("ca-cert.pem", "someone's own")
                .build()).create();
        String before = cacerts("a7").getMetadata().getResourceVersion();
        ownership.assigned(4, 1);
        ownership.desired("a7", 4, List.of(plan(SMC, false)));

        reconciler.reconcile("a7", Trigger.CHANGE);

        assertThat(events).filteredOn(e -> e.getCluster().equals("a7")).extracting(e -> e.getState() + ": " + e.getMessage())
                .containsExactly("ACTION_REQUIRED: found a Secret istio-system/cacerts that Meshfleet does not manage"
                        + " (someone's own plug-in CA): delete it to let Meshfleet write the shared root's intermediate,"
                        + " or set onConflict: Force to take it over");
        assertThat(cacerts("a7").getMetadata().getResourceVersion()).as("untouched").isEqualTo(before);

        ownership.desired("a7", 4, List.of(plan(SMC, true)));
        untilHealthy("a7", Trigger.CHANGE);
        validatedIntermediate(cacerts("a7"), T0);
        assertThat(cacerts("a7").getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "meshfleet");
    }
}
