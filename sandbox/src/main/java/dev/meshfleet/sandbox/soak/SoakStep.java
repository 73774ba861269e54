package dev.meshfleet.sandbox.soak;

import java.time.Duration;

import dev.meshfleet.schemas.time.GoDuration;

/** One step of a soak plan, {@code at} from the start of the churn. */
public sealed interface SoakStep {

    Duration at();

    /** One line for the plan's listing and the soak's log. */
    String describe();

    /** What a spec change does. */
    enum Change {
        TAG_PATCH, TAG_MINOR, ILM_CLUSTERS_ADDED, ILM_CLUSTERS_REMOVED, GLM_CLUSTERS_ADDED, GLM_CLUSTERS_REMOVED,
        GATEWAY_MOVED, CANARY_ADDED, CANARY_REMOVED
    }

    /** New specs: {@code after} is what the ILM and GLM say from this step on. */
    record SpecChange(Duration at, Change change, String detail, SoakState after) implements SoakStep {
        @Override
        public String describe() {
            return GoDuration.format(at) + " " + change + " " + detail;
        }
    }

    /** SIGKILL of a service (kafka, a service, or installer-N), restarted {@code restartAfter} later. */
    record Kill(Duration at, String service, Duration restartAfter) implements SoakStep {
        @Override
        public String describe() {
            return GoDuration.format(at) + " KILL " + service + " (restart after " + GoDuration.format(restartAfter) + ")";
        }
    }

    /** SIGSTOP of one installer replica, SIGCONT {@code duration} later. */
    record Pause(Duration at, String service, Duration duration) implements SoakStep {
        @Override
        public String describe() {
            return GoDuration.format(at) + " PAUSE " + service + " for " + GoDuration.format(duration);
        }
    }
}
