package dev.meshfleet.installer.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.meshfleet.installer.model.InstallationKey;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.peering.PeeringGateways;

/**
 * The per-cluster diff: desired plans against the inventories found in the cluster, one
 * {@link Action} per installation. Pure: the same inputs give the same actions in the same order.
 */
public final class InstallationDiff {
    private InstallationDiff() {
    }

    /**
     * Control planes come before gateways (a gateway needs its control plane), and removals come
     * last with gateways before control planes (the reverse), so that a reconcile never leaves a
     * gateway without the control plane it was installed against.
     */
    public static List<Action> diff(List<Plan> desired, List<Inventory> actual) {
        Map<InstallationKey, Inventory> installed = new LinkedHashMap<>();
        for (Inventory inventory : actual) {
            installed.put(inventory.key(), inventory);
        }
        List<Action> actions = new ArrayList<>();
        List<Plan> plans = new ArrayList<>(desired);
        plans.sort(Comparator.comparing((Plan p) -> !p.owner().isControlPlane()));
        for (Plan plan : plans) {
            Inventory current = installed.remove(plan.key());
            actions.add(decide(plan, current));
        }
        List<Inventory> removed = new ArrayList<>(installed.values());
        removed.sort(Comparator.comparing((Inventory i) -> i.owner().isControlPlane()));
        removed.forEach(i -> actions.add(new Action.Remove(i)));
        return List.copyOf(actions);
    }

    private static Action decide(Plan plan, Inventory current) {
        if (current == null || !current.complete() && current.planHash().isEmpty()) {
            return new Action.Install(plan, current);
        }
        if (current.complete() && current.planHash().equals(plan.planHash())) {
            return new Action.InSync(plan, current);
        }
        // Istio's rule against skipping a minor in place is about istiod; a peering installation is Meshfleet's own
        // chart of Gateways (ADR 0046), whatever tag its controller runs.
        Optional<String> refusal = PeeringGateways.is(plan) ? Optional.empty()
                : UpgradeRules.refusal(plan.revision(), current.tag(), plan.tag(), plan.skipUpgradeValidation());
        if (refusal.isPresent()) {
            return new Action.Refuse(plan, current, refusal.get());
        }
        return new Action.Upgrade(plan, current);
    }
}
