package dev.meshfleet.installer.cluster;

import java.util.List;

import dev.meshfleet.installer.model.ObjectRef;

/** Outcome of applying a set of objects to a workload cluster. */
public sealed interface ApplyResult {
    record Applied(List<ObjectRef> objects) implements ApplyResult {
    }

    /** The API refused {@code object} (4xx): names it and carries the API's message. */
    record Refused(ObjectRef object, String message) implements ApplyResult {
    }

    record Unreachable(String message) implements ApplyResult {
    }
}
