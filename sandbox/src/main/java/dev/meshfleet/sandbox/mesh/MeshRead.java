package dev.meshfleet.sandbox.mesh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.translation.SmcExtensions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The edge of {@link MeshSummary}: reads the ServiceMeshControllers from a management cluster (one namespace, or all),
 * and for each namespace holding some its {@code gloo-extensions-config} (one GET), and keeps the namespaces whose
 * ConfigMap says {@code multiClusterMode: Peering}, as the translator decides (the same {@link SmcExtensions#read}).
 * A controller being deleted is left out: the mesh no longer expects its links.
 */
public final class MeshRead {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceDefinitionContext SMC = new ResourceDefinitionContext.Builder()
            .withGroup(Crds.SMC_GROUP).withVersion("v1").withKind(Crds.SMC_KIND).withPlural("servicemeshcontrollers")
            .withNamespaced(true).build();

    private MeshRead() {
    }

    /** The meshes of the peered namespaces, by namespace name; {@code namespace} null for every namespace. */
    @SuppressWarnings("unchecked")
    public static List<MeshSummary.Mesh> meshes(KubernetesClient mgmt, String namespace) {
        var resources = mgmt.genericKubernetesResources(SMC);
        List<GenericKubernetesResource> items = namespace == null ? resources.inAnyNamespace().list().getItems()
                : resources.inNamespace(namespace).list().getItems();
        Map<String, List<MeshSummary.Member>> byNamespace = new TreeMap<>();
        for (GenericKubernetesResource r : items) {
            if (r.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Map<String, Object> props = r.getAdditionalProperties();
            Object cluster = props.get("spec") instanceof Map<?, ?> spec ? spec.get("cluster") : null;
            Map<String, Object> status = props.get("status") instanceof Map<?, ?> s ? (Map<String, Object>) s : null;
            byNamespace.computeIfAbsent(r.getMetadata().getNamespace(), n -> new ArrayList<>())
                    .add(new MeshSummary.Member(r.getMetadata().getName(),
                            cluster == null ? r.getMetadata().getName() : String.valueOf(cluster), status));
        }
        List<MeshSummary.Mesh> meshes = new ArrayList<>();
        byNamespace.forEach((ns, members) -> {
            if (peers(mgmt.configMaps().inNamespace(ns).withName(SmcExtensions.CONFIG_MAP).get())) {
                meshes.add(MeshSummary.of(ns, members));
            }
        });
        return meshes;
    }

    /** The ConfigMap switches peering on; an absent or malformed one does not (the translator fails those controllers). */
    static boolean peers(ConfigMap config) {
        if (config == null || config.getData() == null) {
            return false;
        }
        SmcExtensions extensions = SmcExtensions.read(JSON.valueToTree(config.getData()), new ArrayList<>());
        return extensions != null && extensions.peering();
    }
}
