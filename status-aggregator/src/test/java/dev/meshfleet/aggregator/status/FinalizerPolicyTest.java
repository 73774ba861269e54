package dev.meshfleet.aggregator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.meshfleet.aggregator.fold.Event;
import dev.meshfleet.aggregator.fold.Owner;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.aggregator.fold.StatusFold;
import dev.meshfleet.aggregator.stream.AvroStatus;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * The finalizer rule as a table: the events one installation went through (cluster1/1-24, or the
 * whole resource for a translation error), and whether a deleting resource may then lose its
 * finalizer. Each row is folded by the real fold; the rule reads the typed result, and the same
 * result read back from its Avro record (what the writer holds after a restart) must agree.
 */
class FinalizerPolicyTest {
    private static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod", "uid-1");
    private static final Owner GLM = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "ingress", "uid-2");
    private static final String OPERATOR = "{\"profile\":\"minimal\"}";

    static List<Arguments> rows() {
        return List.of(
                row("no installation at all", true, GLM),
                row("planned only: the installer may be applying it, not reported yet", false, GLM,
                        t(1, "cluster1", "INSTALL_PENDING")),
                row("translation failure about the whole resource", true, GLM,
                        tFailed(1, "")),
                row("translation failure of a cluster never installed", true, ILM,
                        tFailed(1, "cluster1")),
                row("GLM apply refused after some objects were applied (FAILED, no observedOperator)", false, GLM,
                        t(1, "cluster1", "INSTALL_PENDING"), i(1, "INSTALLING_GATEWAY", null), i(1, "FAILED", null)),
                row("ILM base layer refused", false, ILM,
                        i(1, "INSTALLING_CONTROLLER", null), i(1, "CONTROLLER_INSTALL_FAILED", null)),
                row("ILM control plane refused", false, ILM,
                        i(1, "INSTALLING_CONTROL_PLANE", null), i(1, "CONTROL_PLANE_INSTALL_FAILED", null)),
                row("installed, then a bad spec: the last good plan keeps running", false, GLM,
                        i(1, "HEALTHY", OPERATOR), tFailed(2, "cluster1")),
                row("refused, then a bad spec: FAILED from the translator, no operator, yet applied", false, GLM,
                        i(1, "INSTALLING_GATEWAY", null), i(1, "FAILED", null), tFailed(2, "cluster1")),
                row("healthy", false, ILM, i(1, "HEALTHY", OPERATOR)),
                row("uninstalling", false, GLM, i(1, "HEALTHY", OPERATOR), i(1, "UNINSTALLING_GATEWAY", null)),
                row("uninstalled", true, GLM, i(1, "HEALTHY", OPERATOR), i(1, "UNINSTALLING_GATEWAY", null),
                        i(1, "UNINSTALLED_GATEWAY", null)),
                row("refused, then uninstalled", true, GLM, i(1, "INSTALLING_GATEWAY", null), i(1, "FAILED", null),
                        i(1, "UNINSTALLING_GATEWAY", null), i(1, "UNINSTALLED_GATEWAY", null)),
                row("unreachable cluster", false, ILM, i(1, "HEALTHY", OPERATOR), i(1, "UNKNOWN", null)),
                row("cluster not registered (installer PENDING)", false, ILM, i(1, "PENDING", null)),
                row("one cluster uninstalled, another still healthy", false, ILM,
                        i(1, "UNINSTALLED_CONTROL_PLANE", null), other(1, "HEALTHY", OPERATOR)));
    }

    @ParameterizedTest(name = "{0}: release {1}")
    @MethodSource("rows")
    void aDeletingResourceLosesItsFinalizerOnlyWhenNothingCanBeLeftInAnyCluster(String row, boolean release,
            Owner owner, List<Step> steps) {
        Status status = null;
        for (Step step : steps) {
            status = StatusFold.fold(status, step.event(owner)).status();
        }
        assertThat(FinalizerPolicy.mayRelease(status)).as(row).isEqualTo(release);
        if (status != null) {
            assertThat(FinalizerPolicy.mayRelease(AvroStatus.status(AvroStatus.avro(status))))
                    .as(row + " (read back from Avro)").isEqualTo(release);
        }
    }

    /** One event of the row, for the row's owner. */
    record Step(String source, long generation, String cluster, String state, String operator, long sequence) {
        Event event(Owner owner) {
            return new Event(owner, generation, cluster, cluster.isEmpty() ? "" : "1-24", state,
                    "", operator, "h" + generation, source, source.equals("translator") ? 0 : 1, sequence, sequence);
        }
    }

    private static long sequence;

    private static Arguments row(String name, boolean release, Owner owner, Step... steps) {
        return Arguments.of(name, release, owner, new ArrayList<>(List.of(steps)));
    }

    private static Step t(long generation, String cluster, String state) {
        return new Step("translator", generation, cluster, state, null, ++sequence);
    }

    private static Step tFailed(long generation, String cluster) {
        return t(generation, cluster, "FAILED");
    }

    private static Step i(long generation, String state, String operator) {
        return new Step("installer/installer-0", generation, "cluster1", state, operator, ++sequence);
    }

    private static Step other(long generation, String state, String operator) {
        return new Step("installer/installer-0", generation, "cluster2", state, operator, ++sequence);
    }
}
