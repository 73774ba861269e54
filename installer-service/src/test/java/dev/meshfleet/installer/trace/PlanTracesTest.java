package dev.meshfleet.installer.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

class PlanTracesTest {
    private static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod", "u1");
    private static final Owner GLM = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "ingress", "u2");
    private static final Context CHANGE_A = change("0af7651916cd43dd8448eb211c80319c");
    private static final Context CHANGE_B = change("4bf92f3577b34da6a3ce929d0e0e4736");

    private static Context change(String traceId) {
        return Context.root().with(Span.wrap(SpanContext.create(traceId, "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault())));
    }

    private static Plan plan(Owner owner, String hash) {
        return new Plan(owner, 1, "1-24", "1.24.2", List.of(), "1-24", false, Duration.ofMinutes(5), "{}", hash);
    }

    private static String traceOf(java.util.Optional<Context> c) {
        return c.map(x -> Span.fromContext(x).getSpanContext().getTraceId()).orElse("untraced");
    }

    @Test
    void anOwnersEventsBelongToTheChangeThatLastChangedItsPlanInTheCluster() {
        PlanTraces traces = new PlanTraces();
        traces.read("cluster1", List.of(plan(ILM, "h1")), CHANGE_A);
        // Change B adds a GLM to the cluster: the ILM's plan is the same, so its events stay with change A.
        traces.read("cluster1", List.of(plan(ILM, "h1"), plan(GLM, "g1")), CHANGE_B);
        assertThat(traceOf(traces.report("cluster1", ILM.key(), "1-24", "HEALTHY")))
                .isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(traceOf(traces.report("cluster1", GLM.key(), "1-24", "INSTALLING_GATEWAY")))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void eachStateIsTracedOnceUnderAChangeSoResyncReEmitsGoOutUntraced() {
        PlanTraces traces = new PlanTraces();
        traces.read("cluster1", List.of(plan(ILM, "h1")), CHANGE_A);
        assertThat(traceOf(traces.report("cluster1", ILM.key(), "1-24", "HEALTHY")))
                .isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(traceOf(traces.report("cluster1", ILM.key(), "1-24", "HEALTHY"))).isEqualTo("untraced");
        // A new plan for the owner is a new change: its HEALTHY is traced again, under it.
        traces.read("cluster1", List.of(plan(ILM, "h2")), CHANGE_B);
        assertThat(traceOf(traces.report("cluster1", ILM.key(), "1-24", "HEALTHY")))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void anUninstallBelongsToTheChangeThatRemovedTheOwnerFromTheCluster() {
        PlanTraces traces = new PlanTraces();
        traces.read("cluster1", List.of(plan(ILM, "h1")), CHANGE_A);
        traces.read("cluster1", List.of(), CHANGE_B);
        assertThat(traceOf(traces.report("cluster1", ILM.key(), "1-24", "UNINSTALLED_CONTROL_PLANE")))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void aClusterWhosePartitionMovedAwayOrThatWasNeverReadIsUntraced() {
        PlanTraces traces = new PlanTraces();
        traces.read("cluster1", List.of(plan(ILM, "h1")), CHANGE_A);
        traces.forget("cluster1");
        assertThat(traceOf(traces.report("cluster1", ILM.key(), "1-24", "HEALTHY"))).isEqualTo("untraced");
        assertThat(traceOf(traces.report("cluster2", ILM.key(), "1-24", "HEALTHY"))).isEqualTo("untraced");
    }
}
