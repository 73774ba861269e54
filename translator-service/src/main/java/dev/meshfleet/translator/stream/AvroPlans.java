package dev.meshfleet.translator.stream;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.PlanClaim;
import dev.meshfleet.schemas.v1.UpgradePolicy;
import dev.meshfleet.schemas.state.Phase;
import dev.meshfleet.translation.Canonical;
import dev.meshfleet.translation.ChartRelease;
import dev.meshfleet.translation.Owner;
import dev.meshfleet.translation.Plan;
import dev.meshfleet.translation.TranslationError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** The edge between the pure translation's records and the Avro records on the wire. */
public final class AvroPlans {
    public static final String SOURCE = "translator";

    /** Installations of a ClusterDesiredState: by owner kind, namespace, name, then revision. */
    public static final Comparator<InstallationPlan> ORDER = Comparator
            .comparing((InstallationPlan p) -> p.getOwner().getKind().name())
            .thenComparing(p -> p.getOwner().getNamespace())
            .thenComparing(p -> p.getOwner().getName())
            .thenComparing(InstallationPlan::getRevision);

    private AvroPlans() {
    }

    public static OwnerRef ownerRef(Owner owner) {
        return OwnerRef.newBuilder().setKind(owner.kind()).setNamespace(owner.namespace()).setName(owner.name())
                .setUid(owner.uid()).build();
    }

    public static InstallationPlan toAvro(Owner owner, long generation, Plan p) {
        List<dev.meshfleet.schemas.v1.ChartRelease> charts = new ArrayList<>();
        for (ChartRelease c : p.charts()) {
            charts.add(dev.meshfleet.schemas.v1.ChartRelease.newBuilder().setChart(c.chart()).setReleaseName(c.releaseName())
                    .setNamespace(c.namespace()).setValuesJson(c.valuesJson()).setChartSource(c.chartSource())
                    .setOverlaysJson(c.overlaysJson()).build());
        }
        return InstallationPlan.newBuilder()
                .setOwner(ownerRef(owner))
                .setGeneration(generation)
                .setRevision(p.revision())
                .setTag(p.tag())
                .setCharts(charts)
                .setDefaultRevision(p.defaultRevision())
                .setActiveGateway(p.activeGateway())
                .setControlPlaneRevision(p.controlPlaneRevision())
                .setUpgradePolicy(UpgradePolicy.newBuilder().setSkipUpgradeValidation(p.skipUpgradeValidation())
                        .setWaitForResourcesTimeoutMillis(p.waitForResourcesTimeoutMillis()).build())
                .setObservedOperatorJson(p.observedOperatorJson())
                .setTakeOverUnmanaged(p.takeOverUnmanaged())
                .setPlanHash(p.planHash())
                .setClaims(p.claims().stream()
                        .map(c -> PlanClaim.newBuilder().setName(c.name()).setFieldPath(c.fieldPath()).build()).toList())
                .build();
    }

    /** A cluster's desired state from its installations: sorted, hashed over the plans' hashes in order. */
    public static ClusterDesiredState desiredState(String cluster, List<InstallationPlan> installations) {
        List<InstallationPlan> sorted = new ArrayList<>(installations);
        sorted.sort(ORDER);
        String hash = Canonical.sha256(sorted.stream().map(InstallationPlan::getPlanHash).collect(Collectors.joining("\n")));
        return ClusterDesiredState.newBuilder().setCluster(cluster).setInstallations(sorted).setPlanHash(hash).build();
    }

    public static InstallationEvent installPending(Owner owner, long generation, Plan p, long sequence, Instant time) {
        return event(owner, generation, p.cluster(), p.revision(), Phase.INSTALL_PENDING, "translated; waiting for the installer",
                p.planHash(), sequence, time);
    }

    public static InstallationEvent failed(Owner owner, long generation, TranslationError e, long sequence, Instant time) {
        return event(owner, generation, e.cluster(), e.revision(), Phase.FAILED, e.describe(), "", sequence, time);
    }

    /**
     * One FAILED for all errors of one (cluster, revision): the first error's field leads the message, the
     * others follow after "also:", so the status (one message per installation) shows every one.
     */
    public static InstallationEvent failed(Owner owner, long generation, List<TranslationError> errors, long sequence,
            Instant time) {
        TranslationError first = errors.get(0);
        String message = first.describe();
        if (errors.size() > 1) {
            message += " (also: " + errors.subList(1, errors.size()).stream().map(TranslationError::describe)
                    .collect(Collectors.joining("; ")) + ")";
        }
        return event(owner, generation, first.cluster(), first.revision(), Phase.FAILED, message, "", sequence, time);
    }

    /** FAILED for a translated plan that another resource's claim keeps out of its cluster. */
    public static InstallationEvent refused(InstallationPlan p, String cluster, String message, long sequence, Instant time) {
        OwnerRef o = p.getOwner();
        Owner owner = new Owner(o.getKind(), o.getNamespace(), o.getName(), o.getUid());
        return event(owner, p.getGeneration(), cluster, p.getRevision(), Phase.FAILED, message, p.getPlanHash(), sequence, time);
    }

    private static InstallationEvent event(Owner owner, long generation, String cluster, String revision, Phase phase,
            String message, String planHash, long sequence, Instant time) {
        return InstallationEvent.newBuilder()
                .setOwner(ownerRef(owner))
                .setGeneration(generation)
                .setCluster(cluster)
                .setRevision(revision)
                .setState(phase.state(owner.kind()).name())
                .setMessage(message)
                .setObservedOperatorJson(null)
                .setPlanHash(planHash)
                .setSource(SOURCE)
                .setSourceEpoch(0)
                .setSequence(sequence)
                .setTime(time)
                .build();
    }

    public static String ownerKey(InstallationPlan p) {
        return OwnerKeys.of(p.getOwner());
    }
}
