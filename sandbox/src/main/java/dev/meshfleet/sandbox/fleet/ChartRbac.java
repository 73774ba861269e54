package dev.meshfleet.sandbox.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import com.marcnuri.helm.Helm;

import dev.meshfleet.schemas.charts.JvmSignals;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.RbacAuthorizer;
import dev.meshfleet.testkit.UserInfo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Who may do what in the sandbox's management cluster, taken from Meshfleet's own chart: rendered as
 * {@code helm install meshfleet deploy/helm/meshfleet -n meshfleet-system} renders it (helm-java, Helm's own Go
 * code), with the registration Secrets in the sandbox's {@code gloo-mesh}. Its Roles, ClusterRoles and bindings are
 * the policy; each of its ServiceAccounts whose token the chart mounts gets a token of its own, which the
 * sandbox hands to that service's process; the keys of the chart's ConfigMaps that say <em>where</em> a service
 * reads and writes (its namespaces) are given to the process too, so that the service asks for what the chart
 * granted. One source of truth: a rule missing from the chart is missing here.
 *
 * <p>The people of the kubeconfig: {@code platform-admin} (system:masters) and {@code mesh-operator}, bound by
 * {@code rbac/sandbox-users.yaml} to a ClusterRole that may edit ILMs and GLMs and nothing else.
 */
public final class ChartRbac {

    public static final String RELEASE = "meshfleet";
    /** The release's namespace: the ServiceAccounts' and the installer's Leases'. */
    public static final String NAMESPACE = "meshfleet-system";
    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String MESH_OPERATOR = "mesh-operator";
    /** The people of the sandbox, platform-admin first. */
    public static final List<String> USERS = List.of(PLATFORM_ADMIN, MESH_OPERATOR);

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** Chart component -> sandbox module. */
    private static final Map<String, String> MODULES = Map.of("spec-intake", "spec-intake",
            "translator", "translator-service", "installer", "installer-service",
            "status-aggregator", "status-aggregator");

    private final List<HasMetadata> chartPolicy;
    private final List<HasMetadata> policy;
    /** module -> token; a module absent has no token (the translator: the chart mounts none). */
    private final Map<String, String> serviceTokens;
    /** module -> the management-cluster namespaces it is configured with, as properties. */
    private final Map<String, Map<String, String>> namespaceProperties;
    /** user name -> token, for the kubeconfig and for steps run as that user. */
    private final Map<String, String> userTokens;
    private final Map<String, UserInfo> tokens;

    private ChartRbac(List<HasMetadata> chartPolicy, List<HasMetadata> policy, Map<String, String> serviceTokens,
            Map<String, Map<String, String>> namespaceProperties, Map<String, String> userTokens, Map<String, UserInfo> tokens) {
        this.chartPolicy = chartPolicy;
        this.policy = policy;
        this.serviceTokens = serviceTokens;
        this.namespaceProperties = namespaceProperties;
        this.userTokens = userTokens;
        this.tokens = tokens;
    }

    /** Renders the chart at {@code chartDir} with the registration Secrets in {@code clusterSecretNamespace}. */
    public static ChartRbac render(Path chartDir, String clusterSecretNamespace) {
        if (!Files.isDirectory(chartDir)) {
            throw new IllegalStateException("no Meshfleet chart at " + chartDir + ": the sandbox takes each service's"
                    + " RBAC from it");
        }
        // helm-java's Go library takes SIGTERM and SIGINT from the JVM at its first render: without them back,
        // Ctrl-C would no longer stop `sandbox up` (JvmSignals).
        String manifests = JvmSignals.around(() -> new Helm(chartDir).template().withName(RELEASE).withNamespace(NAMESPACE)
                // Required by the chart's schema; the sandbox gives the services its own broker instead.
                .set("kafka.bootstrapServers", "sandbox:9092")
                .set("installer.clusterSecretNamespace", clusterSecretNamespace)
                // The sandbox generates the shared root of trust of ServiceMeshControllers (docs/adr/0028).
                .set("installer.trust.generateRoot", "true")
                .call());
        return of(parse(manifests), users());
    }

