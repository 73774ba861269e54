package dev.meshfleet.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IntakeWorkersLivenessTest {

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseWorkers() {
        release.countDown();
    }

    private Thread worker(String name) {
        Thread t = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A worker ended by an Error, as handle() throwing a StackOverflowError would end it. */
    private static Thread deadWorker(String name) throws InterruptedException {
        Thread t = new Thread(() -> {
            throw new StackOverflowError("in handle");
        }, name);
        t.setUncaughtExceptionHandler((thread, e) -> {
        });
        t.start();
        t.join();
        return t;
    }

    @Test
    void runningWorkersAreLive() {
        assertThat(IntakeService.workersAlive(true, List.of(worker("intake-worker-0"), worker("intake-worker-1")))).isTrue();
    }

    @Test
    void oneWorkerDeadOfAnErrorIsNotLive() throws Exception {
        assertThat(IntakeService.workersAlive(true, List.of(worker("intake-worker-0"), deadWorker("intake-worker-1"))))
                .isFalse();
    }

    @Test
    void theTopicThreadEndingIsNoReasonToRestart() throws Exception {
        assertThat(IntakeService.workersAlive(true, List.of(deadWorker("intake-topics"), worker("intake-worker-0"))))
                .isTrue();
    }

    @Test
    void noWorkerAtAllOrAStoppedServiceIsNotLive() {
        assertThat(IntakeService.workersAlive(true, List.of())).isFalse();
        assertThat(IntakeService.workersAlive(false, List.of(worker("intake-worker-0")))).isFalse();
    }
}
