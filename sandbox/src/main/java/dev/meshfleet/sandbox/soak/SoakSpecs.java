package dev.meshfleet.sandbox.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * A {@link SoakState} as the ILM and GLM a user would apply, built from the examples (ilm-minimal.yaml,
 * glm-ingress.yaml) so that the soak installs what the examples do; and the installations those specs call for.
 * Pure: YAML in, YAML out.
 */
public final class SoakSpecs {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Where each (cluster, revision) of a resource should end: HEALTHY when in the set, else UNINSTALLED or absent. */
    public record Expected(Map<ResourceRef, Set<Installation>> healthy) {
        public Expected {
            Map<ResourceRef, Set<Installation>> copy = new LinkedHashMap<>();
            healthy.forEach((ref, set) -> copy.put(ref, Set.copyOf(set)));
            healthy = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /** One installation: a cluster and a revision, as the status keys them. */
    public record Installation(String cluster, String revision) {
        @Override
        public String toString() {
            return cluster + "/" + revision;
        }
    }

    private final Map<String, Object> ilmExample;
    private final Map<String, Object> glmExample;

    public SoakSpecs(String ilmExampleYaml, String glmExampleYaml) {
        this.ilmExample = read(ilmExampleYaml);
        this.glmExample = read(glmExampleYaml);
    }

    public ResourceRef ilmRef() {
        return ref(ResourceKind.IstioLifecycleManager, ilmExample);
    }

    public ResourceRef glmRef() {
        return ref(ResourceKind.GatewayLifecycleManager, glmExample);
    }

    /** The ILM: revision 1-24 at the state's tag, default on its clusters; the canary 1-25 beside it when on. */
    public String ilm(SoakState s) {
        Map<String, Object> doc = read(write(ilmExample));
        Map<String, Object> main = firstInstallation(doc);
        main.put("revision", SoakState.MAIN_REVISION);
        operator(main).put("tag", s.tag());
        if (s.skipUpgradeValidation()) {
            main.put("skipUpgradeValidation", true);
        }
        main.put("clusters", clusters(s.ilmClusters(), "defaultRevision", true, true));
        List<Object> installations = new ArrayList<>(List.of(main));
        if (s.canary()) {
            Map<String, Object> canary = read(write(main));
            canary.remove("skipUpgradeValidation");
            canary.put("revision", SoakState.CANARY_REVISION);
            operator(canary).put("tag", SoakState.CANARY_TAG);
            canary.put("clusters", clusters(s.ilmClusters(), "defaultRevision", false, false));
            installations.add(canary);
        }
        spec(doc).put("installations", installations);
        return write(doc);
    }

    /** The GLM: gateway revisions 1-24 and 1-25 (on control plane 1-24) on its clusters, one of them active. */
    public String glm(SoakState s) {
        Map<String, Object> doc = read(write(glmExample));
        Map<String, Object> first = firstInstallation(doc);
        first.put("gatewayRevision", SoakState.MAIN_REVISION);
        first.put("clusters", clusters(s.glmClusters(), "activeGateway", s.gatewayOn124(), true));
        Map<String, Object> second = read(write(first));
        second.put("gatewayRevision", SoakState.CANARY_REVISION);
        second.put("controlPlaneRevision", SoakState.MAIN_REVISION);
        second.put("clusters", clusters(s.glmClusters(), "activeGateway", !s.gatewayOn124(), true));
        spec(doc).put("installations", List.of(first, second));
        return write(doc);
    }

    /** The installations the state's specs call for, each of which must end HEALTHY. */
    public Expected expected(SoakState s) {
        Set<Installation> ilm = new LinkedHashSet<>();
        for (String c : s.ilmClusters()) {
            ilm.add(new Installation(c, SoakState.MAIN_REVISION));
            if (s.canary()) {
                ilm.add(new Installation(c, SoakState.CANARY_REVISION));
            }
        }
        Set<Installation> glm = new LinkedHashSet<>();
        for (String c : s.glmClusters()) {
            glm.add(new Installation(c, SoakState.MAIN_REVISION));
            glm.add(new Installation(c, SoakState.CANARY_REVISION));
        }
        Map<ResourceRef, Set<Installation>> out = new LinkedHashMap<>();
        out.put(ilmRef(), ilm);
        out.put(glmRef(), glm);
        return new Expected(out);
    }

    /** Cluster entries; the flag is written only when {@code always} or true (false is the field's default). */
    private static List<Object> clusters(List<String> names, String flag, boolean value, boolean always) {
        List<Object> out = new ArrayList<>(names.size());
        for (String name : names) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", name);
            if (always || value) {
                entry.put(flag, value);
            }
            out.add(entry);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> doc) {
        return (Map<String, Object>) doc.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstInstallation(Map<String, Object> doc) {
        List<Object> installations = (List<Object>) spec(doc).get("installations");
        if (installations == null || installations.isEmpty()) {
            throw new IllegalArgumentException("the example has no spec.installations[0]");
        }
        return (Map<String, Object>) installations.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> operator(Map<String, Object> installation) {
        return (Map<String, Object>) installation.get("istioOperatorSpec");
    }

    @SuppressWarnings("unchecked")
    private static ResourceRef ref(ResourceKind kind, Map<String, Object> doc) {
        Map<String, Object> metadata = (Map<String, Object>) doc.get("metadata");
        return new ResourceRef(kind, (String) metadata.get("namespace"), (String) metadata.get("name"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String yaml) {
        try {
            return YAML.readValue(yaml, LinkedHashMap.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
        }
    }

    private static String write(Map<String, Object> doc) {
        try {
            return YAML.writeValueAsString(doc);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
