package dev.meshfleet.testkit;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The set-based requirements of a label selector ({@code key in (a,b)}, {@code key notin (a,b)}),
 * which Fabric8's CRUD mock ignores with a warning, so that a list would silently return too much
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#set-based-requirement).
 * We take them out of the path that Fabric8 sees and filter by them ourselves.
 */
record SetSelector(List<Requirement> requirements, String pathWithoutThem) {

    record Requirement(String key, boolean in, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return in ? value != null && values.contains(value) : value == null || !values.contains(value);
        }
    }

    private static final Pattern SET = Pattern.compile("^\\s*([A-Za-z0-9_./-]+)\\s+(in|notin)\\s+\\(([^)]*)\\)\\s*$");

    boolean isEmpty() {
        return requirements.isEmpty();
    }

    boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    static SetSelector of(String path) {
        int q = path.indexOf('?');
        if (q < 0 || !path.contains("labelSelector")) {
            return new SetSelector(List.of(), path);
        }
        List<String> params = new ArrayList<>();
        List<Requirement> requirements = new ArrayList<>();
        for (String param : path.substring(q + 1).split("&")) {
            if (!param.startsWith("labelSelector=")) {
                params.add(param);
                continue;
            }
            String selector = URLDecoder.decode(param.substring("labelSelector=".length()), StandardCharsets.UTF_8);
            List<String> kept = new ArrayList<>();
            for (String requirement : splitTopLevel(selector)) {
                Matcher m = SET.matcher(requirement);
                if (m.matches()) {
                    Set<String> values = new java.util.LinkedHashSet<>();
                    for (String v : m.group(3).split(",")) {
                        if (!v.isBlank()) {
                            values.add(v.trim());
                        }
                    }
                    requirements.add(new Requirement(m.group(1), m.group(2).equals("in"), values));
                } else if (!requirement.isBlank()) {
                    kept.add(requirement.trim());
                }
            }
            if (!kept.isEmpty()) {
                params.add("labelSelector=" + URLEncoder.encode(String.join(",", kept), StandardCharsets.UTF_8));
            }
        }
        String rest = String.join("&", params);
        return new SetSelector(List.copyOf(requirements), path.substring(0, q) + (rest.isEmpty() ? "" : "?" + rest));
    }

    /** Splits at commas outside parentheses: {@code a=b,c in (d,e)} is two requirements. */
    private static List<String> splitTopLevel(String selector) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : selector.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
