package dev.meshfleet.testkit;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.meshfleet.schemas.Writer;

/**
 * Every write (POST, PUT, PATCH, DELETE) that reached a workload cluster's API, with its writer as the
 * request named it ({@link Writer} headers; empty for a client that sent none, as kubectl) and the time
 * the server received it. What the sandbox's fencing audit reads (ADR 0013). About 100 bytes a write:
 * a rollout of 1,000 clusters writes some 20,000 times.
 */
public final class WriteLog {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    /** One write: cluster, HTTP method, path (without the /clusters/&lt;name&gt; prefix), writer, receipt time. */
    public record Write(String cluster, String method, String path, Optional<Writer> writer, long receivedAtMillis) {
    }

    private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();

    static boolean isWrite(String method) {
        return WRITES.contains(method);
    }

    void record(String cluster, String method, String path, String replicaHeader, String epochHeader,
            long receivedAtMillis) {
        writes.add(new Write(cluster, method, path, Writer.fromHeaders(replicaHeader, epochHeader),
                receivedAtMillis));
    }

    /** The writes so far, in the order they were received. */
    public List<Write> writes() {
        return List.copyOf(writes);
    }

    public void clear() {
        writes.clear();
    }
}
