package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A ServiceMeshController's spec (seed 003, {@code operator.gloo.solo.io/v1}) as typed values, with the CRD's
 * defaults filled in (the API server fills them on a real cluster; the plan preview reads files, so they are filled
 * here too). {@link #read} checks what the structural schema checks at apply (types, enums), so the preview refuses
 * what the API server would, naming the field; the rules across fields are {@link SmcValidator}'s.
 */
public record SmcSpec(String cluster, String network, DataplaneMode dataplaneMode, Distribution distribution,
        String imageRepository, List<String> imageSecrets, String installNamespace, OnConflict onConflict,
        List<SecretRef> repositorySecrets, boolean insecureSkipVerify, ScalingProfile scalingProfile,
        TrafficCaptureMode trafficCaptureMode, String trustDomain, String version) {

    public enum DataplaneMode { Ambient, Sidecar }

    public enum Distribution { Standard, FIPS }

    public enum OnConflict { Force, Abort }

    public enum TrafficCaptureMode { Auto, InitContainer }

    /** A chart repository pull secret; an empty namespace means the ServiceMeshController's. */
    public record SecretRef(String name, String namespace) {
    }

    /** A field that cannot be read as the schema says: its path and what to write instead. */
    public record Problem(String path, String message) {
        public String describe() {
            return path + ": " + message;
        }
    }

    static final String DEFAULT_NAMESPACE = "istio-system";

    public SmcSpec {
        imageSecrets = List.copyOf(imageSecrets);
        repositorySecrets = List.copyOf(repositorySecrets);
    }

    /** The trust domain the seed gives: the field, else the cluster, else cluster.local. */
    public String effectiveTrustDomain() {
        if (!trustDomain.isEmpty()) {
            return trustDomain;
        }
        return cluster.isEmpty() ? "cluster.local" : cluster;
    }

    /**
     * The spec as stored, or null with {@code problems} filled when a field is of the wrong type or not one of its
     * values. Absent fields take the CRD's defaults; strings absent are "".
     */
    public static SmcSpec read(JsonNode spec, List<Problem> problems) {
        int before = problems.size();
        if (spec == null || !spec.isObject()) {
            problems.add(new Problem("spec", "must be an object with at least cluster, got " + Json.describe(spec)));
            return null;
        }
        String cluster = string(spec, "cluster", "spec.cluster", problems);
        String network = string(spec, "network", "spec.network", problems);
        DataplaneMode mode = choice(spec, "dataplaneMode", DataplaneMode.class, DataplaneMode.Ambient, problems);
        Distribution distribution = choice(spec, "distribution", Distribution.class, Distribution.Standard, problems);
        JsonNode image = object(spec, "image", "spec.image", problems);
        String repository = string(image, "repository", "spec.image.repository", problems);
        List<String> imageSecrets = new ArrayList<>();
        for (SecretRef ref : secrets(image, "spec.image.secrets", false, problems)) {
            imageSecrets.add(ref.name());
        }
        String namespace = string(spec, "installNamespace", "spec.installNamespace", problems);
        OnConflict onConflict = choice(spec, "onConflict", OnConflict.class, OnConflict.Abort, problems);
        JsonNode repo = object(spec, "repository", "spec.repository", problems);
        List<SecretRef> repoSecrets = secrets(repo, "spec.repository.secrets", true, problems);
        boolean insecure = false;
        JsonNode skip = repo == null ? null : repo.get("insecureSkipVerify");
        if (skip != null && !skip.isNull()) {
            if (skip.isBoolean()) {
                insecure = skip.booleanValue();
            } else {
                problems.add(new Problem("spec.repository.insecureSkipVerify", "must be true or false, got "
                        + Json.describe(skip)));
            }
        }
        ScalingProfile profile = choice(spec, "scalingProfile", ScalingProfile.class, ScalingProfile.Default, problems);
        TrafficCaptureMode capture = choice(spec, "trafficCaptureMode", TrafficCaptureMode.class, TrafficCaptureMode.Auto,
                problems);
        String trustDomain = string(spec, "trustDomain", "spec.trustDomain", problems);
        String version = string(spec, "version", "spec.version", problems);
        if (problems.size() > before) {
            return null;
        }
        return new SmcSpec(cluster, network, mode, distribution, repository, imageSecrets,
                namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace, onConflict, repoSecrets, insecure, profile, capture,
                trustDomain, version);
    }

    private static String string(JsonNode node, String field, String path, List<Problem> problems) {
        return SpecFields.string(node, field, path, (p, m) -> problems.add(new Problem(p, m)));
    }

    private static JsonNode object(JsonNode node, String field, String path, List<Problem> problems) {
        return SpecFields.object(node, field, path, (p, m) -> problems.add(new Problem(p, m)));
    }

    private static <E extends Enum<E>> E choice(JsonNode spec, String field, Class<E> type, E fallback,
            List<Problem> problems) {
        JsonNode v = spec.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name());
            if (v.isTextual() && e.name().equals(v.asText())) {
                return e;
            }
        }
        String hint = "";
        if (v.isTextual()) {
            for (String n : names) {
                if (n.toLowerCase(Locale.ROOT).equals(v.asText().toLowerCase(Locale.ROOT))) {
                    hint = " (values are case-sensitive: write " + n + ")";
                }
            }
        }
        problems.add(new Problem("spec." + field, "must be one of " + String.join(", ", names) + ", got "
                + Json.describe(v) + hint));
        return fallback;
    }

    /** A list of {name[, namespace]} entries. */
    private static List<SecretRef> secrets(JsonNode parent, String path, boolean namespaced, List<Problem> problems) {
        List<SecretRef> out = new ArrayList<>();
        JsonNode list = parent == null ? null : parent.get("secrets");
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            problems.add(new Problem(path, "must be a list of {name: <secret>}, got " + Json.describe(list)));
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String at = path + "[" + i + "]";
            if (!entry.isObject()) {
                problems.add(new Problem(at, "must be {name: <secret>}, got " + Json.describe(entry)));
                continue;
            }
            String name = string(entry, "name", at + ".name", problems);
            if (name.isEmpty()) {
                problems.add(new Problem(at + ".name", "is required: the name of a kubernetes.io/dockerconfigjson Secret"));
                continue;
            }
            out.add(new SecretRef(name, namespaced ? string(entry, "namespace", at + ".namespace", problems) : ""));
        }
        return out;
    }
}
