package dev.meshfleet.sandbox.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.bench.FleetSpecs;

class SoakPlanTest {

    static final List<String> FLEET = FleetSpecs.clusters(100);

    @Test
    void theSameSeedGivesTheSamePlanAndAnotherSeedAnotherOne() {
        SoakPlan a = SoakPlan.generate(42, FLEET, 2, Duration.ofMinutes(10));
        SoakPlan b = SoakPlan.generate(42, FLEET, 2, Duration.ofMinutes(10));
        SoakPlan c = SoakPlan.generate(43, FLEET, 2, Duration.ofMinutes(10));

        assertThat(a.steps()).isNotEmpty().isEqualTo(b.steps());
        assertThat(a.finalState()).isEqualTo(b.finalState());
        assertThat(c.describe()).isNotEqualTo(a.describe());
    }

    /**
     * The plan for seed 1 on 6 clusters and 2 installers over 3 minutes, step by step, as reviewed by hand in
     * src/test/resources/soak/plan-seed1.txt; {@code -Dsoak.golden.update=true} rewrites it, and the diff is reviewed.
     */
    @Test
    void seedOneOnSixClustersIsThePlanWrittenDown() throws IOException {
        SoakPlan plan = SoakPlan.generate(1, FleetSpecs.clusters(6), 2, Duration.ofMinutes(3));
        Path golden = Path.of("src/test/resources/soak/plan-seed1.txt");
        if (Boolean.getBoolean("soak.golden.update")) {
            Files.write(golden, plan.describe());
        }

        assertThat(plan.describe()).containsExactlyElementsOf(Files.readAllLines(golden));
    }

    @ParameterizedTest(name = "seed {0}, {1} clusters, {2} installers, {3}")
    @CsvSource({"1, 100, 2, 1h", "2, 100, 3, 10m", "3, 3, 1, 30m", "4, 1, 1, 10m", "5, 1000, 4, 1h"})
    void everyStepComesInItsGapWithinTheDurationAndKeepsTheSpecsCoherent(long seed, int clusters, int installers,
            String duration) {
        List<String> fleet = FleetSpecs.clusters(clusters);
        Duration d = Duration.parse("PT" + duration.toUpperCase());
        SoakPlan plan = SoakPlan.generate(seed, fleet, installers, d);

        assertThat(plan.initial()).isEqualTo(new SoakState(fleet, fleet, "1.24.2-solo", false, false, true));
        Duration before = Duration.ZERO;
        SoakState state = plan.initial();
        for (SoakStep step : plan.steps()) {
            Duration gap = step.at().minus(before);
            assertThat(gap).as(step.describe()).isBetween(SoakPlan.MIN_GAP, SoakPlan.MAX_GAP);
            assertThat(step.at()).as(step.describe()).isLessThan(d);
            before = step.at();
            if (step instanceof SoakStep.SpecChange c) {
                assertChangeDoesWhatItSays(state, c, fleet);
                state = c.after();
            } else if (step instanceof SoakStep.Pause p) {
                assertThat(p.service()).matches("installer-[0-9]+");
                assertThat(Integer.parseInt(p.service().substring("installer-".length()))).isLessThan(installers);
                assertThat(p.duration()).isBetween(SoakPlan.MIN_PAUSE, SoakPlan.MAX_PAUSE);
            } else {
                SoakStep.Kill k = (SoakStep.Kill) step;
                assertThat(k.service()).isIn(services(installers));
                assertThat(k.restartAfter()).isEqualTo(SoakPlan.RESTART_AFTER);
            }
        }
        assertThat(plan.finalState()).isEqualTo(state);
    }

    @Test
    void anHourOnAHundredClustersHasEveryKindOfChangeAndBothFaultsOnEveryService() {
        SoakPlan plan = SoakPlan.generate(9, FLEET, 2, Duration.ofHours(1));

        Set<SoakStep.Change> changes = EnumSet.noneOf(SoakStep.Change.class);
        Set<String> killed = new HashSet<>();
        Set<String> paused = new HashSet<>();
        for (SoakStep step : plan.steps()) {
            if (step instanceof SoakStep.SpecChange c) {
                changes.add(c.change());
            } else if (step instanceof SoakStep.Kill k) {
                killed.add(k.service());
            } else {
                paused.add(((SoakStep.Pause) step).service());
            }
        }
        assertThat(changes).containsExactlyInAnyOrder(SoakStep.Change.values());
        assertThat(killed).containsExactlyInAnyOrderElementsOf(services(2));
        assertThat(paused).containsExactlyInAnyOrder("installer-0", "installer-1");
    }