    /** The policy and identities of the given rendered chart objects, plus the sandbox's users. */
    static ChartRbac of(List<HasMetadata> rendered, List<HasMetadata> users) {
        List<HasMetadata> chartPolicy = rendered.stream().filter(ChartRbac::isRbac).toList();
        List<HasMetadata> policy = new ArrayList<>(chartPolicy);
        policy.addAll(users);
        Map<String, String> serviceTokens = new TreeMap<>();
        Map<String, UserInfo> tokens = new LinkedHashMap<>();
        for (HasMetadata o : rendered) {
            if (o instanceof ServiceAccount sa && !Boolean.FALSE.equals(sa.getAutomountServiceAccountToken())) {
                String module = MODULES.get(component(sa));
                if (module == null) {
                    throw new IllegalStateException("the chart's ServiceAccount " + sa.getMetadata().getName()
                            + " belongs to no service the sandbox runs");
                }
                String token = newToken();
                serviceTokens.put(module, token);
                tokens.put(token, UserInfo.serviceAccount(sa.getMetadata().getNamespace(), sa.getMetadata().getName()));
            }
        }
        Map<String, Map<String, String>> namespaceProperties = new TreeMap<>();
        for (HasMetadata o : rendered) {
            if (o instanceof ConfigMap cm && MODULES.containsKey(component(cm))) {
                namespaceProperties.put(MODULES.get(component(cm)), namespaceKeys(cm));
            }
        }
        Map<String, String> userTokens = new LinkedHashMap<>();
        userTokens.put(PLATFORM_ADMIN, MockApiServer.ADMIN_TOKEN);
        String operatorToken = newToken();
        userTokens.put(MESH_OPERATOR, operatorToken);
        tokens.put(operatorToken, UserInfo.user(MESH_OPERATOR));
        return new ChartRbac(List.copyOf(chartPolicy), List.copyOf(policy), serviceTokens, namespaceProperties,
                userTokens, tokens);
    }

    /** Roles, ClusterRoles and bindings of the chart and of the sandbox's users: what the authorizer enforces. */
    public List<HasMetadata> policy() {
        return policy;
    }

    /** Every token the API server accepts besides the administrator's, and its user. */
    public Map<String, UserInfo> tokens() {
        return tokens;
    }

    /** The token of the module's ServiceAccount, or null when the chart mounts it none. */
    public String serviceToken(String module) {
        return serviceTokens.get(module);
    }

    /** The management-cluster namespaces the chart configures the module with (property -> value). */
    public Map<String, String> namespaceProperties(String module) {
        return namespaceProperties.getOrDefault(module, Map.of());
    }

    /** The kubeconfig's users and their tokens: platform-admin first. */
    public Map<String, String> userTokens() {
        return userTokens;
    }

    /**
     * What the chart's roles grant that no request used, one line per verb and resource (the sandbox's own users'
     * roles left out): e.g. {@code ClusterRole meshfleet-spec-intake rules[0]: get istiolifecyclemanagers.admin.gloo.solo.io}.
     */
    public List<String> unusedGrants(RbacAuthorizer authorizer) {
        Set<String> chartRoles = new java.util.HashSet<>();
        for (HasMetadata o : chartPolicy) {
            if (o instanceof Role || o instanceof ClusterRole) {
                chartRoles.add(o.getKind() + "/" + o.getMetadata().getName());
            }
        }
        return authorizer.unusedGrants().stream()
                .filter(g -> chartRoles.contains(g.rule().kind() + "/" + g.rule().name()))
                .map(RbacAuthorizer.Grant::toString).toList();
    }

    private static boolean isRbac(HasMetadata o) {
        return o.getApiVersion() != null && o.getApiVersion().startsWith("rbac.authorization.k8s.io/");
    }

    private static String component(HasMetadata o) {
        Map<String, String> labels = o.getMetadata().getLabels();
        return labels == null ? null : labels.get("app.kubernetes.io/name");
    }

    /** The properties of a service's ConfigMap that name namespaces of the management cluster. */
    private static Map<String, String> namespaceKeys(ConfigMap cm) {
        Map<String, String> out = new TreeMap<>();
        for (String file : cm.getData() == null ? List.<String>of() : cm.getData().values()) {
            Properties p = new Properties();
            try {
                p.load(new StringReader(file));
            } catch (IOException e) {
                throw new IllegalStateException("the chart's ConfigMap " + cm.getMetadata().getName() + " is not a"
                        + " properties file", e);
            }
            p.stringPropertyNames().stream().filter(k -> k.endsWith("namespace") || k.endsWith("namespaces"))
                    .forEach(k -> out.put(k, p.getProperty(k)));
        }
        return out;
    }

    private static List<HasMetadata> users() {
        try (InputStream in = ChartRbac.class.getResourceAsStream("/rbac/sandbox-users.yaml")) {
            if (in == null) {
                throw new IllegalStateException("rbac/sandbox-users.yaml is not on the class path");
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each YAML document of a manifest stream as a typed object (Fabric8 skips documents with no object). */
    static List<HasMetadata> parse(String manifests) {
        Object parsed = SERIALIZATION.unmarshal(manifests);
        if (parsed instanceof List<?> list) {
            return list.stream().map(HasMetadata.class::cast).toList();
        }
        return parsed == null ? List.of() : List.of((HasMetadata) parsed);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A bearer token no one can guess: 16 random bytes in hex (the workload clusters' installer token too). */
    static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
