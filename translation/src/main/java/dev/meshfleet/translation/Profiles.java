package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * istioctl's built-in profiles (Istio 1.24's {@code manifests/profiles}, written in our words) as the translator
 * applies them: which components a profile turns on by default (each {@code components.<c>.enabled} still decides),
 * the namespace it gives istio-cni and ztunnel, and what it sets in the charts: {@code values.profile} becomes the
 * charts' {@code profile} (their {@code files/profile-<name>.yaml}) and {@code values.global.platform} their
 * {@code global.platform} ({@code files/profile-platform-<name>.yaml}). Gateways the profiles turn on are not
 * read: an IstioLifecycleManager installs no gateway, and a GatewayLifecycleManager lists its own.
 * Every profile is translated; none is refused.
 */
final class Profiles {
    /**
     * @param chartProfile       the charts' {@code profile} value, "" for none
     * @param platform           the charts' {@code global.platform}, "" for none (values.global.platform wins)
     * @param nodeAgentNamespace where istio-cni and ztunnel go unless their component says, "" for the installation's
     */
    record Profile(String name, boolean base, boolean pilot, boolean cni, boolean ztunnel, String chartProfile,
            String platform, String nodeAgentNamespace) {
        /** ambient mode: cni runs in ambient mode and the ambient rules (no revision, tag 1.22.3+) apply. */
        boolean ambient() {
            return "ambient".equals(chartProfile);
        }
    }

    static final Map<String, Profile> ALL = new LinkedHashMap<>();

    static {
        add(new Profile("default", true, true, false, false, "", "", ""));
        add(new Profile("demo", true, true, false, false, "demo", "", ""));
        add(new Profile("minimal", true, true, false, false, "", "", ""));
        add(new Profile("remote", true, true, false, false, "remote", "", ""));
        add(new Profile("empty", false, false, false, false, "", "", ""));
        add(new Profile("preview", true, true, false, false, "preview", "", ""));
        add(new Profile("ambient", true, true, true, true, "ambient", "", ""));
        add(new Profile("stable", true, true, false, false, "stable", "", ""));
        add(new Profile("openshift", true, true, true, false, "", "openshift", "kube-system"));
        add(new Profile("openshift-ambient", true, true, true, true, "ambient", "openshift", "kube-system"));
    }

    private Profiles() {
    }

    private static void add(Profile p) {
        ALL.put(p.name(), p);
    }

    /** The profile of an IstioOperator spec: {@code default} when none is given; null for a name Istio does not have. */
    static Profile of(JsonNode iop) {
        String name = Json.text(iop, "profile");
        return ALL.get(name.isEmpty() ? "default" : name);
    }

    /** As {@link #of}, {@code default} for an unknown name (validation has refused it already). */
    static Profile orDefault(JsonNode iop) {
        Profile p = of(iop);
        return p == null ? ALL.get("default") : p;
    }
}
