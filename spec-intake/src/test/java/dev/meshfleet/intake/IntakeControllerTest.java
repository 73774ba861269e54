package dev.meshfleet.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.intake.change.PublishLedger;
import dev.meshfleet.intake.watch.LifecycleResources;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.SpecChange;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The worker's loop over the rules, with no Kafka at all: a list stands in for the topic (what was
 * acknowledged, in order) and a reference for the informer cache. The real producer is exercised
 * against the in-process broker in {@link SpecIntakeIT}.
 */
class IntakeControllerTest {
    private static final String KEY = "IstioLifecycleManager/gloo-mesh/istiod";
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    /** Records (key, change) the broker acknowledged, in order. */
    private final List<Map.Entry<String, SpecChange>> acknowledged = new ArrayList<>();
    /** When set, the next sends fail with it, as {@code SpecChangePublisher} does when Kafka is down. */
    private final AtomicReference<RuntimeException> sendFailure = new AtomicReference<>();
    private final IntakeController.Publisher publisher = (key, change) -> {
        RuntimeException failure = sendFailure.get();
        if (failure != null) {
            throw failure;
        }
        acknowledged.add(Map.entry(key, change));
    };
    private final AtomicReference<GenericKubernetesResource> stored = new AtomicReference<>();
    private final AtomicInteger finalizerWrites = new AtomicInteger();
    private final List<Operation> counted = new ArrayList<>();
    private final IntakeController controller = new IntakeController(
            (kind, namespace, name) -> Optional.ofNullable(stored.get()),
            (kind, cached) -> {
                finalizerWrites.incrementAndGet();
                stored.set(withFinalizer(cached));
                return Optional.of(stored.get());
            },
            publisher, new LifecycleResources(new ObjectMapper()),
            new PublishLedger(), Clock.fixed(NOW, ZoneOffset.UTC), counted::add);

