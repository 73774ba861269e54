package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Strimzi's ACL spec (its KafkaUser reference) to Kafka's bindings, one row per rule of the spec. */
class StrimziAclsTest {
    private static final String USER = "User:meshfleet-installer";

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("a literal topic, one binding per operation",
                        Map.of("resource", Map.of("type", "topic", "name", "meshfleet.install-plans", "patternType", "literal"),
                                "operations", List.of("Describe", "Read"), "host", "*"),
                        List.of(allow(ResourceType.TOPIC, "meshfleet.install-plans", PatternType.LITERAL, AclOperation.DESCRIBE),
                                allow(ResourceType.TOPIC, "meshfleet.install-plans", PatternType.LITERAL, AclOperation.READ))),
                Arguments.of("patternType defaults to literal, host to *, type to allow",
                        Map.of("resource", Map.of("type", "group", "name", "meshfleet-installer"), "operations", List.of("Read")),
                        List.of(allow(ResourceType.GROUP, "meshfleet-installer", PatternType.LITERAL, AclOperation.READ))),
                Arguments.of("prefix is Kafka's PREFIXED",
                        Map.of("resource", Map.of("type", "topic", "name", "meshfleet-translator-", "patternType", "prefix"),
                                "operations", List.of("Create", "DescribeConfigs")),
                        List.of(allow(ResourceType.TOPIC, "meshfleet-translator-", PatternType.PREFIXED, AclOperation.CREATE),
                                allow(ResourceType.TOPIC, "meshfleet-translator-", PatternType.PREFIXED,
                                        AclOperation.DESCRIBE_CONFIGS))),
                Arguments.of("transactionalId",
                        Map.of("resource", Map.of("type", "transactionalId", "name", "tx-", "patternType", "prefix"),
                                "operations", List.of("Write")),
                        List.of(allow(ResourceType.TRANSACTIONAL_ID, "tx-", PatternType.PREFIXED, AclOperation.WRITE))),
                Arguments.of("the cluster resource is kafka-cluster",
                        Map.of("resource", Map.of("type", "cluster"), "operations", List.of("IdempotentWrite")),
                        List.of(allow(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL,
                                AclOperation.IDEMPOTENT_WRITE))),
                Arguments.of("the older single operation, a deny and a host",
                        Map.of("resource", Map.of("type", "topic", "name", "t"), "operation", "AlterConfigs",
                                "type", "deny", "host", "10.0.0.1"),
                        List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL),
                                new AccessControlEntry(USER, "10.0.0.1", AclOperation.ALTER_CONFIGS, AclPermissionType.DENY)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachStrimziAclIsTheBindingsStrimzisUserOperatorCreates(String rule, Map<String, Object> acl,
            List<AclBinding> expected) {
        assertThat(StrimziAcls.bindings(USER, List.of(acl))).containsExactlyElementsOf(expected);
    }

    @Test
    void theKafkaUsersNameAndAuthenticationGiveThePrincipal() {
        Map<String, Object> user = Map.of("apiVersion", "kafka.strimzi.io/v1beta2", "kind", "KafkaUser",
                "metadata", Map.of("name", "meshfleet-installer"),
                "spec", Map.of("authentication", Map.of("type", "scram-sha-512"), "authorization", Map.of("type", "simple",
                        "acls", List.of(Map.of("resource", Map.of("type", "group", "name", "g"), "operations", List.of("Read"))))));
        assertThat(StrimziAcls.of(user)).containsExactly(new AclBinding(
                new ResourcePattern(ResourceType.GROUP, "g", PatternType.LITERAL),
                new AccessControlEntry("User:meshfleet-installer", "*", AclOperation.READ, AclPermissionType.ALLOW)));
        assertThat(StrimziAcls.principal("meshfleet-installer", "tls")).isEqualTo("User:CN=meshfleet-installer");
    }

    @Test
    void whatStrimziWouldNotAcceptIsRefusedNamingTheField() {
        assertThatThrownBy(() -> StrimziAcls.bindings(USER, List.of(Map.of("resource", Map.of("type", "topics", "name", "t"),
                "operations", List.of("Read"))))).hasMessageContaining("resource.type topics");
        assertThatThrownBy(() -> StrimziAcls.bindings(USER, List.of(Map.of("resource", Map.of("type", "topic", "name", "t"),
                "operations", List.of("READ"))))).hasMessageContaining("operations READ");
        assertThatThrownBy(() -> StrimziAcls.bindings(USER, List.of(Map.of("resource", Map.of("type", "topic", "name", "t",
                "patternType", "prefixed"), "operations", List.of("Read"))))).hasMessageContaining("resource.patternType prefixed");
        assertThatThrownBy(() -> StrimziAcls.principal("u", "scram-sha-256")).hasMessageContaining("scram-sha-256");
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(USER, "*", operation, AclPermissionType.ALLOW));
    }
}
