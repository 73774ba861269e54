package dev.meshfleet.installer.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.Fixtures;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.Plan;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;

class ApplierTest {

    private static HasMetadata object(String name) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("istio-system").withName(name).endMetadata()
                .build();
    }

    @Test
    void aControlPlaneAppliesItsBaseChartFirstThenItsOtherChartsTogether() {
        Plan plan = new Plan(Fixtures.ILM, 1, "1-24", "1.24.2", List.of(new ChartSpec("base", "base", "istio-system",
                "{}"), new ChartSpec("istiod", "istiod-1-24", "istio-system", "{}"),
                new ChartSpec("ztunnel", "ztunnel", "istio-system", "{}")), "1-24", false, Duration.ofMinutes(1), "{}",
                "h");
        HasMetadata crd = object("crd");
        HasMetadata istiod = object("istiod");
        HasMetadata ztunnel = object("ztunnel");

        List<Applier.Layer> layers = Applier.layers(plan, List.of(List.of(crd), List.of(istiod), List.of(ztunnel)));

        assertThat(layers).containsExactly(
                new Applier.Layer(List.of(crd), true, "the cluster-wide base layer (chart base)"),
                new Applier.Layer(List.of(istiod, ztunnel), false, "charts istiod, ztunnel"));
    }

    @Test
    void aGatewayAppliesAllItsChartsAtOnce() {
        Plan plan = new Plan(Fixtures.GLM, 1, "1-24", "1.24.2", List.of(new ChartSpec("gateway", "gw", "istio-ingress",
                "{}")), "1-24", false, Duration.ofMinutes(1), "{}", "g");
        HasMetadata gateway = object("gw");

        assertThat(Applier.layers(plan, List.of(List.of(gateway))))
                .containsExactly(new Applier.Layer(List.of(gateway), false, "charts gateway"));
    }
}
