package dev.meshfleet.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A Strimzi {@code KafkaUser}'s ACLs ({@code spec.authorization}, type {@code simple}) as the Kafka ACL bindings
 * Strimzi's User Operator creates for them, so that a test can put a chart's users on a real authorizing broker.
 * Pure: the KafkaUser comes in as the parsed YAML (maps and lists), the bindings go out.
 *
 * <p>As Strimzi reads the spec: the principal is {@code User:<name>} for SCRAM-SHA-512 and {@code User:CN=<name>} for
 * TLS; {@code patternType} defaults to {@code literal}, {@code type} to {@code allow}, {@code host} to {@code *};
 * {@code operations} lists the operations (the older {@code operation} names one); the {@code cluster} resource is
 * {@code kafka-cluster}. Anything else is refused with what was found, never guessed.
 */
public final class StrimziAcls {
    private static final Map<String, ResourceType> RESOURCE_TYPES = Map.of("topic", ResourceType.TOPIC,
            "group", ResourceType.GROUP, "cluster", ResourceType.CLUSTER, "transactionalId", ResourceType.TRANSACTIONAL_ID);
    private static final Map<String, PatternType> PATTERN_TYPES = Map.of("literal", PatternType.LITERAL,
            "prefix", PatternType.PREFIXED);
    private static final Map<String, AclPermissionType> PERMISSIONS = Map.of("allow", AclPermissionType.ALLOW,
            "deny", AclPermissionType.DENY);
    private static final Map<String, AclOperation> OPERATIONS = Map.ofEntries(Map.entry("Read", AclOperation.READ),
            Map.entry("Write", AclOperation.WRITE), Map.entry("Create", AclOperation.CREATE),
            Map.entry("Delete", AclOperation.DELETE), Map.entry("Alter", AclOperation.ALTER),
            Map.entry("Describe", AclOperation.DESCRIBE), Map.entry("ClusterAction", AclOperation.CLUSTER_ACTION),
            Map.entry("AlterConfigs", AclOperation.ALTER_CONFIGS),
            Map.entry("DescribeConfigs", AclOperation.DESCRIBE_CONFIGS),
            Map.entry("IdempotentWrite", AclOperation.IDEMPOTENT_WRITE), Map.entry("All", AclOperation.ALL));
    private static final String CLUSTER_RESOURCE = "kafka-cluster";

    private StrimziAcls() {
    }

    /** Every binding of one KafkaUser (a parsed KafkaUser resource: apiVersion, kind, metadata, spec). */
    public static List<AclBinding> of(Map<String, ?> kafkaUser) {
        String name = string(map(kafkaUser.get("metadata"), "metadata"), "name", null);
        Map<String, ?> spec = map(kafkaUser.get("spec"), "spec");
        String authentication = string(map(spec.get("authentication"), "spec.authentication"), "type", null);
        Map<String, ?> authorization = map(spec.get("authorization"), "spec.authorization");
        String type = string(authorization, "type", null);
        if (!"simple".equals(type)) {
            throw new IllegalArgumentException("KafkaUser " + name + ": spec.authorization.type " + type
                    + ", only simple has ACLs");
        }
        return bindings(principal(name, authentication), list(authorization.get("acls"), "spec.authorization.acls"));
    }

    /** The principal Strimzi gives a KafkaUser with this authentication type. */
    public static String principal(String kafkaUser, String authenticationType) {
        return switch (authenticationType) {
            case "scram-sha-512" -> "User:" + kafkaUser;
            case "tls" -> "User:CN=" + kafkaUser;
            default -> throw new IllegalArgumentException("KafkaUser " + kafkaUser + ": spec.authentication.type "
                    + authenticationType + ", expected scram-sha-512 or tls");
        };
    }

    /** One binding per operation of each ACL (Strimzi's {@code spec.authorization.acls}) for the principal. */
    public static List<AclBinding> bindings(String principal, List<?> acls) {
        List<AclBinding> out = new ArrayList<>();
        for (Object item : acls) {
            Map<String, ?> acl = map(item, "acl");
            Map<String, ?> resource = map(acl.get("resource"), "acl.resource");
            ResourceType resourceType = lookup(RESOURCE_TYPES, string(resource, "type", null), "resource.type");
            String resourceName = resourceType == ResourceType.CLUSTER ? CLUSTER_RESOURCE : string(resource, "name", null);
            PatternType patternType = resourceType == ResourceType.CLUSTER ? PatternType.LITERAL
                    : lookup(PATTERN_TYPES, string(resource, "patternType", "literal"), "resource.patternType");
            ResourcePattern pattern = new ResourcePattern(resourceType, resourceName, patternType);
            AclPermissionType permission = lookup(PERMISSIONS, string(acl, "type", "allow"), "type");
            String host = string(acl, "host", "*");
            List<?> operations = acl.containsKey("operations") ? list(acl.get("operations"), "operations")
                    : List.of(string(acl, "operation", null));
            for (Object operation : operations) {
                out.add(new AclBinding(pattern, new AccessControlEntry(principal, host,
                        lookup(OPERATIONS, String.valueOf(operation), "operations"), permission)));
            }
        }
        return List.copyOf(out);
    }

    private static <T> T lookup(Map<String, T> table, String value, String field) {
        T found = table.get(value);
        if (found == null) {
            throw new IllegalArgumentException(field + " " + value + ": not one of " + new java.util.TreeSet<>(table.keySet()));
        }
        return found;
    }

    private static String string(Map<String, ?> map, String key, String fallback) {
        Object value = map.get(key);
        if (value == null) {
            if (fallback == null) {
                throw new IllegalArgumentException("no " + key + " in " + map);
            }
            return fallback;
        }
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> map(Object value, String what) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(what + ": expected an object, found " + value);
        }
        return (Map<String, ?>) value;
    }

    private static List<?> list(Object value, String what) {
        if (!(value instanceof List<?> l)) {
            throw new IllegalArgumentException(what + ": expected a list, found " + value);
        }
        return l;
    }
}
