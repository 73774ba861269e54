package dev.meshfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meshfleet.testkit.RbacAuthorizer;
import dev.meshfleet.testkit.UserInfo;
import dev.meshfleet.testkit.RequestInfo;

/**
 * The requests each service makes to the management cluster (read from its code: the paths Fabric8 sends
 * for those calls), authorized by Kubernetes' RBAC rules against the chart's roles: every one is allowed,
 * every rule of the chart allows at least one of them, and a neighbouring request is refused.
 */
class ServiceRequestsAuthorizedTest {
    private static final String ILMS = "/apis/admin.gloo.solo.io/v2/istiolifecyclemanagers";
    private static final String GLMS = "/apis/admin.gloo.solo.io/v2/gatewaylifecyclemanagers";
    private static final String ILM = "/apis/admin.gloo.solo.io/v2/namespaces/gloo-mesh/istiolifecyclemanagers/a";
    private static final String GLM = "/apis/admin.gloo.solo.io/v2/namespaces/gloo-mesh/gatewaylifecyclemanagers/b";
    private static final String SMCS = "/apis/operator.gloo.solo.io/v1/servicemeshcontrollers";
    private static final String SMC = "/apis/operator.gloo.solo.io/v1/namespaces/gloo-mesh/servicemeshcontrollers/c";
    private static final String ECPS = "/apis/meshfleet.dev/v1alpha1/externalcontrolplanes";
    private static final String ECP = "/apis/meshfleet.dev/v1alpha1/namespaces/gloo-mesh/externalcontrolplanes/d";
    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/" + Chart.NAMESPACE + "/leases";
    private static final String SECRETS = "/api/v1/namespaces/" + Chart.NAMESPACE + "/secrets";

    /** method, path, query: what the service's code sends. */
    private static final Map<String, List<String[]>> REQUESTS = Map.of(
            // LifecycleWatch (an informer per kind: list, watch), Finalizers (update, get after a 409)
            "spec-intake", List.of(
                    req("GET", ILMS, null), req("GET", ILMS, "watch=true"), req("GET", GLMS, null),
                    req("GET", GLMS, "watch=true"), req("PUT", ILM, null), req("GET", ILM, null), req("PUT", GLM, null),
                    req("GET", GLM, null), req("GET", SMCS, null), req("GET", SMCS, "watch=true"), req("PUT", SMC, null),
                    req("GET", SMC, null), req("GET", ECPS, null), req("GET", ECPS, "watch=true"), req("PUT", ECP, null),
                    req("GET", ECP, null),
                    // and the informer on seed 003's gloo-extensions-config, by name (docs/adr/0045)
                    req("GET", "/api/v1/configmaps", "fieldSelector=metadata.name%3Dgloo-extensions-config"),
                    req("GET", "/api/v1/configmaps", "fieldSelector=metadata.name%3Dgloo-extensions-config&watch=true")),
            // ClusterRegistry (Secret informer in one namespace), PartitionLeases, InstallerReadiness (/version),
            // RootOfTrust (a get of the root's Secret by name; docs/adr/0028)
            "installer", List.of(
                    req("GET", SECRETS + "/meshfleet-root-ca", null),
                    req("GET", SECRETS, "labelSelector=meshfleet.dev%2Fcluster"),
                    req("GET", SECRETS, "labelSelector=meshfleet.dev%2Fcluster&watch=true"),
                    req("GET", LEASES + "/meshfleet.install-plans-0", null), req("POST", LEASES, null),
                    req("PUT", LEASES + "/meshfleet.install-plans-0", null), req("GET", "/version", null)),
            // StatusWriter (get, status patch, finalizer patch, resync list), AggregatorReadiness (list limit 1),
            // EventRecorder (a merge patch of each Event, a create when there is none yet)
            "status-aggregator", List.of(
                    req("PATCH", "/api/v1/namespaces/gloo-mesh/events/istiod-control-plane.0123456789abcdef", null),
                    req("POST", "/api/v1/namespaces/gloo-mesh/events", null),
                    req("GET", ILM, null), req("PATCH", ILM + "/status", null), req("PATCH", ILM, null),
                    req("GET", ILMS, null), req("GET", ILMS, "limit=1"),
                    req("GET", GLM, null), req("PATCH", GLM + "/status", null), req("PATCH", GLM, null),
                    req("GET", GLMS, null),
                    req("GET", SMC, null), req("PATCH", SMC + "/status", null), req("PATCH", SMC, null),
                    req("GET", SMCS, null),
                    req("GET", ECP, null), req("PATCH", ECP + "/status", null), req("PATCH", ECP, null),
                    req("GET", ECPS, null)),
            "translator", List.of());

    @Test
    void everyRequestOfEveryServiceIsAllowedAndEveryRuleIsUsed() {
        for (Chart.Rendered rendered : List.of(Chart.defaults(), Chart.strimzi())) {
            RbacAuthorizer authorizer = new RbacAuthorizer(rendered.objects());
            REQUESTS.forEach((component, requests) -> {
                for (String[] r : requests) {
                    var decision = authorizer.authorize(user(component), RequestInfo.parse(r[0], r[1], r[2]));
                    assertThat(decision.allowed()).as(component + " " + String.join(" ", r) + ": " + decision.reason())
                            .isTrue();
                }
            });
            assertThat(authorizer.unusedRules()).isEmpty();
        }
    }

    @Test
    void whatNoServiceDoesIsRefused() {
        RbacAuthorizer authorizer = new RbacAuthorizer(Chart.defaults().objects());
        Map<String, String[]> refused = Map.of(
                "installer", req("GET", "/api/v1/namespaces/kube-system/secrets", null),
                "spec-intake", req("PATCH", ILM + "/status", null),
                "status-aggregator", req("PUT", ILM, null),
                "translator", req("GET", ILMS, null));
        refused.forEach((component, r) -> assertThat(authorizer.authorize(user(component),
                RequestInfo.parse(r[0], r[1], r[2])).allowed()).as(component + " " + r[0] + " " + r[1]).isFalse());
        assertThat(authorizer.authorize(user("installer"), RequestInfo.parse("DELETE", LEASES + "/x", null)).reason())
                .contains("cannot delete resource \"leases\"");
        // The root of trust is read by name: no other Secret of the namespace, and no create unless asked to generate.
        assertThat(authorizer.authorize(user("installer"), RequestInfo.parse("GET", SECRETS + "/another", null))
                .allowed()).isFalse();
        assertThat(authorizer.authorize(user("installer"), RequestInfo.parse("POST", SECRETS, null)).allowed()).isFalse();
        // The intake lists ConfigMaps by the one name only: any other list of them is refused.
        assertThat(authorizer.authorize(user("spec-intake"), RequestInfo.parse("GET", "/api/v1/configmaps", null))
                .allowed()).isFalse();
        assertThat(authorizer.authorize(user("spec-intake"), RequestInfo.parse("GET",
                "/api/v1/namespaces/gloo-mesh/configmaps/kube-root-ca.crt", null)).allowed()).isFalse();
        RbacAuthorizer generating = new RbacAuthorizer(Chart.render(Map.of("kafka.bootstrapServers", Chart.BOOTSTRAP,
                "installer.trust.generateRoot", "true")).objects());
        assertThat(generating.authorize(user("installer"), RequestInfo.parse("POST", SECRETS, null)).allowed()).isTrue();
    }

    private static UserInfo user(String component) {
        return UserInfo.serviceAccount(Chart.NAMESPACE, Workloads.name(component));
    }

    private static String[] req(String method, String path, String query) {
        return new String[] {method, path, query};
    }
}
