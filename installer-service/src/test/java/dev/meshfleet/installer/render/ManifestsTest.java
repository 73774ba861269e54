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
}
