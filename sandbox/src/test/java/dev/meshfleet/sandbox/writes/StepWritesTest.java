package dev.meshfleet.sandbox.writes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class StepWritesTest {

    static Map<String, Integer> clusters(int from, int to, int writes) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = from; i <= to; i++) {
            m.put("cluster" + i, writes);
        }
        return m;
    }

    static Map<String, Integer> plus(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("nothing written", Map.of(),
                        "sandbox: step 1/2: the installers made 0 writes to the workload clusters"),
                Arguments.of("clusters without a write are left out", Map.of("cluster1", 0, "cluster2", 0),
                        "sandbox: step 1/2: the installers made 0 writes to the workload clusters"),
                Arguments.of("one write", Map.of("cluster2", 1),
                        "sandbox: step 1/2: the installers made 1 write: cluster2 1"),
                Arguments.of("the fourth cluster joins: most first, then by name",
                        Map.of("cluster3", 1, "cluster1", 1, "cluster4", 10, "cluster2", 1),
                        "sandbox: step 1/2: the installers made 13 writes: cluster4 10, cluster1 1, cluster2 1, cluster3 1"),
                Arguments.of("names with numbers sort as people sort them",
                        Map.of("cluster10", 2, "cluster9", 2, "cluster1", 3),
                        "sandbox: step 1/2: the installers made 7 writes: cluster1 3, cluster9 2, cluster10 2"),
                Arguments.of("three clusters of one count are still named",
                        Map.of("a", 1, "b", 1, "c", 1),
                        "sandbox: step 1/2: the installers made 3 writes: a 1, b 1, c 1"),
                Arguments.of("more than three of one count are a group",
                        plus(Map.of("cluster101", 102), clusters(1, 100, 1)),
                        "sandbox: step 1/2: the installers made 202 writes: cluster101 102, 100 clusters 1 each"),
                Arguments.of("groups and single clusters mixed",
                        plus(plus(clusters(1, 4, 5), Map.of("cluster5", 3, "cluster6", 2)), clusters(7, 10, 1)),
                        "sandbox: step 1/2: the installers made 29 writes: 4 clusters 5 each, cluster5 3, cluster6 2,"
                                + " 4 clusters 1 each"),
                Arguments.of("after twelve entries the rest is summed",
                        Map.ofEntries(Map.entry("c1", 20), Map.entry("c2", 19), Map.entry("c3", 18),
                                Map.entry("c4", 17), Map.entry("c5", 16), Map.entry("c6", 15), Map.entry("c7", 14),
                                Map.entry("c8", 13), Map.entry("c9", 12), Map.entry("c10", 11), Map.entry("c11", 10),
                                Map.entry("c12", 9), Map.entry("c13", 8), Map.entry("c14", 7)),
                        "sandbox: step 1/2: the installers made 189 writes: c1 20, c2 19, c3 18, c4 17, c5 16, c6 15,"
                                + " c7 14, c8 13, c9 12, c10 11, c11 10, c12 9 and 15 in 2 more clusters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void theLineCountsTheWritesOfTheStepPerCluster(String why, Map<String, Integer> writes, String line) {
        assertThat(StepWrites.line(1, 2, writes)).isEqualTo(line);
    }

    @Test
    void eachWriteCountsOnceForItsCluster() {
        assertThat(StepWrites.count(List.of("cluster2", "cluster1", "cluster2")))
                .containsExactly(Map.entry("cluster1", 1), Map.entry("cluster2", 2));
    }
}
