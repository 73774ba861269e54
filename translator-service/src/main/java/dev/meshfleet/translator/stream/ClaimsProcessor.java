package dev.meshfleet.translator.stream;

import dev.meshfleet.schemas.EventOrder;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.meshfleet.schemas.trace.TraceHeaders;
import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import dev.meshfleet.translator.json.StoreJson;

/**
 * The cluster-keyed stage where every owner of a cluster meets: applies {@link ClaimRules} to each
 * new candidate state, forwards the effective state (for install-plans) when it changed, and a
 * FAILED event per refused plan, once per (plan, message): repeating it on every update of the
 * cluster would only be dropped by the aggregator as a duplicate.
 *
 * <p>The FAILED carries the refused plan's generation and hash and the sequence
 * {@link EventOrder#refused}, after every INSTALL_PENDING the translate step numbers for that
 * generation, so the aggregator folds it after the translator's own INSTALL_PENDING for the plan.
 */
final class ClaimsProcessor implements Processor<String, ClusterDesiredState, String, TranslatorOutput> {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimsProcessor.class);
    private final String effectiveStoreName;
    private final String refusalStoreName;
    private final Tracer tracer;
    private ProcessorContext<String, TranslatorOutput> context;
    private KeyValueStore<String, ClusterDesiredState> effective;
    private KeyValueStore<String, String> refusals;

    ClaimsProcessor(String effectiveStoreName, String refusalStoreName, Tracer tracer) {
        this.tracer = tracer;
        this.effectiveStoreName = effectiveStoreName;
        this.refusalStoreName = refusalStoreName;
    }

    @Override
    public void init(ProcessorContext<String, TranslatorOutput> context) {
        this.context = context;
        this.effective = context.getStateStore(effectiveStoreName);
        this.refusals = context.getStateStore(refusalStoreName);
    }

    /**
     * In the span {@code claims}, a child of the translate span whose context came through the repartition in the
     * record's headers; the install-plans record and any FAILED carry this span's context on to the installer.
     */
    @Override
    public void process(Record<String, ClusterDesiredState> record) {
        TraceHeaders.hop(tracer, "claims", record.headers(), () -> resolve(record));
    }

    private void resolve(Record<String, ClusterDesiredState> record) {
        String cluster = record.key();
        ClusterDesiredState candidate = record.value();
        if (cluster == null || candidate == null) {
            return;
        }
        MDC.put("cluster", cluster);
        try {
            ClusterDesiredState last = effective.get(cluster);
            ClaimRules.Resolution resolution = ClaimRules.resolve(cluster, last, candidate);
            Map<String, String> before = readRefusals(refusals.get(cluster));
            Map<String, String> now = new TreeMap<>();
            Instant time = Instant.ofEpochMilli(record.timestamp());
            for (ClaimRules.Refusal r : resolution.refusals()) {
                String seen = r.plan().getPlanHash() + "\n" + r.message();
                now.put(r.key(), seen);
                if (!seen.equals(before.get(r.key()))) {
                    LOG.info("{}", r.message());
                    long sequence = EventOrder.refused(r.plan().getGeneration());
                    context.forward(record.withKey(AvroPlans.ownerKey(r.plan())).withValue(new TranslatorOutput.Event(
                            AvroPlans.refused(r.plan(), cluster, r.message(), sequence, time))));
                }
            }
            if (!now.equals(before)) {
                if (now.isEmpty()) {
                    refusals.delete(cluster);
                } else {
                    refusals.put(cluster, writeRefusals(now));
                }
            }
            ClusterDesiredState next = AvroPlans.desiredState(cluster, resolution.effective());
            if (!next.equals(last)) {
                effective.put(cluster, next);
                context.forward(record.withKey(cluster).withValue(new TranslatorOutput.EffectiveState(next)));
            }
        } finally {
            MDC.remove("cluster");
        }
    }

    private static Map<String, String> readRefusals(String json) {
        if (json == null) {
            return Map.of();
        }
        return StoreJson.read(json, new TypeReference<TreeMap<String, String>>() {
        }, "refusal memo");
    }

    private static String writeRefusals(Map<String, String> refusals) {
        return StoreJson.write(refusals, "a map of strings");
    }
}
