package dev.meshfleet.installer.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.meshfleet.installer.model.InstallationKey;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.peering.PeeringGateways;

/**
 * The order in which one reconcile carries out the diff's actions so that an object moving from
 * one installation to another is never absent: an apply that takes over an object another
 * installation's inventory lists (a gateway revision becoming active takes the gateway Service)
 * runs before the other applies of its group, so the installation giving the object up finds it
 * listed elsewhere and does not prune it. Control planes still come before a peered controller's peering
 * installation, that before gateways, and removals last in the reverse order ({@link #group}). Pure.
 */
public final class ApplyOrder {
    private ApplyOrder() {
    }

    /**
     * @param actions the diff's actions, in the diff's order
     * @param renders for each Install / Upgrade action's key, the identities ({@link ObjectRef#identity()}) its plan renders
     * @param inventories what the cluster's inventories list
     */
    public static List<Action> order(List<Action> actions, Map<InstallationKey, Set<String>> renders,
            List<Inventory> inventories) {
        List<Action> ordered = new ArrayList<>(actions);
        ordered.sort(Comparator.comparingInt((Action a) -> group(a)).thenComparingInt(a -> takesOver(a, renders,
                inventories) ? 0 : 1));
        return List.copyOf(ordered);
    }

    /**
     * Control planes (0), then a peered controller's peering installation (1: its east-west Gateway is programmed by
     * the istiod its control plane installs, docs/adr/0046), then gateways (2); removals last in the reverse order:
     * gateways (3), peering (4), control planes (5).
     */
    private static int group(Action a) {
        if (a instanceof Action.Remove remove) {
            Inventory current = remove.current();
            return !current.owner().isControlPlane() ? 3 : PeeringGateways.is(current) ? 4 : 5;
        }
        if (peering(a)) {
            return 1;
        }
        return controlPlane(a) ? 0 : 2;
    }

    private static boolean peering(Action a) {
        return a instanceof Action.Install i ? PeeringGateways.is(i.plan())
                : a instanceof Action.Upgrade u ? PeeringGateways.is(u.plan())
                : a instanceof Action.InSync s ? PeeringGateways.is(s.plan())
                : a instanceof Action.Refuse r && PeeringGateways.is(r.plan());
    }

    private static boolean controlPlane(Action a) {
        if (a instanceof Action.Install i) {
            return i.plan().owner().isControlPlane();
        }
        if (a instanceof Action.Upgrade u) {
            return u.plan().owner().isControlPlane();
        }
        if (a instanceof Action.InSync s) {
            return s.plan().owner().isControlPlane();
        }
        if (a instanceof Action.Refuse r) {
            return r.plan().owner().isControlPlane();
        }
        return ((Action.Remove) a).current().owner().isControlPlane();
    }

    /** Whether the action applies an object that only another installation's inventory lists now. */
    static boolean takesOver(Action a, Map<InstallationKey, Set<String>> renders, List<Inventory> inventories) {
        if (!(a instanceof Action.Install || a instanceof Action.Upgrade)) {
            return false;
        }
        Set<String> rendered = renders.getOrDefault(a.key(), Set.of());
        Set<String> own = new HashSet<>();
        Set<String> others = new HashSet<>();
        for (Inventory i : inventories) {
            Set<String> target = i.key().equals(a.key()) ? own : others;
            i.objects().forEach(o -> target.add(o.identity()));
        }
        return rendered.stream().anyMatch(id -> others.contains(id) && !own.contains(id));
    }
}
