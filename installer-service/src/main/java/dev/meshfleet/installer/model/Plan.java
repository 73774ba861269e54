package dev.meshfleet.installer.model;

import java.time.Duration;
import java.util.List;

import dev.meshfleet.schemas.v1.InstallationPlan;

/** One desired installation, converted once from the Avro {@link InstallationPlan} at the edge. */
public record Plan(Owner owner, long generation, String revision, String tag, List<ChartSpec> charts,
        String controlPlaneRevision, boolean skipUpgradeValidation, Duration waitTimeout,
        String observedOperatorJson, String planHash) {

    public Plan {
        revision = revision == null ? "" : revision;
        charts = List.copyOf(charts);
    }

    public static Plan from(InstallationPlan plan, Duration defaultWaitTimeout) {
        long wait = plan.getUpgradePolicy() == null ? 0 : plan.getUpgradePolicy().getWaitForResourcesTimeoutMillis();
        return new Plan(Owner.from(plan.getOwner()), plan.getGeneration(), plan.getRevision(), plan.getTag(),
                plan.getCharts().stream().map(c -> ChartSpec.from(c, plan.getTag())).toList(),
                plan.getControlPlaneRevision() == null ? plan.getRevision() : plan.getControlPlaneRevision(),
                plan.getUpgradePolicy() != null && plan.getUpgradePolicy().getSkipUpgradeValidation(),
                wait > 0 ? Duration.ofMillis(wait) : defaultWaitTimeout,
                plan.getObservedOperatorJson(), plan.getPlanHash());
    }

    public InstallationKey key() {
        return new InstallationKey(owner.key(), revision);
    }
}
