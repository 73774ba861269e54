package dev.meshfleet.sandbox.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.kafka.RunningBroker;
import dev.meshfleet.sandbox.mesh.MeshRead;
import dev.meshfleet.sandbox.mesh.MeshReport;
import dev.meshfleet.sandbox.mesh.MeshSummary;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./meshfleet mesh [-n NAMESPACE] [--kubeconfig FILE] [--context NAME] [-o table|yaml|json]}: the mesh-level
 * summary of issue 12, per namespace whose controllers peer, read from the management cluster's API server.
 */
@Command(name = "mesh", sortOptions = false, description = {"Per namespace whose ServiceMeshControllers peer (its"
        + " gloo-extensions-config says multiClusterMode: Peering): the controllers, the mesh's links up of those"
        + " expected (one from each controller to every other; each controller's status.peers n/m), then one line per"
        + " link not up, e.g. 'cluster1 -> cluster3: AddressMismatch' (status.peering.down), and per controller that"
        + " has fewer links than peers or has reported none; sorted by cluster, at most --limit per namespace.",
        "Reads the management cluster's API server (list ServiceMeshControllers, get the ConfigMap).",
        "Exit status: 0 every link of every mesh up (or no peered namespace), 1 some link not up, 2 bad input or the"
                + " API server unreachable."})
public final class MeshCommand implements Callable<Integer> {
    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", description = "Only this namespace. Default: all.")
    String namespace;
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The management cluster's kubeconfig. Default:"
            + " the kubeconfig of the sandbox running now (./meshfleet sandbox up), else $KUBECONFIG or ~/.kube/config.")
    Path kubeconfig;
    @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig's context. Default: mgmt with the"
            + " running sandbox's kubeconfig, else the kubeconfig's current-context.")
    String context;
    @Option(names = {"-o", "--output"}, paramLabel = "table|yaml|json", defaultValue = "table",
            description = "Default: table.")
    String output;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Lines of links not up per"
            + " namespace; the rest is counted ('... and K more'; notUpOmitted in yaml and json). 0: all. Default: 20.")
    int limit;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
    private final PrintStream out;

    MeshCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws UsageException {
        if (!List.of("table", "yaml", "json").contains(output)) {
            throw new UsageException("mesh: -o takes table, yaml or json, not '" + output + "'");
        }
        if (limit < 0) {
            throw new UsageException("mesh: --limit takes 0 (all) or more, not " + limit);
        }
        Config config = config();
        // A command a person waits on: an API server that does not answer is said at once, not retried for a minute.
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout(10_000);
        config.setRequestTimeout(30_000);
        List<MeshSummary.Mesh> meshes;
        try (KubernetesClient mgmt = new KubernetesClientBuilder().withConfig(config).build()) {
            meshes = MeshRead.meshes(mgmt, namespace == null || namespace.isBlank() ? null : namespace.trim());
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("mesh: cannot read the ServiceMeshControllers at " + config.getMasterUrl()
                    + ": " + e.getMessage(), e);
        }
        out.print(switch (output) {
            case "json" -> MeshReport.json(meshes, limit);
            case "yaml" -> MeshReport.yaml(meshes, limit);
            default -> MeshReport.table(meshes, limit);
        });
        return MeshSummary.allUp(meshes) ? Main.HEALTHY : Main.SETTLED_UNHEALTHY;
    }

    private Config config() throws UsageException {
        Path file = kubeconfig;
        String ctx = context;
        if (file == null) {
            Optional<Path> sandbox = RunningBroker.kubeconfig(RepoLayout.locate().sandboxRoot());
            if (sandbox.isEmpty()) {
                return Config.autoConfigure(ctx);
            }
            file = sandbox.get();
            ctx = ctx == null ? "mgmt" : ctx;
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UsageException("mesh: --kubeconfig " + file + " cannot be read ("
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()) + ")");
        }
        try {
            return Config.fromKubeconfig(ctx, text, file.toString());
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new UsageException("mesh: --kubeconfig " + file + (ctx == null ? "" : " --context " + ctx)
                    + ": " + e.getMessage());
        }
    }
}
