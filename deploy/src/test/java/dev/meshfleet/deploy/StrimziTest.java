package dev.meshfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.TopicAdmin;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/** The Strimzi half of issue 10 item 3: KafkaTopics as the code defines the topics, KafkaUsers with exact ACLs. */
class StrimziTest {

    @Test
    void theKafkaTopicsAreTheCodesTopicDefinitions() {
        assertTopicsMatch(Chart.strimzi(), TopicAdmin.definitions(12), 3, 2);
        Chart.Rendered more = Chart.render(Map.of("kafka.partitions", 24, "kafka.replicationFactor", 5,
                "kafka.minInsyncReplicas", 3), Chart.STRIMZI_VALUES);
        assertTopicsMatch(more, TopicAdmin.definitions(24), 5, 3);
    }

    @Test
    void theStreamsInternalTopicsTakeTheReplicationFactorToo() {
        Chart.Rendered rendered = Chart.render(Map.of("kafka.replicationFactor", 5), Chart.STRIMZI_VALUES);
        assertThat(Workloads.properties(rendered, "translator")).containsEntry("meshfleet.translator.replication-factor", "5");
        assertThat(Workloads.properties(rendered, "status-aggregator"))
                .containsEntry("meshfleet.aggregator.replication-factor", "5");
    }

    @Test
    void eachKafkaUserMayDoExactlyWhatItsServiceDoes() {
        Chart.Rendered rendered = Chart.strimzi();
        // From DESIGN.md's topic table (written by / read by), each consumer's dead-letter topic, the
        // consumer groups, and what Kafka Streams needs for its application.id: internal topics (created,
        // purged, checked), its group and, exactly once (the translator), its transactional ids.
        assertThat(acls(rendered, "spec-intake")).containsExactlyInAnyOrder(
                "topic:meshfleet.spec-changes:literal:Describe", "topic:meshfleet.spec-changes:literal:Write",
                "topic:meshfleet.admissions:literal:Describe", "topic:meshfleet.admissions:literal:Write",
                // The heads of the audit chain, read at the start without a group (ADR 0033).
                "topic:meshfleet.spec-changes:literal:Read", "topic:meshfleet.admissions:literal:Read");
        assertThat(acls(rendered, "translator")).containsExactlyInAnyOrderElementsOf(union(
                List.of("topic:meshfleet.spec-changes:literal:Describe", "topic:meshfleet.spec-changes:literal:Read",
                        "topic:meshfleet.install-plans:literal:Describe", "topic:meshfleet.install-plans:literal:Write",
                        "topic:meshfleet.installation-events:literal:Describe",
                        "topic:meshfleet.installation-events:literal:Write",
                        // ExternalControlPlane facts (ADR 0031): read, and dead-lettered when undecodable.
                        "topic:meshfleet.installation-events:literal:Read",
                        "topic:meshfleet.installation-events.dlq:literal:Describe",
                        "topic:meshfleet.installation-events.dlq:literal:Write",
                        "topic:meshfleet.spec-changes.dlq:literal:Describe", "topic:meshfleet.spec-changes.dlq:literal:Write",
                        "transactionalId:meshfleet-translator-:prefix:Describe",
                        "transactionalId:meshfleet-translator-:prefix:Write"),
                streamsApplication("meshfleet-translator")));
        assertThat(acls(rendered, "installer")).containsExactlyInAnyOrder(
                "topic:meshfleet.install-plans:literal:Describe", "topic:meshfleet.install-plans:literal:Read",
                "topic:meshfleet.installation-events:literal:Describe", "topic:meshfleet.installation-events:literal:Write",
                "topic:meshfleet.install-plans.dlq:literal:Describe", "topic:meshfleet.install-plans.dlq:literal:Write",
                "group:meshfleet-installer:literal:Describe", "group:meshfleet-installer:literal:Read");
        assertThat(acls(rendered, "status-aggregator")).containsExactlyInAnyOrderElementsOf(union(
                List.of("topic:meshfleet.installation-events:literal:Describe",
                        "topic:meshfleet.installation-events:literal:Read",
                        "topic:meshfleet.lifecycle-status:literal:Describe", "topic:meshfleet.lifecycle-status:literal:Write",
                        "topic:meshfleet.installation-events.dlq:literal:Describe",
                        "topic:meshfleet.installation-events.dlq:literal:Write"),
                streamsApplication("meshfleet-aggregator")));
    }

