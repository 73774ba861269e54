package dev.meshfleet.installer.kafka;

import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import dev.meshfleet.installer.reconcile.EventSink;
import dev.meshfleet.installer.trace.PlanTraces;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.trace.TraceHeaders;
import dev.meshfleet.schemas.v1.InstallationEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

/**
 * Installation events to Kafka: key Kind/namespace/name, acks=all, idempotent. The first event of each state of an
 * installation under a change is a span ({@code report STATE}) of that change's trace ({@link PlanTraces}), and
 * carries its context in the record's headers to the aggregator.
 */
public class EventPublisher implements EventSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private final KafkaProducer<String, InstallationEvent> producer;
    private final String topic;
    private final Runnable onSent;
    private Tracer tracer = OpenTelemetry.noop().getTracer("installer-service");
    private PlanTraces traces = new PlanTraces();

    /** The user's kafka.* client settings, and over them acks=all and idempotence: no event lost or doubled. */
    public EventPublisher(KafkaClientSettings kafka, String topic, String clientId, Runnable onSent) {
        var props = kafka.forClient("installer events producer", Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5));
        this.producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerde.of(InstallationEvent.class));
        this.topic = topic;
        this.onSent = onSent;
    }

    /** Events traced in the change that planned them. Before the first event. */
    public EventPublisher traced(Tracer tracer, PlanTraces traces) {
        this.tracer = tracer;
        this.traces = traces;
        return this;
    }

    /** The Kafka producer, for its client metrics. */
    public KafkaProducer<String, InstallationEvent> producer() {
        return producer;
    }

    @Override
    public void emit(String key, InstallationEvent event) {
        ProducerRecord<String, InstallationEvent> record = new ProducerRecord<>(topic, key, event);
        Span span = traces.report(event.getCluster(), key, event.getRevision(), event.getState())
                .map(parent -> tracer.spanBuilder("report " + event.getState()).setParent(parent)
                        .setSpanKind(SpanKind.PRODUCER).setAttribute("meshfleet.owner", key)
                        .setAttribute("meshfleet.cluster", event.getCluster())
                        .setAttribute("meshfleet.revision", event.getRevision()).startSpan())
                .orElse(Span.getInvalid());
        TraceHeaders.inject(io.opentelemetry.context.Context.root().with(span), record.headers());
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                span.setStatus(StatusCode.ERROR, error.toString());
            }
            span.end();
            if (error != null) {
                // The next resync re-emits every state, so a lost event is repaired, not retried here.
                LOG.warnf("event for %s in %s not sent: %s", key, event.getCluster(), error.toString());
            } else {
                onSent.run();
            }
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
