package dev.meshfleet.installer.health;

import java.util.List;

/** Whether an installation's workloads are ready; when not, what is not and why, one reason per workload. */
public sealed interface Health {
    record Ready() implements Health {
    }

    record NotReady(List<String> reasons) implements Health {
        public NotReady {
            reasons = List.copyOf(reasons);
        }

        public String summary() {
            return String.join("; ", reasons);
        }
    }
}
