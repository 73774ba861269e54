package dev.meshfleet.sandbox.mesh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** {@code ./meshfleet mesh}'s output: the table's lines, or one document for {@code -o yaml|json}. Pure. */
public final class MeshReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private MeshReport() {
    }

    /** Each mesh's headline and its gaps (at most {@code limit} per mesh, 0: all); a line when there is no mesh. */
    public static String table(List<MeshSummary.Mesh> meshes, int limit) {
        if (meshes.isEmpty()) {
            return "no peered namespace (no gloo-extensions-config with multiClusterMode: Peering beside a"
                    + " ServiceMeshController)\n";
        }
        StringBuilder out = new StringBuilder();
        meshes.forEach(m -> m.lines(limit).forEach(l -> out.append(l).append('\n')));
        return out.toString();
    }

    public static String json(List<MeshSummary.Mesh> meshes, int limit) {
        return write(JSON, meshes, limit) + "\n";
    }

    public static String yaml(List<MeshSummary.Mesh> meshes, int limit) {
        return write(YAML, meshes, limit);
    }

    /**
     * {@code {allUp, meshes: [{namespace, controllers, linksUp, linksExpected, notUp: [{cluster, peer, reason,
     * message}], notUpOmitted}]}}: as the table, with the same cap.
     */
    static Map<String, Object> document(List<MeshSummary.Mesh> meshes, int limit) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (MeshSummary.Mesh m : meshes) {
            int shown = limit <= 0 ? m.gaps().size() : Math.min(limit, m.gaps().size());
            List<Map<String, Object>> notUp = new ArrayList<>();
            for (MeshSummary.Gap g : m.gaps().subList(0, shown)) {
                Map<String, Object> gap = new LinkedHashMap<>();
                gap.put("cluster", g.from());
                if (!g.to().isEmpty()) {
                    gap.put("peer", g.to());
                }
                gap.put("reason", g.reason());
                gap.put("message", g.line());
                notUp.add(gap);
            }
            Map<String, Object> mesh = new LinkedHashMap<>();
            mesh.put("namespace", m.namespace());
            mesh.put("controllers", m.controllers());
            mesh.put("linksUp", m.linksUp());
            mesh.put("linksExpected", m.linksExpected());
            mesh.put("notUp", notUp);
            mesh.put("notUpOmitted", m.gaps().size() - shown);
            list.add(mesh);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("allUp", MeshSummary.allUp(meshes));
        doc.put("meshes", list);
        return doc;
    }

    private static String write(ObjectMapper mapper, List<MeshSummary.Mesh> meshes, int limit) {
        try {
            return mapper.writeValueAsString(document(meshes, limit));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialize", e);
        }
    }
}
