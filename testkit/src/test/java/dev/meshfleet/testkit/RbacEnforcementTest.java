package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;

/** MockApiServer authenticating each ServiceAccount by its token and authorizing it as Kubernetes' RBAC does. */
class RbacEnforcementTest {

    @Test
    void aServerSideApplyThatCreatesItsObjectNeedsCreateAsWellAsPatchAndOneThatChangesItNeedsPatchOnly() throws Exception {
        // https://kubernetes.io/docs/reference/using-api/server-side-apply/ (RBAC and permissions)
        try (MockApiServer server = MockApiServer.start()) {
            RbacAuthorizer authorizer = new RbacAuthorizer(List.of(
                    new RoleBuilder().withNewMetadata().withName("patcher").withNamespace("sys").endMetadata()
                            .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("patch").endRule().build(),
                    new RoleBindingBuilder().withNewMetadata().withName("patcher").withNamespace("sys").endMetadata()
                            .withNewRoleRef("rbac.authorization.k8s.io", "Role", "patcher")
                            .addNewSubject().withKind("ServiceAccount").withName("svc").withNamespace("sys").endSubject()
                            .build()));
            server.enforceRbac(authorizer, Map.of("svc-token", UserInfo.serviceAccount("sys", "svc")));
            ConfigMap applied = new ConfigMapBuilder().withNewMetadata().withName("applied").withNamespace("sys")
                    .endMetadata().addToData("k", "v1").build();

            try (KubernetesClient svc = client(server, "svc-token")) {
                assertThatThrownBy(() -> svc.resource(applied).fieldManager("m").forceConflicts().serverSideApply())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(403);
                            assertThat(e.getStatus().getMessage()).contains("cannot create resource \"configmaps\"");
                        });
                server.client().resource(applied).create();

                ConfigMap changed = svc.resource(new ConfigMapBuilder(applied).addToData("k", "v2").build())
                        .fieldManager("m").forceConflicts().serverSideApply();

                assertThat(changed.getData()).containsEntry("k", "v2");
            }
        }
    }

    @Test
    void aServiceAccountMayDoWhatItsRoleAllowsAndIsRefusedTheRestWithKubernetesStatus() throws Exception {
        try (MockApiServer server = MockApiServer.start()) {
            server.client().configMaps().inNamespace("sys").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("seen").endMetadata().build()).create();
            RbacAuthorizer authorizer = new RbacAuthorizer(List.of(
                    new RoleBuilder().withNewMetadata().withName("cm").withNamespace("sys").endMetadata()
                            .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("list", "watch").endRule()
                            .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("delete").endRule()
                            .build(),
                    new RoleBindingBuilder().withNewMetadata().withName("cm").withNamespace("sys").endMetadata()
                            .withNewRoleRef("rbac.authorization.k8s.io", "Role", "cm")
                            .addNewSubject().withKind("ServiceAccount").withName("svc").withNamespace("sys").endSubject()
                            .build()));
            server.enforceRbac(authorizer, Map.of("svc-token", UserInfo.serviceAccount("sys", "svc")));

            try (KubernetesClient svc = client(server, "svc-token"); KubernetesClient stranger = client(server, "nobody");
                    KubernetesClient anonymous = client(server, null)) {
                // An informer (list, then watch) syncs.
                SharedIndexInformer<ConfigMap> informer = svc.configMaps().inNamespace("sys").inform();
                try {
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(informer::hasSynced);
                    assertThat(informer.getStore().list()).extracting(c -> c.getMetadata().getName()).containsExactly("seen");
                } finally {
                    informer.close();
                }
                assertThat(svc.getKubernetesVersion().getMinor()).isNotBlank();

                assertThatThrownBy(() -> svc.configMaps().inNamespace("sys").resource(new ConfigMapBuilder()
                        .withNewMetadata().withName("new").endMetadata().build()).create())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(403);
                            assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                            assertThat(e.getStatus().getMessage()).isEqualTo("configmaps is forbidden: User "
                                    + "\"system:serviceaccount:sys:svc\" cannot create resource \"configmaps\" in API group "
                                    + "\"\" in the namespace \"sys\"");
                        });
                assertThatThrownBy(() -> svc.configMaps().inNamespace("other").list())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
                assertThatThrownBy(() -> stranger.configMaps().inNamespace("sys").list())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
                // No token at all is system:anonymous, whom no rule allows this: 403, not 401, as Kubernetes answers.
                assertThatThrownBy(() -> anonymous.configMaps().inNamespace("sys").list())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(403);
                            assertThat(e.getStatus().getMessage()).isEqualTo("configmaps is forbidden: User "
                                    + "\"system:anonymous\" cannot list resource \"configmaps\" in API group \"\" in the "
                                    + "namespace \"sys\"");
                        });
                assertThat(server.rbacDenials()).containsExactly(
                        "system:serviceaccount:sys:svc: configmaps is forbidden: User \"system:serviceaccount:sys:svc\" "
                                + "cannot create resource \"configmaps\" in API group \"\" in the namespace \"sys\"",
                        "system:serviceaccount:sys:svc: configmaps is forbidden: User \"system:serviceaccount:sys:svc\" "
                                + "cannot list resource \"configmaps\" in API group \"\" in the namespace \"other\"",
                        "system:anonymous: configmaps is forbidden: User \"system:anonymous\" cannot list resource "
                                + "\"configmaps\" in API group \"\" in the namespace \"sys\"");
                // Nothing was written by the refused create; the administrator's token still may do anything.
                assertThat(server.client().configMaps().inNamespace("sys").list().getItems()).hasSize(1);
                // The delete rule allowed nothing yet.
                assertThat(authorizer.unusedRules()).extracting(Object::toString).containsExactly("Role sys/cm rules[1]");
                assertThat(authorizer.unusedGrants()).extracting(Object::toString)
                        .containsExactly("Role sys/cm rules[1]: delete configmaps");
            }
        }
    }

    @Test
    void theUserTheServerAuthenticatedTravelsWithTheRequestAndAClientCannotClaimOne() {
        Headers sent = Headers.builder().add("Authorization", "Bearer t").add(UserInfo.USER_HEADER, "platform-admin")
                .add(UserInfo.GROUPS_HEADER, "system:masters").build();
        RecordedRequest request = new RecordedRequest("HTTP/1.1", HttpMethod.GET, "/api/v1/namespaces/sys/configmaps", sent,
                null);

        UserInfo operator = UserInfo.user("mesh-operator", "meshfleet:operators");
        assertThat(UserInfo.of(MockApiServer.forward(request, "/api/v1/namespaces/sys/configmaps", operator)))
                .contains(new UserInfo("mesh-operator", Set.of("meshfleet:operators", "system:authenticated")));
        assertThat(UserInfo.of(MockApiServer.forward(request, "/api/v1/namespaces/sys/configmaps", null)))
                .as("a workload cluster's request, which is not authenticated").isEmpty();
    }

    /** The installer's identity in every workload cluster: a ClusterRole bound to its ServiceAccount. */
    private static RbacAuthorizer installerRole(ClusterRoleBuilder role) {
        return new RbacAuthorizer(List.of(role.withNewMetadata().withName("installer").endMetadata().build(),
                new ClusterRoleBindingBuilder().withNewMetadata().withName("installer").endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "installer")
                        .addNewSubject().withKind("ServiceAccount").withName("installer").withNamespace("meshfleet-system")
                        .endSubject().build()));
    }

    @Test
    void everyWorkloadClusterRefusesWhatTheRoleDoesNotAllowWithKubernetesStatusAndRecordsItsCluster() throws Exception {
        try (MockApiServer server = MockApiServer.start()) {
            RbacAuthorizer authorizer = installerRole(new ClusterRoleBuilder()
                    .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("list", "watch").endRule());
            server.enforceWorkloadRbac(authorizer, Map.of("installer-token",
                    UserInfo.serviceAccount("meshfleet-system", "installer")));
            server.client("cluster2").configMaps().inNamespace("istio-system").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("seen").endMetadata().build()).create();

            try (KubernetesClient installer1 = clusterClient(server, "cluster1", "installer-token");
                    KubernetesClient installer2 = clusterClient(server, "cluster2", "installer-token");
                    KubernetesClient stranger = clusterClient(server, "cluster1", "made-up");
                    KubernetesClient anonymous = clusterClient(server, "cluster1", null);
                    KubernetesClient onManagement = client(server, "installer-token")) {
                // Allowed in every cluster, a watch included (an informer lists, then watches).
                assertThat(installer1.configMaps().inAnyNamespace().list().getItems()).isEmpty();
                SharedIndexInformer<ConfigMap> informer = installer2.configMaps().inNamespace("istio-system").inform();
                try {
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(informer::hasSynced);
                    assertThat(informer.getStore().list()).extracting(c -> c.getMetadata().getName()).containsExactly("seen");
                } finally {
                    informer.close();
                }

                assertThatThrownBy(() -> installer2.secrets().inNamespace("istio-system").withName("cacerts").get())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(403);
                            assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                            assertThat(e.getStatus().getMessage()).isEqualTo("secrets \"cacerts\" is forbidden: User "
                                    + "\"system:serviceaccount:meshfleet-system:installer\" cannot get resource \"secrets\" in"
                                    + " API group \"\" in the namespace \"istio-system\"");
                        });
                assertThatThrownBy(() -> installer1.rbac().clusterRoles().list())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(403);
                            assertThat(e.getStatus().getMessage()).isEqualTo("clusterroles.rbac.authorization.k8s.io is"
                                    + " forbidden: User \"system:serviceaccount:meshfleet-system:installer\" cannot list"
                                    + " resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope");
                        });
                assertThatThrownBy(() -> stranger.configMaps().inAnyNamespace().list())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
                assertThatThrownBy(() -> anonymous.configMaps().inAnyNamespace().list())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
                // The management cluster enforces nothing here: the workload clusters' policy is theirs alone.
                assertThat(onManagement.secrets().inAnyNamespace().list().getItems()).isEmpty();

                assertThat(server.workloadRbacDenials()).extracting(Object::toString).containsExactly(
                        "cluster2: system:serviceaccount:meshfleet-system:installer: secrets \"cacerts\" is forbidden: User"
                                + " \"system:serviceaccount:meshfleet-system:installer\" cannot get resource \"secrets\" in API"
                                + " group \"\" in the namespace \"istio-system\"",
                        "cluster1: system:serviceaccount:meshfleet-system:installer: clusterroles.rbac.authorization.k8s.io"
                                + " is forbidden: User \"system:serviceaccount:meshfleet-system:installer\" cannot list resource"
                                + " \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope",
                        "cluster1: system:anonymous: configmaps is forbidden: User \"system:anonymous\" cannot list"
                                + " resource \"configmaps\" in API group \"\" at the cluster scope");
                assertThat(server.workloadRbacDenials().get(0).cluster()).isEqualTo("cluster2");
                assertThat(server.rbacDenials()).as("the management cluster's refusals").isEmpty();
                // The administrator's token (the simulator's, kubectl's, server.client(cluster)'s) may still do anything.
                server.client("cluster1").secrets().inNamespace("istio-system").resource(new SecretBuilder()
                        .withNewMetadata().withName("cacerts").endMetadata().build()).create();
                assertThat(server.client("cluster1").rbac().clusterRoles().list().getItems()).isEmpty();
            }
        }
    }

    @Test
    void aServerSideApplyToAWorkloadClusterIsACreateWhenItsObjectIsMissingFromThatClusterNotFromAnother() throws Exception {
        try (MockApiServer server = MockApiServer.start()) {
            server.enforceWorkloadRbac(installerRole(new ClusterRoleBuilder()
                    .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("patch").endRule()),
                    Map.of("installer-token", UserInfo.serviceAccount("meshfleet-system", "installer")));
            ConfigMap applied = new ConfigMapBuilder().withNewMetadata().withName("inventory").withNamespace("meshfleet-system")
                    .endMetadata().addToData("k", "v1").build();
            // The same object exists in cluster1 and in the management cluster, not in cluster2.
            server.client("cluster1").resource(applied).create();
            server.client().resource(applied).create();

            try (KubernetesClient installer1 = clusterClient(server, "cluster1", "installer-token");
                    KubernetesClient installer2 = clusterClient(server, "cluster2", "installer-token")) {
                ConfigMap changed = installer1.resource(new ConfigMapBuilder(applied).addToData("k", "v2").build())
                        .fieldManager("meshfleet").forceConflicts().serverSideApply();
                assertThat(changed.getData()).containsEntry("k", "v2");

                assertThatThrownBy(() -> installer2.resource(applied).fieldManager("meshfleet").forceConflicts()
                        .serverSideApply())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(403);
                            assertThat(e.getStatus().getMessage()).isEqualTo("configmaps \"inventory\" is forbidden: User"
                                    + " \"system:serviceaccount:meshfleet-system:installer\" cannot create resource"
                                    + " \"configmaps\" in API group \"\" in the namespace \"meshfleet-system\"");
                        });
            }
            assertThat(server.client("cluster2").configMaps().inNamespace("meshfleet-system").withName("inventory").get())
                    .as("nothing written by the refused apply").isNull();
            assertThat(server.workloadRbacDenials()).extracting(MockApiServer.WorkloadDenial::cluster)
                    .containsExactly("cluster2");
        }
    }

    @Test
    void withoutWorkloadEnforcementAWorkloadClusterRefusesNoOneEvenWhenTheManagementClusterEnforcesRbac() {
        try (MockApiServer server = MockApiServer.start()) {
            server.enforceRbac(new RbacAuthorizer(List.of()), Map.of());
            try (KubernetesClient anonymous = clusterClient(server, "cluster1", null)) {
                anonymous.configMaps().inNamespace("istio-system").resource(new ConfigMapBuilder().withNewMetadata()
                        .withName("written").endMetadata().build()).create();
                assertThat(anonymous.configMaps().inNamespace("istio-system").list().getItems()).hasSize(1);
            }
            assertThat(server.workloadRbacDenials()).isEmpty();
        }
    }

    private static KubernetesClient clusterClient(MockApiServer server, String cluster, String token) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.clusterUrl(cluster)).withOauthToken(token)
                .withNamespace("sys").withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static KubernetesClient client(MockApiServer server, String token) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withOauthToken(token)
                .withNamespace("sys").withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
