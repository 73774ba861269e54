package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class PodAdmissionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INJECT_URL = "https://istiod.example.com:15017/inject/cluster/cluster2/net/network1";

    /** The stand-in istiod chart's remote injector (istiodRemote.injectionURL), with a namespace selector. */
    private static String injector(String url, String failurePolicy, String namespaceSelector, String objectSelector) {
        return """
                {"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration",
                 "metadata":{"name":"istio-sidecar-injector-external-istiod"},
                 "webhooks":[{"name":"namespace.sidecar-injector.istio.io",
                   "clientConfig":{%s},
                   "rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["pods"]}],
                   "namespaceSelector":%s, "objectSelector":%s, %s
                   "sideEffects":"None","admissionReviewVersions":["v1"]}]}"""
                .formatted(url == null ? "\"service\":{\"name\":\"istiod\",\"namespace\":\"istio-system\"}"
                        : "\"url\":\"" + url + "\"", namespaceSelector, objectSelector,
                        failurePolicy == null ? "" : "\"failurePolicy\":\"" + failurePolicy + "\",");
    }

    private static JsonNode workload(String podLabels) throws Exception {
        return JSON.readTree("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"gw","namespace":"istio-ingress"},
                 "spec":{"template":{"metadata":{"labels":%s}}}}""".formatted(podLabels));
    }

    static Stream<Arguments> cases() {
        String enabled = "{\"matchLabels\":{\"istio-injection\":\"enabled\"}}";
        String any = "{}";
        Map<String, String> injected = Map.of("istio-injection", "enabled");
        return Stream.of(
                Arguments.of("no webhook: admitted", List.of(), injected, "{}", Set.of(), false),
                Arguments.of("a URL webhook for the namespace, nothing answers: refused",
                        List.of(injector(INJECT_URL, "Fail", enabled, any)), injected, "{}", Set.of(), true),
                Arguments.of("no failurePolicy is Fail, Kubernetes' default: refused",
                        List.of(injector(INJECT_URL, null, enabled, any)), injected, "{}", Set.of(), true),
                Arguments.of("the istiod answers at the URL's host: admitted",
                        List.of(injector(INJECT_URL, "Fail", enabled, any)), injected, "{}",
                        Set.of("istiod.example.com"), false),
                Arguments.of("another host answers: refused",
                        List.of(injector(INJECT_URL, "Fail", enabled, any)), injected, "{}",
                        Set.of("istiod.example.org"), true),
                Arguments.of("failurePolicy Ignore: the pod is created without a sidecar",
                        List.of(injector(INJECT_URL, "Ignore", enabled, any)), injected, "{}", Set.of(), false),
                Arguments.of("the namespace is not labelled for injection: the webhook is not called",
                        List.of(injector(INJECT_URL, "Fail", enabled, any)), Map.of(), "{}", Set.of(), false),
                Arguments.of("a webhook backed by a Service of the cluster: taken as answering",
                        List.of(injector(null, "Fail", enabled, any)), injected, "{}", Set.of(), false),
                Arguments.of("objectSelector matchExpressions: a pod opting out (inject=false) is not sent",
                        List.of(injector(INJECT_URL, "Fail", any, "{\"matchExpressions\":[{\"key\":"
                                + "\"sidecar.istio.io/inject\",\"operator\":\"NotIn\",\"values\":[\"false\"]}]}")),
                        Map.of(), "{\"sidecar.istio.io/inject\":\"false\"}", Set.of(), false),
                Arguments.of("objectSelector matchExpressions: a pod not opting out is sent, and refused",
                        List.of(injector(INJECT_URL, "Fail", any, "{\"matchExpressions\":[{\"key\":"
                                + "\"sidecar.istio.io/inject\",\"operator\":\"NotIn\",\"values\":[\"false\"]}]}")),
                        Map.of(), "{\"app\":\"gw\"}", Set.of(), true),
                Arguments.of("namespaceSelector Exists on istio.io/rev, namespace without it: not sent",
                        List.of(injector(INJECT_URL, "Fail", "{\"matchExpressions\":[{\"key\":\"istio.io/rev\","
                                + "\"operator\":\"Exists\"}]}", any)), injected, "{}", Set.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aPodIsRefusedOnlyWhenAWebhookThatTakesItCannotBeCalledAndFailsClosed(String name, List<String> configurations,
            Map<String, String> namespaceLabels, String podLabels, Set<String> answering, boolean refused)
            throws Exception {
        List<JsonNode> parsed = configurations.stream().map(c -> {
            try {
                return JSON.readTree(c);
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }).toList();
        Optional<String> refusal = PodAdmission.refusal(workload(podLabels), () -> namespaceLabels, parsed,
                answering::contains);
        assertThat(refusal.isPresent()).as(name).isEqualTo(refused);
        refusal.ifPresent(r -> assertThat(r).contains("namespace.sidecar-injector.istio.io", INJECT_URL,
                "istiod.example.com"));
    }
}
