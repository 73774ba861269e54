package dev.meshfleet.installer.model;

import java.time.Instant;
import java.util.List;

/**
 * What Meshfleet installed for one installation in a cluster, as recorded there (a ConfigMap):
 * the source of truth for prune and uninstall, so that a restarted installer needs no memory.
 * {@code complete} is false when an apply failed part way: the objects listed may exist, but the
 * plan is not in place and must be applied again. {@code appliedAt} is when this plan was applied
 * (a restarted installer times readiness from it); {@code readySince} is when the plan's workloads
 * were first all ready (null: never), so that a restarted installer tells an installation that
 * broke (UNHEALTHY) from one still coming up (INSTALLING).
 */
public record Inventory(Owner owner, long generation, String revision, String tag, String planHash,
        String observedOperatorJson, boolean complete, List<ObjectRef> objects, Instant appliedAt,
        Instant readySince) {

    public Inventory {
        revision = revision == null ? "" : revision;
        objects = List.copyOf(objects);
    }

    public Inventory(Owner owner, long generation, String revision, String tag, String planHash,
            String observedOperatorJson, boolean complete, List<ObjectRef> objects) {
        this(owner, generation, revision, tag, planHash, observedOperatorJson, complete, objects, null, null);
    }

    public InstallationKey key() {
        return new InstallationKey(owner.key(), revision);
    }

    public Inventory withReadySince(Instant instant) {
        return new Inventory(owner, generation, revision, tag, planHash, observedOperatorJson, complete, objects,
                appliedAt, instant);
    }
}
