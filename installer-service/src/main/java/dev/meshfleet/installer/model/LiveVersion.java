package dev.meshfleet.installer.model;

/**
 * Which incarnation of an object (uid) at which write (resourceVersion): a uid change means the
 * object was deleted and created again; a resourceVersion change with the same uid means a write.
 */
public record LiveVersion(String uid, String resourceVersion) {
}
