package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.sandbox.status.Settle;
import dev.meshfleet.schemas.crd.GatewayLifecycleManager;
import dev.meshfleet.schemas.crd.IstioLifecycleManager;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus.InstallationStatus;
import dev.meshfleet.testkit.Fault;

/** What the E2E tests share: one sandbox per test class, steps as the CLI runs them, typed status reads. */
final class Fleet implements AutoCloseable {

    static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    final RepoLayout layout = RepoLayout.locate();
    final Sandbox sandbox;

    private Fleet(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    static Fleet start(List<String> clusters, Map<String, List<Fault>> faults) throws Exception {
        RepoLayout layout = RepoLayout.locate();
        SandboxOptions options = SandboxOptions.defaults(SandboxOptions.Mode.RUN, clusters).withFaults(faults)
                .withTimeout(STEP_TIMEOUT);
        return new Fleet(Sandbox.start(options, layout, System.err));
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

    @Override
    public void close() {
        sandbox.close();
    }
}
