package dev.meshfleet.aggregator.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.meshfleet.aggregator.stream.StreamsLifecycle;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Ready when the stream consumes (RUNNING or REBALANCING) and the management API lists our resources. */
@Readiness
@ApplicationScoped
public class AggregatorReadiness implements HealthCheck {

    @Inject
    StreamsLifecycle streams;

    @Inject
    KubernetesClient client;

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        boolean streaming = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        String api;
        boolean apiUp;
        try {
            // The call the writer depends on, with RBAC and CRD included, kept to one item.
            ResourceDefinitionContext ilm = new ResourceDefinitionContext.Builder().withGroup(Crds.GROUP)
                    .withVersion(Crds.VERSION).withKind(ResourceKind.IstioLifecycleManager.name())
                    .withPlural(Crds.plural(ResourceKind.IstioLifecycleManager)).withNamespaced(true).build();
            client.genericKubernetesResources(ilm).inAnyNamespace()
                    .list(new ListOptionsBuilder().withLimit(1L).build());
            api = "reachable";
            apiUp = true;
        } catch (RuntimeException e) {
            api = "unreachable: " + e.getMessage();
            apiUp = false;
        }
        return HealthCheckResponse.named("status-aggregator").status(streaming && apiUp)
                .withData("streams", state.name()).withData("managementApi", api).build();
    }
}
