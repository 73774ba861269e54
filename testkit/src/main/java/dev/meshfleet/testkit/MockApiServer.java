package dev.meshfleet.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.schemas.Writer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;

/**
 * A Kubernetes API server stand-in: Fabric8's mock server in CRUD mode, over plain HTTP on
 * 127.0.0.1, serving the management cluster at the root and any number of workload clusters under
 * {@code /clusters/<name>}, each with its own object store created on first use.
 *
 * <p>Requests run on one Vert.x event loop; the stores are in memory, so that one thread serves
 * many clusters. API faults of a cluster ({@link Fault.Unreachable}, {@link Fault.Slow},
 * {@link Fault.RejectApply}) are applied here, before a request reaches the store, and so are authentication and
 * RBAC when asked: {@link #enforceRbac} for the management cluster, {@link #enforceWorkloadRbac} for the workload
 * clusters.
 */
public final class MockApiServer implements AutoCloseable {

    /** The token of the kubeconfigs and clients handed out here: {@link UserInfo#platformAdmin()}. */
    public static final String ADMIN_TOKEN = "mock-token";
    private static final TokenAuthenticator ADMIN_ONLY = new TokenAuthenticator(Map.of(ADMIN_TOKEN, UserInfo.platformAdmin()));

    /** The path prefix of workload clusters; cluster names are DNS labels or subdomains. */
    private static final Pattern CLUSTER_PATH = Pattern.compile("^/clusters/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(?=/|\\?|$)(.*)$");
    private static final String[] WEBSOCKET_SUB_PROTOCOLS = {
        "v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io" };

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HttpServer http;
    private final int port;
    private final HttpServerRequestHandler crud;
    /** The HTTPS listener of {@link #serveTls}, once started. */
    private volatile String tlsUrl;
    private final ClusterStore management = new ClusterStore(null);
    private final Map<String, ClusterStore> clusters = new ConcurrentHashMap<>();
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
    /** Writes to a management resource's status subresource, by the resource's path (what a benchmark counts). */
    private final RequestCounts requestCounts = new RequestCounts();
    private final Map<String, java.util.concurrent.atomic.LongAdder> statusWrites = new ConcurrentHashMap<>();
    /** Every write to a workload cluster, with its writer (ADR 0013). */
    private final WriteLog writeLog = new WriteLog();
    /** When set, management-cluster requests are authenticated by token and authorized by RBAC. */
    private volatile Authentication authentication;
    /** When set, requests to every workload cluster are authenticated by token and authorized by RBAC. */
    private volatile Authentication workloadAuthentication;
    /** Requests RBAC refused, "user: message". */
    private final List<String> denials = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Requests to workload clusters RBAC refused, in arrival order (a queue: no copy of the whole list per refusal). */
    private final java.util.Queue<WorkloadDenial> workloadDenials = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Added to every request to a workload cluster (paths under /clusters/), as a remote cluster's round trip. */
    private volatile Duration clusterLatency = Duration.ZERO;
    /** Kubernetes' NamespaceLifecycle admission on the workload clusters ({@link #enforceNamespaceLifecycle}). */
    private volatile boolean namespaceLifecycle;

