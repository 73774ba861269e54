package dev.meshfleet.installer.health;

import java.util.ArrayList;
import java.util.List;

/** Whether an installation's workloads are ready; when not, what is not and why, one reason per workload. */
public sealed interface Health {
    /** What an installation of Deployments and DaemonSets waits for while it comes up. */
    String WORKLOADS = "Deployments and DaemonSets to become ready";

    record Ready() implements Health {
    }

    /**
     * @param reasons  one per object not ready, each naming it
     * @param awaiting what the installation waits for while it comes up, after "waiting for " in its message
     */
    record NotReady(List<String> reasons, String awaiting) implements Health {
        public NotReady {
            reasons = List.copyOf(reasons);
        }

        /** Deployments and DaemonSets not ready. */
        public NotReady(List<String> reasons) {
            this(reasons, WORKLOADS);
        }

        public String summary() {
            return String.join("; ", reasons);
        }
    }

    /** Both must hold: the reasons of each, and what the first not ready waits for. */
    static Health both(Health first, Health second) {
        if (first instanceof NotReady a && second instanceof NotReady b) {
            List<String> reasons = new ArrayList<>(a.reasons());
            reasons.addAll(b.reasons());
            return new NotReady(reasons, a.awaiting());
        }
        return first instanceof NotReady ? first : second;
    }
}
