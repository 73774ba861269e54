package dev.meshfleet.installer.model;

/** One installation inside one cluster: an owner and a revision ("" for revisionless). */
public record InstallationKey(String ownerKey, String revision) {
    @Override
    public String toString() {
        return ownerKey + "@" + (revision.isEmpty() ? "default" : revision);
    }
}
