package dev.meshfleet.testkit;

import java.net.URI;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether a workload's pods can be created, as the API server's mutating admission decides it (pure): a pod CREATE
 * is sent to every webhook of every MutatingWebhookConfiguration whose rules match pods and whose
 * {@code namespaceSelector} and {@code objectSelector} (their {@code matchLabels}) match the pod's namespace and
 * labels. A webhook the API server cannot call fails the CREATE when its {@code failurePolicy} is {@code Fail}
 * (Kubernetes' default), and the workload's ReplicaSet reports {@code FailedCreate}: its pods never come.
 *
 * <p>Only webhooks called by URL ({@code clientConfig.url}, as a remote cluster's injector calls an external istiod)
 * are judged, by whether something answers at the URL's host ({@code answers}); a webhook backed by a Service of the
 * cluster is taken as answering.
 */
public final class PodAdmission {
    private PodAdmission() {
    }

    /**
     * Why the workload's pods are refused, or empty when they are admitted.
     *
     * @param workload        a Deployment or DaemonSet (its pod template's labels are the pod's)
     * @param namespaceLabels the labels of the workload's Namespace, asked for only when a webhook called by URL takes
     *                        pods (the others are not judged)
     * @param configurations  the cluster's MutatingWebhookConfigurations
     * @param answers         whether a webhook server answers at a host
     */
    public static Optional<String> refusal(JsonNode workload, Supplier<Map<String, String>> namespaceLabels,
            Iterable<JsonNode> configurations, Predicate<String> answers) {
        Map<String, String> podLabels = labels(workload.path("spec").path("template").path("metadata").path("labels"));
        Map<String, String> namespace = null;
        for (JsonNode configuration : configurations) {
            for (JsonNode webhook : configuration.path("webhooks")) {
                String url = webhook.path("clientConfig").path("url").asText("");
                if (url.isEmpty() || !matchesPods(webhook) || "Ignore".equals(webhook.path("failurePolicy").asText())) {
                    continue;
                }
                if (namespace == null) {
                    namespace = namespaceLabels.get();
                }
                if (!selects(webhook.path("namespaceSelector"), namespace)
                        || !selects(webhook.path("objectSelector"), podLabels)) {
                    continue;
                }
                String host = host(url);
                if (host == null || !answers.test(host)) {
                    return Optional.of("pods not created: Internal error occurred: failed calling webhook \""
                            + webhook.path("name").asText() + "\": failed to call webhook: Post \"" + url
                            + "\": no webhook server answers at " + (host == null ? "that URL" : host));
                }
            }
        }
        return Optional.empty();
    }

    /** A webhook whose rules take CREATE of pods (core group, v1). */
    private static boolean matchesPods(JsonNode webhook) {
        for (JsonNode rule : webhook.path("rules")) {
            if (contains(rule.path("apiGroups"), "", true) && contains(rule.path("resources"), "pods", true)
                    && contains(rule.path("operations"), "CREATE", true)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode array, String value, boolean wildcard) {
        for (JsonNode v : array) {
            if (v.asText().equals(value) || wildcard && v.asText().equals("*")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A label selector (matchLabels and matchExpressions: In, NotIn, Exists, DoesNotExist) against labels; an absent
     * or empty selector selects everything.
     */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        Iterator<Map.Entry<String, JsonNode>> wanted = selector.path("matchLabels").fields();
        while (wanted.hasNext()) {
            Map.Entry<String, JsonNode> w = wanted.next();
            if (!w.getValue().asText().equals(labels.get(w.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.get(expression.path("key").asText());
            boolean listed = value != null && contains(expression.path("values"), value, false);
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> listed;
                case "NotIn" -> !listed;
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false; // the API server refuses any other operator
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A {@code labels} object (metadata.labels) as a map; a missing one is empty. */
    static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new HashMap<>();
        labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
