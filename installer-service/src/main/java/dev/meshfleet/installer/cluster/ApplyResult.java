package dev.meshfleet.installer.cluster;

import java.util.List;
import java.util.Map;

import dev.meshfleet.installer.model.LiveVersion;
import dev.meshfleet.installer.model.ObjectRef;

/** Outcome of applying a set of objects to a workload cluster. */
public sealed interface ApplyResult {
    /**
     * Every object was applied; {@code live} holds, by {@link ObjectRef#identity()}, the uid and
     * resourceVersion the API answered with (a no-op apply leaves the resourceVersion unchanged).
     */
    record Applied(List<ObjectRef> objects, Map<String, LiveVersion> live) implements ApplyResult {
        public Applied {
            objects = List.copyOf(objects);
            live = Map.copyOf(live);
        }
    }

    /** The API refused {@code object} (4xx): names it and carries the API's message. */
    record Refused(ObjectRef object, String message) implements ApplyResult {
    }

    record Unreachable(String message) implements ApplyResult {
    }
}
