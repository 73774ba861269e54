package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code components.<c>.k8s.overlays}: checked here, carried in the plan with the component's chart release, and
 * patched on the rendered objects by the installer as istioctl does (installer-service {@code render.Overlays}).
 * The translator refuses what istioctl could not read (an overlay without kind or name, a path it cannot parse);
 * whether a path matches the rendered objects is only known once rendered, so that fails the installation there.
 */
final class OverlayFields {
    /**
     * One path element between unescaped dots: a map key, optionally followed by item selectors in brackets
     * ({@code [N]}, {@code [key:value]}, {@code [value]}), or selectors alone.
     */
    private static final Pattern ELEMENT = Pattern.compile("([^\\[\\]]+)?(\\[[^\\[\\]]+\\])*");

    private OverlayFields() {
    }

    /** The refusals of one overlays list, at {@code at} ({@code ...k8s.overlays}). */
    static void check(String at, JsonNode overlays, List<String[]> problems) {
        if (!overlays.isArray()) {
            problems.add(new String[] {at, "must be a list of {kind, name, patches: [{path, value}]}"});
            return;
        }
        for (int i = 0; i < overlays.size(); i++) {
            String o = at + "[" + i + "]";
            JsonNode overlay = overlays.get(i);
            for (String field : List.of("kind", "name")) {
                if (!overlay.path(field).isTextual() || overlay.path(field).asText().isEmpty()) {
                    problems.add(new String[] {o + "." + field, "is required: the overlay names the rendered object it"
                            + " patches by kind and name (kind: Deployment, name: istiod)"});
                }
            }
            JsonNode patches = overlay.path("patches");
            if (!patches.isArray()) {
                problems.add(new String[] {o + ".patches", "must be a list of {path, value}"});
                continue;
            }
            for (int j = 0; j < patches.size(); j++) {
                JsonNode path = patches.get(j).path("path");
                String p = o + ".patches[" + j + "].path";
                if (!path.isTextual() || !parsable(path.asText())) {
                    problems.add(new String[] {p, "is not a path istioctl can read: keys separated by dots (\\. inside"
                            + " a key), each optionally followed by [N], [key:value] or [value]; for example"
                            + " spec.template.spec.containers[name:discovery].env[100]"});
                }
            }
        }
    }

    /**
     * The overlays of a component's k8s block as the plan carries them: each with {@code field}, its place in the
     * spec, so that an apply-time failure names it. "[]" for none.
     */
    static String json(String at, JsonNode k8s) {
        return json(at, k8s, o -> true, List.of());
    }

    /**
     * As {@link #json(String, JsonNode)}, only the overlays {@code which} accepts (by their place in the list), after
     * {@code patches} (the strategic merge patches of the plain k8s fields, {@link K8sFields#patches}), which istioctl
     * applies before the overlays.
     */
    static String json(String at, JsonNode k8s, Predicate<JsonNode> which, List<ObjectNode> patches) {
        ArrayNode out = Canonical.NODES.arrayNode();
        patches.forEach(out::add);
        JsonNode overlays = k8s == null ? null : k8s.get("overlays");
        for (int i = 0; overlays != null && overlays.isArray() && i < overlays.size(); i++) {
            if (which.test(overlays.get(i))) {
                ObjectNode o = overlays.get(i).deepCopy();
                o.put("field", at + ".overlays[" + i + "]");
                out.add(o);
            }
        }
        return Canonical.json(out);
    }

    static boolean parsable(String path) {
        if (path.isBlank() || path.startsWith(".") || path.endsWith(".") && !path.endsWith("\\.")) {
            return false;
        }
        for (String element : path.split("(?<!\\\\)\\.", -1)) {
            if (element.isEmpty() || !ELEMENT.matcher(element).matches()) {
                return false;
            }
        }
        return true;
    }
}