    @Test
    void theStreamsAclsFollowTheApplicationIdsTheServicesAreGiven() {
        Chart.Rendered rendered = Chart.render(Map.of("translator.applicationId", "mf-translate",
                "statusAggregator.applicationId", "mf-status"), Chart.STRIMZI_VALUES);
        assertThat(Workloads.properties(rendered, "translator")).containsEntry("meshfleet.translator.application-id", "mf-translate");
        assertThat(Workloads.properties(rendered, "status-aggregator"))
                .containsEntry("meshfleet.aggregator.application-id", "mf-status");
        assertThat(acls(rendered, "translator")).containsAll(streamsApplication("mf-translate"))
                .contains("transactionalId:mf-translate-:prefix:Write")
                .noneMatch(a -> a.contains("meshfleet-translator"));
        assertThat(acls(rendered, "status-aggregator")).containsAll(streamsApplication("mf-status"))
                .noneMatch(a -> a.contains("meshfleet-aggregator"));
    }

    @Test
    void noServiceMayCreateOrAlterAMeshfleetTopicOrActOnTheCluster() {
        Chart.Rendered rendered = Chart.strimzi();
        List<String> all = new ArrayList<>();
        Workloads.COMPONENTS.forEach(c -> all.addAll(acls(rendered, c)));
        assertThat(all).hasSizeGreaterThan(20)
                .noneMatch(a -> a.startsWith("cluster:"))
                .noneMatch(a -> a.endsWith(":All"))
                .noneMatch(a -> a.contains(":*:"))
                .noneMatch(a -> a.startsWith("topic:meshfleet.") && (a.endsWith(":Create") || a.endsWith(":Delete")
                        || a.endsWith(":Alter") || a.endsWith(":AlterConfigs")));
    }

