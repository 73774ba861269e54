package dev.meshfleet.installer.cluster;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * An expected failure talking to a workload cluster, with the kind that decides what happens next
 * (Sail's reconcile error kinds): {@link Refused} is the API saying no (4xx), final for this plan
 * until the next resync; {@link Unreachable} is transport or server trouble, retried with backoff.
 */
public sealed interface Failure {
    String message();

    record Refused(String message) implements Failure {
    }

    record Unreachable(String message) implements Failure {
    }

    static Failure classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return new Unreachable(describe(t));
            }
        }
        if (error instanceof KubernetesClientException k) {
            int code = k.getCode();
            String apiMessage = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage()
                    : k.getMessage();
            if (code >= 400 && code < 500 && code != 408 && code != 429) {
                return new Refused("HTTP " + code + ": " + apiMessage);
            }
            return new Unreachable(code > 0 ? "HTTP " + code + ": " + apiMessage : describe(k));
        }
        // Anything else is unexpected; retrying with backoff is the safe default and keeps it visible.
        return new Unreachable(describe(error));
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