    private static GenericKubernetesResource ilm(String uid, long generation, List<String> finalizers, boolean deleting) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder().withApiVersion(Crds.API_VERSION)
                .withKind("IstioLifecycleManager")
                .withMetadata(new ObjectMetaBuilder().withNamespace("gloo-mesh").withName("istiod").withUid(uid)
                        .withGeneration(generation).withResourceVersion("rv" + generation).withFinalizers(finalizers)
                        .withDeletionTimestamp(deleting ? "2026-11-23T12:00:00Z" : null).build())
                .build();
        r.setAdditionalProperty("spec", Map.of("installations", List.of(Map.of("revision", "1-24"))));
        return r;
    }

    private static GenericKubernetesResource withFinalizer(GenericKubernetesResource r) {
        List<String> finalizers = new ArrayList<>(r.getMetadata().getFinalizers());
        finalizers.add(Crds.FINALIZER);
        return ilm(r.getMetadata().getUid(), r.getMetadata().getGeneration(), finalizers,
                r.getMetadata().getDeletionTimestamp() != null);
    }

    private List<SpecChange> sent() {
        return acknowledged.stream().map(Map.Entry::getValue).toList();
    }

    @Test
    void aNewResourceGetsTheFinalizerAndItsUpsertInOneHandling() {
        stored.set(ilm("u1", 1, List.of(), false));

        controller.handle(KEY);

        assertThat(finalizerWrites).hasValue(1);
        assertThat(acknowledged).singleElement().satisfies(r -> {
            assertThat(r.getKey()).isEqualTo(KEY);
            assertThat(r.getValue().getOperation()).isEqualTo(Operation.UPSERT);
            assertThat(r.getValue().getObservedAt()).isEqualTo(NOW);
            assertThat(r.getValue().getSpecJson()).isEqualTo("{\"installations\":[{\"revision\":\"1-24\"}]}");
        });
        assertThat(counted).containsExactly(Operation.UPSERT);
    }

    @Test
    void handlingTheSameStateAgainPublishesNothingMore() {
        stored.set(ilm("u1", 1, List.of(Crds.FINALIZER), false));

        controller.handle(KEY);
        controller.handle(KEY);
        controller.handle(KEY);

        assertThat(sent()).hasSize(1);
        assertThat(finalizerWrites).hasValue(0);
    }

    @Test
    void whileKafkaIsDownTheChangeStaysUnpublishedAndGoesOutOnTheNextAttempt() {
        stored.set(ilm("u1", 1, List.of(Crds.FINALIZER), false));
        RuntimeException brokerDown = new IllegalStateException("cannot publish to meshfleet.spec-changes: broker unreachable");
        sendFailure.set(brokerDown);

        assertThatThrownBy(() -> controller.handle(KEY)).isSameAs(brokerDown);
        assertThat(counted).isEmpty();

        sendFailure.set(null);
        controller.handle(KEY);

        assertThat(sent()).singleElement().extracting(SpecChange::getGeneration).isEqualTo(1L);
        assertThat(counted).containsExactly(Operation.UPSERT);
    }

    @Test
    void aFailedFinalizerWritePublishesNothingSoTheKeyIsRetried() {
        IntakeController conflicted = new IntakeController((kind, namespace, name) -> Optional.of(ilm("u1", 1, List.of(), false)),
                (kind, cached) -> {
                    throw new KubernetesClientException("conflict", 409, null);
                }, publisher,
                new LifecycleResources(new ObjectMapper()), new PublishLedger(), Clock.systemUTC(), counted::add);

        assertThatThrownBy(() -> conflicted.handle(KEY)).isInstanceOf(KubernetesClientException.class);
        assertThat(sent()).isEmpty();
    }

    @Test
    void aDeletionIsPublishedOnceAndTheVanishedResourceIsNotDeletedAgain() {
        stored.set(ilm("u1", 1, List.of(Crds.FINALIZER), false));
        controller.handle(KEY);
        stored.set(ilm("u1", 1, List.of(Crds.FINALIZER), true));
        controller.handle(KEY);
        controller.handle(KEY);
        stored.set(null);
        controller.handle(KEY);

        assertThat(sent()).extracting(SpecChange::getOperation).containsExactly(Operation.UPSERT, Operation.DELETE);
    }

    @Test
    void aResourceThatVanishesWithoutADeletionTimestampIsPublishedAsDeleteFromWhatWasLastSeen() {
        stored.set(ilm("u1", 3, List.of(Crds.FINALIZER), false));
        controller.handle(KEY);
        stored.set(null);

        controller.handle(KEY);
        controller.handle(KEY);

        assertThat(sent()).extracting(SpecChange::getOperation).containsExactly(Operation.UPSERT, Operation.DELETE);
        assertThat(sent().get(1).getUid()).isEqualTo("u1");
        assertThat(sent().get(1).getGeneration()).isEqualTo(3);
    }

    @Test
    void aResourceReCreatedUnderTheSameNameDeletesTheOldUidBeforeUpsertingTheNewOne() {
        stored.set(ilm("old", 2, List.of(Crds.FINALIZER), false));
        controller.handle(KEY);
        stored.set(ilm("new", 1, List.of(), false));

        controller.handle(KEY);

        assertThat(sent()).extracting(SpecChange::getUid, SpecChange::getOperation).containsExactly(
                tuple("old", Operation.UPSERT),
                tuple("old", Operation.DELETE),
                tuple("new", Operation.UPSERT));
    }

    private static final String SMC_KEY = "ServiceMeshController/gloo-mesh/managed-istio-cluster1";

    /** A ServiceMeshController at generation 1 holding the finalizer, with these annotations. */
    private static GenericKubernetesResource smc(Map<String, String> annotations) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder().withApiVersion(Crds.SMC_API_VERSION)
                .withKind("ServiceMeshController")
                .withMetadata(new ObjectMetaBuilder().withNamespace("gloo-mesh").withName("managed-istio-cluster1")
                        .withUid("u1").withGeneration(1L).withResourceVersion("rv" + annotations.size())
                        .withFinalizers(List.of(Crds.FINALIZER)).withAnnotations(annotations).build())
                .build();
        r.setAdditionalProperty("spec", Map.of("cluster", "cluster1"));
        return r;
    }

    /**
     * ADR 0046: annotating a controller for NodePort peering changes its metadata only (the generation stays), and is
     * published again with it; a user's other annotation is neither published nor a reason to publish.
     */
    @Test
    void aControllersNodePortAnnotationAlonePublishesItAgainAndAnUnrelatedAnnotationDoesNot() {
        stored.set(smc(Map.of()));
        controller.handle(SMC_KEY);

        stored.set(smc(Map.of("team.example.com/owner", "mesh-team")));
        controller.handle(SMC_KEY);
        assertThat(sent()).as("an annotation Meshfleet does not read publishes nothing").hasSize(1);

        stored.set(smc(Map.of("team.example.com/owner", "mesh-team",
                "peering.solo.io/data-plane-service-type", "nodeport")));
        controller.handle(SMC_KEY);
        controller.handle(SMC_KEY);

        stored.set(smc(Map.of("peering.solo.io/data-plane-service-type", "nodeport")));
        controller.handle(SMC_KEY);

        stored.set(smc(Map.of()));
        controller.handle(SMC_KEY);

        assertThat(sent()).extracting(SpecChange::getGeneration, SpecChange::getOperation, SpecChange::getAnnotations)
                .containsExactly(
                        tuple(1L, Operation.UPSERT, null),
                        tuple(1L, Operation.UPSERT, Map.of("peering.solo.io/data-plane-service-type", "nodeport")),
                        tuple(1L, Operation.UPSERT, null));
    }
}
