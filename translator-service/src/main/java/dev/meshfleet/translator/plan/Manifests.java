package dev.meshfleet.translator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.translation.Owner;
import dev.meshfleet.translation.SmcExtensions;
import dev.meshfleet.translation.SmcPeering;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ILM/GLM (and ServiceMeshController) manifests from (multi-document) YAML, as `kubectl apply -f` would take them. The documents are
 * split by the YAML parser (Jackson's multi-document reader), never by searching for {@code ---}.
 */
public final class Manifests {
    static final YAMLMapper YAML = new YAMLMapper();

    /**
     * One lifecycle resource: who it is, its generation (1 when not given), its spec and the annotations of its
     * metadata (a ServiceMeshController's {@code peering.solo.io/data-plane-service-type}, docs/adr/0046).
     */
    public record Resource(Owner owner, long generation, JsonNode spec, Map<String, String> annotations) {
        public Resource {
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }

        public Resource(Owner owner, long generation, JsonNode spec) {
            this(owner, generation, spec, Map.of());
        }

        /** The peering inputs the plan preview has: the NodePort annotation, no peer (they come from the installers). */
        public SmcPeering.Inputs peering() {
            return new SmcPeering.Inputs(SmcPeering.nodePort(annotations.get(SmcPeering.NODE_PORT_ANNOTATION)),
                    java.util.List.of());
        }
    }

    /** A document that is not an ILM or GLM: where it is (1-based document index) and what it says it is. */
    public record Unreadable(String source, int document, String kind, String reason) {
        public String describe() {
            return source + ": document " + document + (kind.isEmpty() ? "" : " (kind '" + kind + "')") + ": " + reason;
        }
    }

    /** An ExternalControlPlane (seed 004, meshfleet.dev/v1alpha1): namespace, name, generation and spec. */
    public record Controller(String namespace, String name, long generation, JsonNode spec) {
    }

    /**
     * Everything a stream held: the ILMs, GLMs and ServiceMeshControllers, the ExternalControlPlanes (read as a
     * namespace/name/generation/spec record: not a pipeline kind yet), and every other document.
     */
    public record Read(List<Resource> resources, List<Controller> externalControlPlanes, List<Unreadable> unreadable,
            Map<String, JsonNode> extensions) {
        /**
         * @param extensions namespace -> the {@code data} of its {@code gloo-extensions-config} ConfigMap (seed 003,
         *                   docs/adr/0045): what its ServiceMeshControllers are translated with
         */
        public Read {
            resources = List.copyOf(resources);
            externalControlPlanes = List.copyOf(externalControlPlanes);
            unreadable = List.copyOf(unreadable);
            extensions = Map.copyOf(extensions);
        }

        /** The data of the namespace's gloo-extensions-config, null when the documents hold none. */
        public JsonNode extensionsOf(String namespace) {
            return extensions.get(namespace);
        }
    }

    private Manifests() {
    }

    /**
     * Every ILM, GLM and ServiceMeshController document, or IOException naming the source, the document and its kind when one is
     * anything else (a misspelled kind is a mistake to report, not a document to skip). Empty documents
     * are skipped, as kubectl does.
     */
    public static List<Resource> read(Reader reader, String source) throws IOException {
        Read read = readAll(reader, source);
        if (!read.unreadable().isEmpty()) {
            throw new IOException(read.unreadable().get(0).describe());
        }
        if (!read.externalControlPlanes().isEmpty()) {
            throw new IOException(source + ": holds an ExternalControlPlane (" + read.externalControlPlanes().get(0).name()
                    + "), which this reader of ILMs, GLMs and ServiceMeshControllers would skip; read it with readAll");
        }
        return read.resources();
    }

    /**
     * Every ILM, GLM and ServiceMeshController document, and what could not be read as one. IOException on YAML that
     * does not parse.
     */
    public static Read readAll(Reader reader, String source) throws IOException {
        List<Resource> out = new ArrayList<>();
        List<Controller> externalControlPlanes = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        Map<String, JsonNode> extensions = new TreeMap<>();
        int index = 0;
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(reader)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                index++;
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (!doc.isObject()) {
                    unreadable.add(new Unreadable(source, index, "", "not a Kubernetes object (a mapping with apiVersion,"
                            + " kind, metadata, spec)"));
                    continue;
                }
                String kind = doc.path("kind").asText("");
                if ("ConfigMap".equals(kind) && "v1".equals(doc.path("apiVersion").asText(""))
                        && SmcExtensions.CONFIG_MAP.equals(doc.path("metadata").path("name").asText(""))) {
                    JsonNode data = doc.get("data");
                    extensions.put(doc.path("metadata").path("namespace").asText("default"),
                            data == null || data.isNull() ? YAML.createObjectNode() : data);
                    continue;
                }
                if (Crds.ECP_KIND.equals(kind) && Crds.ECP_API_VERSION.equals(doc.path("apiVersion").asText(""))) {
                    JsonNode meta = doc.path("metadata");
                    externalControlPlanes.add(new Controller(meta.path("namespace").asText("default"),
                            name(meta, source, index, kind), meta.path("generation").asLong(1), doc.get("spec")));
                    continue;
                }
                ResourceKind rk = kindOf(kind);
                if (rk == ResourceKind.ServiceMeshController
                        && !Crds.SMC_API_VERSION.equals(doc.path("apiVersion").asText(""))) {
                    rk = null; // the Gloo Operator's kind is ours only in its own group and version
                }
                if (rk == null) {
                    unreadable.add(new Unreadable(source, index, kind, kind.isEmpty()
                            ? "has no kind; the plan preview reads IstioLifecycleManager, GatewayLifecycleManager,"
                                    + " ServiceMeshController (operator.gloo.solo.io/v1) and ExternalControlPlane"
                                    + " (meshfleet.dev/v1alpha1)"
                            : "is not IstioLifecycleManager, GatewayLifecycleManager, ServiceMeshController"
                                    + " (operator.gloo.solo.io/v1) or ExternalControlPlane (meshfleet.dev/v1alpha1), so it"
                                    + " was not planned"));
                    continue;
                }
                JsonNode meta = doc.path("metadata");
                Owner owner = new Owner(rk, meta.path("namespace").asText("default"), name(meta, source, index, kind),
                        meta.path("uid").asText(""));
                out.add(new Resource(owner, meta.path("generation").asLong(1), doc.get("spec"), annotations(meta)));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        return new Read(out, externalControlPlanes, unreadable, extensions);
    }

    /** The string values of {@code metadata.annotations}; what is no string is not an annotation kubectl would apply. */
    private static Map<String, String> annotations(JsonNode meta) {
        Map<String, String> out = new TreeMap<>();
        meta.path("annotations").fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    private static String name(JsonNode meta, String source, int index, String kind) throws IOException {
        String name = meta.path("name").asText("");
        if (name.isEmpty()) {
            throw new IOException(source + ": document " + index + ": a " + kind + " has no metadata.name");
        }
        return name;
    }

    private static ResourceKind kindOf(String kind) {
        for (ResourceKind k : Crds.KINDS) {
            if (k.name().equals(kind)) {
                return k;
            }
        }
        return null;
    }
}
