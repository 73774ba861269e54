package dev.meshfleet.intake.watch;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.intake.change.LifecycleResource;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

class LifecycleResourcesTest {
    private final ObjectMapper json = new ObjectMapper();
    private final LifecycleResources resources = new LifecycleResources(json);

    private GenericKubernetesResource parse(String text) throws Exception {
        return json.readValue(text, GenericKubernetesResource.class);
    }

    @Test
    void theSpecIsPublishedExactlyAsStoredIncludingFieldsNoTypedModelKnows() throws Exception {
        String spec = "{\"installations\":[{\"revision\":\"1-24\",\"futureField\":{\"z\":1,\"a\":[true,\"x\"]}}]}";
        GenericKubernetesResource ilm = parse("{\"apiVersion\":\"admin.gloo.solo.io/v2\",\"kind\":\"IstioLifecycleManager\","
                + "\"metadata\":{\"name\":\"n\",\"namespace\":\"ns\",\"uid\":\"u\",\"generation\":3,\"resourceVersion\":\"77\","
                + "\"finalizers\":[\"other\",\"" + Crds.FINALIZER + "\"]},\"spec\":" + spec + "}");

        LifecycleResource r = resources.of(ResourceKind.IstioLifecycleManager, ilm);

        assertThat(r.specJson()).isEqualTo(spec);
        assertThat(r).extracting(LifecycleResource::uid, LifecycleResource::generation, LifecycleResource::resourceVersion,
                LifecycleResource::holdsFinalizer, LifecycleResource::deletionRequested)
                .containsExactly("u", 3L, "77", true, false);
        assertThat(r.key()).isEqualTo("IstioLifecycleManager/ns/n");
    }

    @Test
    void aResourceWithoutASpecIsPublishedWithAnEmptyObjectForTheTranslatorToReport() throws Exception {
        GenericKubernetesResource glm = parse("{\"apiVersion\":\"admin.gloo.solo.io/v2\",\"kind\":\"GatewayLifecycleManager\","
                + "\"metadata\":{\"name\":\"g\",\"namespace\":\"ns\",\"uid\":\"u\",\"generation\":1,"
                + "\"deletionTimestamp\":\"2026-11-23T12:00:00Z\",\"finalizers\":[\"other\"]}}");

        LifecycleResource r = resources.of(ResourceKind.GatewayLifecycleManager, glm);

        assertThat(r.specJson()).isEqualTo("{}");
        assertThat(r.holdsFinalizer()).isFalse();
        assertThat(r.deletionRequested()).isTrue();
    }
}
