package dev.meshfleet.sandbox.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.sandbox.status.InstallationRow;
import dev.meshfleet.sandbox.status.ResourceView;
import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.state.Phase;

/**
 * The soak's verdict: did every installation settle where the final specs say? HEALTHY for each (cluster,
 * revision) they name; every other installation in the status UNINSTALLED (its kind's name for the phase); each resource's status of its current
 * generation. Pure: the views in, one line per stuck installation (or resource) out; none is the goal.
 */
public final class SoakCheck {

    private SoakCheck() {
    }

    public static List<String> stuck(SoakSpecs.Expected expected, List<ResourceView> views) {
        List<String> stuck = new ArrayList<>();
        for (Map.Entry<ResourceRef, Set<SoakSpecs.Installation>> e : expected.healthy().entrySet()) {
            ResourceRef ref = e.getKey();
            ResourceView view = views.stream().filter(v -> v.ref().equals(ref) && !v.gone()).findFirst().orElse(null);
            if (view == null) {
                stuck.add(ref.display() + ": missing");
                continue;
            }
            if (view.observedGeneration() == null || !view.observedGeneration().equals(view.generation())) {
                stuck.add(ref.display() + ": status is of generation " + view.observedGeneration() + ", spec is "
                        + view.generation());
            }
            Set<SoakSpecs.Installation> wanted = e.getValue();
            for (SoakSpecs.Installation w : wanted) {
                InstallationRow row = row(view, w);
                if (row == null) {
                    stuck.add(ref.display() + " " + w + ": no status (want HEALTHY)");
                } else if (phase(ref, row) != Phase.HEALTHY) {
                    stuck.add(line(ref, row, Phase.HEALTHY));
                }
            }
            for (InstallationRow row : view.installations()) {
                if (!wanted.contains(new SoakSpecs.Installation(row.cluster(), row.revision()))
                        && phase(ref, row) != Phase.UNINSTALLED) {
                    stuck.add(line(ref, row, Phase.UNINSTALLED));
                }
            }
        }
        return stuck;
    }

    private static InstallationRow row(ResourceView view, SoakSpecs.Installation w) {
        for (InstallationRow r : view.installations()) {
            if (r.cluster().equals(w.cluster()) && r.revision().equals(w.revision())) {
                return r;
            }
        }
        return null;
    }

    /** The state's phase (HEALTHY, UNINSTALLED_GATEWAY -> UNINSTALLED); null for no state or one we do not know. */
    private static Phase phase(ResourceRef ref, InstallationRow row) {
        if (row.state() == null) {
            return null;
        }
        try {
            return InstallationState.of(ref.kind(), row.state()).phase();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String line(ResourceRef ref, InstallationRow row, Phase want) {
        return ref.display() + " " + row.cluster() + "/" + row.revision() + ": " + row.state() + " (want " + want + ")"
                + (row.message() == null || row.message().isEmpty() ? "" : ": " + row.message());
    }
}
