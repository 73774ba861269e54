package dev.meshfleet.installer.model;

/**
 * What drift detection needs of one object as the API returned it: which incarnation (uid), which
 * write (resourceVersion), which spec (generation), and digests of its labels and annotations and of
 * its status. A uid change means the object was deleted and created again; a resourceVersion change
 * with the same uid means a write, which may be a controller's status update rather than drift.
 */
public record LiveVersion(String uid, String resourceVersion, long generation, String metadataDigest,
        String statusDigest) {
}
