package dev.meshfleet.translation;

import java.util.List;

/**
 * One installation that should exist in one cluster, as translated. Mirrors the Avro
 * InstallationPlan (converted at the edge by {@code stream.AvroPlans}); {@code planHash} covers every
 * field that reaches the cluster, so an unchanged hash means nothing to do. {@code claims} (what the
 * plan holds exclusively in its cluster, checked across resources by {@code stream.ClaimsProcessor})
 * are not hashed: nothing of them reaches the cluster. {@code takeOverUnmanaged} (a ServiceMeshController's
 * {@code onConflict: Force}) is hashed through {@code observedOperatorJson}, which holds {@code onConflict}.
 */
public record Plan(
        String cluster,
        String revision,
        String tag,
        List<ChartRelease> charts,
        boolean defaultRevision,
        boolean activeGateway,
        String controlPlaneRevision,
        boolean skipUpgradeValidation,
        long waitForResourcesTimeoutMillis,
        String observedOperatorJson,
        String planHash,
        List<Claim> claims,
        boolean takeOverUnmanaged) {

    public Plan {
        charts = List.copyOf(charts);
        claims = claims == null ? List.of() : List.copyOf(claims);
    }

    /** A plan that refuses an Istio it does not manage (every ILM and GLM; a ServiceMeshController with onConflict: Abort). */
    public Plan(String cluster, String revision, String tag, List<ChartRelease> charts, boolean defaultRevision,
            boolean activeGateway, String controlPlaneRevision, boolean skipUpgradeValidation,
            long waitForResourcesTimeoutMillis, String observedOperatorJson, String planHash, List<Claim> claims) {
        this(cluster, revision, tag, charts, defaultRevision, activeGateway, controlPlaneRevision, skipUpgradeValidation,
                waitForResourcesTimeoutMillis, observedOperatorJson, planHash, claims, false);
    }
}
