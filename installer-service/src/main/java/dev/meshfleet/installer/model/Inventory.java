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

    /**
     * Whether a gateway whose control plane revision is this installation's may be installed beside it: every control
     * plane, but an ExternalControlPlane's config or remote cluster only once its plan carries the injection webhooks,
     * that is once its external istiod was reported HEALTHY (docs/adr/0031): before that no istiod answers for the
     * cluster, and the gateway would wait NO_CONTROL_PLANE_AVAILABLE anyway.
     */
    public boolean servesGateways() {
        if (!owner.isControlPlane()) {
            return false;
        }
        if (owner.kind() != dev.meshfleet.schemas.v1.ResourceKind.ExternalControlPlane) {
            return true;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode observed = OBSERVED.readTree(
                    observedOperatorJson == null ? "{}" : observedOperatorJson);
            return "external".equals(observed.path("role").asText()) || observed.path("webhooks").asBoolean(false);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper OBSERVED = new com.fasterxml.jackson.databind.ObjectMapper();
}
