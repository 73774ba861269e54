package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;

class ManifestsTest {

    @Test
    void documentsAreSplitByTheYamlParserSoAMarkerWithACommentStillSeparatesThem() {
        String yaml = """
                # Source: istiod/templates/serviceaccount.yaml
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: istiod}
                --- # Source: istiod/templates/configmap.yaml
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio}
                data:
                  mesh: |
                    defaultConfig: {}
                ---
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: istiod}
                """;

        List<HasMetadata> objects = Manifests.parse(yaml);

        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("ServiceAccount", "ConfigMap", "Service");
        assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("istiod", "istio", "istiod");
    }

    @Test
    void aStreamOfCommentsAndEmptyDocumentsHasNoObjects() {
        assertThat(Manifests.parse("# nothing rendered\n---\n---\n")).isEmpty();
        assertThat(Manifests.parse("")).isEmpty();
    }

    @Test
    void jsonLinesKeepEveryObjectWithItsTypeAndMultiLineStringsIntact() {
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: istio
                  namespace: istio-system
                data:
                  mesh: |-
                    trustDomain: cluster1
                    defaultConfig:
                      discoveryAddress: istiod:15012
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: istiod
                spec:
                  replicas: 2
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: east-west
                spec:
                  selector:
                    istio: eastwestgateway
                """;
        List<HasMetadata> parsed = Manifests.parse(yaml);
        String lines = Manifests.jsonLines(parsed);

        assertThat(lines.split("\n")).hasSize(3);
        List<HasMetadata> back = Manifests.parseJsonLines(lines);
        assertThat(back).extracting(o -> o.getClass().getSimpleName())
                .containsExactly("ConfigMap", "Deployment", "GenericKubernetesResource");
        assertThat(((io.fabric8.kubernetes.api.model.ConfigMap) back.get(0)).getData().get("mesh"))
                .isEqualTo("trustDomain: cluster1\ndefaultConfig:\n  discoveryAddress: istiod:15012");
        assertThat(((io.fabric8.kubernetes.api.model.apps.Deployment) back.get(1)).getSpec().getReplicas()).isEqualTo(2);
        assertThat(back).isEqualTo(parsed);
    }
}
