package dev.meshfleet.aggregator.fold;

import static dev.meshfleet.aggregator.fold.Events.ILM;
import static dev.meshfleet.aggregator.fold.Events.GLM;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.EventOrder;
import dev.meshfleet.schemas.state.Phase;

/**
 * Property: folding a realistic event history in any order Kafka can deliver it, with any duplicates,
 * ends in the same status as folding it in log order. Kafka keeps the events of one producer for one
 * key (the owner) in order, so each (source, epoch) stream stays in order while the streams of the
 * translator and of every installer replica and epoch interleave freely; a duplicate (a replay after
 * a crash) comes after its original. Within one stream the fold checks each move against
 * {@link Transitions}, which is why the streams are not shuffled inside. Histories are generated from
 * seeds so that a failure names the seed that reproduces it.
 */
class FoldOrderIndependenceTest {

    private static final int HISTORIES = 300;
    private static final int SHUFFLES_PER_HISTORY = 20;

    @Test
    void foldingAShuffledDuplicateLadenHistoryEndsInTheSameStatusAsInLogOrder() {
        int compared = 0;
        for (long seed = 1; seed <= HISTORIES; seed++) {
            Random random = new Random(seed);
            Owner owner = seed % 3 == 0 ? GLM : ILM;
            List<Event> history = new History(owner, random).generate();
            Status expected = StatusFold.foldAll(null, history);
            assertThat(expected.installations()).as("seed %d folds to something", seed).isNotEmpty();

            for (int s = 0; s < SHUFFLES_PER_HISTORY; s++) {
                List<Event> messy = interleave(history, random);
                for (Event e : history) {
                    for (int d = random.nextInt(3); d > 0; d--) {
                        int original = messy.indexOf(e);
                        messy.add(original + 1 + random.nextInt(messy.size() - original), e);
                    }
                }
                Status actual = StatusFold.foldAll(null, messy);
                assertThat(actual).as("seed %d shuffle %d", seed, s).isEqualTo(expected);
                assertThat(actual.summary()).isEqualTo(expected.summary());
                compared++;
            }
        }
        assertThat(compared).isEqualTo(HISTORIES * SHUFFLES_PER_HISTORY);
    }

    /** The streams of each (source, epoch), each in its own order, merged in a random order. */
    private static List<Event> interleave(List<Event> history, Random random) {
        Map<String, java.util.ArrayDeque<Event>> streams = new LinkedHashMap<>();
        for (Event e : history) {
            streams.computeIfAbsent(e.source() + "@" + e.sourceEpoch(), k -> new java.util.ArrayDeque<>()).add(e);
        }
        List<java.util.ArrayDeque<Event>> open = new ArrayList<>(streams.values());
        List<Event> merged = new ArrayList<>();
        while (!open.isEmpty()) {
            java.util.ArrayDeque<Event> next = open.get(random.nextInt(open.size()));
            merged.add(next.poll());
            if (next.isEmpty()) {
                open.remove(next);
            }
        }
        return merged;
    }

    @Test
    void interleavingMovesEventsOfDifferentStreamsAcrossEachOther() {
        List<Event> history = new History(ILM, new Random(4)).generate();
        boolean reordered = false;
        for (int s = 0; s < SHUFFLES_PER_HISTORY && !reordered; s++) {
            reordered = !interleave(history, new Random(s)).equals(history);
        }
        assertThat(reordered).isTrue();
    }

    @Test
    void theGeneratorProducesTheInterestingCases() {
        boolean sawHandover = false;
        boolean sawUninstall = false;
        boolean sawWholeResourceFailure = false;
        for (long seed = 1; seed <= HISTORIES; seed++) {
            List<Event> history = new History(ILM, new Random(seed)).generate();
            sawHandover |= history.stream().anyMatch(e -> e.sourceEpoch() > 1);
            sawUninstall |= history.stream().anyMatch(e -> e.state().startsWith("UNINSTALLED"));
            sawWholeResourceFailure |= history.stream().anyMatch(e -> e.cluster().isEmpty());
        }
        assertThat(sawHandover).isTrue();
        assertThat(sawUninstall).isTrue();
        assertThat(sawWholeResourceFailure).isTrue();
    }

    /** Generates the log of one owner: translator plans, installers working, handovers, uninstalls. */
    private static final class History {
        private final Owner owner;
        private final Random random;
        private final List<Event> events = new ArrayList<>();
        private final Map<String, Long> epochByCluster = new LinkedHashMap<>();
        private final Map<String, Long> sequenceByReplicaEpoch = new LinkedHashMap<>();
        private final Map<String, Reported> lastInstallerState = new LinkedHashMap<>();
        private long clock = 1_000;

