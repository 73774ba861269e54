package dev.meshfleet.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FleetReportTest {

    private static FleetRun run(int clusters, int installers, long ilmMillis, long glmMillis, long statusWrites) {
        return new FleetRun(clusters, installers, Duration.ZERO, Duration.ofMillis(ilmMillis),
                Duration.ofMillis(glmMillis), 2 * clusters, 2 * clusters,
                Map.of("/apis/admin.gloo.solo.io/v2/namespaces/gloo-mesh/istiolifecyclemanagers/a", statusWrites,
                        "/apis/admin.gloo.solo.io/v2/namespaces/gloo-mesh/gatewaylifecyclemanagers/b", 1L),
                Map.of("installer-service", new FleetRun.ServiceFigures(300L << 20, Duration.ofMillis(12_500), 0.021),
                        "spec-intake", new FleetRun.ServiceFigures(100L << 20, Duration.ofMillis(1_000), 0.004)),
                1024L << 20, List.of(new FleetRun.Sample(0.5, 0), new FleetRun.Sample(1.0, 2 * clusters)));
    }

    // 100 clusters, 1 installer: 200 installations in 8 + 2 = 10 s -> 20/s.
    // 1000 clusters, 1 installer: 2000 in 60 + 40 = 100 s -> 20/s; T/T(min) = 100/10 = 10.
    // 100 clusters, 4 installers: 200 in 4 s -> 50/s; 50/20 = 2.5 against one installer.
    private final List<FleetRun> runs = List.of(run(100, 1, 8_000, 2_000, 20), run(1000, 1, 60_000, 40_000, 150),
            run(100, 4, 3_000, 1_000, 6));

    @Test
    void eachRowCarriesTheStepTimesAndThroughput() {
        String md = FleetReport.markdown(runs);

        assertThat(md).contains("| 100 | 1 | 0 ms | 8.0 s | 2.0 s | 200/200 | 20.0 | - | - | 1.90 |");
        assertThat(md).contains("| 1000 | 1 | 0 ms | 60.0 s | 40.0 s | 2000/2000 | 20.0 | 10.00x | - | 1.49 |");
        assertThat(md).contains("| 100 | 4 | 0 ms | 3.0 s | 1.0 s | 200/200 | 50.0 | - | 2.50x | 1.25 |");
    }

    @Test
    void perServiceCellsFollowTheDocumentedOrderWithADashForWhatWasNotMeasured() {
        String md = FleetReport.markdown(runs);

        // int/tr/inst/agg/kafka/sbx: peak RSS MiB, total, CPU seconds, steady % of a core, steady total.
        assertThat(md).contains("| 100 / - / 300 / - / - / - | 1024 | 1.0 / - / 12.5 / - / - / - | 0.4 / - / 2.1 / - / - / - | 2.5 |");
    }
}
