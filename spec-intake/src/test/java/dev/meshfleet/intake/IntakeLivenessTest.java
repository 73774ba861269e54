package dev.meshfleet.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.intake.publish.SpecChangePublisher;
import dev.meshfleet.intake.watch.LifecycleWatch;
import dev.meshfleet.schemas.KafkaClientSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The intake's liveness check over its real parts: informers that really stopped, a Kafka producer that was really
 * closed (its I/O thread ended), worker threads that really ended. No API server and no broker are needed: an
 * informer on an unreachable API server keeps relisting (live), a producer on an unreachable broker keeps its I/O
 * thread (live).
 */
class IntakeLivenessTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
            Config.empty()).withMasterUrl("http://127.0.0.1:9").withRequestTimeout(500).withConnectionTimeout(500)
            .build()).build();
    private final LifecycleWatch watch = new LifecycleWatch(client);
    private final SpecChangePublisher publisher = SpecChangePublisher.create(KafkaClientSettings.bootstrap("127.0.0.1:9"), "meshfleet.spec-changes");
    private Thread worker;

    @AfterEach
    void stop() {
        release.countDown();
        watch.close();
        publisher.close();
        client.close();
    }

    private HealthCheckResponse liveness() {
        List<Thread> threads = List.of(worker);
        IntakeLiveness check = new IntakeLiveness();
        check.service = new IntakeService() {
            @Override
            public List<String> deadParts() {
                return deadParts(true, threads, watch, publisher);
            }
        };
        return check.call();
    }

    private void start() {
        worker = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "intake-worker-0");
        worker.setDaemon(true);
        worker.start();
        watch.start(List.of(), Duration.ofMinutes(5), key -> {
        });
    }

    @Test
    void informersRelistingAnUnreachableApiServerAndAProducerWaitingForKafkaAreLive() {
        start();
        assertThat(liveness().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void stoppedInformersUnderARunningServiceAreDownNamingThem() {
        start();
        watch.close();
        HealthCheckResponse r = liveness();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData()).hasValueSatisfying(d -> assertThat((String) d.get("dead"))
                .contains("IstioLifecycleManager informer has stopped")
                .contains("GatewayLifecycleManager informer has stopped"));
    }

    @Test
    void aProducerWhoseIoThreadEndedIsDown() {
        start();
        publisher.close();
        HealthCheckResponse r = liveness();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData()).hasValueSatisfying(d -> assertThat((String) d.get("dead"))
                .isEqualTo("the producer's I/O thread 'kafka-producer-network-thread | spec-intake' has ended"));
    }

    @Test
    void aWorkerThatEndedIsDown() throws Exception {
        start();
        release.countDown();
        worker.join();
        HealthCheckResponse r = liveness();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData()).hasValueSatisfying(d -> assertThat((String) d.get("dead"))
                .isEqualTo("a worker thread has ended"));
    }
}
