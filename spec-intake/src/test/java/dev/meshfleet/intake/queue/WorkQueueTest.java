package dev.meshfleet.intake.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final WorkQueue queue = new WorkQueue(Duration.ofMillis(10), Duration.ofSeconds(1));

    @AfterEach
    void close() {
        queue.close();
    }

    @Test
    void aKeyAddedManyTimesWaitsInTheQueueOnce() throws InterruptedException {
        queue.add("a");
        queue.add("a");
        queue.add("b");
        queue.add("a");

        assertThat(queue.depth()).isEqualTo(2);
        assertThat(queue.take()).isEqualTo("a");
        assertThat(queue.take()).isEqualTo("b");
        assertThat(queue.depth()).isZero();
    }

    @Test
    void aKeyAddedWhileBeingWorkedOnIsNotHandedToASecondWorkerButComesBackWhenDone() throws Exception {
        queue.add("a");
        String held = queue.take();
        queue.add("a");

        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(queue.depth()).isZero();
        assertThat(second).isNotDone();

        queue.done(held);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("a");
    }

    @Test
    void aKeyDoneWithoutNewEventsIsNotQueuedAgain() throws InterruptedException {
        queue.add("a");
        queue.done(queue.take());

        assertThat(queue.depth()).isZero();
    }

    @Test
    void aFailedKeyComesBackAfterItsBackoffAndForgetResetsTheCount() throws InterruptedException {
        queue.add("a");
        String key = queue.take();
        queue.addRateLimited(key);
        queue.done(key);

        await().atMost(Duration.ofSeconds(5)).until(() -> queue.depth() == 1);
        assertThat(queue.failures("a")).isEqualTo(1);
        queue.forget("a");
        assertThat(queue.failures("a")).isZero();
    }

    @Test
    void aClosedQueueReleasesWaitingWorkers() throws Exception {
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        queue.close();

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isNull();
    }
}
