package dev.meshfleet.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an API request asks for, in the terms RBAC authorizes: Kubernetes' {@code RequestInfoFactory}
 * (k8s.io/apiserver/pkg/endpoints/request), rule for rule. {@code /api/v1/...} is the core group,
 * {@code /apis/GROUP/VERSION/...} the others; a GET without a name is {@code list}, or {@code watch} with
 * {@code watch=true}; a DELETE without a name {@code deletecollection}; anything else (discovery,
 * {@code /version}, {@code /openapi/v2}) is a non-resource request whose verb is the lowercased method.
 */
public record RequestInfo(boolean resourceRequest, String verb, String apiGroup, String namespace, String resource,
        String subresource, String name, String path) {

    private static final Set<String> API_PREFIXES = Set.of("api", "apis");
    private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /** @param query the raw query string without '?', or null */
    /** The same request as another verb (a server-side apply that creates is also authorized as a create). */
    public RequestInfo withVerb(String other) {
        return new RequestInfo(resourceRequest, other, apiGroup, namespace, resource, subresource, name, path);
    }

    public static RequestInfo parse(String method, String path, String query) {
        String verb = method.toLowerCase(Locale.ROOT);
        List<String> parts = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
        RequestInfo nonResource = new RequestInfo(false, verb, "", "", "", "", "", path);
        if (parts.size() < 3 || !API_PREFIXES.contains(parts.get(0))) {
            return nonResource;
        }
        String prefix = parts.get(0);
        List<String> rest = parts.subList(1, parts.size());
        String group = "";
        if (!prefix.equals("api")) {
            if (rest.size() < 3) {
                return nonResource;
            }
            group = rest.get(0);
            rest = rest.subList(1, rest.size());
        }
        rest = rest.subList(1, rest.size()); // the version
        if (SPECIAL_VERBS.contains(rest.get(0))) {
            verb = rest.get(0);
            rest = rest.subList(1, rest.size());
        } else {
            verb = switch (method.toUpperCase(Locale.ROOT)) {
                case "POST" -> "create";
                case "GET", "HEAD" -> "get";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> "";
            };
        }
        String namespace = "";
        if (!rest.isEmpty() && rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = rest.subList(2, rest.size());
            }
        }
        String resource = rest.size() >= 1 ? rest.get(0) : "";
        String name = rest.size() >= 2 ? rest.get(1) : "";
        String subresource = rest.size() >= 3 && !verb.equals("proxy") ? rest.get(2) : "";
        if (name.isEmpty() && verb.equals("get")) {
            verb = queryFlag(query, "watch") ? "watch" : "list";
            String byName = queryValue(query, "fieldSelector");
            if (byName != null && byName.startsWith("metadata.name=") && !byName.contains(",")) {
                name = byName.substring("metadata.name=".length());
            }
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        return new RequestInfo(true, verb, group, namespace, resource, subresource, name, path);
    }

    /** "resource/subresource" or "resource", as a rule's resources name it. */
    public String combinedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    static boolean queryFlag(String query, String key) {
        String v = queryValue(query, key);
        return v != null && (v.equals("true") || v.equals("1"));
    }

    static String queryValue(String query, String key) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(key)) {
                return java.net.URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
