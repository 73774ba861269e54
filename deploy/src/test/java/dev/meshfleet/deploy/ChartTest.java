package dev.meshfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.marcnuri.helm.Helm;

import dev.meshfleet.schemas.crd.Crds;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/** The chart as `helm install meshfleet deploy/helm/meshfleet --set kafka.bootstrapServers=...` renders it. */
class ChartTest {

    @Test
    void everyServiceGetsAServiceAccountAWorkloadAPodDisruptionBudgetAndAMetricsService() {
        Chart.Rendered rendered = Chart.defaults();
        assertThat(rendered.all(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactly("meshfleet-spec-intake");
        assertThat(rendered.all(StatefulSet.class)).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("meshfleet-translator", "meshfleet-installer", "meshfleet-status-aggregator");
        for (String component : Workloads.COMPONENTS) {
            String name = Workloads.name(component);
            PodTemplateSpec pod = Workloads.pod(rendered, component);
            Map<String, String> podLabels = pod.getMetadata().getLabels();
            assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(name);
            assertThat(rendered.one(ServiceAccount.class, name).getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);

            PodDisruptionBudget pdb = rendered.one(PodDisruptionBudget.class, name);
            assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).as(name).isEqualTo(1);

            Service metrics = rendered.one(Service.class, name);
            assertThat(podLabels).containsAllEntriesOf(metrics.getSpec().getSelector());
            assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(8080);
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
            assertThat(container(pod).getPorts()).filteredOn(p -> p.getName().equals("http")).singleElement()
                    .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
            // spec-intake also serves its admission webhook over HTTPS (AdmissionWebhookChartTest).
            assertThat(container(pod).getPorts()).extracting(p -> p.getName())
                    .containsExactlyElementsOf(component.equals("spec-intake") ? List.of("http", "https") : List.of("http"));
            assertThat(Workloads.properties(rendered, component)).containsEntry("quarkus.http.port", "8080")
                    .containsEntry("kafka.bootstrap.servers", Chart.BOOTSTRAP);
        }
        // A StatefulSet names its governing Service; here the metrics Service, headless.
        for (StatefulSet set : rendered.all(StatefulSet.class)) {
            Service governing = rendered.one(Service.class, set.getSpec().getServiceName());
            assertThat(governing.getSpec().getClusterIP()).isEqualTo("None");
        }
    }

    @Test
    void everyContainerIsProbedLimitedAndRunsUnderTheRestrictedPodSecurityStandard() {
        Chart.Rendered rendered = Chart.defaults();
        for (String component : Workloads.COMPONENTS) {
            PodTemplateSpec pod = Workloads.pod(rendered, component);
            Container c = container(pod);
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(component).isEqualTo("/q/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(component).isEqualTo("/q/health/ready");
            assertThat(c.getResources().getRequests()).as(component).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(component).containsKey("memory");

            var podSecurity = pod.getSpec().getSecurityContext();
            assertThat(podSecurity.getRunAsNonRoot()).as(component).isTrue();
            assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            var security = c.getSecurityContext();
            assertThat(security.getRunAsNonRoot()).as(component).isTrue();
            assertThat(security.getReadOnlyRootFilesystem()).as(component).isTrue();
            assertThat(security.getAllowPrivilegeEscalation()).as(component).isFalse();
            assertThat(security.getCapabilities().getDrop()).as(component).containsExactly("ALL");
            assertThat(security.getCapabilities().getAdd()).as(component).isNullOrEmpty();
            assertThat(security.getSeccompProfile().getType()).as(component).isEqualTo("RuntimeDefault");
            assertThat(security.getPrivileged()).as(component).isNotEqualTo(Boolean.TRUE);

            assertThat(emptyDirAt(pod, "/tmp")).as(component + ": /tmp is writable").isTrue();
        }
    }

    @Test
    void theStreamsStateDirectoriesAreEmptyDirsWhereTheServicesAreToldToKeepThem() {
        Chart.Rendered rendered = Chart.defaults();
        Map<String, String> stateDirKey = Map.of("translator", "meshfleet.translator.state-dir",
                "status-aggregator", "meshfleet.aggregator.state-dir");
        stateDirKey.forEach((component, key) -> {
            String dir = Workloads.properties(rendered, component).get(key);
            assertThat(dir).as(key).isNotBlank().doesNotStartWith("/tmp");
            assertThat(emptyDirAt(Workloads.pod(rendered, component), dir)).as(component + " " + dir).isTrue();
        });
    }

    @Test
    void servicesCreateNoTopicsAndTheConsumersUseTheirPodNameAsStaticMember() {
        Chart.Rendered rendered = Chart.defaults();
        Map<String, String> prefix = Map.of("spec-intake", "meshfleet.intake.", "translator", "meshfleet.translator.",
                "installer", "meshfleet.installer.", "status-aggregator", "meshfleet.aggregator.");
        for (String component : Workloads.COMPONENTS) {
            Map<String, String> p = Workloads.properties(rendered, component);
            assertThat(p).as(component).containsEntry(prefix.get(component) + "create-topics", "false");
            Container c = container(Workloads.pod(rendered, component));
            assertThat(c.getEnv()).as(component).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("POD_NAME");
                assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
            });
            assertThat(c.getEnv()).as(component).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("QUARKUS_CONFIG_LOCATIONS");
                assertThat(e.getValue()).isEqualTo("/etc/meshfleet/config/application.properties");
            });
            if (!"spec-intake".equals(component)) {
                assertThat(p).as(component).containsEntry(prefix.get(component) + "group-instance-id", "${POD_NAME}");
            }
        }
        // The installer's replica id is its Lease holder identity: one per pod, stable across restarts.
        assertThat(Workloads.properties(rendered, "installer")).containsEntry("meshfleet.installer.replica-id",
                "${POD_NAME}").containsEntry("meshfleet.installer.lease.namespace", Chart.NAMESPACE);
    }

    @Test
    void theTranslatorGetsNoKubernetesToken() {
        Chart.Rendered rendered = Chart.defaults();
        assertThat(rendered.one(ServiceAccount.class, "meshfleet-translator").getAutomountServiceAccountToken()).isFalse();
        assertThat(Workloads.pod(rendered, "translator").getSpec().getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void kafkaBootstrapServersIsRequired() {
        assertThatThrownBy(() -> Chart.render(Map.of())).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> Chart.render(Map.of("kafka.bootstrapServers", "")))
                .hasMessageContaining("bootstrapServers");
    }

    @Test
    void valuesTheChartDoesNotKnowAreRefused() {
        assertThatThrownBy(() -> Chart.render(Map.of("kafka.bootstrapServers", Chart.BOOTSTRAP, "kafka.bootstrap", "x")))
                .hasMessageContaining("bootstrap");
        assertThatThrownBy(() -> Chart.render(Map.of("kafka.bootstrapServers", Chart.BOOTSTRAP,
                "kafka.authentication.type", "plain"))).hasMessageContaining("authentication");
    }

    @Test
    void serviceConfigValuesReachTheServiceAndWinOverTheChartsOwn() {
        Chart.Rendered rendered = Chart.render(Map.of("kafka.bootstrapServers", Chart.BOOTSTRAP,
                "installer.config.meshfleet\\.installer\\.resync-period", "60s",
                "installer.config.meshfleet\\.installer\\.create-topics", "true"));
        assertThat(Workloads.properties(rendered, "installer"))
                .containsEntry("meshfleet.installer.resync-period", "60s")
                .containsEntry("meshfleet.installer.create-topics", "true");
    }

    @Test
    void chartSourcesReachBothServicesAndTheInstallerMayGetOnlyTheCredentialsSecret() {
        Chart.Rendered rendered = Chart.render(Map.of("kafka.bootstrapServers", Chart.BOOTSTRAP,
                "chartSources.default", "https://charts.example.com/istio",
                "chartSources.allowed[0]", "oci://registry.example/istio-charts",
                "chartSources.credentialsSecret", "chart-credentials"));
        assertThat(Workloads.properties(rendered, "translator"))
                .containsEntry("meshfleet.translator.default-chart-source", "https://charts.example.com/istio")
                .containsEntry("meshfleet.translator.allowed-chart-sources", "oci://registry.example/istio-charts");
        assertThat(Workloads.properties(rendered, "installer"))
                .containsEntry("meshfleet.installer.allowed-chart-sources",
                        "oci://registry.example/istio-charts,https://charts.example.com/istio")
                .containsEntry("meshfleet.installer.chart-credentials-secret", "chart-credentials");
        io.fabric8.kubernetes.api.model.rbac.Role role = rendered.all(io.fabric8.kubernetes.api.model.rbac.Role.class)
                .stream().filter(r -> r.getMetadata().getName().endsWith("-chart-credentials")).findFirst().orElseThrow();
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("secrets");
            assertThat(rule.getResourceNames()).containsExactly("chart-credentials");
            assertThat(rule.getVerbs()).containsExactly("get");
        });
        assertThat(Chart.defaults().all(io.fabric8.kubernetes.api.model.rbac.Role.class))
                .extracting(r -> r.getMetadata().getName()).noneMatch(n -> n.endsWith("-chart-credentials"));
        assertThat(Workloads.properties(Chart.defaults(), "installer")).doesNotContainKey(
                "meshfleet.installer.allowed-chart-sources");
    }

    @Test
    void aServiceMonitorScrapesTheFourMetricsServicesWhenAskedFor() {
        assertThat(Chart.defaults().kind("ServiceMonitor")).isEmpty();
        Chart.Rendered rendered = Chart.render(Map.of("kafka.bootstrapServers", Chart.BOOTSTRAP,
                "serviceMonitor.enabled", "true"));
        HasMetadata monitor = rendered.kind("ServiceMonitor").get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) ((io.fabric8.kubernetes.api.model.GenericKubernetesResource) monitor)
                .getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        List<String> selected = rendered.all(Service.class).stream()
                .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .map(s -> s.getMetadata().getName()).toList();
        assertThat(selected).containsExactlyInAnyOrder("meshfleet-spec-intake", "meshfleet-translator",
                "meshfleet-installer", "meshfleet-status-aggregator");
        assertThat(spec.get("endpoints").toString()).contains("path=/q/metrics").contains("port=http");
    }

    @Test
    void theChartsCrdsAreTheSchemasModulesCrds() throws IOException {
        // `helm show crds` of this Helm version concatenates the files of crds/ without a document separator.
        List<CustomResourceDefinition> shipped = Chart.parse(separateFiles(new Helm(Chart.DIR).show().crds().call()))
                .stream().map(CustomResourceDefinition.class::cast).toList();
        assertThat(shipped).hasSize(Crds.CRD_RESOURCES.size());
        Map<String, CustomResourceDefinition> expected = new HashMap<>();
        for (String resource : Crds.CRD_RESOURCES) {
            try (InputStream in = Crds.class.getClassLoader().getResourceAsStream(resource)) {
                CustomResourceDefinition crd = Chart.SERIALIZATION.unmarshal(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8), CustomResourceDefinition.class);
                expected.put(crd.getMetadata().getName(), crd);
            }
        }
        assertThat(shipped.stream().collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c)))
                .isEqualTo(expected);
    }

    /** Puts a document separator before each top-level apiVersion that follows another. */
    private static String separateFiles(String concatenated) {
        StringBuilder out = new StringBuilder();
        boolean seen = false;
        for (String line : concatenated.split("\n", -1)) {
            if (line.startsWith("apiVersion:")) {
                if (seen) {
                    out.append("---\n");
                }
                seen = true;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    static Container container(PodTemplateSpec pod) {
        assertThat(pod.getSpec().getContainers()).hasSize(1);
        return pod.getSpec().getContainers().get(0);
    }

    /** Whether the container mounts an emptyDir volume at exactly this path. */
    static boolean emptyDirAt(PodTemplateSpec pod, String path) {
        List<VolumeMount> mounts = container(pod).getVolumeMounts();
        return mounts.stream().filter(m -> path.equals(m.getMountPath())).anyMatch(m -> pod.getSpec().getVolumes()
                .stream().filter(v -> v.getName().equals(m.getName())).map(Volume::getEmptyDir)
                .anyMatch(e -> e != null));
    }
}
