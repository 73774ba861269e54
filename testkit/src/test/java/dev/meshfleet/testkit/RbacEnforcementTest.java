package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
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

    private static KubernetesClient client(MockApiServer server, String token) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withOauthToken(token)
                .withNamespace("sys").withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