    private static List<String> services(int installers) {
        List<String> s = new ArrayList<>(List.of("kafka", "spec-intake", "translator-service", "status-aggregator"));
        for (int i = 0; i < installers; i++) {
            s.add("installer-" + i);
        }
        return s;
    }

    /** Each kind changes what its name says and nothing else; the first cluster stays; the GLM stays within the ILM. */
    private static void assertChangeDoesWhatItSays(SoakState before, SoakStep.SpecChange c, List<String> fleet) {
        SoakState after = c.after();
        assertThat(after.ilmClusters()).as(c.describe()).contains(fleet.get(0)).isSubsetOf(fleet);
        assertThat(after.glmClusters()).as(c.describe()).contains(fleet.get(0)).isSubsetOf(after.ilmClusters());
        assertThat(after.ilmClusters()).as("in fleet order")
                .isEqualTo(fleet.stream().filter(Set.copyOf(after.ilmClusters())::contains).toList());
        Set<String> ilmBefore = Set.copyOf(before.ilmClusters());
        Set<String> ilmAfter = Set.copyOf(after.ilmClusters());
        Set<String> glmBefore = Set.copyOf(before.glmClusters());
        Set<String> glmAfter = Set.copyOf(after.glmClusters());
        switch (c.change()) {
            case TAG_PATCH -> {
                assertThat(minor(after.tag())).isEqualTo(minor(before.tag()));
                assertThat(after.tag()).isNotEqualTo(before.tag());
                assertThat(after).isEqualTo(new SoakState(before.ilmClusters(), before.glmClusters(), after.tag(),
                        before.skipUpgradeValidation(), before.canary(), before.gatewayOn124()));
            }
            case TAG_MINOR -> {
                assertThat(minor(after.tag())).isNotEqualTo(minor(before.tag()));
                assertThat(after).isEqualTo(new SoakState(before.ilmClusters(), before.glmClusters(), after.tag(),
                        true, before.canary(), before.gatewayOn124()));
            }
            case GATEWAY_MOVED -> assertThat(after).isEqualTo(new SoakState(before.ilmClusters(),
                    before.glmClusters(), before.tag(), before.skipUpgradeValidation(), before.canary(),
                    !before.gatewayOn124()));
            case CANARY_ADDED, CANARY_REMOVED -> {
                assertThat(after.canary()).isEqualTo(c.change() == SoakStep.Change.CANARY_ADDED).isNotEqualTo(before.canary());
                assertThat(after).isEqualTo(new SoakState(before.ilmClusters(), before.glmClusters(), before.tag(),
                        before.skipUpgradeValidation(), after.canary(), before.gatewayOn124()));
            }
            case ILM_CLUSTERS_ADDED -> {
                assertThat(ilmAfter).containsAll(ilmBefore).hasSizeBetween(ilmBefore.size() + 1,
                        ilmBefore.size() + SoakPlan.MAX_CLUSTERS_PER_STEP);
                assertThat(glmAfter).isEqualTo(glmBefore);
                assertThat(c.detail().split(",")).containsExactlyInAnyOrderElementsOf(minus(ilmAfter, ilmBefore));
            }
            case ILM_CLUSTERS_REMOVED -> {
                assertThat(ilmBefore).containsAll(ilmAfter).hasSizeBetween(ilmAfter.size() + 1,
                        ilmAfter.size() + SoakPlan.MAX_CLUSTERS_PER_STEP);
                assertThat(c.detail().split(",")).containsExactlyInAnyOrderElementsOf(minus(ilmBefore, ilmAfter));
                assertThat(glmAfter).isEqualTo(minus(glmBefore, minus(ilmBefore, ilmAfter)));
            }
            case GLM_CLUSTERS_ADDED -> {
                assertThat(ilmAfter).isEqualTo(ilmBefore);
                assertThat(glmAfter).containsAll(glmBefore).hasSizeBetween(glmBefore.size() + 1,
                        glmBefore.size() + SoakPlan.MAX_CLUSTERS_PER_STEP);
            }
            case GLM_CLUSTERS_REMOVED -> {
                assertThat(ilmAfter).isEqualTo(ilmBefore);
                assertThat(glmBefore).containsAll(glmAfter).hasSizeBetween(glmAfter.size() + 1,
                        glmAfter.size() + SoakPlan.MAX_CLUSTERS_PER_STEP);
            }
        }
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static String minor(String tag) {
        return tag.substring(0, tag.indexOf('.', tag.indexOf('.') + 1));
    }
}
