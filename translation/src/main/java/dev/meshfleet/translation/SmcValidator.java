package dev.meshfleet.translation;

import dev.meshfleet.translation.SmcSpec.DataplaneMode;
import dev.meshfleet.translation.SmcSpec.Distribution;
import dev.meshfleet.translation.SmcSpec.Problem;
import dev.meshfleet.translation.SmcSpec.TrafficCaptureMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ServiceMeshController rules a structural schema cannot say (seed 003), each naming its field. Pure.
 * <ul>
 * <li>{@code cluster} names a workload cluster: required, a DNS label (the resource lives in the management
 * cluster, so it must say where to install);</li>
 * <li>{@code version} is required and an Istio patch version; multicluster needs 1.24.3-solo or later, and every
 * Meshfleet ServiceMeshController is managed from a management cluster (docs/adr/0027);</li>
 * <li>{@code distribution: FIPS} is refused for 1.26.0 and 1.26.1, which have no FIPS images (1.26.1-patch0 and
 * later have);</li>
 * <li>{@code trafficCaptureMode: InitContainer} only with {@code dataplaneMode: Sidecar}.</li>
 * </ul>
 */
public final class SmcValidator {
    /** major.minor.patch, then an optional suffix such as -solo, -patch0, -patch0-solo. */
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)(-[0-9A-Za-z.-]+)?$");
    static final int[] MULTICLUSTER_MINIMUM = {1, 24, 3};

    private SmcValidator() {
    }

    public static List<Problem> validate(SmcSpec spec) {
        List<Problem> problems = new ArrayList<>();
        if (spec.cluster().isEmpty()) {
            problems.add(new Problem("spec.cluster", "is required: the name of the registered workload cluster to install"
                    + " Istio into"));
        } else if (!Labels.isDnsLabel(spec.cluster())) {
            problems.add(new Problem("spec.cluster", "'" + spec.cluster() + "' is not a cluster name (a DNS label:"
                    + " lower case letters, digits and '-', at most 63)"));
        }
        String namespaceProblem = Labels.checkDnsLabel(spec.installNamespace());
        if (namespaceProblem != null) {
            problems.add(new Problem("spec.installNamespace", namespaceProblem));
        }
        if (spec.trafficCaptureMode() == TrafficCaptureMode.InitContainer && spec.dataplaneMode() != DataplaneMode.Sidecar) {
            problems.add(new Problem("spec.trafficCaptureMode", "InitContainer can only be used with dataplaneMode"
                    + " Sidecar, and dataplaneMode is " + spec.dataplaneMode() + "; use Auto, or set dataplaneMode: Sidecar"));
        }
        version(spec, problems);
        return problems;
    }

    private static void version(SmcSpec spec, List<Problem> problems) {
        if (spec.version().isEmpty()) {
            problems.add(new Problem("spec.version", "is required: the Istio patch version to install, such as"
                    + " 1.28.1-patch0"));
            return;
        }
        Matcher m = VERSION.matcher(spec.version());
        if (!m.matches()) {
            problems.add(new Problem("spec.version", "'" + spec.version() + "' is not an Istio patch version; write one"
                    + " such as 1.28.1-patch0 or 1.24.3-solo"));
            return;
        }
        int[] v = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        String suffix = m.group(4) == null ? "" : m.group(4);
        if (ControlPlanePlans.compare(v, MULTICLUSTER_MINIMUM) < 0) {
            problems.add(new Problem("spec.version", "multicluster needs the Solo distribution of Istio 1.24.3 or later"
                    + " (1.24.3-solo), got '" + spec.version() + "'; use 1.24.3 or later"));
            return;
        }
        boolean noFips = v[0] == 1 && v[1] == 26 && (v[2] == 0 || (v[2] == 1 && !suffix.startsWith("-patch")));
        if (spec.distribution() == Distribution.FIPS && noFips) {
            problems.add(new Problem("spec.version", "Istio " + spec.version() + " has no FIPS images (1.26.0 and 1.26.1"
                    + " lack them) and distribution is FIPS; use 1.26.1-patch0 or later, or distribution Standard"));
        }
    }
}
