package dev.meshfleet.aggregator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * Kafka Streams initializes a processor again on the same instance when it revives a task (a corrupted
 * task's state is wiped and restored from its changelog): what the processor holds in memory must then be
 * what the restored stores hold, not what it loaded before.
 */
class FoldProcessorTest {
    private static final OwnerRef ILM = new OwnerRef(ResourceKind.IstioLifecycleManager, "gloo-mesh", "mesh", "uid-1");

    private static KeyValueStore<String, LifecycleStatus> store(String name, MockProcessorContext<String, LifecycleStatus> context) {
        KeyValueStore<String, LifecycleStatus> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), AvroSerde.of(LifecycleStatus.class)).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private static InstallationEvent event(String state, long sequence) {
        return new InstallationEvent(ILM, 1L, "cluster1", "1-24", state, "", null, "h1", "installer/installer-0", 1L,
                sequence, Instant.ofEpochMilli(1_000 + sequence), null, java.util.Map.of());
    }

    @Test
    void aProcessorInitializedAgainOnWipedStoresForgetsWhatItHeld() {
        MockProcessorContext<String, LifecycleStatus> context = new MockProcessorContext<>();
        KeyValueStore<String, LifecycleStatus> owners = store(FoldProcessor.OWNER_STORE, context);
        KeyValueStore<String, LifecycleStatus> clusters = store(FoldProcessor.CLUSTER_STORE, context);
        List<LifecycleStatus> offered = new ArrayList<>();
        FoldProcessor processor = new FoldProcessor(Duration.ofMillis(200), (k, s) -> offered.add(s), (o, e, r) -> {
        }, io.opentelemetry.api.OpenTelemetry.noop().getTracer("test"));
        processor.init(context);
        processor.process(new Record<>(OwnerKeys.of(ILM), event("UNKNOWN", 9), 0L));

        // The task is revived: its stores wiped (an empty changelog restored), the same processor initialized again.
        List.of(owners, clusters).forEach(s -> s.all().forEachRemaining(kv -> s.delete(kv.key)));
        processor.init(context);
        processor.process(new Record<>(OwnerKeys.of(ILM), event("INSTALLING_CONTROL_PLANE", 1), 0L));

        LifecycleStatus stored = clusters.get(FoldProcessor.clusterKey(OwnerKeys.of(ILM), "cluster1"));
        assertThat(stored).as("the event folded after the revival (not dropped as older than the forgotten one)")
                .isNotNull();
        assertThat(stored.getClusters().get("cluster1").getInstallations().get("1-24").getState())
                .isEqualTo("INSTALLING_CONTROL_PLANE");
    }

    /** A processor at a 200 ms publish interval on fresh stores of {@code context}, offering to {@code offered}. */
    private static FoldProcessor initialized(MockProcessorContext<String, LifecycleStatus> context,
            List<LifecycleStatus> offered) {
        store(FoldProcessor.OWNER_STORE, context);
        store(FoldProcessor.CLUSTER_STORE, context);
        FoldProcessor processor = new FoldProcessor(Duration.ofMillis(200), (k, s) -> offered.add(s), (o, e, r) -> {
        }, io.opentelemetry.api.OpenTelemetry.noop().getTracer("test"));
        processor.init(context);
        return processor;
    }

    private static List<MockProcessorContext.CapturedPunctuator> active(MockProcessorContext<String, LifecycleStatus> c) {
        return c.scheduledPunctuators().stream().filter(p -> !p.cancelled()).toList();
    }

    /**
     * Streams commits a task after every punctuation: a punctuator kept scheduled on an idle fleet committed each
     * task five times a second. It runs only while something waits to be published.
     */
    @Test
    void thePublishingPunctuatorRunsOnlyWhileSomethingWaitsToBePublished() {
        MockProcessorContext<String, LifecycleStatus> context = new MockProcessorContext<>();
        List<LifecycleStatus> offered = new ArrayList<>();
        FoldProcessor processor = initialized(context, offered);
        assertThat(active(context)).as("empty stores: nothing to publish, no punctuator").isEmpty();

        processor.process(new Record<>(OwnerKeys.of(ILM), event("INSTALLING_CONTROL_PLANE", 1), 0L));
        assertThat(active(context)).as("a change waits").hasSize(1);
        assertThat(active(context).get(0).getInterval()).isEqualTo(Duration.ofMillis(200));
        active(context).get(0).getPunctuator().punctuate(1_000L);
        assertThat(offered).hasSize(1);
        assertThat(active(context)).as("kept for one more interval: a change right after a publish still waits it out")
                .hasSize(1);

        active(context).get(0).getPunctuator().punctuate(1_200L);
        assertThat(active(context)).as("an interval with nothing to publish cancels it").isEmpty();
        assertThat(offered).hasSize(1);

        processor.process(new Record<>(OwnerKeys.of(ILM), event("HEALTHY", 2), 0L));
        assertThat(active(context)).as("the next change schedules it again").hasSize(1);
        active(context).get(0).getPunctuator().punctuate(1_400L);
        assertThat(offered).hasSize(2);
        assertThat(offered.get(1).getClusters().get("cluster1").getInstallations().get("1-24").getState())
                .isEqualTo("HEALTHY");
    }

    @Test
    void aProcessorInitializedOnStoredOwnersPublishesThemOnce() {
        MockProcessorContext<String, LifecycleStatus> context = new MockProcessorContext<>();
        store(FoldProcessor.OWNER_STORE, context);
        store(FoldProcessor.CLUSTER_STORE, context);
        List<LifecycleStatus> offered = new ArrayList<>();
        FoldProcessor first = new FoldProcessor(Duration.ofMillis(200), (k, s) -> offered.add(s), (o, e, r) -> {
        }, io.opentelemetry.api.OpenTelemetry.noop().getTracer("test"));
        first.init(context);
        first.process(new Record<>(OwnerKeys.of(ILM), event("HEALTHY", 1), 0L));

        // A restart: a new processor on the same stores publishes what they hold, once.
        MockProcessorContext<String, LifecycleStatus> restarted = new MockProcessorContext<>();
        restarted.addStateStore(context.getStateStore(FoldProcessor.OWNER_STORE));
        restarted.addStateStore(context.getStateStore(FoldProcessor.CLUSTER_STORE));
        FoldProcessor second = new FoldProcessor(Duration.ofMillis(200), (k, s) -> offered.add(s), (o, e, r) -> {
        }, io.opentelemetry.api.OpenTelemetry.noop().getTracer("test"));
        second.init(restarted);
        assertThat(active(restarted)).hasSize(1);
        active(restarted).get(0).getPunctuator().punctuate(1_000L);
        active(restarted).get(0).getPunctuator().punctuate(1_200L);
        assertThat(offered).as("only the restarted processor published: the first was never punctuated").hasSize(1);
        assertThat(active(restarted)).isEmpty();
    }

    /** A status naming 1,000 clusters is published at most every second ({@link PublishPacing}), the last change too. */
    @Test
    void aStatusOfAThousandClustersIsPublishedAtMostEverySecond() {
        MockProcessorContext<String, LifecycleStatus> context = new MockProcessorContext<>();
        List<LifecycleStatus> offered = new ArrayList<>();
        FoldProcessor processor = initialized(context, offered);
        for (int c = 1; c <= 1000; c++) {
            processor.process(new Record<>(OwnerKeys.of(ILM), new InstallationEvent(ILM, 1L, "cluster" + c, "1-24",
                    "INSTALLING_CONTROL_PLANE", "", null, "h1", "installer/installer-0", 1L, (long) c,
                    Instant.ofEpochMilli(1_000 + c), null, java.util.Map.of()), 0L));
        }
        active(context).get(0).getPunctuator().punctuate(10_000L);
        assertThat(offered).as("the first publish of a change goes out at once").hasSize(1);

        processor.process(new Record<>(OwnerKeys.of(ILM), event("HEALTHY", 5_000), 0L));
        active(context).get(0).getPunctuator().punctuate(10_200L);
        active(context).get(0).getPunctuator().punctuate(10_800L);
        assertThat(offered).as("within a second of the last publish").hasSize(1);
        assertThat(active(context)).as("still waiting to be published").hasSize(1);

        active(context).get(0).getPunctuator().punctuate(11_000L);
        assertThat(offered).hasSize(2);
        assertThat(offered.get(1).getClusters().get("cluster1").getInstallations().get("1-24").getState())
                .isEqualTo("HEALTHY");
    }
}
