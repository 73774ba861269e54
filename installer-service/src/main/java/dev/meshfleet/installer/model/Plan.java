package dev.meshfleet.installer.model;

import java.time.Duration;
import java.util.List;

import dev.meshfleet.schemas.v1.InstallationPlan;

/** One desired installation, converted once from the Avro {@link InstallationPlan} at the edge. */
public record Plan(Owner owner, long generation, String revision, String tag, List<ChartSpec> charts,
        String controlPlaneRevision, boolean skipUpgradeValidation, Duration waitTimeout,
        String observedOperatorJson, String planHash, boolean takeOverUnmanaged) {

    public Plan {
        revision = revision == null ? "" : revision;
        charts = List.copyOf(charts);
    }

    /** A plan that leaves an Istio it does not manage alone (every ILM and GLM; onConflict: Abort). */
    public Plan(Owner owner, long generation, String revision, String tag, List<ChartSpec> charts,
            String controlPlaneRevision, boolean skipUpgradeValidation, Duration waitTimeout,
            String observedOperatorJson, String planHash) {
        this(owner, generation, revision, tag, charts, controlPlaneRevision, skipUpgradeValidation, waitTimeout,
                observedOperatorJson, planHash, false);
    }

    /**
     * @throws IllegalArgumentException for an owner of kind {@code Unknown} (a kind added after this build, docs/adr/0027):
     *         the whole desired state of the cluster is refused (dead-lettered) rather than acted on without that
     *         installation, which would uninstall it
     */
    public static Plan from(InstallationPlan plan, Duration defaultWaitTimeout) {
        if (plan.getOwner().getKind() == dev.meshfleet.schemas.v1.ResourceKind.Unknown) {
            throw new IllegalArgumentException("installation of " + plan.getOwner().getNamespace() + "/"
                    + plan.getOwner().getName() + " has an owner kind this installer does not know (Unknown):"
                    + " upgrade the installer before the translator (docs/adr/0027)");
        }
        long wait = plan.getUpgradePolicy() == null ? 0 : plan.getUpgradePolicy().getWaitForResourcesTimeoutMillis();
        return new Plan(Owner.from(plan.getOwner()), plan.getGeneration(), plan.getRevision(), plan.getTag(),
                plan.getCharts().stream().map(c -> ChartSpec.from(c, plan.getTag())).toList(),
                plan.getControlPlaneRevision() == null ? plan.getRevision() : plan.getControlPlaneRevision(),
                plan.getUpgradePolicy() != null && plan.getUpgradePolicy().getSkipUpgradeValidation(),
                wait > 0 ? Duration.ofMillis(wait) : defaultWaitTimeout,
                plan.getObservedOperatorJson(), plan.getPlanHash(), plan.getTakeOverUnmanaged());
    }

    public InstallationKey key() {
        return new InstallationKey(owner.key(), revision);
    }
}
