package dev.meshfleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class TopicAdminRetryTest {

    @Test
    void aBrokerThatAnswersOnlyOnTheThirdAttemptIsWaitedForNotAFailedStart() {
        AtomicInteger attempts = new AtomicInteger();
        List<String> retries = new ArrayList<>();
        boolean done = TopicAdmin.untilDone(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("cannot reach Kafka at 127.0.0.1:9 to create topics");
            }
        }, Duration.ofMillis(1), () -> true, retries::add);
        assertThat(done).isTrue();
        assertThat(attempts).hasValue(3);
        assertThat(retries).containsExactly("cannot reach Kafka at 127.0.0.1:9 to create topics",
                "cannot reach Kafka at 127.0.0.1:9 to create topics");
    }

    @Test
    void theTopicAdminReconnectsEveryQuarterSecondUnlessTheUserSetsItsBackoff() {
        assertThat(TopicAdmin.adminSettings(KafkaClientSettings.bootstrap("127.0.0.1:9092")))
                .containsExactly(java.util.Map.entry("reconnect.backoff.max.ms", "250"));
        KafkaClientSettings own = KafkaClientSettings.of(java.util.Map.of("bootstrap.servers", "127.0.0.1:9092",
                "reconnect.backoff.max.ms", "5000"));
        assertThat(TopicAdmin.adminSettings(own)).isEmpty();
        assertThat(own.forClient("topic admin", TopicAdmin.adminSettings(own))).containsEntry("reconnect.backoff.max.ms",
                "5000");
    }

    @Test
    void aServiceStoppingWhileTheBrokerIsDownStopsTrying() {
        AtomicInteger attempts = new AtomicInteger();
        boolean done = TopicAdmin.untilDone(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("cannot reach Kafka");
        }, Duration.ofMillis(1), () -> attempts.get() < 2, why -> { });
        assertThat(done).isFalse();
        assertThat(attempts).hasValue(2);
    }

    @Test
    void anUnreachableBrokerIsTriedAgainUntilTheServiceStops() {
        AtomicInteger asked = new AtomicInteger();
        List<String> retries = new ArrayList<>();
        // Nothing listens on port 9 (discard); one attempt gives up after Admin's default API timeout.
        boolean done = TopicAdmin.ensureOnceReachable(
                KafkaClientSettings.of(java.util.Map.of("bootstrap.servers", "127.0.0.1:9", "default.api.timeout.ms", "1500",
                        "request.timeout.ms", "1000")),
                TopicAdmin.definitions(1), TopicAdmin.Replication.SANDBOX, Duration.ofMillis(10),
                () -> asked.incrementAndGet() <= 2, retries::add);
        assertThat(done).isFalse();
        assertThat(retries).hasSize(2).allSatisfy(why -> assertThat(why).startsWith("cannot reach Kafka at 127.0.0.1:9"));
    }
}
