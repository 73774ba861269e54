package dev.meshfleet.installer.cluster;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A failure talking to a workload cluster, with the kind that decides what happens next (Sail's
 * reconcile error kinds):
 * <ul>
 * <li>{@link Refused}: the API said no (a 4xx other than 408 and 429). Final for this plan until the
 * next resync: retrying sooner gets the same answer, and the user must hear what was refused.</li>
 * <li>{@link Unreachable}: I/O errors, timeouts, the client's errors without an answer from the API
 * server (no status code), 5xx, 408 and 429. The cluster may answer later:
 * retried with backoff, reported UNKNOWN meanwhile.</li>
 * <li>{@link Internal}: anything else is a bug in the installer, not the cluster's doing: reported
 * as such (never as an unreachable cluster) and logged once with its stack.</li>
 * </ul>
 */
public sealed interface Failure {
    /** What went wrong, as a person reads it (without what was being done: the caller knows that). */
    String message();

    record Refused(int code, String reason) implements Failure {
        @Override
        public String message() {
            return "HTTP " + code + ": " + reason;
        }
    }

    record Unreachable(String message) implements Failure {
    }

    record Internal(Throwable error) implements Failure {
        @Override
        public String message() {
            return "internal error in the installer: " + describe(error) + "; see the installer log";
        }
    }

    /** The kind of {@code error}, from its cause chain and, for an API answer, its status code. */
    static Failure classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return new Unreachable(describe(t));
            }
            if (t instanceof InterruptedException) {
                // The installer is stopping; the cluster did nothing wrong and is looked at again after a restart.
                return new Unreachable("interrupted: the installer is stopping");
            }
        }
        if (error instanceof KubernetesClientException k) {
            int code = k.getCode();
            if (code <= 0) {
                // The client got no answer at all (e.g. "Connection was closed", with no I/O cause attached).
                return new Unreachable(describe(k));
            }
            String apiMessage = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage()
                    : k.getMessage();
            if (code >= 500 || code == 408 || code == 429) {
                return new Unreachable("HTTP " + code + ": " + apiMessage);
            }
            if (code >= 400) {
                return new Refused(code, apiMessage);
            }
        }
        // No transport trouble and no refusal the API explained: our code did something it should not.
        return new Internal(error);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
