package dev.meshfleet.installer.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class WorkQueueTest {

    @Test
    void aBlockedClusterDoesNotStopAnotherClusterFromBeingReconciled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();
        try (WorkQueue queue = new WorkQueue(2, (cluster, trigger) -> {
            if (cluster.equals("slow")) {
                block(release);
            }
            done.add(cluster);
            return null;
        })) {
            queue.submit("slow", Trigger.CHANGE);
            queue.submit("fast", Trigger.CHANGE);
            await().atMost(Duration.ofSeconds(5)).until(() -> done.contains("fast"));
            assertThat(done).doesNotContain("slow");
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> done.contains("slow"));
        }
    }

    @Test
    void oneClusterIsNeverReconciledOnTwoThreadsAndATriggerDuringARunRunsItAgain() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        List<Trigger> seen = new CopyOnWriteArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WorkQueue queue = new WorkQueue(4, (cluster, trigger) -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            seen.add(trigger);
            firstStarted.countDown();
            block(release);
            concurrent.decrementAndGet();
            return null;
        })) {
            queue.submit("c1", Trigger.POLL);
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            queue.submit("c1", Trigger.CHANGE);
            queue.submit("c1", Trigger.RESYNC);
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
            assertThat(seen).containsExactly(Trigger.POLL, Trigger.RESYNC);
            assertThat(maxConcurrent.get()).isEqualTo(1);
        }
    }

    @Test
    void aReturnedDelayRequeuesTheClusterAsAReadinessPoll() {
        ConcurrentHashMap<String, List<Trigger>> runs = new ConcurrentHashMap<>();
        try (WorkQueue queue = new WorkQueue(1, (cluster, trigger) -> {
            List<Trigger> list = runs.computeIfAbsent(cluster, c -> new CopyOnWriteArrayList<>());
            list.add(trigger);
            return list.size() < 3 ? Duration.ofMillis(20) : null;
        })) {
            queue.submit("c1", Trigger.CHANGE);
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.getOrDefault("c1", List.of()).size() == 3);
            assertThat(runs.get("c1")).containsExactly(Trigger.CHANGE, Trigger.POLL, Trigger.POLL);
        }
    }

    @Test
    void aRunningReconcileIsReportedWithHowLongItHasRunAndForgottenOnceItEnds() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WorkQueue queue = new WorkQueue(2, (cluster, trigger) -> {
            started.countDown();
            block(release);
            return null;
        })) {
            assertThat(queue.running()).isEmpty();
            queue.submit("hung", Trigger.CHANGE);
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200);
            assertThat(queue.running()).containsOnlyKeys("hung");
            assertThat(queue.running().get("hung")).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> queue.running().isEmpty());
        }
    }

    private static void block(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
