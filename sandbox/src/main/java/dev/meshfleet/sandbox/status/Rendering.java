package dev.meshfleet.sandbox.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** The table printed after every step and the `-o yaml` List printed after the last. */
public final class Rendering {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // kubectl quotes strings that would read back as numbers (resourceVersion: "11").
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES));

    private Rendering() {
    }

    /** RESOURCE CLUSTER REVISION STATE MESSAGE, one line per installation, columns aligned. */
    public static String table(List<ResourceView> views) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RESOURCE", "CLUSTER", "REVISION", "STATE", "MESSAGE"});
        for (ResourceView v : views) {
            String name = v.ref().display();
            if (v.gone()) {
                rows.add(new String[] {name, "-", "-", "DELETED", ""});
                continue;
            }
            List<String> reported = v.installations().stream().map(InstallationRow::cluster).toList();
            for (InstallationRow r : v.installations()) {
                rows.add(new String[] {name, r.cluster(), r.revision(), nz(r.state()), withPeers(oneLine(r.message()),
                        v.peers())});
            }
            for (String c : v.specClusters()) {
                if (!reported.contains(c)) {
                    rows.add(new String[] {name, c, "-", "-", "no status yet"});
                }
            }
            if (v.installations().isEmpty() && v.specClusters().isEmpty()) {
                rows.add(new String[] {name, "-", "-", "-", "no status yet"});
            }
        }
        return columns(rows.stream().map(List::of).toList());
    }

    /** A peered controller's links after its message (docs/adr/0046): {@code peers 2/3, down: cluster4=Pending}. */
    static String withPeers(String message, ResourceView.Peers peers) {
        if (peers == null) {
            return message;
        }
        String links = "peers " + peers.up() + "/" + peers.of() + (peers.downReasons().isEmpty() ? ""
                : ", down: " + String.join(" ", peers.downReasons().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList()));
        return message.isEmpty() ? links : message + "; " + links;
    }

    /** Rows as aligned columns, three spaces apart, the first row a header; no trailing blanks. */
    public static String columns(List<List<String>> rows) {
        int n = rows.get(0).size();
        int[] width = new int[n];
        for (List<String> r : rows) {
            for (int i = 0; i < n - 1; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> r : rows) {
            for (int i = 0; i < n - 1; i++) {
                out.append(r.get(i)).append(" ".repeat(width[i] - r.get(i).length() + 3));
            }
            out.append(r.get(n - 1)).append('\n');
        }
        return out.toString().replaceAll("(?m) +$", "");
    }

    /**
     * The resources as {@code kubectl get -o yaml} prints several: a v1 List, managedFields left out as
     * kubectl does by default.
     */
    @SuppressWarnings("unchecked")
    public static String yamlList(List<Map<String, Object>> resources) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> r : resources) {
            Map<String, Object> copy = new LinkedHashMap<>(r);
            if (copy.get("metadata") instanceof Map<?, ?> m) {
                Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) m);
                meta.remove("managedFields");
                copy.put("metadata", meta);
            }
            items.add(copy);
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", "v1");
        list.put("items", items);
        list.put("kind", "List");
        list.put("metadata", Map.of("resourceVersion", ""));
        try {
            return YAML.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print the resources as YAML", e);
        }
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\n\\s*", " ");
    }
}
