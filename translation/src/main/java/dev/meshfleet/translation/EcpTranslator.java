package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshfleet.translation.EcpSpec.Problem;
import dev.meshfleet.translation.EcpSpec.Remote;
import dev.meshfleet.translation.EcpTranslation.RemoteSecret;
import dev.meshfleet.translation.EcpTranslation.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An ExternalControlPlane (seed 004) -> one installation per cluster, from the guide's values (docs/adr/0031). Pure:
 * no Kafka, no Kubernetes, no clock; the same spec and facts give byte-identical values.
 * <ul>
 * <li>external cluster: in {@code istio-system} {@code base}, the revisionless istiod that configures the ingress
 * gateway (the guide's default-profile install) and the gateway {@code istio-ingressgateway} with ports 15021
 * (status-port), 15012 (tls-xds) and 15017 (tls-webhook); in the external namespace the external istiod
 * (release {@code external-istiod}) and Meshfleet's {@code external-istiod-gateway} chart (the
 * {@code istiod-service-account}, Gateway, VirtualService and DestinationRule);</li>
 * <li>config cluster: {@code base} with {@code base.validationURL} and the default validator, and istiod's remote
 * profile with {@code pilot.configMap}, {@code global.configCluster} and the injection webhook;</li>
 * <li>further remote clusters: istiod's remote profile only, with their own injection URL;</li>
 * <li>until {@link EcpFacts#externalIstiodHealthyAt} the spec's address the remote clusters get no webhook
 * ({@code global.operatorManageWebhooks: true}, no default validator): nothing may block a pod on an istiod that
 * does not answer yet.</li>
 * </ul>
 */
public final class EcpTranslator {
    static final String GATEWAY_NAMESPACE = "istio-system";
    static final String INGRESS_GATEWAY = "istio-ingressgateway";
    /** Meshfleet's own chart for what no upstream chart renders (charts/external-istiod-gateway). */
    static final String ROUTING_CHART = "external-istiod-gateway";
    static final String EXTERNAL_RELEASE = "external-istiod";
    /** The roots of trust the guide gives the proxies: the public CAs that signed the address's certificate. */
    static final String PUBLIC_ROOTS = "/etc/ssl/certs/ca-certificates.crt";
    /** The service account the guide creates in the external namespace. */
    static final String SERVICE_ACCOUNT = "istiod-service-account";
    /** The reader istioctl create-remote-secret gives its token to. */
    static final String READER = "istio-reader-service-account";
    /** The reader's token Secret istioctl create-remote-secret creates in the remote cluster (Kubernetes 1.24+). */
    static final String READER_TOKEN = READER + "-istio-remote-secret-token";
    /** Meshfleet's charts for the remote secrets: their shells in the external cluster, the reader in a remote one. */
    static final String SECRETS_CHART = "remote-secrets";
    static final String READER_CHART = "remote-reader";

    private final TranslatorSettings settings;

    public EcpTranslator(TranslatorSettings settings) {
        this.settings = settings;
    }

    public EcpTranslation translate(String namespace, String name, long generation, JsonNode spec, EcpFacts facts) {
        List<Problem> problems = new ArrayList<>();
        EcpSpec ecp = EcpSpec.read(spec, problems);
        if (ecp != null) {
            problems.addAll(EcpValidator.validate(ecp));
        }
        if (!problems.isEmpty()) {
            List<TranslationError> errors = problems.stream()
                    .map(p -> new TranslationError(TranslationError.SPEC_CLUSTER, "", p.path(), p.message())).toList();
            return new EcpTranslation(namespace, name, generation, null, null, null, errors);
        }
        Remote config = EcpValidator.configCluster(ecp.remoteClusters());
        String tag = !ecp.tag().isEmpty() ? ecp.tag() : !ecp.version().isEmpty() ? ecp.version() : settings.defaultTag();
        String hub = ecp.hub().isEmpty() ? settings.defaultHub() : ecp.hub();
        Context c = new Context(namespace, name, generation, ecp, config, hub, tag, facts, settings.defaultChartSource());

        SortedMap<String, List<Plan>> plans = new TreeMap<>();
        SortedMap<String, Role> roles = new TreeMap<>();
        List<RemoteSecret> secrets = new ArrayList<>();
        for (Remote r : ecp.remoteClusters()) {
            boolean isConfig = r.equals(config);
            plans.put(r.name(), List.of(remote(c, r, isConfig)));
            roles.put(r.name(), isConfig ? Role.config : Role.remote);
            secrets.add(new RemoteSecret(r.name(), isConfig ? "config" : "remote", ecp.externalNamespace(),
                    isConfig ? "istio-kubeconfig" : "istio-remote-secret-" + r.name(), READER, r.apiServerAddress()));
        }
        // A remote cluster removed from the spec keeps its secret until its webhooks and reader are gone (ADR 0031).
        for (EcpFacts.Leaving l : facts.leaving()) {
            if (!plans.containsKey(l.cluster()) && !l.cluster().equals(ecp.externalCluster())) {
                secrets.add(new RemoteSecret(l.cluster(), "remote", ecp.externalNamespace(),
                        "istio-remote-secret-" + l.cluster(), READER, l.apiServerAddress()));
            }
        }
        // The config cluster's secret first: the external istiod reads its configuration through it.
        secrets.sort(java.util.Comparator.comparing((RemoteSecret s) -> !s.type().equals("config"))
                .thenComparing(RemoteSecret::cluster));
        plans.put(ecp.externalCluster(), List.of(external(c, secrets)));
        roles.put(ecp.externalCluster(), Role.external);
        return new EcpTranslation(namespace, name, generation, plans, roles, secrets, List.of());
    }

    /** Everything one translation's plans share. */
    private record Context(String namespace, String name, long generation, EcpSpec spec, Remote config, String hub,
            String tag, EcpFacts facts, String chartSource) {
        String xdsAddress() {
            return spec.address() + ":15012";
        }
    }

    /** The injection webhook URL of a remote cluster, in seed 004's form. */
    static String injectionURL(String address, String cluster, String network) {
        return "https://" + address + ":15017/inject/:ENV:cluster=" + cluster + (network.isEmpty() ? "" : ":ENV:net="
                + network);
    }

    static String validationURL(String address) {
        return "https://" + address + ":15017/validate";
    }

    private Plan external(Context c, List<RemoteSecret> secrets) {
        EcpSpec s = c.spec();
        String ns = s.externalNamespace();
        List<ChartRelease> charts = new ArrayList<>();

        ObjectNode base = Json.object().put("defaultRevision", "");
        base.putObject("global").put("istioNamespace", GATEWAY_NAMESPACE);
        charts.add(new ChartRelease("base", "istio-base", GATEWAY_NAMESPACE, Canonical.json(base), c.chartSource()));

        ObjectNode local = Json.object().put("revision", "");
        local.putObject("global").put("hub", c.hub()).put("tag", c.tag()).put("istioNamespace", GATEWAY_NAMESPACE);
        charts.add(new ChartRelease("istiod", "istiod", GATEWAY_NAMESPACE, Canonical.json(local), c.chartSource()));

        ObjectNode gateway = Json.object().put("name", INGRESS_GATEWAY);
        gateway.putObject("global").put("hub", c.hub()).put("tag", c.tag());
        gateway.putObject("labels").put("app", INGRESS_GATEWAY).put("istio", "ingressgateway");
        ArrayNode ports = gateway.putObject("service").putArray("ports");
        for (Object[] p : new Object[][] {{"status-port", 15021}, {"tls-xds", 15012}, {"tls-webhook", 15017}}) {
            ports.addObject().put("name", (String) p[0]).put("port", (Integer) p[1]).put("targetPort", (Integer) p[1]);
        }
        charts.add(new ChartRelease("gateway", INGRESS_GATEWAY, GATEWAY_NAMESPACE, Canonical.json(gateway),
                c.chartSource()));

        JsonNode iop = s.istioOperatorSpec();
        JsonNode values = iop.path("values");
        ObjectNode istiod = Json.object().put("revision", "");
        ObjectNode global = Json.merge(Json.objectOf(values, "global"), Json.object().put("hub", c.hub())
                .put("tag", c.tag()).put("istioNamespace", ns).put("caAddress", c.xdsAddress())
                .put("operatorManageWebhooks", true).put("externalIstiod", true).put("meshID", s.meshID()));
        // CLUSTER_ID: the chart sets it from multiCluster.clusterName; the external istiod is the config cluster's.
        global.putObject("multiCluster").put("clusterName", c.config().name());
        istiod.set("global", global);
        ObjectNode meshDerived = Json.object().put("rootNamespace", ns);
        ObjectNode defaultConfig = meshDerived.putObject("defaultConfig").put("discoveryAddress", c.xdsAddress());
        defaultConfig.putObject("proxyMetadata").put("XDS_ROOT_CA", PUBLIC_ROOTS).put("CA_ROOT_CA", PUBLIC_ROOTS);
        // istioctl merges spec.meshConfig over values.meshConfig; Meshfleet's derived settings over both.
        istiod.set("meshConfig", Json.merge(Json.merge(Json.objectOf(values, "meshConfig"),
                Json.objectOf(iop, "meshConfig")), meshDerived));
        JsonNode k8s = iop.path("components").path("pilot").get("k8s");
        ObjectNode pilot = Json.merge(Json.objectOf(values, "pilot"), K8sFields.values(K8sFields.Component.PILOT, k8s));
        ObjectNode env = Json.objectOf(pilot, "env");
        env.put("INJECTION_WEBHOOK_CONFIG_NAME", "").put("VALIDATION_WEBHOOK_CONFIG_NAME", "")
                .put("EXTERNAL_ISTIOD", "true").put("SHARED_MESH_CONFIG", "istio");
        pilot.set("env", env);
        // The guide's overlays, as the chart's own values: the operator's istio ConfigMap and the injector's templates.
        ArrayNode volumes = pilot.putArray("volumes");
        volumes.addObject().put("name", "config-volume").putObject("configMap").put("name", "istio");
        volumes.addObject().put("name", "inject-volume").putObject("configMap").put("name", "istio-sidecar-injector");
        ArrayNode mounts = pilot.putArray("volumeMounts");
        mounts.addObject().put("name", "config-volume").put("mountPath", "/etc/istio/config");
        mounts.addObject().put("name", "inject-volume").put("mountPath", "/var/lib/istio/inject");
        istiod.set("pilot", pilot);
        String at = "spec.istioOperatorSpec.components.pilot.k8s";
        String overlays = OverlayFields.json(at, k8s, o -> true, K8sFields.patches(K8sFields.Component.PILOT, at, k8s,
                K8sFields.Workload.of(K8sFields.Component.PILOT, "istiod")));
        // Before the external istiod (same layer, applied in order): it reads the config cluster through the first.
        charts.add(new ChartRelease(SECRETS_CHART, SECRETS_CHART, ns, Canonical.json(secretsValues(secrets)),
                c.chartSource()));
        charts.add(new ChartRelease("istiod", EXTERNAL_RELEASE, ns, Canonical.json(istiod), c.chartSource(), overlays));

        ObjectNode routing = Json.object().put("address", s.address()).put("tlsSecretName", s.tlsSecretName())
                .put("serviceAccount", SERVICE_ACCOUNT);
        routing.putObject("gatewaySelector").put("istio", "ingressgateway");
        charts.add(new ChartRelease(ROUTING_CHART, ROUTING_CHART, ns, Canonical.json(routing), c.chartSource()));

        // The istio-system control plane and its gateway are the same objects an ILM's or a GLM's would be (ADR 0005).
        List<Claim> claims = List.of(new Claim(Claim.controlPlane(""), "spec.external.cluster"),
                new Claim(Claim.gateway("ingressGateways", ""), "spec.external.cluster"));
        return plan(c, s.externalCluster(), Role.external, null, charts, claims, false);
    }

    private Plan remote(Context c, Remote r, boolean isConfig) {
        EcpSpec s = c.spec();
        String ns = s.externalNamespace();
        boolean webhooks = c.facts().externalIstiodHealthyAt(s.address());
        List<ChartRelease> charts = new ArrayList<>();
        if (isConfig) {
            // The mesh's CRDs live in the config cluster; its default validator calls the external istiod.
            ObjectNode base = Json.object().put("defaultRevision", webhooks ? "default" : "");
            base.putObject("base").put("validationURL", validationURL(s.address()));
            base.putObject("global").put("istioNamespace", ns);
            charts.add(new ChartRelease("base", "istio-base", ns, Canonical.json(base), c.chartSource()));
        }
        // The reader istioctl create-remote-secret reads, and its token; base renders the ServiceAccount where it is.
        ObjectNode reader = Json.object().put("tokenSecretName", READER_TOKEN);
        reader.putObject("serviceAccount").put("create", !isConfig).put("name", READER);
        charts.add(new ChartRelease(READER_CHART, READER_CHART, ns, Canonical.json(reader), c.chartSource()));
        ObjectNode istiod = Json.object().put("profile", "remote").put("revision", "");
        ObjectNode global = istiod.putObject("global").put("hub", c.hub()).put("tag", c.tag()).put("istioNamespace", ns)
                .put("externalIstiod", true).put("configCluster", isConfig).put("omitSidecarInjectorConfigMap", true)
                .put("meshID", s.meshID());
        String network = s.networkOf(r);
        if (!network.isEmpty()) {
            global.put("network", network);
        }
        // Until the external istiod answers, the chart renders no webhook (upstream's switch for webhooks managed
        // elsewhere): an injection webhook with failurePolicy Fail and no istiod behind it blocks every pod.
        global.put("operatorManageWebhooks", !webhooks);
        istiod.putObject("istiodRemote").put("enabled", true).put("injectionURL", injectionURL(s.address(), r.name(),
                network));
        istiod.putObject("pilot").put("configMap", isConfig);
        charts.add(new ChartRelease("istiod", "istiod", ns, Canonical.json(istiod), c.chartSource()));
        // The remote profile's injector serves istio-injection=enabled namespaces, as a revisionless control plane's.
        List<Claim> claims = List.of(new Claim(Claim.controlPlane(""), r.path() + ".name"));
        return plan(c, r.name(), isConfig ? Role.config : Role.remote, r, charts, claims, webhooks);
    }

    /**
     * The remote-secrets chart's values: which kubeconfig Secret each remote cluster gets and where its reader's token
     * is; references only, the installer reads the token from the remote cluster (docs/adr/0031).
     */
    private static ObjectNode secretsValues(List<RemoteSecret> secrets) {
        ObjectNode values = Json.object();
        ArrayNode list = values.putArray("secrets");
        for (RemoteSecret s : secrets) {
            ObjectNode n = list.addObject().put("cluster", s.cluster()).put("name", s.secretName())
                    .put("key", s.type().equals("config") ? "config" : s.cluster())
                    .put("readerToken", s.namespace() + "/" + READER_TOKEN);
            if (!s.apiServerAddress().isEmpty()) {
                n.put("apiServerAddress", s.apiServerAddress());
            }
        }
        return values;
    }

    private Plan plan(Context c, String cluster, Role role, Remote remote, List<ChartRelease> charts,
            List<Claim> claims, boolean webhooks) {
        String observedJson = Canonical.json(observed(c, role, remote, webhooks));
        boolean skip = c.spec().skipUpgradeValidation();
        String hash = Translator.planHash(EcpTranslation.KIND, c.namespace(), c.name(), c.generation(), cluster, "",
                c.tag(), charts, false, false, null, skip, Translator.DEFAULT_WAIT_MILLIS, observedJson);
        return new Plan(cluster, "", c.tag(), charts, false, false, null, skip, Translator.DEFAULT_WAIT_MILLIS,
                observedJson, hash, claims);
    }

    /**
     * What the cluster's installation runs, as the status will show it: the spec with its defaults, cut to what the
     * cluster's role depends on, so that adding or removing a remote cluster changes the plans (and hashes) of that
     * cluster and the external cluster only, and a new address re-plans every cluster.
     */
    private static ObjectNode observed(Context c, Role role, Remote remote, boolean webhooks) {
        EcpSpec s = c.spec();
        ObjectNode o = Json.object().put("role", role.name());
        ObjectNode external = o.putObject("external").put("cluster", s.externalCluster())
                .put("namespace", s.externalNamespace()).put("address", s.address());
        o.put("hub", c.hub()).put("tag", c.tag()).put("meshID", s.meshID());
        if (!s.version().isEmpty()) {
            o.put("version", s.version());
        }
        if (remote != null) {
            String network = s.networkOf(remote);
            if (!network.isEmpty()) {
                o.put("network", network);
            }
            // Whether this remote cluster's plan has its webhooks: the status tells a remote cluster installed without
            // them (still waiting on the external istiod) from one that serves the mesh (docs/adr/0031).
            o.put("webhooks", webhooks);
            return o;
        }
        external.put("tlsSecretName", s.tlsSecretName());
        o.put("configCluster", c.config().name());
        ArrayNode remotes = o.putArray("remoteClusters");
        for (Remote r : s.remoteClusters()) {
            ObjectNode n = remotes.addObject().put("name", r.name());
            if (!s.networkOf(r).isEmpty()) {
                n.put("network", s.networkOf(r));
            }
        }
        if (!s.istioOperatorSpec().isEmpty()) {
            o.set("istioOperatorSpec", s.istioOperatorSpec());
        }
        return o;
    }
}
