package dev.meshfleet.schemas;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

import org.apache.kafka.streams.KafkaStreams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/**
 * Every client of a Kafka Streams instance (consumer with its records-lag, producer, admin) and the stream metrics, at
 * /q/metrics as {@code kafka_*}, for the translator and the aggregator alike. New metrics (a partition's lag after an
 * assignment) are bound every {@code refresh} (Micrometer's default is 60 s) by a daemon thread {@code kafka-metrics}.
 */
public final class StreamsMetrics {
    private StreamsMetrics() {
    }

    /** Binds the metrics of {@code streams} to {@code meters}; close what it returns with the streams. */
    public static KafkaStreamsMetrics bind(KafkaStreams streams, MeterRegistry meters, Duration refresh) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, List.of(),
                Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "kafka-metrics");
                    t.setDaemon(true);
                    return t;
                }), refresh);
        metrics.bindTo(meters);
        return metrics;
    }
}
