package dev.meshfleet.schemas.state;

import dev.meshfleet.schemas.v1.ResourceKind;

/** A state of one installation, in the vocabulary of its owner's kind. */
public sealed interface InstallationState permits IlmState, GlmState {
    String name();

    /** The number the API gives this state. */
    int number();

    /** The kind-independent meaning of this state. */
    Phase phase();

    /** Parses a state name of the given kind; throws IllegalArgumentException for a name the kind does not have. */
    static InstallationState of(ResourceKind kind, String name) {
        return switch (kind) {
            case IstioLifecycleManager, ServiceMeshController, ExternalControlPlane -> IlmState.valueOf(name);
            case GatewayLifecycleManager -> GlmState.valueOf(name);
            case Unknown -> throw new IllegalArgumentException("no states for kind Unknown (docs/adr/0027)");
        };
    }
}
