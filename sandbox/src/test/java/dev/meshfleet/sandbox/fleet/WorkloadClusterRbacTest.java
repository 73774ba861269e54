package dev.meshfleet.sandbox.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.testkit.RbacAuthorizer;
import dev.meshfleet.testkit.RequestInfo;
import dev.meshfleet.testkit.UserInfo;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;

/** The installer's identity and policy in the sandbox's workload clusters, from deploy/workload-cluster/installer-role.yaml. */
class WorkloadClusterRbacTest {

    @Test
    void theInstallerIsTheFilesServiceAccountAndItsTokenIsAuthorizedByTheFilesRole() {
        WorkloadClusterRbac rbac = WorkloadClusterRbac.load(RepoLayout.locate().workloadClusterRole());

        assertThat(rbac.installer().username()).isEqualTo("system:serviceaccount:meshfleet-system:meshfleet-installer");
        assertThat(rbac.tokens()).containsOnlyKeys(rbac.installerToken()).containsValue(rbac.installer());
        assertThat(rbac.policy()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrder("ClusterRole/meshfleet-installer", "ClusterRoleBinding/meshfleet-installer");
        RbacAuthorizer authorizer = new RbacAuthorizer(rbac.policy());
        assertThat(authorizer.authorize(rbac.installer(), RequestInfo.parse("PATCH",
                "/apis/apps/v1/namespaces/istio-system/deployments/istiod-1-24", null)).allowed()).isTrue();
        assertThat(authorizer.authorize(rbac.installer(), RequestInfo.parse("GET",
                "/api/v1/namespaces/istio-system/secrets/cacerts", null)).allowed()).isTrue();
        assertThat(authorizer.authorize(rbac.installer(), RequestInfo.parse("GET",
                "/api/v1/namespaces/kube-system/secrets/bootstrap-token", null)).allowed()).isFalse();
        assertThat(authorizer.authorize(UserInfo.serviceAccount("meshfleet-system", "default"), RequestInfo.parse("PATCH",
                "/apis/apps/v1/namespaces/istio-system/deployments/istiod-1-24", null)).allowed())
                .as("another ServiceAccount of the namespace").isFalse();
        // A new token per sandbox: nothing guessable, never the administrator's.
        assertThat(rbac.installerToken()).hasSize(32).isNotEqualTo(WorkloadClusterRbac
                .load(RepoLayout.locate().workloadClusterRole()).installerToken()).isNotEqualTo("mock-token");
    }

    @Test
    void aRoleFileWithoutExactlyOneServiceAccountIsRefusedNamingIt() {
        Path file = Path.of("installer-role.yaml");
        assertThatThrownBy(() -> WorkloadClusterRbac.of(file, List.of()))
                .hasMessage("installer-role.yaml must hold exactly one ServiceAccount, the installer's identity in each"
                        + " workload cluster; it holds 0");
        var account = new ServiceAccountBuilder().withNewMetadata().withName("a").withNamespace("ns").endMetadata().build();
        assertThatThrownBy(() -> WorkloadClusterRbac.of(file, List.of(account, account))).hasMessageEndingWith("it holds 2");
    }
}
