package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshfleet.translation.SmcSpec.DataplaneMode;
import dev.meshfleet.translation.SmcSpec.Distribution;
import dev.meshfleet.translation.SmcSpec.Problem;
import dev.meshfleet.translation.SmcSpec.TrafficCaptureMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A ServiceMeshController (seed 003) -> the one installation of its {@code spec.cluster}, from the charts an ILM
 * uses (docs/adr/0027). Pure: no Kafka, no Kubernetes, no clock; the same spec gives byte-identical values.
 * <ul>
 * <li>releases {@code istio-base} (base: CRDs) and {@code istiod}; Ambient adds {@code istio-cni} and
 * {@code ztunnel} (charts' {@code profile: ambient}); Sidecar adds {@code istio-cni} only with
 * {@code trafficCaptureMode: Auto} (the CNI captures instead of an init container; istiod's
 * {@code pilot.cni.enabled} tells the injector so), none with InitContainer;</li>
 * <li>everything in {@code installNamespace} (default istio-system), revisionless, as the seed's operator
 * installs;</li>
 * <li>{@code scalingProfile} -> istiod {@code pilot.*} exactly as {@link ScalingProfile} lists;</li>
 * <li>{@code trustDomain} (else the cluster, else cluster.local) -> istiod {@code meshConfig.trustDomain};
 * {@code cluster} -> {@code global.multiCluster.clusterName}; {@code network} -> {@code global.network};</li>
 * <li>{@code image.repository} (else the configured hub) -> {@code global.hub}; {@code version} ->
 * {@code global.tag}: {@code <version>-solo}, and {@code -fips} after it for {@code distribution: FIPS} (Solo's
 * image tags); {@code image.secrets} -> {@code global.imagePullSecrets} of every chart;</li>
 * <li>{@code skipUpgradeValidation} is on: a ServiceMeshController upgrades in place by changing
 * {@code version}, which is the seed's upgrade path.</li>
 * <li>{@code onConflict: Force} -> the plan's {@code takeOverUnmanaged} (the installer adopts an unmanaged Istio);
 * Abort leaves it false, so the installer's ACTION_REQUIRED rule holds.</li>
 * </ul>
 * The namespace's {@code gloo-extensions-config} ({@link SmcExtensions}, docs/adr/0045): {@code stable}'s istiod
 * settings -> {@code pilot.{affinity, nodeSelector, tolerations, podAnnotations, serviceAnnotations}} and
 * {@code meshConfig.discoverySelectors}; {@code beta}'s cni directories -> the cni chart's {@code cniConfDir} /
 * {@code cniBinDir}; {@code values.istiod} merged over the istiod values last; {@code multiClusterMode: Peering}
 * shows in the observed spec and adds the installation of revision {@code peering} ({@link SmcPeering}: the east-west
 * Gateway and one remote peer Gateway per peer the caller knows, docs/adr/0046).
 * Not translated yet: {@code repository.*} (read and checked).
 */
public final class SmcTranslator {
    private final TranslatorSettings settings;

    public SmcTranslator(TranslatorSettings settings) {
        this.settings = settings;
    }

    public SmcTranslation translate(String namespace, String name, long generation, JsonNode spec) {
        return translate(namespace, name, generation, spec, null);
    }

    /**
     * As {@link #translate(String, String, long, JsonNode)}, with the {@code data} of the namespace's
     * {@code gloo-extensions-config} ConfigMap (null: there is none), whose problems are the controller's errors.
     */
    public SmcTranslation translate(String namespace, String name, long generation, JsonNode spec,
            JsonNode extensionsData) {
        return translate(namespace, name, generation, spec, extensionsData, SmcPeering.Inputs.NONE);
    }

    /**
     * As {@link #translate(String, String, long, JsonNode, JsonNode)}, with what a peered controller's installation of
     * revision {@code peering} depends on besides its spec ({@link SmcPeering}, docs/adr/0046): NodePort or not, and the
     * peers whose east-west address is known. Ignored unless the extensions say {@code multiClusterMode: Peering}.
     */
    public SmcTranslation translate(String namespace, String name, long generation, JsonNode spec,
            JsonNode extensionsData, SmcPeering.Inputs peering) {
        List<Problem> problems = new ArrayList<>();
        SmcSpec smc = SmcSpec.read(spec, problems);
        if (smc != null) {
            problems.addAll(SmcValidator.validate(smc));
        }
        SmcExtensions extensions = SmcExtensions.read(extensionsData, problems);
        if (!problems.isEmpty()) {
            String cluster = clusterKey(spec);
            List<TranslationError> errors = problems.stream()
                    .map(p -> new TranslationError(cluster, "", p.path(), p.message())).toList();
            return new SmcTranslation(namespace, name, generation, null, errors);
        }
        Plan plan = plan(namespace, name, generation, smc, extensions);
        if (!extensions.peering()) {
            return new SmcTranslation(namespace, name, generation, plan, List.of());
        }
        SmcPeering.Member member = SmcPeering.member(smc, peering.nodePort());
        // The istiod is revisionless (plan.revision() ""): the chart reads "" as the default revision.
        Plan peeringPlan = SmcPeering.plan(namespace, name, generation, member, plan.revision(), plan.tag(),
                peering.peers(), settings.defaultChartSource());
        return new SmcTranslation(namespace, name, generation, plan, peeringPlan, member, List.of());
    }

    /** Where an error shows: the cluster when the spec names a usable one, else the whole-resource key. */
    private static String clusterKey(JsonNode spec) {
        JsonNode cluster = spec == null ? null : spec.get("cluster");
        return cluster != null && cluster.isTextual() && Labels.isDnsLabel(cluster.asText()) ? cluster.asText()
                : TranslationError.SPEC_CLUSTER;
    }

    /** Solo's image tag for a version: {@code <version>-solo}, {@code -solo-fips} for FIPS. */
    static String imageTag(String version, Distribution distribution) {
        String tag = version.endsWith("-solo") ? version : version + "-solo";
        return distribution == Distribution.FIPS ? tag + "-fips" : tag;
    }

    private Plan plan(String namespace, String name, long generation, SmcSpec smc, SmcExtensions extensions) {
        boolean ambient = smc.dataplaneMode() == DataplaneMode.Ambient;
        boolean cni = ambient || smc.trafficCaptureMode() == TrafficCaptureMode.Auto;
        String ns = smc.installNamespace();
        String hub = smc.imageRepository().isEmpty() ? settings.defaultHub() : smc.imageRepository();
        String tag = imageTag(smc.version(), smc.distribution());
        String chartSource = settings.defaultChartSource();

        ObjectNode global = Json.object().put("hub", hub).put("tag", tag).put("istioNamespace", ns);
        if (!smc.imageSecrets().isEmpty()) {
            ArrayNode secrets = global.putArray("imagePullSecrets");
            smc.imageSecrets().forEach(secrets::add);
        }
        global.putObject("multiCluster").put("clusterName", smc.cluster());
        if (!smc.network().isEmpty()) {
            global.put("network", smc.network());
        }
        String profile = ambient ? "ambient" : "";

        // The base chart knows global.istioNamespace and global.imagePullSecrets of these.
        ObjectNode baseGlobal = Json.object();
        if (global.has("imagePullSecrets")) {
            baseGlobal.set("imagePullSecrets", global.get("imagePullSecrets").deepCopy());
        }
        ObjectNode base = Json.object().put("defaultRevision", "");
        base.set("global", baseGlobal.put("istioNamespace", ns));

        ObjectNode istiod = Json.object().put("revision", "");
        istiod.set("global", global);
        ObjectNode pilot = smc.scalingProfile().pilotValues();
        if (!ambient) {
            pilot.putObject("cni").put("enabled", cni);
        }
        putIfSet(pilot, "affinity", extensions.affinity());
        putIfSet(pilot, "nodeSelector", extensions.nodeSelector());
        putIfSet(pilot, "tolerations", extensions.tolerations());
        putIfSet(pilot, "podAnnotations", extensions.podAnnotations());
        putIfSet(pilot, "serviceAnnotations", extensions.serviceAnnotations());
        istiod.set("pilot", pilot);
        ObjectNode meshConfig = istiod.putObject("meshConfig").put("trustDomain", smc.effectiveTrustDomain());
        putIfSet(meshConfig, "discoverySelectors", extensions.discoverySelectors());
        // The seed: values.istiod is merged last, over everything Meshfleet derives.
        istiod = Json.merge(istiod, extensions.istiodValues());

        List<ChartRelease> charts = new ArrayList<>();
        ControlPlanePlans.chartOptions(base, profile, "");
        charts.add(new ChartRelease("base", "istio-base", ns, Canonical.json(base), chartSource));
        ControlPlanePlans.chartOptions(istiod, profile, "");
        charts.add(new ChartRelease("istiod", "istiod", ns, Canonical.json(istiod), chartSource));
        if (cni) {
            // The cni chart has no global.istioNamespace, and multicluster settings are istiod's and ztunnel's.
            ObjectNode cniGlobal = global.deepCopy();
            cniGlobal.remove(List.of("istioNamespace", "multiCluster", "network"));
            ObjectNode cniValues = Json.object().put("revision", "");
            cniValues.set("global", cniGlobal);
            cniValues.putObject("ambient").put("enabled", ambient);
            if (!extensions.cniConfDir().isEmpty()) {
                cniValues.put("cniConfDir", extensions.cniConfDir());
            }
            if (!extensions.cniBinDir().isEmpty()) {
                cniValues.put("cniBinDir", extensions.cniBinDir());
            }
            ControlPlanePlans.chartOptions(cniValues, profile, "");
            charts.add(new ChartRelease("cni", "istio-cni", ns, Canonical.json(cniValues), chartSource));
        }
        if (ambient) {
            ObjectNode ztunnel = Json.object().put("revision", "");
            ztunnel.set("global", global.deepCopy());
            ControlPlanePlans.chartOptions(ztunnel, profile, "");
            charts.add(new ChartRelease("ztunnel", "ztunnel", ns, Canonical.json(ztunnel), chartSource));
        }

        ObjectNode observed = observed(smc);
        if (extensions.peering()) {
            observed.put("multiClusterMode", SmcExtensions.PEERING);
        }
        String observedJson = Canonical.json(observed);
        String hash = Translator.planHash(SmcTranslation.KIND, namespace, name, generation, smc.cluster(), "", tag,
                charts, false, false, null, true, Translator.DEFAULT_WAIT_MILLIS, observedJson);
        // An ILM's revisionless control plane in the same cluster would render the same objects (ADR 0005's claim).
        List<Claim> claims = List.of(new Claim(Claim.controlPlane(""), "spec.cluster"));
        return new Plan(smc.cluster(), "", tag, charts, false, false, null, true, Translator.DEFAULT_WAIT_MILLIS,
                observedJson, hash, claims, smc.onConflict() == SmcSpec.OnConflict.Force);
    }

    private static void putIfSet(ObjectNode target, String field, JsonNode value) {
        if (value != null) {
            target.set(field, value.deepCopy());
        }
    }

    /** The spec with every default filled in: what the installation runs, as the status will show it. */
    private static ObjectNode observed(SmcSpec smc) {
        ObjectNode o = Json.object().put("cluster", smc.cluster()).put("dataplaneMode", smc.dataplaneMode().name())
                .put("distribution", smc.distribution().name()).put("installNamespace", smc.installNamespace())
                .put("onConflict", smc.onConflict().name()).put("scalingProfile", smc.scalingProfile().name())
                .put("trafficCaptureMode", smc.trafficCaptureMode().name())
                .put("trustDomain", smc.effectiveTrustDomain()).put("version", smc.version());
        if (!smc.network().isEmpty()) {
            o.put("network", smc.network());
        }
        ObjectNode image = o.putObject("image");
        if (!smc.imageRepository().isEmpty()) {
            image.put("repository", smc.imageRepository());
        }
        ArrayNode imageSecrets = image.putArray("secrets");
        smc.imageSecrets().forEach(s -> imageSecrets.addObject().put("name", s));
        ObjectNode repository = o.putObject("repository").put("insecureSkipVerify", smc.insecureSkipVerify());
        ArrayNode repoSecrets = repository.putArray("secrets");
        smc.repositorySecrets().forEach(s -> {
            ObjectNode ref = repoSecrets.addObject().put("name", s.name());
            if (!s.namespace().isEmpty()) {
                ref.put("namespace", s.namespace());
            }
        });
        return o;
    }
}