    private MockApiServer(int requestedPort) {
        // One event loop serves every cluster; the stores do no I/O, so one thread keeps up, and a
        // second core is left to the services under test.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        crud = new HttpServerRequestHandler(vertx) {
            @Override
            protected MockResponse onHttpRequest(RecordedRequest request) {
                return dispatch(request);
            }
        };
        try {
            http = listen(new HttpServerOptions().setPort(requestedPort), "the mock API server on port " + requestedPort);
        } catch (IllegalStateException e) {
            vertx.close();
            throw e;
        }
        port = http.actualPort();
    }

    /**
     * Serves the same clusters over HTTPS as well, on another free port, with the server key and certificate of a
     * PKCS12 key store, and returns the management cluster's HTTPS base URL. kubectl (client-go) sends a bearer token
     * only over TLS (kubectl issue 744): without this, kubectl's requests to an API server that authenticates tokens
     * are anonymous. Idempotent.
     */
    public synchronized String serveTls(Path pkcs12KeyStore, String password) {
        if (tlsUrl != null) {
            return tlsUrl;
        }
        HttpServer https = listen(new HttpServerOptions().setPort(0).setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(pkcs12KeyStore.toString()).setPassword(password)),
                "the mock API server's HTTPS listener");
        tlsUrl = "https://127.0.0.1:" + https.actualPort();
        return tlsUrl;
    }

    /** A listener on 127.0.0.1 with {@code options}, serving every cluster; started, or an IllegalStateException. */
    private HttpServer listen(HttpServerOptions options, String what) {
        HttpServer server = vertx.createHttpServer(options.setHost("127.0.0.1")
                .setWebSocketSubProtocols(List.of(WEBSOCKET_SUB_PROTOCOLS))
                .setHandle100ContinueAutomatically(true));
        server.requestHandler(request -> handle(request, crud));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot start " + what, e);
        }
        return server;
    }

    /** Starts a server on a free port. */
    public static MockApiServer start() {
        return new MockApiServer(0);
    }

    /** Starts a server on the given port (0 for any free one). */
    public static MockApiServer start(int port) {
        return new MockApiServer(port);
    }

    /** The management cluster's base URL, {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The base URL of a workload cluster, {@code http://127.0.0.1:PORT/clusters/<name>}. */
    public String clusterUrl(String cluster) {
        return url() + "/clusters/" + checkName(cluster);
    }

    /** A client of the management cluster (one per server, closed with it). */
    public KubernetesClient client() {
        return clients.computeIfAbsent("", k -> newClient(url()));
    }

    /** A client of a workload cluster (one per cluster, closed with the server). */
    public KubernetesClient client(String cluster) {
        return clients.computeIfAbsent(checkName(cluster), c -> newClient(clusterUrl(c)));
    }

    /** A kubeconfig for the management cluster. */
    public String kubeconfig() {
        return kubeconfig("management", url());
    }

    /** A kubeconfig for a workload cluster; the context, cluster and user are named after it. */
    public String kubeconfig(String cluster) {
        return kubeconfig(checkName(cluster), clusterUrl(cluster));
    }

    /** The store behind the management cluster. */
    public ClusterStore managementStore() {
        return management;
    }

    /** The store behind a workload cluster, created on first use, serving the Gateway API ({@link GatewayApi}). */
    public ClusterStore store(String cluster) {
        return clusters.computeIfAbsent(checkName(cluster), name -> {
            ClusterStore store = new ClusterStore(name);
            GatewayApi.install(store);
            return store;
        });
    }

    /** The workload clusters seen so far (by a request or by {@link #store}). */
    public Set<String> clusterNames() {
        return new TreeSet<>(clusters.keySet());
    }

    /** Replaces the faults of a cluster; API faults take effect with the next request. */
    public void setFaults(String cluster, List<Fault> faults) {
        store(cluster).setFaults(faults);
    }

    public List<Fault> faults(String cluster) {
        return store(cluster).faults();
    }

    /**
     * Delays every request to a workload cluster (paths under {@code /clusters/}) by {@code latency}, as a
     * remote cluster would; the management cluster is not delayed. Adds to a cluster's {@link Fault.Slow}.
     * A delayed request holds no thread: its answer is scheduled on the event loop's timer.
     */
    public void setClusterLatency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        clusterLatency = latency;
    }

    public Duration clusterLatency() {
        return clusterLatency;
    }

    @Override
    public void close() {
        clients.values().forEach(KubernetesClient::close);
        clients.clear();
        try {
            http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway: the Vert.x instance goes next and takes the socket with it
        }
        vertx.close();
    }

    private void handle(HttpServerRequest request, HttpServerRequestHandler crud) {
        Matcher m = CLUSTER_PATH.matcher(request.path());
        ClusterStore store = m.matches() ? store(m.group(1)) : management;
        countStatusWrite(store, request);
        String path = m.matches() ? m.group(3) : request.path();
        requestCounts.record(m.matches() ? m.group(1) : RequestCounts.MANAGEMENT, RequestInfo.parse(
                request.method().name(), path.isEmpty() ? "/" : path, request.query()));
        if (m.matches() && WriteLog.isWrite(request.method().name())) {
            // At receipt, before faults and latency: the time the writer's request reached the cluster.
            writeLog.record(m.group(1), request.method().name(), m.group(3), request.getHeader(Writer.REPLICA_HEADER),
                    request.getHeader(Writer.EPOCH_HEADER), System.currentTimeMillis());
        }
        List<Fault> faults = store.faults();
        if (faults.stream().anyMatch(Fault.Unreachable.class::isInstance)) {
            // What a client of a crashed API server sees: the connection drops with no answer.
            request.connection().close();
            return;
        }
        long delayMillis = faults.stream().filter(Fault.Slow.class::isInstance)
                .mapToLong(f -> ((Fault.Slow) f).delay().toMillis()).max().orElse(0)
                + (m.matches() ? clusterLatency.toMillis() : 0);
        if (delayMillis > 0) {
            // Paused so that the body waits for the handler instead of being dropped meanwhile.
            request.pause();
            vertx.setTimer(delayMillis, id -> serve(request, crud));
        } else {
            serve(request, crud);
        }
    }

    /**
     * Fabric8's handler serves a watch only as a WebSocket (it answers a plain GET with 400 {@code "Connection" header
     * must be "Upgrade"}); kubectl and client-go watch with a plain GET answered by a chunked stream. Such a request
     * goes through the same authentication, authorization and store as any other, and the store's watch is streamed
     * as the answer ({@link HttpWatch}).
     */
    private void serve(HttpServerRequest request, HttpServerRequestHandler crud) {
        if (!HttpWatch.isPlainWatch(request)) {
            crud.handle(request);
            return;
        }
        request.resume();
        RecordedRequest recorded = new RecordedRequest(request.version().alpnName().toUpperCase(java.util.Locale.ROOT),
                HttpMethod.GET, request.uri(), Headers.builder().addAll(request.headers()).build(),
                new io.fabric8.mockwebserver.http.Buffer());
        MockResponse answer = dispatch(recorded);
        if (answer.getWebSocketListener() == null) {
            // Refused (401, 403, a fault's status) or not a watch after all: answered as any request.
            var response = request.response().setStatusCode(answer.code());
            answer.getHeaders().toMultimap().forEach((name, values) -> response.headers().add(name, values));
            response.end(answer.getBody() == null ? io.vertx.core.buffer.Buffer.buffer()
                    : io.vertx.core.buffer.Buffer.buffer(answer.getBody().getBytes()));
            return;
        }
        Matcher m = CLUSTER_PATH.matcher(request.path());
        ClusterStore store = m.matches() ? store(m.group(1)) : management;
        String path = m.matches() ? m.group(3) : request.path();
        HttpWatch.start(vertx, request, recorded, answer.getWebSocketListener(),
                object -> tableOf(store, path, object));
    }

    /** One object as the one-row Table the API server sends a watch that asked for Tables. */
    private static JsonNode tableOf(ClusterStore store, String path, JsonNode object) {
        MockResponse table = Discovery.table(store, path, ClusterStore.json(200, object.toString()));
        try {
            return JSON.readTree(table.getBody().getBytes());
        } catch (java.io.IOException e) {
            return object;
        }
    }

    private void countStatusWrite(ClusterStore store, HttpServerRequest request) {
        String method = request.method().name();
        String path = request.path();
        if (store == management && path.endsWith("/status") && (method.equals("PUT") || method.equals("PATCH"))) {
            statusWrites.computeIfAbsent(path.substring(0, path.length() - "/status".length()),
                    k -> new java.util.concurrent.atomic.LongAdder()).increment();
        }
    }

    /**
     * Writes (PUT or PATCH) to the status subresource of management-cluster resources since the start or the
     * last {@link #resetStatusWrites()}, by resource path ({@code /apis/GROUP/VERSION/namespaces/NS/PLURAL/NAME}).
     */
    public Map<String, Long> statusWrites() {
        Map<String, Long> out = new java.util.TreeMap<>();
        statusWrites.forEach((path, n) -> out.put(path, n.sum()));
        return out;
    }

    /**
     * Every write (POST, PUT, PATCH, DELETE) to a workload cluster since the start, with the writer its
     * request named ({@code Meshfleet-Writer} and {@code Meshfleet-Epoch} headers), also those a fault refused.
     */
    public WriteLog writeLog() {
        return writeLog;
    }

    /** Every request received so far, counted per cluster, verb and resource. */
    public RequestCounts requestCounts() {
        return requestCounts;
    }

    public void resetStatusWrites() {
        statusWrites.clear();
    }

    /**
     * From now on, every request to the management cluster is authorized as Kubernetes' RBAC authorizer would
     * authorize it, for the user its bearer token authenticates ({@link TokenAuthenticator}): a token of
     * {@code tokens} is its user, {@link #ADMIN_TOKEN} (the kubeconfigs' and {@link #client()}'s) is
     * {@link UserInfo#platformAdmin()}, a request without a token is {@code system:anonymous}. A token no one issued
     * is 401 Unauthorized, a request no rule allows 403 Forbidden with Kubernetes' message, before it reaches the
     * store. Workload clusters are not affected ({@link #enforceWorkloadRbac}). {@link #rbacDenials()} lists the
     * refusals, and {@code authorizer.unusedGrants()} what the roles grant that no request used.
     */
    public void enforceRbac(RbacAuthorizer authorizer, Map<String, UserInfo> tokens) {
        authentication = new Authentication(authenticator(tokens), authorizer);
    }

    /**
     * From now on, every request to every workload cluster (paths under {@code /clusters/<name>}) is authenticated and
     * authorized as {@link #enforceRbac} does it for the management cluster, by one policy and one token map shared by
     * all of them (each cluster applied the same role file): a token of {@code tokens} is its user, {@link #ADMIN_TOKEN}
     * (the kubeconfigs', {@link #client(String)}'s) {@link UserInfo#platformAdmin()}, no token
     * {@code system:anonymous}, any other token 401; a request no rule allows is 403 with Kubernetes' message before it
     * reaches the cluster's store, and listed in {@link #workloadRbacDenials()} with its cluster. A server-side apply
     * that creates its object is authorized as a create too, against that cluster's store. The management cluster is
     * not affected.
     */
    public void enforceWorkloadRbac(RbacAuthorizer authorizer, Map<String, UserInfo> tokens) {
        workloadAuthentication = new Authentication(authenticator(tokens), authorizer);
    }

    /** A request to a workload cluster that RBAC refused (403): the cluster, the user and Kubernetes' message. */
    public record WorkloadDenial(String cluster, String user, String message) {
        @Override
        public String toString() {
            return cluster + ": " + user + ": " + message;
        }
    }

    private static TokenAuthenticator authenticator(Map<String, UserInfo> tokens) {
        Map<String, UserInfo> all = new java.util.HashMap<>(tokens);
        all.putIfAbsent(ADMIN_TOKEN, UserInfo.platformAdmin());
        return new TokenAuthenticator(all);
    }

    /** Every request RBAC refused (403) since {@link #enforceRbac}, in arrival order: "user: message". */
    public List<String> rbacDenials() {
        return List.copyOf(denials);
    }

    /** Every request to a workload cluster RBAC refused (403) since {@link #enforceWorkloadRbac}, in arrival order. */
    public List<WorkloadDenial> workloadRbacDenials() {
        return List.copyOf(workloadDenials);
    }

    /**
     * Authentication and authorization of the management cluster's requests, or of the workload clusters'. Without
     * them (the default), no request is refused: on the management cluster the administrator's token is
     * {@link UserInfo#platformAdmin()} and any other request goes on as {@code system:anonymous}; a workload cluster's
     * request carries no user.
     */
    private record Authentication(TokenAuthenticator authenticator, RbacAuthorizer authorizer) {
    }

    /** The user of a management-cluster request, or the refusal to send instead of an answer. */
    private sealed interface Admitted {
        record As(UserInfo user) implements Admitted {
        }

        record Refused(MockResponse response) implements Admitted {
        }
    }

    /**
     * Authenticates and authorizes a request to the management cluster ({@code cluster} null) or to a workload cluster,
     * whose store and path within it are given; a refusal is recorded.
     */
    private Admitted admit(RecordedRequest request, String cluster, ClusterStore store, String path) {
        Authentication auth = cluster == null ? authentication : workloadAuthentication;
        if (auth == null) {
            if (cluster != null) {
                return new Admitted.As(null);
            }
            return impersonating(request, ADMIN_ONLY.authenticate(request.getHeader("Authorization"))
                    instanceof TokenAuthenticator.Result.Authenticated a ? a.user() : UserInfo.anonymous());
        }
        if (!(auth.authenticator().authenticate(request.getHeader("Authorization"))
                instanceof TokenAuthenticator.Result.Authenticated authenticated)) {
            return new Admitted.Refused(Status.of(401, "Unauthorized", "Unauthorized"));
        }
        Admitted impersonated = impersonating(request, authenticated.user());
        if (!(impersonated instanceof Admitted.As as)) {
            return impersonated;
        }
        UserInfo user = as.user();
        RequestInfo info = requestInfo(request, path);
        RbacAuthorizer.Decision decision = auth.authorizer().authorize(user, info);
        if (decision.allowed() && createsByApply(request, info, store)) {
            // Kubernetes authorizes a server-side apply that creates its object as a create too: patch alone edits.
            decision = auth.authorizer().authorize(user, info.withVerb("create"));
        }
        if (decision.allowed()) {
            return new Admitted.As(user);
        }
        if (cluster == null) {
            denials.add(user.username() + ": " + decision.reason());
        } else {
            workloadDenials.add(new WorkloadDenial(cluster, user.username(), decision.reason()));
        }
        return new Admitted.Refused(Status.of(403, "Forbidden", decision.reason()));
    }

    /**
     * Kubernetes' NamespaceLifecycle admission plugin, on the workload clusters once {@link #enforceNamespaceLifecycle}
     * is called: an object cannot be created (POST, or a server-side apply of one that does not exist) in a namespace
     * that does not exist; the API answers 404 NotFound {@code namespaces "NS" not found} with details naming the
     * namespace. Null when the request may go on.
     */
    private static MockResponse missingNamespace(RecordedRequest request, ClusterStore store, String path) {
        RequestInfo info = requestInfo(request, path);
        if (!info.resourceRequest() || info.namespace().isEmpty() || info.resource().equals("namespaces")
                || !(info.verb().equals("create") || createsByApply(request, info, store))) {
            return null;
        }
        MockResponse namespace = store.call("GET", "/api/v1/namespaces/" + info.namespace(), null, null);
        if (namespace != null && namespace.code() != 404) {
            return null;
        }
        return Status.notFound("namespaces", info.namespace());
    }

    /** What {@code request} asks of the API at {@code path} (the cluster's part, with its query). */
    private static RequestInfo requestInfo(RecordedRequest request, String path) {
        int q = path.indexOf('?');
        return RequestInfo.parse(request.getMethod(), q < 0 ? path : path.substring(0, q),
                q < 0 ? null : path.substring(q + 1));
    }

    /**
     * Turns on Kubernetes' NamespaceLifecycle admission for every workload cluster: creating an object in a namespace
     * that does not exist is refused with 404 NotFound (as by {@code kubectl create -n missing ...}).
     */
    public void enforceNamespaceLifecycle() {
        namespaceLifecycle = true;
    }

    /**
     * A server-side apply (PATCH, apply-patch content) of an object, not a subresource, that does not exist yet in
     * {@code store}, the store the request goes to.
     */
    private static boolean createsByApply(RecordedRequest request, RequestInfo info, ClusterStore store) {
        String contentType = request.getHeader("Content-Type");
        if (!info.resourceRequest() || !info.verb().equals("patch") || !info.subresource().isEmpty()
                || contentType == null || !contentType.startsWith("application/apply-patch")) {
            return false;
        }
        MockResponse existing = store.call("GET", info.path(), null, null);
        return existing == null || existing.code() == 404;
    }

    /**
     * The user a request acts as: the authenticated one, or the one it impersonates ({@code Impersonate-User} and each
     * {@code Impersonate-Group}, as {@code kubectl --as USER --as-group G} sends them), which Kubernetes allows a user
     * granted the {@code impersonate} verb; here, as for Kubernetes' cluster administrators, {@code system:masters}.
     */
    private static Admitted impersonating(RecordedRequest request, UserInfo authenticated) {
        String as = request.getHeader("Impersonate-User");
        if (as == null || as.isBlank()) {
            return new Admitted.As(authenticated);
        }
        if (!authenticated.groups().contains(UserInfo.MASTERS)) {
            return new Admitted.Refused(Status.of(403, "Forbidden", "users \"" + as.trim() + "\" is forbidden: User \""
                    + authenticated.username() + "\" cannot impersonate resource \"users\" in API group \"\" at the"
                    + " cluster scope"));
        }
        List<String> groups = request.getHeaders().headers("Impersonate-Group").stream()
                .filter(g -> !g.isBlank()).toList();
        return new Admitted.As(UserInfo.user(as.trim(), groups.toArray(String[]::new)));
    }

    /** The request as the store sees it: the path within its cluster, and the authenticated user (if any) on it. */
    static RecordedRequest forward(RecordedRequest request, String path, UserInfo user) {
        var headers = request.getHeaders().newBuilder().removeAll(UserInfo.USER_HEADER).removeAll(UserInfo.GROUPS_HEADER);
        if (user != null) {
            headers.set(UserInfo.USER_HEADER, user.username());
            headers.set(UserInfo.GROUPS_HEADER, String.join(",", new TreeSet<>(user.groups())));
        }
        return new RecordedRequest(request.getHttpVersion(), request.method(), path, headers.build(), request.getBody());
    }

    private MockResponse dispatch(RecordedRequest request) {
        try {
            String path = request.getPath();
            Matcher m = CLUSTER_PATH.matcher(path);
            ClusterStore store = management;
            String cluster = null;
            if (m.matches()) {
                cluster = m.group(1);
                store = store(cluster);
                String rest = m.group(3);
                path = rest.isEmpty() || rest.startsWith("?") ? "/" + rest : rest;
            }
            Admitted admitted = admit(request, cluster, store, path);
            if (admitted instanceof Admitted.Refused refused) {
                return refused.response();
            }
            MockResponse missing = cluster != null && namespaceLifecycle ? missingNamespace(request, store, path) : null;
            if (missing != null) {
                return missing;
            }
            return store.dispatch(forward(request, path, ((Admitted.As) admitted).user()));
        } catch (RuntimeException e) {
            // A bug of ours must still answer, or the client would wait for its timeout.
            return Status.of(500, "InternalError", "mock API server: " + e);
        }
    }

    private static KubernetesClient newClient(String masterUrl) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(masterUrl)
                // The kubeconfigs' administrator token, so that these clients pass when RBAC is enforced.
                .withOauthToken(ADMIN_TOKEN)
                .withNamespace("default")
                .withRequestRetryBackoffLimit(2)
                .withRequestRetryBackoffInterval(50)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * A kubeconfig with one context named {@code name} for the API server at {@code server}; for
     * code that only has the server's URL (a Quarkus test, whose test resource lives in another
     * class loader).
     */
    public static String kubeconfig(String name, String server) {
        return kubeconfig(name, server, ADMIN_TOKEN);
    }

    /**
     * As {@link #kubeconfig(String, String)}, as the user of {@code token} (one of {@link #enforceWorkloadRbac}'s, e.g. a
     * ServiceAccount's): {@code kubeconfig(cluster, server.clusterUrl(cluster), token)} for a workload cluster.
     */
    public static String kubeconfig(String name, String server, String token) {
        if (token == null || token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
            throw new IllegalArgumentException("a bearer token is printable ASCII without spaces or quotes");
        }
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                    namespace: default
                current-context: %1$s
                users:
                - name: %1$s
                  user:
                    token: "%3$s"
                """.formatted(name, server, token);
    }

    private static String checkName(String cluster) {
        if (cluster == null || !CLUSTER_PATH.matcher("/clusters/" + cluster).matches()
                || cluster.contains("/")) {
            throw new IllegalArgumentException("cluster name must be a lowercase DNS subdomain: " + cluster);
        }
        return cluster;
    }
}
