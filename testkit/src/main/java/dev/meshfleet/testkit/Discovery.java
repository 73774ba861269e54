package dev.meshfleet.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * What kubectl and generic clients ask an API server before touching an object: discovery
 * (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api, unaggregated form),
 * OpenAPI for kubectl's validation step, and Table rendering for {@code kubectl get}
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables).
 * Built-in resources come from a fixed list; custom resources from the CRDs in the store.
 */
final class Discovery {

    /** One REST resource: its group/version, names, scope and whether it has a status subresource. */
    record Resource(String group, String version, String plural, String singular, String kind, boolean namespaced,
            List<String> shortNames, boolean status, JsonNode printerColumns) {
        String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    private static final List<Resource> BUILT_IN = List.of(
            core("namespaces", "Namespace", false, true, "ns"),
            core("configmaps", "ConfigMap", true, false, "cm"),
            core("secrets", "Secret", true, false),
            core("services", "Service", true, true, "svc"),
            core("serviceaccounts", "ServiceAccount", true, false, "sa"),
            core("pods", "Pod", true, true, "po"),
            core("endpoints", "Endpoints", true, false, "ep"),
            core("events", "Event", true, false, "ev"),
            core("persistentvolumeclaims", "PersistentVolumeClaim", true, true, "pvc"),
            core("nodes", "Node", false, true, "no"),
            of("apps", "v1", "deployments", "Deployment", true, true, "deploy"),
            of("apps", "v1", "daemonsets", "DaemonSet", true, true, "ds"),
            of("apps", "v1", "statefulsets", "StatefulSet", true, true, "sts"),
            of("apps", "v1", "replicasets", "ReplicaSet", true, true, "rs"),
            of("rbac.authorization.k8s.io", "v1", "roles", "Role", true, false),
            of("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, false),
            of("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, false),
            of("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, false),
            of("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, true,
                    "crd", "crds"),
            of("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration",
                    false, false),
            of("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations",
                    "ValidatingWebhookConfiguration", false, false),
            of("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, true, "pdb"),
            of("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, true, "hpa"),
            of("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, false, "netpol"),
            of("networking.k8s.io", "v1", "ingresses", "Ingress", true, true, "ing"),
            of("coordination.k8s.io", "v1", "leases", "Lease", true, false));

    private Discovery() {
    }

    private static Resource core(String plural, String kind, boolean namespaced, boolean status, String... shortNames) {
        return of("", "v1", plural, kind, namespaced, status, shortNames);
    }

    private static Resource of(String group, String version, String plural, String kind, boolean namespaced,
            boolean status, String... shortNames) {
        return new Resource(group, version, plural, kind.toLowerCase(java.util.Locale.ROOT), kind, namespaced,
                List.of(shortNames), status, null);
    }

    /** Built-in resources followed by the served versions of every CRD in the store. */
    static List<Resource> resources(ClusterStore store) {
        List<Resource> all = new ArrayList<>(BUILT_IN);
        for (JsonNode crd : store.customResourceDefinitions()) {
            JsonNode spec = crd.path("spec");
            JsonNode names = spec.path("names");
            List<String> shortNames = new ArrayList<>();
            names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
            for (JsonNode version : spec.path("versions")) {
                if (!version.path("served").asBoolean(true)) {
                    continue;
                }
                all.add(new Resource(spec.path("group").asText(), version.path("name").asText(),
                        names.path("plural").asText(), names.path("singular").asText(names.path("kind").asText().toLowerCase()),
                        names.path("kind").asText(), !"Cluster".equals(spec.path("scope").asText()),
                        List.copyOf(shortNames), version.path("subresources").has("status"),
                        version.path("additionalPrinterColumns")));
            }
        }
        return all;
    }

    /** Answers a discovery or OpenAPI path, or empty when the path is something else. */
    static Optional<MockResponse> answer(ClusterStore store, String path) {
        String[] s = path.replaceAll("^/+|/+$", "").split("/");
        if (path.equals("/api") || path.equals("/api/")) {
            ObjectNode versions = NODES.objectNode().put("kind", "APIVersions");
            versions.putArray("versions").add("v1");
            versions.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
                    .put("serverAddress", "127.0.0.1");
            return json(versions);
        }
        if (s.length == 2 && s[0].equals("api") && s[1].equals("v1")) {
            return json(resourceList(resources(store), "", "v1"));
        }
        if (s.length == 1 && s[0].equals("apis")) {
            ObjectNode list = NODES.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
            ArrayNode groups = list.putArray("groups");
            groups(resources(store)).forEach((group, versions) -> groups.add(group(group, versions)));
            return json(list);
        }
        if (s.length == 2 && s[0].equals("apis")) {
            List<String> versions = groups(resources(store)).get(s[1]);
            return versions == null ? Optional.of(Status.of(404, "NotFound", "the server could not find the requested resource"))
                    : json(group(s[1], versions));
        }
        if (s.length == 3 && s[0].equals("apis")) {
            List<Resource> resources = resources(store).stream()
                    .filter(r -> r.group().equals(s[1]) && r.version().equals(s[2])).toList();
            return resources.isEmpty() ? Optional.of(Status.of(404, "NotFound", "the server could not find the requested resource"))
                    : json(resourceList(resources, s[1], s[2]));
        }
        if (s.length >= 2 && s[0].equals("openapi") && s[1].equals("v2")) {
            // An empty OpenAPI v2 document (protobuf of an empty message is zero bytes): kubectl
            // then finds no schema for any kind and skips client-side validation of fields.
            return Optional.of(new MockResponse().setResponseCode(200)
                    .setHeader("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
                    .setBody(new byte[0]));
        }
        if (s.length == 2 && s[0].equals("openapi") && s[1].equals("v3")) {
            ObjectNode index = NODES.objectNode();
            ObjectNode paths = index.putObject("paths");
            paths.putObject("api/v1").put("serverRelativeURL", "/openapi/v3/api/v1");
            groups(resources(store)).forEach((group, versions) -> versions.forEach(v ->
                    paths.putObject("apis/" + group + "/" + v).put("serverRelativeURL", "/openapi/v3/apis/" + group + "/" + v)));
            return json(index);
        }
        if (s.length >= 3 && s[0].equals("openapi") && s[1].equals("v3")) {
            String group = s[2].equals("api") ? "" : s.length > 3 ? s[3] : "";
            String version = s[2].equals("api") ? s[3] : s.length > 4 ? s[4] : "";
            return json(openApiV3(resources(store).stream()
                    .filter(r -> r.group().equals(group) && r.version().equals(version)).toList()));
        }
        return Optional.empty();
    }

    private static Map<String, List<String>> groups(List<Resource> resources) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (Resource r : resources) {
            if (!r.group().isEmpty()) {
                List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
                if (!versions.contains(r.version())) {
                    versions.add(r.version());
                }
            }
        }
        return groups;
    }

    private static ObjectNode group(String name, List<String> versions) {
        ObjectNode group = NODES.objectNode().put("kind", "APIGroup").put("apiVersion", "v1").put("name", name);
        ArrayNode list = group.putArray("versions");
        versions.forEach(v -> list.addObject().put("groupVersion", name + "/" + v).put("version", v));
        group.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version", versions.get(0));
        return group;
    }

    private static ObjectNode resourceList(List<Resource> resources, String group, String version) {
        ObjectNode list = NODES.objectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode items = list.putArray("resources");
        for (Resource r : resources) {
            if (!r.group().equals(group) || !r.version().equals(version)) {
                continue;
            }
            ObjectNode item = items.addObject().put("name", r.plural()).put("singularName", r.singular())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            VERBS.forEach(item.putArray("verbs")::add);
            if (!r.shortNames().isEmpty()) {
                r.shortNames().forEach(item.putArray("shortNames")::add);
            }
            if (r.status()) {
                ObjectNode status = items.addObject().put("name", r.plural() + "/status").put("singularName", "")
                        .put("namespaced", r.namespaced()).put("kind", r.kind());
                List.of("get", "patch", "update").forEach(status.putArray("verbs")::add);
            }
        }
        return list;
    }

    /**
     * Just enough OpenAPI v3 for kubectl's check that the server validates fields itself: each
     * kind's PATCH operation, tagged with its group-version-kind, accepts {@code fieldValidation}.
     * kubectl then sends {@code fieldValidation=Strict} and does no schema validation of its own.
     */
    private static ObjectNode openApiV3(List<Resource> resources) {
        ObjectNode doc = NODES.objectNode().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        for (Resource r : resources) {
            String base = (r.group().isEmpty() ? "/api/" : "/apis/" + r.group() + "/") + r.version()
                    + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
            ObjectNode patch = paths.putObject(base).putObject("patch");
            patch.putObject("x-kubernetes-group-version-kind").put("group", r.group()).put("version", r.version())
                    .put("kind", r.kind());
            patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
                    .putObject("schema").put("type", "string");
        }
        doc.putObject("components").putObject("schemas");
        return doc;
    }

    /**
     * A meta.k8s.io/v1 Table of a GET answer (one object or a list): Name, then the CRD's
     * additionalPrinterColumns, or for built-in kinds Name, READY for Deployments, and Age.
     */
    static MockResponse table(ClusterStore store, String path, MockResponse answer) {
        try {
            JsonNode body = JSON.readTree(answer.getBody().getBytes());
            List<JsonNode> items = new ArrayList<>();
            if (body.has("items")) {
                body.path("items").forEach(items::add);
            } else {
                items.add(body);
            }
            Resource resource = resourceOf(store, path);
            ObjectNode table = NODES.objectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
            table.putObject("metadata").put("resourceVersion", body.path("metadata").path("resourceVersion").asText(""));
            ArrayNode columns = table.putArray("columnDefinitions");
            column(columns, "Name", "string", "name", "Name must be unique within a namespace.", 0);
            List<JsonNode> printer = new ArrayList<>();
            boolean deployment = resource != null && resource.kind().equals("Deployment") && resource.group().equals("apps");
            if (resource != null && resource.printerColumns() != null && resource.printerColumns().size() > 0) {
                resource.printerColumns().forEach(printer::add);
            } else {
                if (deployment) {
                    column(columns, "Ready", "string", "", "Number of the pod with ready state", 0);
                }
                printer.add(NODES.objectNode().put("name", "Age").put("type", "date")
                        .put("jsonPath", ".metadata.creationTimestamp"));
            }
            for (JsonNode c : printer) {
                column(columns, c.path("name").asText(), c.path("type").asText("string"), c.path("format").asText(""),
                        c.path("description").asText(""), c.path("priority").asInt(0));
            }
            ArrayNode rows = table.putArray("rows");
            for (JsonNode item : items) {
                ObjectNode row = rows.addObject();
                ArrayNode cells = row.putArray("cells");
                cells.add(item.path("metadata").path("name").asText());
                if (deployment && (resource.printerColumns() == null || resource.printerColumns().isEmpty())) {
                    cells.add(item.path("status").path("readyReplicas").asInt(0) + "/"
                            + item.path("spec").path("replicas").asInt(1));
                }
                for (JsonNode c : printer) {
                    JsonNode value = jsonPath(item, c.path("jsonPath").asText());
                    if (value == null || value.isNull() || value.isMissingNode()) {
                        cells.addNull();
                    } else if (c.path("type").asText().equals("date")) {
                        cells.add(age(value.asText()));
                    } else {
                        cells.add(value);
                    }
                }
                ObjectNode object = row.putObject("object").put("kind", "PartialObjectMetadata")
                        .put("apiVersion", "meta.k8s.io/v1");
                object.set("metadata", item.path("metadata").deepCopy());
            }
            return ClusterStore.json(answer.code(), table.toString());
        } catch (Exception e) {
            return answer;
        }
    }

    private static void column(ArrayNode columns, String name, String type, String format, String description, int priority) {
        columns.addObject().put("name", name).put("type", type).put("format", format).put("description", description)
                .put("priority", priority);
    }

    /**
     * JSONPath as printer columns use it: {@code .status.summary.state}, with the array steps upstream CRDs write,
     * {@code [*]}, {@code [0]} and {@code [?(@.type=="Programmed")]}. Several results are joined by commas, as the API
     * server's table convertor prints them; no result is null.
     */
    static JsonNode jsonPath(JsonNode object, String path) {
        List<JsonNode> nodes = List.of(object);
        for (String step : steps(path.replaceAll("^\\{?\\.?|}$", ""))) {
            int bracket = step.indexOf('[');
            String key = bracket < 0 ? step : step.substring(0, bracket);
            String selector = bracket < 0 ? null : step.substring(bracket + 1, step.length() - 1);
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : nodes) {
                JsonNode value = key.isEmpty() ? node : node.get(key);
                if (value == null) {
                    continue;
                }
                if (selector == null) {
                    next.add(value);
                } else if (value.isArray()) {
                    next.addAll(select(value, selector));
                }
            }
            nodes = next;
        }
        if (nodes.isEmpty()) {
            return null;
        }
        if (nodes.size() == 1) {
            return nodes.get(0);
        }
        return NODES.textNode(String.join(",", nodes.stream().map(JsonNode::asText).toList()));
    }

    /** The dot-separated steps of a path; dots inside brackets ({@code [?(@.type=="x")]}) do not separate. */
    private static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        int depth = 0;
        StringBuilder step = new StringBuilder();
        for (char c : path.toCharArray()) {
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (c == '.' && depth == 0) {
                if (step.length() > 0) {
                    steps.add(step.toString());
                }
                step.setLength(0);
            } else {
                step.append(c);
            }
        }
        if (step.length() > 0) {
            steps.add(step.toString());
        }
        return steps;
    }

    private static final java.util.regex.Pattern FILTER =
            java.util.regex.Pattern.compile("\\?\\(@\\.([\\w.-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)");

    private static List<JsonNode> select(JsonNode array, String selector) {
        List<JsonNode> out = new ArrayList<>();
        if (selector.equals("*")) {
            array.forEach(out::add);
        } else if (selector.matches("\\d+")) {
            JsonNode element = array.get(Integer.parseInt(selector));
            if (element != null) {
                out.add(element);
            }
        } else {
            java.util.regex.Matcher filter = FILTER.matcher(selector);
            if (filter.matches()) {
                for (JsonNode element : array) {
                    JsonNode field = element;
                    for (String key : filter.group(1).split("\\.")) {
                        field = field.path(key);
                    }
                    if (field.isValueNode() && field.asText().equals(filter.group(2))) {
                        out.add(element);
                    }
                }
            }
        }
        return out;
    }

    /** kubectl's short age (5s, 3m, 2h, 4d), what the API server renders for date columns. */
    static String age(String timestamp) {
        try {
            long seconds = Math.max(0, java.time.Duration.between(Instant.parse(timestamp), Instant.now()).getSeconds());
            if (seconds < 120) {
                return seconds + "s";
            }
            if (seconds < 3600 * 3) {
                return seconds / 60 + "m";
            }
            if (seconds < 86400 * 2) {
                return seconds / 3600 + "h";
            }
            return seconds / 86400 + "d";
        } catch (Exception e) {
            return timestamp;
        }
    }

    /** The resource a REST path addresses: /api/v1/..., /apis/g/v/[namespaces/ns/]plural[/name]. */
    static Resource resourceOf(ClusterStore store, String path) {
        String[] s = path.replaceAll("\\?.*$", "").replaceAll("^/+|/+$", "").split("/");
        int i;
        String group;
        String version;
        if (s.length >= 3 && s[0].equals("api")) {
            group = "";
            version = s[1];
            i = 2;
        } else if (s.length >= 4 && s[0].equals("apis")) {
            group = s[1];
            version = s[2];
            i = 3;
        } else {
            return null;
        }
        if (s.length - i >= 3 && s[i].equals("namespaces")) {
            i += 2;
        }
        String plural = s[i];
        return resources(store).stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
                .findFirst().orElse(null);
    }

    private static Optional<MockResponse> json(JsonNode body) {
        return Optional.of(ClusterStore.json(200, body.toString()));
    }
}
