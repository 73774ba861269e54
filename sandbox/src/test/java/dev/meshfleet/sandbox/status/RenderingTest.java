package dev.meshfleet.sandbox.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.schemas.v1.ResourceKind;

class RenderingTest {

    @Test
    void theTableHasOneAlignedLinePerInstallation() {
        Map<String, Object> status = Map.of("observedGeneration", 1, "clusters", Map.of(
                "cluster1", Map.of("installations", Map.of("1-24", Map.of("state", "HEALTHY", "message", ""))),
                "cluster2", Map.of("installations", Map.of("1-24", Map.of("state", "FAILED",
                        "message", "revision: must be at most 63 characters\nfix the spec")))));
        var view = ResourceView.of(ResourceKind.IstioLifecycleManager,
                Map.of("name", "istiod-control-plane", "namespace", "gloo-mesh", "generation", 1),
                SettleTest.spec("cluster1", "cluster2"), status);
        String table = Rendering.table(List.of(view,
                ResourceView.gone(new ResourceRef(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "gw"))));

        assertThat(table.lines().toList()).containsExactly(
                "RESOURCE                             CLUSTER    REVISION   STATE     MESSAGE",
                "ilm/gloo-mesh/istiod-control-plane   cluster1   1-24       HEALTHY",
                "ilm/gloo-mesh/istiod-control-plane   cluster2   1-24       FAILED    revision: must be at most 63 characters fix the spec",
                "glm/gloo-mesh/gw                     -          -          DELETED");
    }

    @Test
    void aPeeredControllersLinksFollowItsMessage() {
        String table = Rendering.table(List.of(smc("gloo-mesh", "c1", "SUCCEEDED", "3/3"),
                smc("gloo-mesh", "c2", "SUCCEEDED", "1/3", "c3=AddressMismatch", "c1=Pending"),
                smc("gloo-mesh", "c3", "SUCCEEDED", null)));

        assertThat(table.lines().toList()).containsExactly(
                "RESOURCE           CLUSTER   REVISION   STATE     MESSAGE",
                "smc/gloo-mesh/c1   c1        default    HEALTHY   peers 3/3",
                "smc/gloo-mesh/c2   c2        default    HEALTHY   peers 1/3, down: c1=Pending c3=AddressMismatch",
                "smc/gloo-mesh/c3   c3        default    HEALTHY");
    }

    @Test
    void aClusterWithoutStatusIsShownAsSuch() {
        var view = ResourceView.of(ResourceKind.IstioLifecycleManager,
                Map.of("name", "x", "namespace", "ns", "generation", 1), SettleTest.spec("cluster1"), null);
        assertThat(Rendering.table(List.of(view))).contains("ilm/ns/x   cluster1   -          -       no status yet");
    }

    @Test
    @SuppressWarnings("unchecked")
    void yamlIsAKubectlStyleListWithoutManagedFields() throws Exception {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", "istiod-control-plane");
        meta.put("namespace", "gloo-mesh");
        meta.put("resourceVersion", "11");
        meta.put("managedFields", List.of(Map.of("manager", "status-aggregator")));
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", "admin.gloo.solo.io/v2");
        resource.put("kind", "IstioLifecycleManager");
        resource.put("metadata", meta);
        resource.put("status", Map.of("clusters", Map.of("cluster1", Map.of("installations", Map.of("1-24",
                Map.of("state", "HEALTHY", "observedRevision", "1-24"))))));

        String yaml = Rendering.yamlList(List.of(resource));

        assertThat(yaml).startsWith("apiVersion: v1\nitems:\n- apiVersion: admin.gloo.solo.io/v2\n");
        assertThat(yaml).contains("resourceVersion: \"11\"");
        assertThat(yaml).contains("kind: List").doesNotContain("managedFields").doesNotStartWith("---");
        Map<String, Object> back = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
        var item = (Map<String, Object>) ((List<Object>) back.get("items")).get(0);
        assertThat(item).extractingByKey("status").asString().contains("observedRevision=1-24");
        assertThat(meta).containsKey("managedFields");
    }

    /** A ServiceMeshController's view as the aggregator writes its status: {@code peers} and {@code peering.down}. */
    static ResourceView smc(String namespace, String name, String phase, String peers, String... down) {
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", name, "namespace", namespace, "generation", 1));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", 1);
        status.put("phase", phase);
        if (peers != null) {
            status.put("peers", peers);
        }
        if (down.length > 0) {
            List<Map<String, Object>> links = new ArrayList<>();
            for (String d : down) {
                links.add(Map.of("cluster", d.substring(0, d.indexOf('=')), "reason", d.substring(d.indexOf('=') + 1)));
            }
            status.put("peering", Map.of("down", links));
        }
        return ResourceView.of(ResourceKind.ServiceMeshController, metadata, Map.of("cluster", name), status);
    }
}
