package dev.meshfleet.installer.cluster;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.installer.render.Names;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

/** An {@link Inventory} as a ConfigMap in the workload cluster, and back. */
public final class InventoryCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InventoryCodec() {
    }

    public static ConfigMap encode(Inventory inventory) {
        List<Map<String, String>> objects = new ArrayList<>();
        for (ObjectRef o : inventory.objects().stream().sorted().toList()) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("apiVersion", o.apiVersion());
            m.put("kind", o.kind());
            m.put("namespace", o.namespace());
            m.put("name", o.name());
            objects.add(m);
        }
        Owner owner = inventory.owner();
        Map<String, String> data = new LinkedHashMap<>();
        data.put("owner", owner.key());
        data.put("ownerKind", owner.kind().name());
        data.put("ownerNamespace", owner.namespace());
        data.put("ownerName", owner.name());
        data.put("ownerUid", owner.uid() == null ? "" : owner.uid());
        data.put("revision", inventory.revision());
        data.put("generation", Long.toString(inventory.generation()));
        data.put("planHash", inventory.planHash());
        data.put("tag", inventory.tag() == null ? "" : inventory.tag());
        data.put("observedOperatorJson", inventory.observedOperatorJson() == null ? "" : inventory.observedOperatorJson());
        data.put("complete", Boolean.toString(inventory.complete()));
        if (inventory.appliedAt() != null) {
            data.put("appliedAt", inventory.appliedAt().toString());
        }
        if (inventory.readySince() != null) {
            data.put("readySince", inventory.readySince().toString());
        }
        try {
            data.put("objects", JSON.writeValueAsString(objects));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("object list of strings must serialize", e);
        }
        return new ConfigMapBuilder().withNewMetadata()
                .withName(Names.inventoryName(owner, inventory.revision()))
                .withNamespace(Names.INVENTORY_NAMESPACE)
                .addToLabels(Names.MANAGED_BY, Names.MANAGED_BY_VALUE)
                .addToLabels(Names.INVENTORY_LABEL, "true")
                .addToLabels(Names.OWNER_LABEL, Names.ownerLabel(owner))
                .addToLabels(Names.REVISION_LABEL, Names.revisionLabel(inventory.revision()))
                .endMetadata().withData(data).build();
    }

    /** Throws IllegalArgumentException naming what is missing or malformed. */
    public static Inventory decode(ConfigMap configMap) {
        Map<String, String> d = configMap.getData() == null ? Map.of() : configMap.getData();
        String where = "inventory ConfigMap " + configMap.getMetadata().getName();
        try {
            Owner owner = new Owner(ResourceKind.valueOf(require(d, "ownerKind", where)), require(d, "ownerNamespace", where),
                    require(d, "ownerName", where), d.getOrDefault("ownerUid", ""));
            List<Map<String, String>> objects = JSON.readValue(require(d, "objects", where), new TypeReference<>() {
            });
            List<ObjectRef> refs = objects.stream()
                    .map(m -> new ObjectRef(m.get("apiVersion"), m.get("kind"), m.get("namespace"), m.get("name")))
                    .toList();
            String operator = d.getOrDefault("observedOperatorJson", "");
            return new Inventory(owner, Long.parseLong(d.getOrDefault("generation", "0")), d.getOrDefault("revision", ""),
                    d.getOrDefault("tag", ""), d.getOrDefault("planHash", ""), operator.isEmpty() ? null : operator,
                    Boolean.parseBoolean(d.getOrDefault("complete", "false")), refs, instant(d, "appliedAt"),
                    instant(d, "readySince"));
        } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException(where + " is malformed: " + e.getMessage(), e);
        }
    }

    private static Instant instant(Map<String, String> data, String key) {
        String v = data.get(key);
        return v == null || v.isBlank() ? null : Instant.parse(v);
    }

    private static String require(Map<String, String> data, String key, String where) {
        String v = data.get(key);
        if (v == null) {
            throw new IllegalArgumentException(where + " has no '" + key + "'");
        }
        return v;
    }
}
