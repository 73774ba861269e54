package dev.meshfleet.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.testkit.SecuredKafka;

/**
 * Issue 10, item 3: the chart's KafkaUsers hold exactly enough. A broker with Kafka's own authorizer
 * ({@code StandardAuthorizer}, no ACL means no access) gets the ACLs of the chart's KafkaUsers ({@code values-strimzi.yaml},
 * converted as Strimzi's User Operator does); topics are made by a super user, as Strimzi's Topic Operator does, and
 * no service creates any ({@code create-topics=false}, as the chart configures them). Each service then runs as its
 * own user, and the whole pipeline works: every producer, consumer, Streams application and dead-letter producer.
 * Without one of the ACLs, its service is refused with Kafka's authorization error.
 */
class KafkaUserAclsIT {
    private static final String SUPER_USER = "strimzi-operator";
    /** Sandbox module to the chart's component (the KafkaUser's app.kubernetes.io/name). */
    private static final Map<String, String> COMPONENTS = Map.of("spec-intake", "spec-intake",
            "translator-service", "translator", "installer-service", "installer", "status-aggregator", "status-aggregator");
    private static final Map<String, String> NO_TOPIC_CREATION = Map.of("meshfleet.intake.create-topics", "false",
            "meshfleet.translator.create-topics", "false", "meshfleet.installer.create-topics", "false",
            "meshfleet.aggregator.create-topics", "false");

    @Test
    void eachServiceRunsAsItsKafkaUserWithTheChartsAclsAndIsRefusedWithoutOne() throws Exception {
        ChartKafkaUsers chart = ChartKafkaUsers.render(RepoLayout.locate().root());
        Map<String, String> passwords = new LinkedHashMap<>();
        COMPONENTS.values().forEach(c -> passwords.put(chart.of(c).name(), "pw-" + UUID.randomUUID()));
        try (SecuredKafka kafka = SecuredKafka.saslPlainAuthorizing(SUPER_USER, "pw-" + UUID.randomUUID(), passwords)) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(new java.util.HashMap<>(admin(kafka)))) {
                TopicAdmin.ensure(settings(bootstrap, kafka.clientProperties()), TopicAdmin.definitions(12),
                        TopicAdmin.Replication.SANDBOX);
                List<AclBinding> all = new ArrayList<>();
                COMPONENTS.values().forEach(c -> all.addAll(chart.of(c).acls()));
                admin.createAcls(all).all().get(30, TimeUnit.SECONDS);

                // The broker enforces them (once its authorizer has read them from the metadata log): the intake's
                // user sees only the two topics it writes, its changes and its admission records.
                String intakeUser = chart.of("spec-intake").name();
                assertThat(await("the intake's user sees its topics").atMost(Duration.ofSeconds(30))
                        .until(() -> SecuredPipeline.listTopics(bootstrap, kafka.clientProperties(intakeUser)),
                                topics -> topics.contains(Topics.SPEC_CHANGES) && topics.contains(Topics.ADMISSIONS)))
                        .containsExactlyInAnyOrder(Topics.SPEC_CHANGES, Topics.ADMISSIONS);

                Map<String, Map<String, String>> ownCredentials = new LinkedHashMap<>();
                COMPONENTS.forEach((module, component) -> ownCredentials.put(module, Map.of("KAFKA_SASL_JAAS_CONFIG",
                        kafka.clientProperties(chart.of(component).name()).get("sasl.jaas.config"))));
                try (SecuredPipeline fleet = SecuredPipeline.start("acls", kafka,
                        Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN"), Map.of(),
                        ownCredentials, NO_TOPIC_CREATION)) {
                    fleet.assertEveryClientReachesTheBroker(bootstrap, kafka.clientProperties());

                    // Take the intake's Write on spec-changes away: deleting the resource needs a spec change it
                    // can no longer publish, and the broker says why. Given back, the deletion goes through.
                    AclBinding write = chart.of("spec-intake").acls().stream()
                            .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC
                                    && b.pattern().name().equals(Topics.SPEC_CHANGES)
                                    && b.entry().operation() == AclOperation.WRITE)
                            .findFirst().orElseThrow();
                    assertThat(admin.deleteAcls(List.of(write.toFilter())).all().get(30, TimeUnit.SECONDS))
                            .containsExactly(write);
                    var ilm = fleet.delete("ilm-minimal.yaml");
                    assertThat(fleet.awaitLogLine("spec-intake", "cannot handle"))
                            .contains("TopicAuthorizationException")
                            .contains("Not authorized to access topics: [" + Topics.SPEC_CHANGES + "]");
                    admin.createAcls(List.of(write)).all().get(30, TimeUnit.SECONDS);
                    fleet.awaitGone(ilm);
                }
            }
        }
    }

    private static Map<String, Object> admin(SecuredKafka kafka) {
        Map<String, Object> p = new LinkedHashMap<>(kafka.clientProperties());
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    private static KafkaClientSettings settings(String bootstrap, Map<String, String> client) {
        Map<String, String> all = new LinkedHashMap<>(client);
        all.put("bootstrap.servers", bootstrap);
        return KafkaClientSettings.of(all);
    }
}
