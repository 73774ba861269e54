package dev.meshfleet.installer.work;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.jboss.logging.Logger;

/**
 * Clusters waiting to be reconciled, worked by a bounded pool. A cluster is queued at most once
 * and never runs on two threads at once; a trigger that arrives while it runs makes it run again
 * right after. Waiting (readiness, backoff) is a delayed re-queue on a timer, never a blocked
 * worker, so one slow cluster holds at most one worker for one call and others go on.
 */
public class WorkQueue implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WorkQueue.class);

    private static final class Entry {
        Trigger pending;
        boolean queued;
        boolean running;
        long runningSince;
        long dueAt = Long.MAX_VALUE;
    }

    private final BiFunction<String, Trigger, Duration> work;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final Map<String, Entry> entries = new HashMap<>();

    /** @param work reconciles a cluster and returns when to run it again (null: not before a trigger) */
    public WorkQueue(int workers, BiFunction<String, Trigger, Duration> work) {
        this.work = work;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "installer-worker-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "installer-timer"));
    }

    public synchronized void submit(String cluster, Trigger trigger) {
        if (pool.isShutdown()) {
            return;
        }
        Entry e = entries.computeIfAbsent(cluster, c -> new Entry());
        e.pending = trigger.merge(e.pending);
        if (!e.queued && !e.running) {
            e.queued = true;
            pool.execute(() -> run(cluster));
        }
    }

    /** Submits after {@code delay}; an earlier pending delay for the cluster makes this one redundant. */
    public synchronized void submitAfter(String cluster, Trigger trigger, Duration delay) {
        if (timer.isShutdown()) {
            return;
        }
        Entry e = entries.computeIfAbsent(cluster, c -> new Entry());
        long due = System.nanoTime() + delay.toNanos();
        if (e.dueAt <= due && e.dueAt > System.nanoTime()) {
            return;
        }
        e.dueAt = due;
        timer.schedule(() -> {
            synchronized (this) {
                if (e.dueAt == due) {
                    e.dueAt = Long.MAX_VALUE;
                }
            }
            submit(cluster, trigger);
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Forgets a cluster no longer owned; a reconcile already running finishes (and finds it not owned). */
    public synchronized void forget(String cluster) {
        Entry e = entries.get(cluster);
        if (e != null && !e.running && !e.queued) {
            entries.remove(cluster);
        }
    }

    private void run(String cluster) {
        Trigger trigger;
        synchronized (this) {
            Entry e = entries.get(cluster);
            trigger = e.pending;
            e.pending = null;
            e.queued = false;
            e.running = true;
            e.runningSince = System.nanoTime();
        }
        Duration again = null;
        try {
            again = work.apply(cluster, trigger);
        } catch (RuntimeException e) {
            // Unexpected: the cluster is retried later rather than left alone forever.
            LOG.errorf(e, "reconcile of cluster %s failed unexpectedly", cluster);
            again = Duration.ofSeconds(30);
        } finally {
            synchronized (this) {
                Entry e = entries.get(cluster);
                e.running = false;
                if (e.pending != null && !pool.isShutdown()) {
                    e.queued = true;
                    pool.execute(() -> run(cluster));
                }
            }
        }
        if (again != null) {
            submitAfter(cluster, Trigger.POLL, again);
        }
    }

    /** How long each reconcile running now has been running, by cluster (liveness: {@link StuckReconcile}). */
    public synchronized Map<String, Duration> running() {
        long now = System.nanoTime();
        Map<String, Duration> running = new HashMap<>();
        entries.forEach((cluster, e) -> {
            if (e.running) {
                running.put(cluster, Duration.ofNanos(now - e.runningSince));
            }
        });
        return running;
    }

    public void schedulePeriodically(Runnable task, Duration period) {
        timer.scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
