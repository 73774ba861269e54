package dev.meshfleet.sandbox.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The options of {@code sandbox run} and {@code sandbox up}, as picocli reads them: the command line's
 * structure only (which option, how often, in what order). {@link SandboxOptions#from} checks the values and
 * says what is wrong naming the option, so that every message has one shape whoever found the mistake.
 */
@Command(name = "sandbox-options", sortOptions = false)
public final class SandboxArgs {

    /** -f, --delete and --as in command-line order: the option, then the value. */
    final List<String[]> steps = new ArrayList<>();

    @Option(names = "--clusters", paramLabel = "N|NAME,NAME...", defaultValue = "2",
            description = "The workload clusters: a count (cluster1..clusterN, 1 to " + SandboxOptions.MAX_CLUSTERS
                    + ") or a comma-separated list of names. Each one is simulated and registered. Default: ${DEFAULT-VALUE}.")
    String clusters;

    @Option(names = "--installers", paramLabel = "N", defaultValue = "1",
            description = "Installer replicas (installer-0 .. installer-N-1) in one consumer group; the partitions of"
                    + " meshfleet.install-plans (" + SandboxOptions.PLAN_PARTITIONS + ") bound the useful number."
                    + " Default: ${DEFAULT-VALUE}.")
    String installers;

    @Option(names = "--fault", paramLabel = "CLUSTER=KIND",
            description = "Something wrong with one cluster; repeatable. KIND: never-ready, crash-after-ready,"
                    + " unreachable, slow=DURATION, unmanaged-istio, reject-apply, eastwest-address-change."
                    + " Default: none.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--unregistered", paramLabel = "CLUSTER[,CLUSTER...]",
            description = "Simulate the cluster but do not register it (its installations stay PENDING); the sandbox"
                    + " writes .sandbox/<run>/register/CLUSTER-secret.yaml, and kubectl --context mgmt apply -f that"
                    + " file registers it later. Repeatable. Default: none.")
    List<String> unregistered = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
            description = "Step: apply every ILM/GLM document of FILE to the management cluster, then wait until every"
                    + " installation has settled. Repeatable; steps run in command-line order.")
    void apply(List<String> files) {
        // picocli hands a repeated option's whole list to the setter at each occurrence; the new values are last.
        for (int i = filesSeen; i < files.size(); i++) {
            steps.add(new String[] {"-f", files.get(i)});
        }
        filesSeen = files.size();
    }

    private int filesSeen;
    private int deletesSeen;
    private int usersSeen;

    @Option(names = "--as", paramLabel = "USER",
            description = "The steps after it (-f, --delete) are sent as USER of the sandbox's kubeconfig: platform-admin"
                    + " (system:masters) or mesh-operator (may edit ILMs and GLMs, nothing else); the API server"
                    + " authorizes them by that user's RBAC and refuses what it may not do. Repeatable."
                    + " Default: platform-admin.")
    void as(List<String> users) {
        for (int i = usersSeen; i < users.size(); i++) {
            steps.add(new String[] {"--as", users.get(i)});
        }
        usersSeen = users.size();
    }

    @Option(names = "--delete", paramLabel = "Kind/namespace/name",
            description = "Step: delete the resource (Kind may be ilm or glm) and wait until it is gone or settled."
                    + " Repeatable; steps run in command-line order.")
    void delete(List<String> refs) {
        for (int i = deletesSeen; i < refs.size(); i++) {
            steps.add(new String[] {"--delete", refs.get(i)});
        }
        deletesSeen = refs.size();
    }

    @Option(names = {"-o", "--output"}, paramLabel = "table|yaml", defaultValue = "table",
            description = "yaml: after the last step print the resources as a kubectl List on stdout (the tables go to"
                    + " stderr). Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long each step may take to settle (a Go duration: 500ms, 30s, 1m30s). Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(names = "--ready-after", paramLabel = "DURATION", defaultValue = "1s",
            description = "The simulator makes Deployments and DaemonSets ready this long after they change (0 for at"
                    + " once). Default: ${DEFAULT-VALUE}.")
    String readyAfter;

    @Option(names = "--api-latency", paramLabel = "DURATION", defaultValue = "0",
            description = "Delay every request to a workload cluster's API by this much, as a remote cluster would."
                    + " Default: ${DEFAULT-VALUE}.")
    String apiLatency;

    @Option(names = "--resync", paramLabel = "DURATION",
            description = "How often each installer checks the health of every cluster it owns (meshfleet.installer."
                    + "resync-period). Default: the installer's own, 30s.")
    String resync;

    @Option(names = "--drift-repair", paramLabel = "DURATION",
            description = "How often each installer re-applies what it installed, repairing drift, and re-emits every"
                    + " state (meshfleet.installer.drift-repair-period; at least --resync). Default: the installer's"
                    + " own, 10m; give 5s to see a deleted istiod come back at once.")
    String driftRepair;

    @Option(names = "--poison", paramLabel = "TOPIC[=N]",
            description = "Before the first step write N records no service can decode to TOPIC (half garbage bytes,"
                    + " half Avro with an unknown schema fingerprint); at the end say how many reached TOPIC.dlq."
                    + " Repeatable. N default: " + Poison.DEFAULT_COUNT + ". Default: none.")
    List<String> poison = new ArrayList<>();

    @Option(names = "--kill", paramLabel = "SERVICE@DELAY",
            description = "SIGKILL a process DELAY after the first step starts, and start it again --restart-after later."
                    + " SERVICE: kafka, spec-intake, translator-service, status-aggregator, installer-service (every"
                    + " replica) or installer-N (one replica). Repeatable. The run waits for every fault, then prints one"
                    + " line per fault with its recovery time. Default: none.")
    List<String> kills = new ArrayList<>();

    @Option(names = "--restart-after", paramLabel = "DURATION", defaultValue = "2s",
            description = "How long a process killed by --kill stays down. Default: ${DEFAULT-VALUE}.")
    String restartAfter;

    @Option(names = "--pause", paramLabel = "SERVICE@DELAY+DURATION",
            description = "SIGSTOP a process DELAY after the first step starts and SIGCONT it DURATION later, as a frozen"
                    + " VM or a long GC pause would; SERVICE as for --kill. Repeatable. Default: none.")
    List<String> pauses = new ArrayList<>();

    @Option(names = "--otlp-endpoint", paramLabel = "URL",
            description = "Send every service's traces (one trace per spec change, across the four services) to this"
                    + " OTLP collector, over HTTP/protobuf, e.g. http://127.0.0.1:4318/v1/traces (Jaeger, an"
                    + " OpenTelemetry Collector). Default: tracing off.")
    String otlpEndpoint;

    @Option(names = "--history", paramLabel = "Kind/namespace/name",
            description = "After the last step, print the resource's history as ./meshfleet history does (who changed"
                    + " it, the fields, the transitions per cluster). Repeatable. Default: none.")
    List<String> history = new ArrayList<>();
}
