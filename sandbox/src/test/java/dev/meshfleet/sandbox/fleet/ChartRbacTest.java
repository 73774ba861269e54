package dev.meshfleet.sandbox.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.testkit.RbacAuthorizer;
import dev.meshfleet.testkit.RequestInfo;
import dev.meshfleet.testkit.UserInfo;

/** The sandbox's identities and policy, from the chart rendered for release meshfleet in meshfleet-system (ADR 0021). */
class ChartRbacTest {

    static ChartRbac rbac;

    @BeforeAll
    static void render() {
        rbac = ChartRbac.render(RepoLayout.locate().meshfleetChart(), "gloo-mesh");
    }

    @Test
    void eachServiceWhoseTokenTheChartMountsIsItsServiceAccountAndTheTranslatorHasNone() {
        Map<String, String> users = new java.util.TreeMap<>();
        for (String module : dev.meshfleet.sandbox.RepoLayout.SERVICES) {
            String token = rbac.serviceToken(module);
            users.put(module, token == null ? "(none)" : rbac.tokens().get(token).username());
        }
        assertThat(users).containsExactlyInAnyOrderEntriesOf(Map.of(
                "spec-intake", "system:serviceaccount:meshfleet-system:meshfleet-spec-intake",
                "translator-service", "(none)",
                "installer-service", "system:serviceaccount:meshfleet-system:meshfleet-installer",
                "status-aggregator", "system:serviceaccount:meshfleet-system:meshfleet-status-aggregator"));
        assertThat(rbac.tokens().get(rbac.serviceToken("installer-service")).groups()).containsExactlyInAnyOrder(
                "system:serviceaccounts", "system:serviceaccounts:meshfleet-system", "system:authenticated");
    }

    @Test
    void theInstallerIsToldTheNamespacesTheChartGrantsItAndTheIntakeWatchesEveryNamespace() {
        assertThat(rbac.namespaceProperties("installer-service")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "meshfleet.installer.cluster-secret-namespace", "gloo-mesh",
                "meshfleet.installer.lease.namespace", "meshfleet-system"));
        assertThat(rbac.namespaceProperties("spec-intake")).isEmpty();
    }

    @Test
    void theUsersArePlatformAdminAndAMeshOperatorWhoMayEditIlmsAndNothingElse() {
        assertThat(rbac.userTokens().keySet()).containsExactly("platform-admin", "mesh-operator");
        RbacAuthorizer authorizer = new RbacAuthorizer(rbac.policy());
        UserInfo operator = rbac.tokens().get(rbac.userTokens().get("mesh-operator"));
        String ilm = "/apis/admin.gloo.solo.io/v2/namespaces/gloo-mesh/istiolifecyclemanagers/x";
        assertThat(authorizer.authorize(operator, RequestInfo.parse("PUT", ilm, null)).allowed()).isTrue();
        assertThat(authorizer.authorize(operator, RequestInfo.parse("PATCH", ilm + "/status", null)).allowed()).isFalse();
        assertThat(authorizer.authorize(operator, RequestInfo.parse("GET", "/api/v1/namespaces/gloo-mesh/secrets", null))
                .allowed()).isFalse();
        // Only the chart's grants are reported unused: the operator's role is the sandbox's, not the chart's.
        assertThat(rbac.unusedGrants(authorizer)).noneMatch(g -> g.contains("mesh-operator"))
                .contains("ClusterRole meshfleet-status-aggregator rules[1]: patch istiolifecyclemanagers/status.admin.gloo.solo.io");
    }
}
