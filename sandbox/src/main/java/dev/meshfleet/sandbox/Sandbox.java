package dev.meshfleet.sandbox;

import dev.meshfleet.translation.SmcExtensions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.sandbox.faults.FaultOutcome;
import dev.meshfleet.sandbox.faults.FaultPlayer;
import dev.meshfleet.sandbox.faults.FaultReport;
import dev.meshfleet.sandbox.faults.Resumption;
import dev.meshfleet.sandbox.faults.ProcessFault;
import dev.meshfleet.sandbox.faults.ProcessFaults;
import dev.meshfleet.sandbox.fleet.ChartRbac;
import dev.meshfleet.sandbox.fleet.InstallationEvents;
import dev.meshfleet.sandbox.fleet.InstanceNames;
import dev.meshfleet.sandbox.fleet.PlanLeases;
import dev.meshfleet.sandbox.fencing.FencingCheck;
import dev.meshfleet.sandbox.fleet.Kubeconfig;
import dev.meshfleet.sandbox.fleet.Registration;
import dev.meshfleet.sandbox.fleet.Services;
import dev.meshfleet.sandbox.fleet.WorkloadClusterRbac;
import dev.meshfleet.sandbox.kafka.KafkaBroker;
import dev.meshfleet.sandbox.mesh.MeshRead;
import dev.meshfleet.sandbox.mesh.MeshSummary;
import dev.meshfleet.sandbox.process.ClassDataArchive;
import dev.meshfleet.sandbox.process.AgentJar;
import dev.meshfleet.sandbox.process.PidFiles;
import dev.meshfleet.sandbox.status.ResourceChanges;
import dev.meshfleet.sandbox.status.ResourceView;
import dev.meshfleet.sandbox.status.Settle;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.time.GoDuration;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.Fault;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.RbacAuthorizer;
import dev.meshfleet.testkit.TestCertificates;
import dev.meshfleet.testkit.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The local fleet: a Kafka broker and the four services as child JVMs, the management and workload API
 * servers and the workload simulator in this JVM. The CLI and the E2E tests drive it through the same
 * methods: {@link #apply}, {@link #delete}, {@link #awaitSettled}, {@link #views}.
 */
public final class Sandbox implements AutoCloseable {

    /** How long a started fleet's installers may take to hold every install-plans partition ({@link PlanLeases}). */
    private static final Duration PLAN_LEASES_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BROKER_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration SERVICE_TIMEOUT = Duration.ofMinutes(3);
    // Short so that a measured apply-to-HEALTHY is the pipeline's time, not this loop's; a read of a few
    // resources from the in-process API server costs well under a millisecond.
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    /** How far before a kill the clusters an installer replica reported on are counted as its own. */
    private static final Duration RESUMPTION_LOOKBACK = Duration.ofMinutes(10);
    /** Run directories kept for their logs; older ones go, so Kafka data does not pile up. */
    private static final int KEEP_RUNS = 5;

    private final SandboxOptions options;
    private final RepoLayout layout;
    private final Path runDir;
    private final PrintStream log;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Set<ResourceRef> deleted = new LinkedHashSet<>();
    private KafkaBroker broker;
    private MockApiServer api;
    /** The CA of the management API server's HTTPS listener and its URL, from the first kubeconfig written. */
    private TestCertificates apiCa;
    private String apiTlsUrl;
    private ChartRbac rbac;
    private RbacAuthorizer authorizer;
    /** The installer's role in every workload cluster (deploy/workload-cluster/installer-role.yaml), enforced there. */
    private WorkloadClusterRbac workloadRbac;
    private RbacAuthorizer workloadAuthorizer;
    /** Clients of the management cluster as the kubeconfig's users, by user name. */
    private final Map<String, KubernetesClient> userClients = new java.util.concurrent.ConcurrentHashMap<>();
    private Services services;
    private WorkloadSimulator simulator;
    private FaultPlayer faults;
    /** When each spec change (an apply or a delete through this sandbox) was sent: a resumption ends at the next one. */
    private final List<Instant> specChanges = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ResourceChanges changes;
    private boolean closed;
    /** Register spec-intake's admission webhook with the management API server (the CLI's run and up). */
    private final boolean admissionWebhook;

    private Sandbox(SandboxOptions options, RepoLayout layout, Path runDir, PrintStream log, boolean admissionWebhook) {
        this.options = options;
        this.layout = layout;
        this.runDir = runDir;
        this.log = log;
        this.admissionWebhook = admissionWebhook;
    }

    /** Starts everything; on failure stops what was started and rethrows. Progress goes to log. */
    public static Sandbox start(SandboxOptions options, RepoLayout layout, PrintStream log) throws Exception {
        return start(options, layout, log, true);
    }

    /**
     * As {@link #start(SandboxOptions, RepoLayout, PrintStream)}; without the services when withServices is
     * false (the broker, API servers and simulator alone, for tests of the sandbox itself).
     */
    public static Sandbox start(SandboxOptions options, RepoLayout layout, PrintStream log, boolean withServices)
            throws Exception {
        return start(options, layout, log, withServices, false);
    }

    /**
     * As {@link #start(SandboxOptions, RepoLayout, PrintStream, boolean)}; with {@code admissionWebhook}, spec-intake
     * also serves its validating admission webhook over HTTPS (a throw-away CA of the run) and the management API
     * server calls it for every write of an ILM or GLM (ADR 0023): an invalid spec is refused at apply, and who
     * applied is recorded. What {@code sandbox run} and {@code sandbox up} do; the tests' fleets leave it out unless
     * asked, since a refused spec never reaches the pipeline they test.
     */
    public static Sandbox start(SandboxOptions options, RepoLayout layout, PrintStream log, boolean withServices,
            boolean admissionWebhook) throws Exception {
        for (String killed : PidFiles.killLeftovers(layout.sandboxRoot())) {
            log.println("sandbox: stopped a leftover process of an earlier run: " + killed);
        }
        pruneOldRuns(layout.sandboxRoot(), KEEP_RUNS);
        String runName = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + ProcessHandle.current().pid();
        Path runDir = layout.sandboxRoot().resolve(runName);
        Files.createDirectories(runDir.resolve("logs"));
        Sandbox sandbox = new Sandbox(options, layout, runDir, log, admissionWebhook);
        try {
            sandbox.startAll(withServices);
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
        return sandbox;
    }

    private void startAll(boolean withServices) throws Exception {
        Instant t0 = Instant.now();
        Path agent = AgentJar.write(runDir);
        log.println("sandbox: run directory " + runDir);
        // The API server and the registration of every cluster (1,000 Secrets take seconds) need no broker: they
        // run while Kafka and then the services start.
        Instant apiStart = Instant.now();
        api = MockApiServer.start();
        started.add(api);
        enforceWorkloadClusterRbac();
        // The chart's RBAC, rendered while Kafka starts (helm-java takes a second or more); enforced before any
        // service starts. The sandbox itself is platform-admin (system:masters) throughout.
        CompletableFuture<ChartRbac> rendering = CompletableFuture.supplyAsync(
                () -> ChartRbac.render(layout.meshfleetChart(), Registration.NAMESPACE));
        // The CRDs first, at once: the services' informers need them from their start.
        Registration.installCrds(api.client());
        Registration.namespace(api.client(), ChartRbac.NAMESPACE);
        CompletableFuture<String> registration = CompletableFuture.supplyAsync(() -> {
            try {
                Registration.registerClusters(api, options.registeredClusters(), workloadRbac.installerToken());
                for (String cluster : options.unregistered()) {
                    Path file = registrationFile(cluster);
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, Registration.secretYaml(api, cluster, workloadRbac.installerToken()));
                    log.println("sandbox: " + cluster + " runs but is not registered; register it with"
                            + " kubectl --context mgmt apply -f " + file);
                }
                return since(apiStart);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        log.println("sandbox: starting Kafka (KRaft, one node) ...");
        Instant step = Instant.now();
        broker = KafkaBroker.start(runDir.resolve("kafka"), layout.brokerClassPath(), agent, runDir.resolve("pids"),
                BROKER_TIMEOUT, brokerArchive());
        started.add(() -> {
            Path written = broker.stopAndArchive();
            if (written != null) {
                log.println("sandbox: class data archive of the Kafka broker written as it stopped (" + written
                        + "): later starts of this build map it");
            }
        });
        TopicAdmin.ensure(broker.bootstrapServers(), TopicAdmin.definitions(SandboxOptions.PLAN_PARTITIONS), (short) 1);
        log.println("sandbox: Kafka at " + broker.bootstrapServers() + ", topics created (" + since(step) + ")");
        Map<String, List<Fault>> faults = new LinkedHashMap<>();
        for (String cluster : options.clusters()) {
            faults.put(cluster, options.faults().getOrDefault(cluster, List.of()));
        }
        step = Instant.now();
        // The simulator also hands the API faults (unreachable, slow, reject-apply) to the server.
        simulator = WorkloadSimulator.start(api, faults, options.readyAfter());
        started.add(simulator);
        api.setClusterLatency(options.apiLatency());
        log.println("sandbox: API server at " + api.url() + " (management) with " + options.clusters().size()
                + " workload cluster(s) under /clusters/<name>" + faultSummary()
                + (options.apiLatency().isZero() ? "" : "; every workload request delayed "
                        + GoDuration.format(options.apiLatency())) + " (simulator " + since(step) + ")");

        enforceChartRbac(rendering);
        if (!withServices) {
            awaitRegistration(registration);
            return;
        }
        // The registration may still be writing Secrets while the services start: the installer finds the
        // clusters registered later by its watch, as it does for a cluster registered while the fleet runs.
        step = Instant.now();
        services = new Services(layout, runDir, agent, broker.bootstrapServers(), api.url(), options.installers());
        started.add(services);
        services.resync(options.resync(), options.driftRepair());
        services.traces(options.otlpEndpoint());
        services.identities(rbac);
        AdmissionWebhookRegistration webhook = admissionWebhook
                ? AdmissionWebhookRegistration.prepare(runDir.resolve("webhook"), services) : null;
        log.println("sandbox: starting " + String.join(", ", services.instanceNames()) + " ...");
        services.startAll(SERVICE_TIMEOUT, log);
        services.awaitPlanLeases(SandboxOptions.PLAN_PARTITIONS, PLAN_LEASES_TIMEOUT, log);
        if (webhook != null) {
            webhook.register(api.client());
            log.println("sandbox: spec-intake's admission webhook registered at " + webhook.url()
                    + " (failurePolicy Ignore: a killed spec-intake does not stop writes)");
        }
        log.println("sandbox: services ready (" + since(step) + ")" + (options.otlpEndpoint() == null ? ""
                : "; traces to " + options.otlpEndpoint()));
        log.println("sandbox: metrics (Prometheus): " + String.join(", ", services.metricsEndpoints()));
        awaitRegistration(registration);
        log.println("sandbox: ready in " + since(t0) + "; logs in " + runDir.resolve("logs"));
    }

    /**
     * From here on every request to the management cluster is authenticated, and authorized by the chart's RBAC:
     * each service as its chart ServiceAccount (ADR 0021).
     */
    private void enforceChartRbac(CompletableFuture<ChartRbac> rendering) {
        try {
            rbac = rendering.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        authorizer = new RbacAuthorizer(rbac.policy());
        api.enforceRbac(authorizer, rbac.tokens());
        log.println("sandbox: the management API server enforces the RBAC of "
                + layout.root().relativize(layout.meshfleetChart()) + " (" + rbac.policy().size()
                + " roles and bindings): each service is its chart ServiceAccount");
    }

    /**
     * From here on every request to a workload cluster is authenticated, and authorized by the role users apply to
     * each of theirs: the installer, registered with a kubeconfig of its ServiceAccount there, may do what that file
     * grants, and the sandbox, the simulator and kubectl's contexts are the administrator.
     */
    private void enforceWorkloadClusterRbac() {
        workloadRbac = WorkloadClusterRbac.load(layout.workloadClusterRole());
        workloadAuthorizer = new RbacAuthorizer(workloadRbac.policy());
        api.enforceWorkloadRbac(workloadAuthorizer, workloadRbac.tokens());
        log.println("sandbox: every workload cluster enforces " + layout.root().relativize(workloadRbac.file()) + " ("
                + workloadRbac.policy().size() + " roles and bindings): the installer is "
                + workloadRbac.installer().username() + " there");
    }

    private void awaitRegistration(CompletableFuture<String> registration) throws Exception {
        try {
            log.println("sandbox: API server up, " + options.registeredClusters().size() + " cluster(s) registered ("
                    + registration.join() + " from the API server's start)");
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : e;
        }
    }

    private static String since(Instant start) {
        return elapsed(Duration.between(start, Instant.now()));
    }

    private String faultSummary() {
        if (options.faults().isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("; faults:");
        options.faults().forEach((c, fs) -> fs.forEach(f -> s.append(' ').append(c).append('=').append(f.spec())));
        return s.toString();
    }

    /** Deletes all but the newest {@code keep} run directories (names sort by start time). */
    static void pruneOldRuns(Path root, int keep) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var runs = Files.list(root)) {
            List<Path> dirs = runs.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().equals(RepoLayout.CLASS_DATA_ARCHIVES))
                    .sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path old : dirs.subList(Math.min(keep, dirs.size()), dirs.size())) {
                try (var walk = Files.walk(old)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            // Only housekeeping: a directory we cannot delete costs disk space, nothing else.
        }
    }

    // ---- steps ----

    /** What an apply step did: every resource of the file written, or the API server's refusal of one. */
    public sealed interface Applied {
        record Done(List<ResourceRef> refs) implements Applied {
        }

        /**
         * The API server refused a resource (a 4xx); {@code message} is the message of the Status it returned,
         * which names the field. The resources before it in the file were applied.
         */
        record Refused(Path file, ResourceRef ref, int code, String reason, String message, List<ResourceRef> applied)
                implements Applied {
            public String describe() {
                return ref + " of " + file + " (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + "): "
                        + message;
            }
        }
    }

    /**
     * Applies every ILM/GLM document of the file: create, or replace the spec keeping the status.
     *
     * @throws IOException when the file is not Kubernetes YAML of ILMs and GLMs, or the API server refused one
     *         (the message is the server's)
     */
    public List<ResourceRef> apply(Path file) throws IOException {
        Applied applied = tryApply(file);
        if (applied instanceof Applied.Refused refused) {
            throw new IOException("the API server refused " + refused.describe());
        }
        return ((Applied.Done) applied).refs();
    }

    /**
     * As {@link #apply}, with a refusal of the API server (a 4xx: validation, admission) as a value: it is the
     * user's spec that is wrong, and the CLI reports it with the server's message.
     */
    public Applied tryApply(Path file) throws IOException {
        return tryApply(file, ChartRbac.PLATFORM_ADMIN);
    }

    /**
     * As {@link #tryApply(Path)}, sent as one of the kubeconfig's users ({@link #users()}): as {@code mesh-operator},
     * the API server authorizes each request by that user's ClusterRole, and a write it does not allow is refused
     * (403 Forbidden, naming the user and the verb).
     */
    public Applied tryApply(Path file, String user) throws IOException {
        specChanges.add(Instant.now());
        KubernetesClient client = management(user);
        List<HasMetadata> items;
        try (InputStream in = Files.newInputStream(file)) {
            items = api.client().load(in).items();
        } catch (KubernetesClientException e) {
            throw new IOException(file + ": not Kubernetes YAML: " + e.getMessage(), e);
        }
        List<ResourceRef> applied = new ArrayList<>();
        // Seed 003's gloo-extensions-config first: a controller published before it would roll out twice (ADR 0045).
        for (HasMetadata item : items) {
            if (item instanceof ConfigMap configMap && SmcExtensions.CONFIG_MAP.equals(configMap.getMetadata().getName())) {
                try {
                    applyConfigMap(client, configMap);
                } catch (KubernetesClientException e) {
                    if (e.getCode() >= 400 && e.getCode() < 500) {
                        throw new IOException(file + ": the API server refused ConfigMap " + SmcExtensions.CONFIG_MAP
                                + " (" + e.getCode() + "): " + e.getMessage(), e);
                    }
                    throw e;
                }
            }
        }
        for (HasMetadata item : items) {
            if (item instanceof ConfigMap configMap && SmcExtensions.CONFIG_MAP.equals(configMap.getMetadata().getName())) {
                continue;
            }
            ResourceKind kind = Crds.kindOf(item.getApiVersion(), item.getKind());
            if (kind == null) {
                throw new IOException(file + ": " + item.getApiVersion() + "/" + item.getKind() + " "
                        + item.getMetadata().getName() + " is not an IstioLifecycleManager, GatewayLifecycleManager,"
                        + " ServiceMeshController, ExternalControlPlane or ConfigMap " + SmcExtensions.CONFIG_MAP);
            }
            GenericKubernetesResource desired = api.client().getKubernetesSerialization()
                    .convertValue(item, GenericKubernetesResource.class);
            if (desired.getMetadata().getNamespace() == null) {
                desired.getMetadata().setNamespace("default");
            }
            if (desired.getMetadata().getName() == null || desired.getMetadata().getName().isEmpty()) {
                throw new IOException(file + ": a " + kind + " has no metadata.name");
            }
            ResourceRef ref = new ResourceRef(kind, desired.getMetadata().getNamespace(), desired.getMetadata().getName());
            try {
                createOrReplaceSpec(client, ref, desired);
            } catch (KubernetesClientException e) {
                if (e.getCode() >= 400 && e.getCode() < 500) {
                    String message = e.getStatus() != null && e.getStatus().getMessage() != null
                            ? e.getStatus().getMessage() : e.getMessage();
                    String reason = e.getStatus() == null ? null : e.getStatus().getReason();
                    return new Applied.Refused(file, ref, e.getCode(), reason, message, applied);
                }
                throw e;
            }
            deleted.remove(ref);
            applied.add(ref);
        }
        return new Applied.Done(applied);
    }

    /** Creates the ConfigMap or replaces its data, as kubectl apply would for a ConfigMap only the user writes. */
    private static void applyConfigMap(KubernetesClient client, ConfigMap desired) {
        String namespace = desired.getMetadata().getNamespace() == null ? "default" : desired.getMetadata().getNamespace();
        var r = client.configMaps().inNamespace(namespace).withName(desired.getMetadata().getName());
        ConfigMap existing = r.get();
        if (existing == null) {
            desired.getMetadata().setNamespace(namespace);
            desired.getMetadata().setResourceVersion(null);
            client.configMaps().inNamespace(namespace).resource(desired).create();
        } else {
            existing.setData(desired.getData());
            client.configMaps().inNamespace(namespace).resource(existing).update();
        }
    }

    private void createOrReplaceSpec(KubernetesClient client, ResourceRef ref, GenericKubernetesResource desired) {
        var inNamespace = resources(client, ref.kind()).inNamespace(ref.namespace());
        Resource<GenericKubernetesResource> r = inNamespace.withName(ref.name());
        for (int attempt = 1; ; attempt++) {
            GenericKubernetesResource existing = r.get();
            try {
                if (existing == null) {
                    desired.getMetadata().setResourceVersion(null);
                    inNamespace.resource(desired).create();
                } else {
                    // Like kubectl apply for a resource only we write: the spec and labels are ours, the
                    // finalizers and status belong to the services.
                    existing.getAdditionalProperties().put("spec", desired.getAdditionalProperties().get("spec"));
                    if (desired.getMetadata().getLabels() != null) {
                        existing.getMetadata().setLabels(desired.getMetadata().getLabels());
                    }
                    inNamespace.resource(existing).update();
                }
                return;
            } catch (KubernetesClientException e) {
                // Conflict: a service wrote status or a finalizer between our read and write.
                if ((e.getCode() != 409 && e.getCode() != 422) || refusedAsInvalid(e) || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /** A 422 Invalid: the object does not fit its CRD's schema, and no retry will change that. */
    private static boolean refusedAsInvalid(KubernetesClientException e) {
        return e.getCode() == 422 && e.getStatus() != null && "Invalid".equals(e.getStatus().getReason());
    }

    /** Deletes the resource; it goes away once the aggregator releases the finalizer. */
    public void delete(ResourceRef ref) {
        delete(ref, ChartRbac.PLATFORM_ADMIN);
    }

    /** As {@link #delete(ResourceRef)}, sent as one of the kubeconfig's users. */
    public void delete(ResourceRef ref, String user) {
        specChanges.add(Instant.now());
        resources(management(user), ref.kind()).inNamespace(ref.namespace()).withName(ref.name()).delete();
        deleted.add(ref);
    }

    /**
     * Replaces a cluster's faults while the fleet runs (an empty list clears them): the API faults act on
     * the next request, the workload faults on what already runs ({@link WorkloadSimulator#setFaults}).
     */
    public void setFaults(String cluster, List<Fault> faults) {
        requireCluster(cluster);
        simulator.setFaults(cluster, faults);
    }

    /**
     * Registers a cluster started with {@code --unregistered}: creates its kubeconfig Secret in the management
     * cluster exactly as for the clusters registered at start (what {@code kubectl apply -f} of
     * {@link #registrationFile} does). Registering a registered cluster changes nothing.
     */
    public void register(String cluster) {
        requireCluster(cluster);
        Registration.registerClusters(api, List.of(cluster), workloadRbac.installerToken());
    }

    /** Where the registration Secret of a cluster started unregistered is written, for kubectl users. */
    public Path registrationFile(String cluster) {
        return runDir.resolve("register").resolve(cluster + "-secret.yaml");
    }

    private void requireCluster(String cluster) {
        if (!options.clusters().contains(cluster)) {
            throw new IllegalArgumentException("no workload cluster named '" + cluster + "'; the clusters are "
                    + String.join(", ", options.clusters()));
        }
    }

    // ---- faults: --kill, --pause ----

    /**
     * Starts the clock of kills and pauses (the CLI: those of {@code --kill} and {@code --pause}, as the first step
     * starts); nothing when there are none. {@link #awaitFaults} and {@link #lastFaultEnd} are about the faults of
     * the last call.
     */
    public synchronized void startFaults(List<ProcessFault> toPlay) {
        if (toPlay.isEmpty()) {
            return;
        }
        faults = new FaultPlayer(toPlay, processes(), SERVICE_TIMEOUT, log);
        started.add(faults);
        faults.start();
    }

    /** Whether {@link #startFaults} started any. */
    public synchronized boolean playsFaults() {
        return faults != null;
    }

    /** When the last fault ends, counted from {@link #startFaults}. */
    public synchronized Duration lastFaultEnd() {
        return faults == null ? Duration.ZERO : faults.lastEnd();
    }

    /** Waits until every fault has been played to its end; the outcomes, in command-line order. */
    public List<FaultOutcome> awaitFaults(Duration timeout) throws InterruptedException, TimeoutException {
        FaultPlayer player;
        synchronized (this) {
            player = faults;
        }
        return player == null ? List.of() : player.awaitPlayed(timeout);
    }

    /**
     * When installer replica {@code instance} (installer-service, installer-N) sent its first installation event
     * at or after {@code since}: when it resumed its clusters after a restart.
     */
    public java.util.Optional<Instant> firstInstallerEvent(String instance, Instant since) {
        return InstallationEvents.firstFrom(broker.bootstrapServers(), InstanceNames.replicaIdOf(instance), since);
    }

    /**
     * One line per fault and process: what, when, and what it cost ({@link FaultReport}); for a killed installer,
     * how it took back the clusters it had reported on in the {@link #RESUMPTION_LOOKBACK} before its kill.
     */
    public List<String> faultReport(List<FaultOutcome> outcomes) {
        List<String> lines = new ArrayList<>();
        for (FaultOutcome outcome : outcomes) {
            boolean kafka = outcome.instance().equals(ProcessFaults.KAFKA);
            boolean installer = !kafka && InstanceNames.moduleOf(outcome.instance()).equals(InstanceNames.INSTALLER);
            Duration firstStart = kafka ? broker.firstStart() : services.firstStart(outcome.instance());
            Resumption resumption = null;
            if (installer && outcome instanceof FaultOutcome.Killed k && k.ready() != null) {
                Instant killed = k.restarted().minus(k.restartedAt().minus(k.killedAt()));
                resumption = Resumption.of(
                        InstallationEvents.sentSince(broker.bootstrapServers(), killed.minus(RESUMPTION_LOOKBACK)),
                        "installer/" + InstanceNames.replicaIdOf(outcome.instance()), killed, k.restarted(),
                        specChanges.stream().filter(c -> c.isAfter(k.restarted())).min(Instant::compareTo).orElse(null));
            }
            lines.add(FaultReport.line(outcome, firstStart, kafka ? null : services.startCpu(outcome.instance()),
                    resumption));
        }
        return lines;
    }

    /** The broker and the service instances, as the fault player acts on them. */
    private FaultPlayer.Processes processes() {
        return new FaultPlayer.Processes() {
            @Override
            public void kill(String instance) {
                if (instance.equals(ProcessFaults.KAFKA)) {
                    broker.kill();
                } else {
                    services.kill(instance);
                }
            }

            @Override
            public void restart(String instance, Duration timeout) throws Exception {
                if (instance.equals(ProcessFaults.KAFKA)) {
                    broker.restart(timeout);
                } else {
                    services.start(instance);
                    services.awaitReady(instance, timeout);
                }
            }

            @Override
            public long pid(String instance) {
                return instance.equals(ProcessFaults.KAFKA) ? broker.process().pid()
                        : services.running(instance).process().pid();
            }
        };
    }

    // ---- observing ----

    /** Every ILM and GLM in the management cluster, plus deleted ones that are gone, in a stable order. */
    public List<ResourceView> views() {
        List<ResourceView> views = new ArrayList<>();
        Set<ResourceRef> present = new LinkedHashSet<>();
        for (ResourceKind kind : Crds.KINDS) {
            for (GenericKubernetesResource r : list(kind)) {
                ResourceView v = view(kind, r);
                present.add(v.ref());
                views.add(v);
            }
        }
        for (ResourceRef ref : deleted) {
            if (!present.contains(ref)) {
                views.add(ResourceView.gone(ref));
            }
        }
        return views;
    }

    /** The resources as the API returns them, for -o yaml. */
    public List<Map<String, Object>> resourcesAsMaps() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ResourceKind kind : Crds.KINDS) {
            for (GenericKubernetesResource r : list(kind)) {
                out.add(asMap(r));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(GenericKubernetesResource r) {
        return api.client().getKubernetesSerialization().convertValue(r, LinkedHashMap.class);
    }

    @SuppressWarnings("unchecked")
    private ResourceView view(ResourceKind kind, GenericKubernetesResource r) {
        Map<String, Object> map = asMap(r);
        return ResourceView.of(kind, (Map<String, Object>) map.getOrDefault("metadata", Map.of()),
                (Map<String, Object>) map.get("spec"), (Map<String, Object>) map.get("status"));
    }

    private List<GenericKubernetesResource> list(ResourceKind kind) {
        List<GenericKubernetesResource> items = new ArrayList<>(resources(kind).inAnyNamespace().list().getItems());
        items.sort(java.util.Comparator.comparing((GenericKubernetesResource r) -> r.getMetadata().getNamespace())
                .thenComparing(r -> r.getMetadata().getName()));
        return items;
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> resources(
            ResourceKind kind) {
        return resources(api.client(), kind);
    }

    private static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> resources(
            KubernetesClient client, ResourceKind kind) {
        return client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup(Crds.group(kind)).withVersion(Crds.version(kind)).withKind(kind.name()).withPlural(Crds.plural(kind))
                .withNamespaced(true).build());
    }

    /**
     * Waits until every resource has settled ({@link Settle}) and every peered mesh has made its links
     * ({@link MeshSummary.Mesh#settled}), printing a progress line every ~2s.
     *
     * @throws TimeoutException with what was still moving
     */
    public Settle.Progress awaitSettled(Duration timeout, PrintStream progress) throws TimeoutException, InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        Instant nextReport = start.plus(PROGRESS_EVERY);
        Settle.Progress p = null;
        long seen = -1;
        while (true) {
            try {
                seen = changes().version();
                p = Settle.evaluate(views());
                if (p.done()) {
                    // Every controller SUCCEEDED says each east-west Gateway is programmed; the translator re-plans
                    // the peers' remote Gateways after that, so a peered mesh settles once its links have (ADR 0046).
                    List<String> linking = new ArrayList<>();
                    for (MeshSummary.Mesh mesh : MeshRead.meshes(api.client(), null)) {
                        mesh.moving().forEach(m -> linking.add("mesh " + mesh.namespace() + " " + m));
                    }
                    if (linking.isEmpty()) {
                        return p;
                    }
                    p = new Settle.Progress(p.settled(), p.total(), linking, p.allHealthy());
                }
            } catch (KubernetesClientException e) {
                // The API server is ours and in process; a failed read is retried like a moving resource.
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            Instant now = Instant.now();
            if (now.isAfter(deadline)) {
                throw new TimeoutException("not settled after " + elapsed(timeout) + ": "
                        + (p == null ? "cannot read the resources" : String.join("; ", p.moving())));
            }
            if (progress != null && p != null && now.isAfter(nextReport)) {
                progress.println("  ... " + elapsed(Duration.between(start, now)) + ": " + p.settled() + "/"
                        + p.total() + " settled; moving: " + String.join("; ", p.moving()));
                nextReport = now.plus(PROGRESS_EVERY);
            }
            Instant wakeAt = nextReport.isAfter(now) ? nextReport : now.plus(PROGRESS_EVERY);
            awaitChange(seen, Duration.between(now, wakeAt.isBefore(deadline) ? wakeAt : deadline));
        }
    }

    /**
     * Waits until a Meshfleet resource changed after {@code seen} (a {@link ResourceChanges#version()}), at most
     * {@code atMost}, and at least {@link #POLL} so that a burst of changes is read once.
     */
    public void awaitChange(long seen, Duration atMost) throws InterruptedException {
        Thread.sleep(POLL.toMillis());
        changes().awaitChange(seen, atMost.minus(POLL).isNegative() ? Duration.ZERO : atMost.minus(POLL));
    }

    /** The change signal of the management cluster's Meshfleet resources, opened on first use. */
    public synchronized ResourceChanges changes() {
        if (changes == null) {
            changes = new ResourceChanges(api.client());
            started.add(changes);
        }
        return changes;
    }

    // ---- the rest ----

    /** A measured time for people: 250ms, 5.1s, 1m30.2s (Go's form, to a tenth of a second from 1s on). */
    public static String elapsed(Duration d) {
        long millis = d.toMillis();
        return GoDuration.format(Duration.ofMillis(millis < 1000 ? millis : millis / 100 * 100));
    }

    /** Writes runDir/kubeconfig with contexts mgmt, then one per workload cluster. */
    public Path writeKubeconfig() throws IOException {
        // kubectl sends the users' tokens only over TLS: every cluster is reached over HTTPS, with a CA of this run
        // (over plain HTTP kubectl would be system:anonymous, whom the management and workload clusters refuse).
        if (apiCa == null) {
            apiCa = TestCertificates.authority("meshfleet-sandbox-api-ca");
            String password = java.util.UUID.randomUUID().toString();
            apiTlsUrl = api.serveTls(apiCa.writeKeyStore("meshfleet-sandbox-api", runDir.resolve("api-server.p12"),
                    password), password);
        }
        Map<String, String> clusters = new LinkedHashMap<>();
        clusters.put("mgmt", apiTlsUrl);
        for (String cluster : options.clusters()) {
            clusters.put(cluster, apiTlsUrl + "/clusters/" + cluster);
        }
        Path file = runDir.resolve("kubeconfig");
        Files.writeString(file, Kubeconfig.render(clusters, rbac.userTokens(), apiCa.caBundle()));
        return file;
    }

    /**
     * The writes to workload clusters by a replica that no longer owned them, judged from the installers'
     * ownership epochs in their events ({@link FencingCheck}; ADR 0013).
     */
    public FencingCheck.Result fencing() {
        return FencingCheck.check(broker.bootstrapServers(), api.writeLog());
    }

    public MockApiServer api() {
        return api;
    }

    public KubernetesClient management() {
        return api.client();
    }

    /** A client of the management cluster authenticated as one of the kubeconfig's users ({@link #users()}). */
    public KubernetesClient management(String user) {
        if (ChartRbac.PLATFORM_ADMIN.equals(user)) {
            return api.client();
        }
        String token = rbac.userTokens().get(user);
        if (token == null) {
            throw new IllegalArgumentException("no user '" + user + "' in the sandbox; the users are "
                    + String.join(", ", rbac.userTokens().keySet()));
        }
        KubernetesClient client = userClients.computeIfAbsent(user, u -> new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl(api.url()).withOauthToken(token).withNamespace("default")
                        .withRequestRetryBackoffLimit(2).build()).build());
        return client;
    }

    /** The kubeconfig's users: platform-admin (system:masters) and mesh-operator (may edit ILMs and GLMs only). */
    public java.util.Set<String> users() {
        return rbac.userTokens().keySet();
    }

    /**
     * Every request of a service the API server refused by RBAC so far ("user: message"): a rule the chart lacks.
     * The users' refusals (a step {@code --as mesh-operator} beyond its role) are not counted.
     */
    public List<String> serviceRbacDenials() {
        return api.rbacDenials().stream().filter(d -> d.startsWith("system:serviceaccount:")).toList();
    }

    /** What the chart's roles grant that no request of the run used, one line per verb and resource. */
    public List<String> unusedChartGrants() {
        return rbac.unusedGrants(authorizer);
    }

    /**
     * Every request of a service to a workload cluster that the installer's role ({@link #workloadRbac()}) refused so
     * far ("cluster: user: message"): a grant the role file lacks.
     */
    public List<String> workloadRbacDenials() {
        return api.workloadRbacDenials().stream().filter(d -> d.user().startsWith("system:serviceaccount:"))
                .map(MockApiServer.WorkloadDenial::toString).toList();
    }

    /** What the workload clusters' installer role grants that no request of the run used, in any cluster. */
    public List<String> unusedWorkloadGrants() {
        return workloadRbac.unusedGrants(workloadAuthorizer);
    }

    /** The installer's role every workload cluster enforces, and its token. */
    public WorkloadClusterRbac workloadRbac() {
        return workloadRbac;
    }

    /** The chart's RBAC the management API server enforces, and the tokens it issued. */
    public ChartRbac rbac() {
        return rbac;
    }

    public Services services() {
        return services;
    }

    public KafkaBroker broker() {
        return broker;
    }

    public Path runDir() {
        return runDir;
    }

    public SandboxOptions options() {
        return options;
    }

    /** Tails of the broker and service logs, for a timeout or failure report. */
    public String logTails(int lines) {
        StringBuilder s = new StringBuilder();
        if (services != null) {
            s.append(services.logTails(lines));
        }
        if (broker != null) {
            s.append("==> ").append(broker.process().logFile()).append(" <==\n").append(broker.process().logTail(lines / 2))
                    .append('\n');
        }
        return s.toString();
    }

    /** The broker build's class data archive (ADR 0047); null when the cache directory cannot be written. */
    private ClassDataArchive brokerArchive() {
        try {
            return ClassDataArchive.of(layout.classDataArchives(), "kafka", layout.brokerClassPathDirs().toArray(Path[]::new));
        } catch (IOException e) {
            log.println("sandbox: no class data archive for the Kafka broker: " + e.getMessage());
            return null;
        }
    }

    /** Stops the services first (so they do not log a missing broker), then the servers, then the broker. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        userClients.values().forEach(KubernetesClient::close);
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.println("sandbox: stopping " + started.get(i).getClass().getSimpleName() + ": " + e);
            }
        }
    }
}
