package dev.meshfleet.deploy;

import static dev.meshfleet.deploy.Rbac.CLUSTER;
import static dev.meshfleet.deploy.Rbac.Grant.of;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;

/**
 * Least privilege in the management cluster (issue 10 item 2). The expected grants are what each
 * service's code calls, read from the code (ADR 0015 lists each call), not from the chart.
 */
class RbacTest {
    private static final String ILM = "istiolifecyclemanagers";
    private static final String GLM = "gatewaylifecyclemanagers";
    private static final String GROUP = "admin.gloo.solo.io";
    private static final String SMC = "servicemeshcontrollers";
    private static final String SMC_GROUP = "operator.gloo.solo.io";
    private static final String ECP = "externalcontrolplanes";
    private static final String ECP_GROUP = "meshfleet.dev";

    @Test
    void noRoleOrClusterRoleHasAWildcardVerbResourceOrGroup() {
        for (Chart.Rendered rendered : List.of(Chart.defaults(), Chart.strimzi(), watchingTwoNamespaces())) {
            assertThat(Rbac.allRules(rendered.objects())).isNotEmpty();
            assertThat(Rbac.wildcards(rendered.objects())).isEmpty();
        }
    }

    @Test
    void eachServiceAccountIsGrantedExactlyWhatItsServiceCalls() {
        List<HasMetadata> objects = Chart.defaults().objects();
        // spec-intake: informers on both kinds in every namespace (list, watch), the finalizer added by an
        // update, a get after a conflict.
        assertThat(grants(objects, "spec-intake")).containsExactlyInAnyOrderElementsOf(Set.of(
                of(CLUSTER, GROUP, ILM, "get"), of(CLUSTER, GROUP, ILM, "list"), of(CLUSTER, GROUP, ILM, "watch"),
                of(CLUSTER, GROUP, ILM, "update"),
                of(CLUSTER, GROUP, GLM, "get"), of(CLUSTER, GROUP, GLM, "list"), of(CLUSTER, GROUP, GLM, "watch"),
                of(CLUSTER, GROUP, GLM, "update"),
                of(CLUSTER, SMC_GROUP, SMC, "get"), of(CLUSTER, SMC_GROUP, SMC, "list"),
                of(CLUSTER, SMC_GROUP, SMC, "watch"), of(CLUSTER, SMC_GROUP, SMC, "update"),
                of(CLUSTER, ECP_GROUP, ECP, "get"), of(CLUSTER, ECP_GROUP, ECP, "list"),
                of(CLUSTER, ECP_GROUP, ECP, "watch"), of(CLUSTER, ECP_GROUP, ECP, "update"),
                of(CLUSTER, "", "configmaps", "list"), of(CLUSTER, "", "configmaps", "watch")));
        // The translator talks to Kafka only.
        assertThat(grants(objects, "translator")).isEmpty();
        // installer: the registration Secrets' informer in one namespace, the root of trust's Secret by name (get); the
        // partitions' Leases (get, create, update: PartitionLeases never lists, watches, patches or deletes one).
        assertThat(grants(objects, "installer")).containsExactlyInAnyOrderElementsOf(Set.of(
                of(Chart.NAMESPACE, "", "secrets", "list"), of(Chart.NAMESPACE, "", "secrets", "watch"),
                of(Chart.NAMESPACE, "", "secrets", "get"),
                of(Chart.NAMESPACE, "coordination.k8s.io", "leases", "get"),
                of(Chart.NAMESPACE, "coordination.k8s.io", "leases", "create"),
                of(Chart.NAMESPACE, "coordination.k8s.io", "leases", "update")));
        // status-aggregator: a get before each status write, a list of each kind (finalizer resync, readiness),
        // a JSON patch of the status subresource and of the finalizers, a patch of each Event, a create of a new one.
        assertThat(grants(objects, "status-aggregator")).containsExactlyInAnyOrderElementsOf(Set.of(
                of(CLUSTER, "", "events", "create"), of(CLUSTER, "", "events", "patch"),
                of(CLUSTER, GROUP, ILM, "get"), of(CLUSTER, GROUP, ILM, "list"), of(CLUSTER, GROUP, ILM, "patch"),
                of(CLUSTER, GROUP, ILM + "/status", "patch"),
                of(CLUSTER, GROUP, GLM, "get"), of(CLUSTER, GROUP, GLM, "list"), of(CLUSTER, GROUP, GLM, "patch"),
                of(CLUSTER, GROUP, GLM + "/status", "patch"),
                of(CLUSTER, SMC_GROUP, SMC, "get"), of(CLUSTER, SMC_GROUP, SMC, "list"),
                of(CLUSTER, SMC_GROUP, SMC, "patch"), of(CLUSTER, SMC_GROUP, SMC + "/status", "patch"),
                of(CLUSTER, ECP_GROUP, ECP, "get"), of(CLUSTER, ECP_GROUP, ECP, "list"),
                of(CLUSTER, ECP_GROUP, ECP, "patch"), of(CLUSTER, ECP_GROUP, ECP + "/status", "patch")));
    }