        History(Owner owner, Random random) {
            this.owner = owner;
            this.random = random;
        }

        List<Event> generate() {
            List<String> clusters = List.of("cluster1", "cluster2", "cluster3").subList(0, 1 + random.nextInt(3));
            List<String> revisions = random.nextBoolean() ? List.of("1-24") : List.of("1-24", "1-25");
            clusters.forEach(c -> epochByCluster.put(c, 1L));
            long generation = 1;
            if (random.nextInt(4) == 0) {
                events.add(new Event(owner, generation, "", "", "FAILED", "spec.clusters: required", null, "",
                        Event.TRANSLATOR, 0, EventOrder.translated(generation, 0), tick()));
                generation++;
            }
            int generations = 1 + random.nextInt(2);
            for (int g = 0; g < generations; g++, generation++) {
                int n = 0;
                for (String cluster : clusters) {
                    for (String revision : revisions) {
                        events.add(new Event(owner, generation, cluster, revision, "INSTALL_PENDING", "", null,
                                hash(generation, revision), Event.TRANSLATOR, 0, EventOrder.translated(generation, n++),
                                tick()));
                    }
                }
                for (String cluster : clusters) {
                    if (random.nextInt(4) == 0) {
                        handover(cluster);
                    }
                    for (String revision : revisions) {
                        install(generation, cluster, revision);
                    }
                }
            }
            long last = generation - 1;
            if (random.nextBoolean()) {
                String cluster = clusters.get(random.nextInt(clusters.size()));
                for (String revision : revisions) {
                    installer(last, cluster, revision, Phase.UNINSTALLING);
                    installer(last, cluster, revision, Phase.UNINSTALLED);
                }
            }
            return events;
        }

        private void install(long generation, String cluster, String revision) {
            if (owner.kind() == dev.meshfleet.schemas.v1.ResourceKind.IstioLifecycleManager) {
                installer(generation, cluster, revision, Phase.INSTALLING_CONTROLLER);
            }
            boolean midwayHandover = random.nextInt(5) == 0;
            installer(generation, cluster, revision, Phase.INSTALLING);
            if (midwayHandover) {
                handover(cluster);
                installer(generation, cluster, revision, Phase.INSTALLING);
            }
            installer(generation, cluster, revision, Phase.HEALTHY);
            if (random.nextBoolean()) {
                installer(generation, cluster, revision, Phase.UNHEALTHY);
                installer(generation, cluster, revision, Phase.HEALTHY);
            }
            if (random.nextBoolean()) {
                installer(generation, cluster, revision, Phase.RECONCILING);
                installer(generation, cluster, revision, Phase.HEALTHY);
            }
            if (random.nextBoolean()) {
                installer(generation, cluster, revision, Phase.HEALTHY); // resync re-emit
            }
        }

        /**
         * Another replica takes the cluster's partition: a new epoch, its own sequence, and (as the
         * installer does on assignment) the current state of every installation it now owns re-emitted.
         */
        private void handover(String cluster) {
            epochByCluster.merge(cluster, 1L, Long::sum);
            new ArrayList<>(lastInstallerState.entrySet()).forEach(e -> {
                String[] at = e.getKey().split("\\|");
                if (at[0].equals(cluster)) {
                    installer(e.getValue().generation(), cluster, at[1], e.getValue().phase());
                }
            });
        }

        private record Reported(long generation, Phase phase) {
        }

        private void installer(long generation, String cluster, String revision, Phase phase) {
            long epoch = epochByCluster.get(cluster);
            String source = "installer/installer-" + (epoch % 2);
            long sequence = sequenceByReplicaEpoch.merge(source + "@" + epoch, 1L, Long::sum);
            lastInstallerState.put(cluster + "|" + revision, new Reported(generation, phase));
            boolean deployed = phase == Phase.HEALTHY || phase == Phase.UNHEALTHY || phase == Phase.RECONCILING;
            events.add(new Event(owner, generation, cluster, revision, phase.state(owner.kind()).name(), "",
                    deployed ? "{\"revision\":\"" + revision + "\",\"g\":" + generation + "}" : null,
                    hash(generation, revision), source, epoch, sequence, tick()));
        }

        private static String hash(long generation, String revision) {
            return "h" + generation + "-" + revision;
        }

        private long tick() {
            return clock++;
        }
    }
}