    @Test
    void eachServiceAuthenticatesWithItsOwnKafkaUsersSecretOverTls() {
        Chart.Rendered rendered = Chart.strimzi();
        for (String component : Workloads.COMPONENTS) {
            Map<String, String> p = Workloads.properties(rendered, component);
            assertThat(p).as(component).containsEntry("kafka.security.protocol", "SASL_SSL")
                    .containsEntry("kafka.sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("kafka.sasl.jaas.config", "${KAFKA_SASL_JAAS_CONFIG}")
                    .containsEntry("kafka.ssl.truststore.type", "PEM")
                    .containsEntry("kafka.ssl.truststore.location", "/etc/meshfleet/kafka-ca/ca.crt")
                    .containsEntry("kafka.bootstrap.servers", "my-cluster-kafka-bootstrap:9093");
            PodTemplateSpec pod = Workloads.pod(rendered, component);
            Container c = ChartTest.container(pod);
            // Strimzi's User Operator writes the user's credentials into a Secret named as the KafkaUser.
            assertThat(c.getEnv()).as(component).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("KAFKA_SASL_JAAS_CONFIG");
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo(Workloads.name(component));
                assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sasl.jaas.config");
            });
            String caVolume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/etc/meshfleet/kafka-ca"))
                    .findFirst().orElseThrow().getName();
            assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> {
                assertThat(v.getName()).isEqualTo(caVolume);
                assertThat(v.getSecret().getSecretName()).isEqualTo("my-cluster-cluster-ca-cert");
            });
            assertThat(rendered.kind("KafkaUser")).as(component)
                    .anyMatch(u -> u.getMetadata().getName().equals(Workloads.name(component)));
        }
    }

    @Test
    void kafkaUsersNeedAnAuthenticatedUserAndAClusterName() {
        assertThatThrownBy(() -> Chart.render(Map.of("kafka.authentication.type", "none"), Chart.STRIMZI_VALUES))
                .hasMessageContaining("kafka.authentication.type");
        assertThatThrownBy(() -> Chart.render(Map.of("strimzi.cluster", ""), Chart.STRIMZI_VALUES))
                .hasMessageContaining("strimzi.cluster");
    }

    @Test
    void withoutStrimziThereAreNoKafkaTopicsOrUsers() {
        Chart.Rendered rendered = Chart.defaults();
        assertThat(rendered.kind("KafkaTopic")).isEmpty();
        assertThat(rendered.kind("KafkaUser")).isEmpty();
        assertThat(rendered.objects()).hasSizeGreaterThan(20);
    }

    private static List<String> streamsApplication(String applicationId) {
        List<String> out = new ArrayList<>();
        for (String op : List.of("Create", "Delete", "Describe", "DescribeConfigs", "Read", "Write")) {
            out.add("topic:" + applicationId + "-:prefix:" + op);
        }
        out.add("group:" + applicationId + ":literal:Describe");
        out.add("group:" + applicationId + ":literal:Read");
        return out;
    }

    private static Set<String> union(List<String> a, List<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    private static void assertTopicsMatch(Chart.Rendered rendered, List<TopicAdmin.TopicDefinition> definitions,
            int replicas, int minIsr) {
        Map<String, GenericKubernetesResource> topics = rendered.kind("KafkaTopic").stream()
                .map(GenericKubernetesResource.class::cast)
                .collect(Collectors.toMap(t -> String.valueOf(spec(t).get("topicName")), t -> t));
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(
                definitions.stream().map(TopicAdmin.TopicDefinition::name).toList());
        for (TopicAdmin.TopicDefinition d : definitions) {
            GenericKubernetesResource topic = topics.get(d.name());
            Map<String, Object> spec = spec(topic);
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "my-cluster");
            // Deleting a KafkaTopic deletes the topic: helm uninstall keeps them.
            assertThat(topic.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
            assertThat(spec.get("partitions")).as(d.name()).isEqualTo(d.partitions());
            assertThat(spec.get("replicas")).as(d.name()).isEqualTo(replicas);
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>) spec.get("config");
            assertThat(String.valueOf(config.get("cleanup.policy"))).as(d.name())
                    .isEqualTo(d.compacted() ? "compact" : "delete");
            assertThat(Long.parseLong(String.valueOf(config.get("retention.ms")))).as(d.name()).isEqualTo(d.retentionMs());
            assertThat(config.get("min.insync.replicas")).as(d.name()).isEqualTo(minIsr);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(HasMetadata resource) {
        return (Map<String, Object>) ((GenericKubernetesResource) resource).getAdditionalProperties().get("spec");
    }

    /** The KafkaUser's ACLs as type:name:patternType:operation. */
    @SuppressWarnings("unchecked")
    private static List<String> acls(Chart.Rendered rendered, String component) {
        HasMetadata user = rendered.kind("KafkaUser").stream()
                .filter(u -> u.getMetadata().getName().equals(Workloads.name(component))).findFirst().orElseThrow();
        Map<String, Object> authorization = (Map<String, Object>) spec(user).get("authorization");
        assertThat(authorization.get("type")).isEqualTo("simple");
        List<String> out = new ArrayList<>();
        for (Map<String, Object> acl : (List<Map<String, Object>>) authorization.get("acls")) {
            Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
            for (Object op : (List<Object>) acl.get("operations")) {
                out.add(resource.get("type") + ":" + resource.get("name") + ":" + resource.get("patternType") + ":" + op);
            }
        }
        return out;
    }
}
