package dev.meshfleet.aggregator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meshfleet.aggregator.fold.Owner;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.RbacAuthorizer;
import dev.meshfleet.testkit.UserInfo;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** The recorder against an API server that enforces exactly the chart's grant: create and patch on events. */
class EventRecorderTest {
    static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane", "uid-1");

    @Test
    void theFirstEventOfAKindIsCreatedAndLaterOnesPatchItsCountWithNothingButCreateAndPatch() throws Exception {
        try (MockApiServer server = MockApiServer.start()) {
            server.enforceRbac(new RbacAuthorizer(List.of(
                    new ClusterRoleBuilder().withNewMetadata().withName("events").endMetadata().addNewRule()
                            .withApiGroups("").withResources("events").withVerbs("create", "patch").endRule().build(),
                    new ClusterRoleBindingBuilder().withNewMetadata().withName("events").endMetadata()
                            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "events").addNewSubject()
                            .withKind("ServiceAccount").withName("aggregator").withNamespace("sys").endSubject().build())),
                    Map.of("aggregator-token", UserInfo.serviceAccount("sys", "aggregator")));
            Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withOauthToken("aggregator-token")
                    .withRequestRetryBackoffLimit(0).build();
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                EventRecorder recorder = new EventRecorder(client);
                Instant t1 = Instant.parse("2026-11-30T08:00:00Z");
                recorder.write(List.of(new EventRecord(ILM, "Healthy", false, "cluster1/1-24: -> HEALTHY", 1, t1, t1)));
                recorder.write(List.of(new EventRecord(ILM, "Healthy", false, "cluster2/1-24: -> HEALTHY", 2, t1,
                        t1.plusSeconds(30))));
            }
            assertThat(server.rbacDenials()).isEmpty();
            List<Event> events = server.client().v1().events().inNamespace("gloo-mesh").list().getItems();
            assertThat(events).extracting(e -> e.getInvolvedObject().getName(), e -> e.getInvolvedObject().getUid(),
                    Event::getReason, Event::getType, Event::getCount, Event::getMessage, Event::getFirstTimestamp,
                    Event::getLastTimestamp)
                    .containsExactly(tuple("istiod-control-plane", "uid-1", "Healthy", "Normal", 2,
                            "cluster2/1-24: -> HEALTHY", "2026-11-30T08:00:00Z", "2026-11-30T08:00:30Z"));
        }
    }
}
