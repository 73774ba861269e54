package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.sandbox.status.Settle;
import dev.meshfleet.schemas.crd.GatewayLifecycleManager;
import dev.meshfleet.schemas.crd.IstioLifecycleManager;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus.InstallationStatus;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.Fault;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What the E2E tests share: one sandbox per test class, steps as the CLI runs them, typed status reads. */
final class Fleet implements AutoCloseable {

    static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);
    static final Duration RESYNC = Duration.ofSeconds(5);

    final RepoLayout layout = RepoLayout.locate();
    final Sandbox sandbox;

    private Fleet(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    static Fleet start(List<String> clusters, Map<String, List<Fault>> faults) throws Exception {
        return start(clusters, faults, List.of());
    }

    /** As {@link #start(List, Map)}, with clusters that are simulated but not registered. */
    static Fleet start(List<String> clusters, Map<String, List<Fault>> faults, List<String> unregistered)
            throws Exception {
        RepoLayout layout = RepoLayout.locate();
        SandboxOptions options = SandboxOptions.defaults(SandboxOptions.Mode.RUN, clusters).withFaults(faults)
                .withUnregistered(unregistered).withTimeout(STEP_TIMEOUT)
                // Quick resyncs with drift repair at each, so that tests of drift, health and recovery are quick.
                .withResync(RESYNC, RESYNC);
        return new Fleet(Sandbox.start(options, layout, System.err));
    }

    /**
     * As {@link #start(List, Map)} without faults, with spec-intake's admission webhook called by the management API
     * server, as {@code sandbox run|up} have it: who made each change is recorded (ADR 0023).
     */
    static Fleet startWithAdmission(List<String> clusters) throws Exception {
        RepoLayout layout = RepoLayout.locate();
        SandboxOptions options = SandboxOptions.defaults(SandboxOptions.Mode.RUN, clusters).withTimeout(STEP_TIMEOUT)
                .withResync(RESYNC, RESYNC);
        return new Fleet(Sandbox.start(options, layout, System.err, true, true));
    }

    /** A fleet with the options given (installer replicas, readiness delay, API latency ..). */
    static Fleet start(SandboxOptions options) throws Exception {
        RepoLayout layout = RepoLayout.locate();
        return new Fleet(Sandbox.start(options.withTimeout(STEP_TIMEOUT), layout, System.err));
    }

    /** A consumer of meshfleet.installation-events on this fleet's broker, no group offsets committed; the caller assigns and closes it. */
    KafkaConsumer<String, InstallationEvent> eventsConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.broker().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new StringDeserializer(), AvroSerde.of(InstallationEvent.class));
    }

    /** A workload cluster's API, as the installer sees it. */
    KubernetesClient workload(String cluster) {
        return sandbox.api().client(cluster);
    }

    /** Writes and applies a manifest, then waits until settled. */
    Settle.Progress applyAndSettle(String name, String yaml) throws Exception {
        return applyAndSettle(manifest(name, yaml));
    }

    /**
     * Waits until the installation is in the given state (for changes that do not show in the settle rule:
     * a HEALTHY installation that turns UNHEALTHY is settled before and after); fails with the table.
     */
    InstallationStatus awaitState(ResourceKind kind, String name, String cluster, String revision, String state) {
        try {
            await(name + " " + cluster + "/" + revision + " " + state).atMost(STEP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> state.equals(stateOf(kind, name, cluster, revision)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; now " + stateOf(kind, name, cluster, revision) + "\n"
                    + Rendering.table(sandbox.views()) + "\n" + sandbox.logTails(30), e);
        }
        return installation(kind == ResourceKind.IstioLifecycleManager ? ilmStatus(name) : glmStatus(name), cluster,
                revision);
    }

    private String stateOf(ResourceKind kind, String name, String cluster, String revision) {
        var r = kind == ResourceKind.IstioLifecycleManager
                ? sandbox.management().resources(IstioLifecycleManager.class).inNamespace("gloo-mesh").withName(name).get()
                : sandbox.management().resources(GatewayLifecycleManager.class).inNamespace("gloo-mesh").withName(name)
                        .get();
        if (r == null || r.getStatus() == null || r.getStatus().clusters() == null
                || !r.getStatus().clusters().containsKey(cluster)) {
            return null;
        }
        var i = r.getStatus().clusters().get(cluster).installations().get(revision);
        return i == null ? null : i.state();
    }

    IstioLifecycleManager ilm(String name) {
        return sandbox.management().resources(IstioLifecycleManager.class).inNamespace("gloo-mesh").withName(name).get();
    }

    /**
     * Every object in the cluster labelled {@code app.kubernetes.io/managed-by=meshfleet}, as "Kind ns/name",
     * over every kind the charts and the installer write.
     */
    List<String> managedObjects(String cluster) {
        KubernetesClient c = workload(cluster);
        String label = "app.kubernetes.io/managed-by";
        List<HasMetadata> found = new ArrayList<>();
        found.addAll(c.apps().deployments().inAnyNamespace().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.apps().daemonSets().inAnyNamespace().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.services().inAnyNamespace().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.serviceAccounts().inAnyNamespace().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.configMaps().inAnyNamespace().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.secrets().inAnyNamespace().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.namespaces().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().withLabel(label, "meshfleet")
                .list().getItems());
        found.addAll(c.admissionRegistration().v1().mutatingWebhookConfigurations().withLabel(label, "meshfleet")
                .list().getItems());
        found.addAll(c.admissionRegistration().v1().validatingWebhookConfigurations().withLabel(label, "meshfleet")
                .list().getItems());
        found.addAll(c.rbac().clusterRoles().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.rbac().clusterRoleBindings().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.rbac().roles().inAnyNamespace().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.rbac().roleBindings().inAnyNamespace().withLabel(label, "meshfleet").list().getItems());
        found.addAll(c.apiextensions().v1().customResourceDefinitions().withLabel(label, "meshfleet").list()
                .getItems());
        return found.stream().map(o -> o.getKind() + " " + (o.getMetadata().getNamespace() == null ? ""
                : o.getMetadata().getNamespace() + "/") + o.getMetadata().getName()).toList();
    }

    Path example(String name) {
        return layout.examples().resolve(name);
    }

    /** Writes a manifest to the run directory (for specs the examples do not cover). */
    Path manifest(String name, String yaml) throws Exception {
        Path file = sandbox.runDir().resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    /** Applies and waits until settled, as `sandbox run -f` does; fails with what moved and the log tails. */
    Settle.Progress applyAndSettle(Path file) throws Exception {
        sandbox.apply(file);
        return settle();
    }

    Settle.Progress settle() throws Exception {
        try {
            Settle.Progress p = sandbox.awaitSettled(STEP_TIMEOUT, System.err);
            System.err.print(Rendering.table(sandbox.views()));
            return p;
        } catch (TimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + Rendering.table(sandbox.views()) + "\n"
                    + sandbox.logTails(30), e);
        }
    }

    LifecycleManagerStatus ilmStatus(String name) {
        IstioLifecycleManager r = sandbox.management().resources(IstioLifecycleManager.class).inNamespace("gloo-mesh")
                .withName(name).get();
        assertThat(r).as("ILM gloo-mesh/" + name).isNotNull();
        return r.getStatus();
    }

    LifecycleManagerStatus glmStatus(String name) {
        GatewayLifecycleManager r = sandbox.management().resources(GatewayLifecycleManager.class)
                .inNamespace("gloo-mesh").withName(name).get();
        assertThat(r).as("GLM gloo-mesh/" + name).isNotNull();
        return r.getStatus();
    }

    static InstallationStatus installation(LifecycleManagerStatus status, String cluster, String revision) {
        assertThat(status).as("status").isNotNull();
        assertThat(status.clusters()).as("status.clusters").containsKey(cluster);
        assertThat(status.clusters().get(cluster).installations()).as("installations of " + cluster)
                .containsKey(revision);
        return status.clusters().get(cluster).installations().get(revision);
    }

    /**
     * Stops the fleet; fails when the management API server refused any request of a service by the chart's RBAC, or a
     * workload cluster a request of the installer by its role there (every E2E runs with both enforced: a rule the
     * chart or deploy/workload-cluster/installer-role.yaml lacks fails the class that needed it, even where the
     * service got over the refusal). Prints what the chart and the role granted that no request of this fleet used.
     */
    @Override
    public void close() {
        List<String> denied;
        List<String> deniedInWorkloads;
        try {
            denied = sandbox.serviceRbacDenials();
            deniedInWorkloads = sandbox.workloadRbacDenials();
            System.err.println("rbac: granted by the chart and unused in this fleet: " + sandbox.unusedChartGrants());
            System.err.println("rbac: granted by the workload clusters' installer role and unused in this fleet: "
                    + sandbox.unusedWorkloadGrants());
        } finally {
            sandbox.close();
        }
        assertThat(denied).as("requests of the services that the chart's RBAC refused").isEmpty();
        assertThat(deniedInWorkloads).as("requests of the installer that its role in the workload clusters refused")
                .isEmpty();
    }
}
