package dev.meshfleet.installer.model;

import java.util.List;

/**
 * What Meshfleet installed for one installation in a cluster, as recorded there (a ConfigMap):
 * the source of truth for prune and uninstall, so that a restarted installer needs no memory.
 * {@code complete} is false when an apply failed part way: the objects listed may exist, but the
 * plan is not in place and must be applied again.
 */
public record Inventory(Owner owner, long generation, String revision, String tag, String planHash,
        String observedOperatorJson, boolean complete, List<ObjectRef> objects) {

    public Inventory {
        revision = revision == null ? "" : revision;
        objects = List.copyOf(objects);
    }

    public InstallationKey key() {
        return new InstallationKey(owner.key(), revision);
    }
}
