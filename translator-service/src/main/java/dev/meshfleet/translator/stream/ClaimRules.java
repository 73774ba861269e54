package dev.meshfleet.translator.stream;

import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.PlanClaim;
import dev.meshfleet.translation.Claim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Exclusive claims across resources, per cluster (a pure function): what the installer gets
 * (the effective desired state) from what every owner asks for (the candidate state, all owners'
 * translated plans) and what the cluster got last time.
 *
 * <ul>
 * <li>A claim held in the last effective state stays with its holder as long as the holder still
 *     makes it (first come, first served: the resource whose change creates the conflict fails).</li>
 * <li>Among new competing claims the lowest owner key (Kind/namespace/name) wins.</li>
 * <li>A plan that loses a claim is refused: left out, with a message naming its field and the other
 *     resource. If its owner had a plan for that revision in the last effective state, that plan
 *     stays instead, so nothing running is uninstalled (unless it makes a claim someone else now
 *     wins: the winner's plan is the one the cluster must run).</li>
 * <li>When the holder leaves or releases the claim, the refused plan wins it on the next update of
 *     the cluster, without a spec change.</li>
 * </ul>
 */
public final class ClaimRules {

    private ClaimRules() {
    }

    /** A plan kept out of the cluster, and why. */
    public record Refusal(InstallationPlan plan, String message) {
        /** {@code Kind/ns/name|revision}: one refusal per installation of an owner in the cluster. */
        public String key() {
            return AvroPlans.ownerKey(plan) + "|" + plan.getRevision();
        }
    }

    public record Resolution(List<InstallationPlan> effective, List<Refusal> refusals) {
    }

    public static Resolution resolve(String cluster, ClusterDesiredState last, ClusterDesiredState candidate) {
        Map<String, String> heldBy = new HashMap<>();
        Map<String, InstallationPlan> lastByInstallation = new HashMap<>();
        if (last != null) {
            for (InstallationPlan p : last.getInstallations()) {
                lastByInstallation.put(AvroPlans.ownerKey(p) + "|" + p.getRevision(), p);
                for (PlanClaim c : p.getClaims()) {
                    heldBy.put(c.getName(), AvroPlans.ownerKey(p));
                }
            }
        }
        Map<String, TreeSet<String>> claimers = new TreeMap<>();
        Map<String, InstallationPlan> claimingPlan = new HashMap<>();
        for (InstallationPlan p : candidate.getInstallations()) {
            for (PlanClaim c : p.getClaims()) {
                claimers.computeIfAbsent(c.getName(), k -> new TreeSet<>()).add(AvroPlans.ownerKey(p));
                claimingPlan.putIfAbsent(c.getName() + "|" + AvroPlans.ownerKey(p), p);
            }
        }
        Map<String, String> winner = new HashMap<>();
        claimers.forEach((claim, owners) -> {
            String holder = heldBy.get(claim);
            winner.put(claim, holder != null && owners.contains(holder) ? holder : owners.first());
        });

        List<InstallationPlan> effective = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        for (InstallationPlan p : candidate.getInstallations()) {
            String owner = AvroPlans.ownerKey(p);
            PlanClaim lost = p.getClaims().stream().filter(c -> !owner.equals(winner.get(c.getName()))).findFirst()
                    .orElse(null);
            if (lost == null) {
                effective.add(p);
                continue;
            }
            InstallationPlan holder = claimingPlan.get(lost.getName() + "|" + winner.get(lost.getName()));
            refusals.add(new Refusal(p, message(cluster, lost, holder)));
            InstallationPlan before = lastByInstallation.get(owner + "|" + p.getRevision());
            if (before != null && before.getClaims().stream()
                    .allMatch(c -> winner.get(c.getName()) == null || owner.equals(winner.get(c.getName())))) {
                effective.add(before);
            }
        }
        return new Resolution(effective, refusals);
    }

    static String message(String cluster, PlanClaim lost, InstallationPlan holder) {
        OwnerRef o = holder.getOwner();
        String other = o.getKind() + " " + o.getNamespace() + "/" + o.getName();
        String revision = holder.getRevision().isEmpty() ? "default" : holder.getRevision();
        if (Claim.DEFAULT_REVISION.equals(lost.getName())) {
            return lost.getFieldPath() + ": cluster '" + cluster + "' already has default revision '" + revision + "' from "
                    + other + "; at most one default revision per cluster: set defaultRevision: false here or set it to"
                    + " false there first";
        }
        if (lost.getName().startsWith("control-plane/")) {
            return lost.getFieldPath() + ": cluster '" + cluster + "' already runs control plane revision '" + revision
                    + "' from " + other + "; one installation per revision per cluster across all resources: use another"
                    + " revision here, or remove that installation there first";
        }
        String type = lost.getName().startsWith("ingress") ? "ingress" : "egress";
        return lost.getFieldPath() + ": cluster '" + cluster + "' already has an " + type + " gateway of revision '" + revision
                + "' from " + other + "; one " + type + " gateway per revision per cluster across all resources: use"
                + " another gatewayRevision here, or remove that gateway there first";
    }
}
