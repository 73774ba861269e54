package dev.meshfleet.intake.queue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.meshfleet.schemas.Backoff;

/**
 * A deduplicating work queue of keys, after client-go's workqueue: a key waits in the queue at most
 * once however many events name it; a key is handed to one worker at a time, and a key added while
 * it is being worked on is queued again when that worker is done, so the newest state is always
 * handled. Failed keys come back after an exponential backoff per key, reset by {@link #forget}.
 */
public final class WorkQueue implements AutoCloseable {
    private final Backoff backoff;
    private final ScheduledExecutorService delayer;

    // Guarded by this.
    private final LinkedHashSet<String> queue = new LinkedHashSet<>();
    /** Keys that need work: queued, or added again while a worker holds them. */
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private boolean shutdown;

    public WorkQueue(Duration baseDelay, Duration maxDelay) {
        this.backoff = new Backoff(baseDelay, maxDelay);
        this.delayer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "intake-queue-backoff");
            t.setDaemon(true);
            return t;
        });
    }

    public synchronized void add(String key) {
        if (shutdown || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            queue.add(key);
            notifyAll();
        }
    }

    /** Adds the key back after this key's next backoff delay. */
    public void addRateLimited(String key) {
        int attempt;
        synchronized (this) {
            if (shutdown) {
                return;
            }
            attempt = failures.merge(key, 1, Integer::sum);
        }
        delayer.schedule(() -> add(key), backoff.delay(attempt).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The key was handled: its next failure starts the backoff from the base delay again. */
    public synchronized void forget(String key) {
        failures.remove(key);
    }

    /** Blocks for the next key; null once the queue is shut down. Call {@link #done} when finished. */
    public synchronized String take() throws InterruptedException {
        while (queue.isEmpty() && !shutdown) {
            wait();
        }
        if (shutdown) {
            return null;
        }
        String key = queue.iterator().next();
        queue.remove(key);
        dirty.remove(key);
        processing.add(key);
        return key;
    }

    public synchronized void done(String key) {
        processing.remove(key);
        if (dirty.contains(key) && !shutdown) {
            queue.add(key);
            notifyAll();
        }
    }

    /** Keys waiting for a worker (the queue depth gauge). */
    public synchronized int depth() {
        return queue.size();
    }

    public synchronized int failures(String key) {
        return failures.getOrDefault(key, 0);
    }

    @Override
    public void close() {
        synchronized (this) {
            shutdown = true;
            notifyAll();
        }
        delayer.shutdownNow();
    }

}