    @Test
    void registrationSecretsAreReadInTheReleasesNamespaceOnlyAndTheInstallerWatchesOnlyThat() {
        Chart.Rendered rendered = Chart.defaults();
        assertThat(Workloads.properties(rendered, "installer"))
                .containsEntry("meshfleet.installer.cluster-secret-namespace", Chart.NAMESPACE);
        assertThat(secretGrants(rendered)).containsExactlyInAnyOrder(
                of(Chart.NAMESPACE, "", "secrets", "list"), of(Chart.NAMESPACE, "", "secrets", "watch"),
                of(Chart.NAMESPACE, "", "secrets", "get"));

        Chart.Rendered elsewhere = Chart.render(Map.of("kafka.bootstrapServers", Chart.BOOTSTRAP,
                "installer.clusterSecretNamespace", "fleet-clusters"));
        assertThat(Workloads.properties(elsewhere, "installer"))
                .containsEntry("meshfleet.installer.cluster-secret-namespace", "fleet-clusters");
        assertThat(secretGrants(elsewhere)).containsExactlyInAnyOrder(
                of("fleet-clusters", "", "secrets", "list"), of("fleet-clusters", "", "secrets", "watch"),
                of("fleet-clusters", "", "secrets", "get"));
    }

    @Test
    void anIntakeWatchingSomeNamespacesGetsARoleInEachAndNoClusterRole() {
        Chart.Rendered rendered = watchingTwoNamespaces();
        assertThat(Workloads.properties(rendered, "spec-intake")).containsEntry("meshfleet.intake.namespaces", "team-a,team-b");
        assertThat(rendered.all(ClusterRole.class)).extracting(r -> r.getMetadata().getName())
                .doesNotContain("meshfleet-spec-intake");
        Set<Rbac.Grant> expected = new HashSet<>();
        for (String ns : List.of("team-a", "team-b")) {
            for (String kind : List.of(ILM, GLM)) {
                for (String verb : List.of("get", "list", "watch", "update")) {
                    expected.add(of(ns, GROUP, kind, verb));
                }
            }
            for (String verb : List.of("get", "list", "watch", "update")) {
                expected.add(of(ns, SMC_GROUP, SMC, verb));
                expected.add(of(ns, ECP_GROUP, ECP, verb));
            }
            expected.add(of(ns, "", "configmaps", "list"));
            expected.add(of(ns, "", "configmaps", "watch"));
        }
        assertThat(grants(rendered.objects(), "spec-intake")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rendered.all(Role.class)).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
                .contains("team-a/meshfleet-spec-intake", "team-b/meshfleet-spec-intake");
    }

    @Test
    void theIntakeReadsOnlyTheConfigMapNamedGlooExtensionsConfig() {
        for (Chart.Rendered rendered : List.of(Chart.defaults(), watchingTwoNamespaces())) {
            List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> configMapRules = Rbac.allRules(rendered.objects()).stream()
                    .filter(r -> r.getResources().contains("configmaps")).toList();
            assertThat(configMapRules).isNotEmpty();
            assertThat(configMapRules).extracting(io.fabric8.kubernetes.api.model.rbac.PolicyRule::getResourceNames)
                    .containsOnly(List.of("gloo-extensions-config"));
        }
    }

    private static Chart.Rendered watchingTwoNamespaces() {
        return Chart.render(Map.of("kafka.bootstrapServers", Chart.BOOTSTRAP,
                "specIntake.watchNamespaces[0]", "team-a", "specIntake.watchNamespaces[1]", "team-b"));
    }

    private static Set<Rbac.Grant> grants(List<HasMetadata> objects, String component) {
        return Rbac.grants(objects, Chart.NAMESPACE, Workloads.name(component));
    }

    /** Grants on Secrets to any of the four ServiceAccounts. */
    private static List<Rbac.Grant> secretGrants(Chart.Rendered rendered) {
        return Workloads.COMPONENTS.stream().flatMap(c -> grants(rendered.objects(), c).stream())
                .filter(g -> g.resource().equals("secrets")).toList();
    }
}
