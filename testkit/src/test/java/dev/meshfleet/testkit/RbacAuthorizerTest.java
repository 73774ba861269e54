package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

/** The RBAC authorizer's rules, as https://kubernetes.io/docs/reference/access-authn-authz/rbac/ states them. */
class RbacAuthorizerTest {
    private static final UserInfo READER = UserInfo.serviceAccount("sys", "reader");
    private static final UserInfo OTHER = UserInfo.serviceAccount("sys", "other");

    private static final List<HasMetadata> POLICY = List.of(
            new ClusterRoleBuilder().withNewMetadata().withName("crs").endMetadata()
                    .addNewRule().withApiGroups("admin.gloo.solo.io").withResources("istiolifecyclemanagers")
                    .withVerbs("get", "list", "watch").endRule()
                    .addNewRule().withApiGroups("admin.gloo.solo.io").withResources("istiolifecyclemanagers/status")
                    .withVerbs("patch").endRule()
                    .build(),
            new ClusterRoleBindingBuilder().withNewMetadata().withName("crs").endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "crs")
                    .addNewSubject().withKind("ServiceAccount").withName("reader").withNamespace("sys").endSubject().build(),
            new RoleBuilder().withNewMetadata().withName("leases").withNamespace("sys").endMetadata()
                    .addNewRule().withApiGroups("coordination.k8s.io").withResources("leases")
                    .withVerbs("get", "create", "update").endRule()
                    .addNewRule().withApiGroups("").withResources("configmaps").withResourceNames("only-this")
                    .withVerbs("get").endRule()
                    .build(),
            new RoleBindingBuilder().withNewMetadata().withName("leases").withNamespace("sys").endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "Role", "leases")
                    .addNewSubject().withKind("ServiceAccount").withName("reader").withNamespace("sys").endSubject().build(),
            // A ClusterRole bound by a RoleBinding grants in that namespace only.
            new ClusterRoleBuilder().withNewMetadata().withName("secrets-reader").endMetadata()
                    .addNewRule().withApiGroups("").withResources("secrets").withVerbs("list", "watch").endRule().build(),
            new RoleBindingBuilder().withNewMetadata().withName("secrets").withNamespace("clusters").endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "secrets-reader")
                    .addNewSubject().withKind("ServiceAccount").withName("reader").withNamespace("sys").endSubject().build());

    private static boolean allowed(UserInfo user, String method, String path, String query) {
        return new RbacAuthorizer(POLICY).authorize(user, RequestInfo.parse(method, path, query)).allowed();
    }

    @Test
    void aClusterRoleBoundClusterWideAllowsItsVerbsInEveryNamespaceAndNoOther() {
        assertThat(allowed(READER, "GET", "/apis/admin.gloo.solo.io/v2/istiolifecyclemanagers", "watch=true")).isTrue();
        assertThat(allowed(READER, "GET", "/apis/admin.gloo.solo.io/v2/namespaces/a/istiolifecyclemanagers/x", null)).isTrue();
        assertThat(allowed(READER, "PUT", "/apis/admin.gloo.solo.io/v2/namespaces/a/istiolifecyclemanagers/x", null)).isFalse();
        assertThat(allowed(READER, "GET", "/apis/admin.gloo.solo.io/v2/gatewaylifecyclemanagers", null)).isFalse();
        assertThat(allowed(OTHER, "GET", "/apis/admin.gloo.solo.io/v2/istiolifecyclemanagers", null)).isFalse();
    }

    @Test
    void aSubresourceNeedsItsOwnRuleAndTheResourcesRuleDoesNotCoverIt() {
        assertThat(allowed(READER, "PATCH", "/apis/admin.gloo.solo.io/v2/namespaces/a/istiolifecyclemanagers/x/status", null)).isTrue();
        assertThat(allowed(READER, "PATCH", "/apis/admin.gloo.solo.io/v2/namespaces/a/istiolifecyclemanagers/x", null)).isFalse();
        assertThat(allowed(READER, "GET", "/apis/admin.gloo.solo.io/v2/namespaces/a/istiolifecyclemanagers/x/status", null)).isFalse();
    }

    @Test
    void aRoleAllowsOnlyInItsNamespaceAndResourceNamesLimitToThoseObjects() {
        assertThat(allowed(READER, "PUT", "/apis/coordination.k8s.io/v1/namespaces/sys/leases/l1", null)).isTrue();
        assertThat(allowed(READER, "PUT", "/apis/coordination.k8s.io/v1/namespaces/other/leases/l1", null)).isFalse();
        assertThat(allowed(READER, "DELETE", "/apis/coordination.k8s.io/v1/namespaces/sys/leases/l1", null)).isFalse();
        assertThat(allowed(READER, "GET", "/api/v1/namespaces/sys/configmaps/only-this", null)).isTrue();
        assertThat(allowed(READER, "GET", "/api/v1/namespaces/sys/configmaps/another", null)).isFalse();
        assertThat(allowed(READER, "GET", "/api/v1/namespaces/sys/configmaps", null)).as("a list names no object").isFalse();
    }

    @Test
    void aClusterRoleBoundByARoleBindingGrantsInThatNamespaceOnly() {
        assertThat(allowed(READER, "GET", "/api/v1/namespaces/clusters/secrets", "watch=true")).isTrue();
        assertThat(allowed(READER, "GET", "/api/v1/namespaces/kube-system/secrets", null)).isFalse();
        assertThat(allowed(READER, "GET", "/api/v1/secrets", null)).as("all namespaces").isFalse();
    }

    @Test
    void everyAuthenticatedUserMayReadDiscoveryAndTheVersionAndMastersMayDoAnything() {
        assertThat(allowed(OTHER, "GET", "/version", null)).isTrue();
        assertThat(allowed(OTHER, "GET", "/apis/apps/v1", null)).isTrue();
        assertThat(allowed(OTHER, "POST", "/version", null)).isFalse();
        assertThat(allowed(UserInfo.platformAdmin(), "DELETE", "/api/v1/namespaces/kube-system/secrets", null)).isTrue();
    }

    @Test
    void aDenialSaysWhatKubernetesSays() {
        RbacAuthorizer.Decision d = new RbacAuthorizer(POLICY).authorize(READER,
                RequestInfo.parse("DELETE", "/apis/coordination.k8s.io/v1/namespaces/sys/leases/l1", null));
        assertThat(d.reason()).isEqualTo("leases.coordination.k8s.io \"l1\" is forbidden: User "
                + "\"system:serviceaccount:sys:reader\" cannot delete resource \"leases\" in API group "
                + "\"coordination.k8s.io\" in the namespace \"sys\"");
    }

    @Test
    void theRulesNoRequestUsedAreListed() {
        RbacAuthorizer authorizer = new RbacAuthorizer(POLICY);
        assertThat(authorizer.unusedRules()).hasSize(5);
        authorizer.authorize(READER, RequestInfo.parse("GET", "/apis/admin.gloo.solo.io/v2/istiolifecyclemanagers", null));
        authorizer.authorize(READER, RequestInfo.parse("POST", "/apis/coordination.k8s.io/v1/namespaces/sys/leases", null));
        authorizer.authorize(READER, RequestInfo.parse("GET", "/api/v1/namespaces/clusters/secrets", null));
        assertThat(authorizer.unusedRules()).extracting(Object::toString).containsExactlyInAnyOrder(
                "ClusterRole crs rules[1]", "Role sys/leases rules[1]");
    }
}
