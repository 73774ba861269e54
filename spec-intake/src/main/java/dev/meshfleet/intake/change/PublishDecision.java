package dev.meshfleet.intake.change;

import dev.meshfleet.schemas.v1.Operation;

/** What the worker must do next for one key; see {@link PublishRules}. */
public sealed interface PublishDecision {

    /** Put a SpecChange with this operation, describing this resource, on the topic. */
    record Publish(Operation operation, LifecycleResource resource) implements PublishDecision {
    }

    /** Add the meshfleet.dev/uninstall finalizer before anything is published. */
    record AddFinalizer(LifecycleResource resource) implements PublishDecision {
    }

    /** The topic already says everything there is to say; the reason is for debug logs. */
    record Nothing(String reason) implements PublishDecision {
    }
}
