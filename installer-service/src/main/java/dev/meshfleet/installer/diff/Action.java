package dev.meshfleet.installer.diff;

import dev.meshfleet.installer.model.InstallationKey;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.Plan;

/** What one installation in a cluster needs, decided by {@link InstallationDiff}. */
public sealed interface Action {
    InstallationKey key();

    /** Nothing complete is installed: apply the plan ({@code current} is a partial earlier attempt, or null). */
    record Install(Plan plan, Inventory current) implements Action {
        public InstallationKey key() {
            return plan.key();
        }
    }

    /** A different plan is installed and the change may be made in place. */
    record Upgrade(Plan plan, Inventory current) implements Action {
        public InstallationKey key() {
            return plan.key();
        }
    }

    /** The installed plan is the desired one: only health (and drift) to check. */
    record InSync(Plan plan, Inventory current) implements Action {
        public InstallationKey key() {
            return plan.key();
        }
    }

    /** The change may not be made without a person (upgrade rules): final until the spec changes. */
    record Refuse(Plan plan, Inventory current, String message) implements Action {
        public InstallationKey key() {
            return plan.key();
        }
    }

    /** Installed but no longer desired: uninstall it. */
    record Remove(Inventory current) implements Action {
        public InstallationKey key() {
            return current.key();
        }
    }
}
