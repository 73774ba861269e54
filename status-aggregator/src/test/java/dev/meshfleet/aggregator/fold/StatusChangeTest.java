package dev.meshfleet.aggregator.fold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.schemas.state.IlmState;
import dev.meshfleet.schemas.v1.ResourceKind;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What a fold changed: entries untouched by the fold are the same objects, a replaced entry is compared by what a
 * reader of the status sees. The clusters are named so that their order as text (cluster1, cluster10, cluster2)
 * is not their order as numbers.
 */
class StatusChangeTest {
    static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod", "uid-1");
    static final List<String> BASE = List.of("cluster1", "cluster10", "cluster2");

    static ClusterEntry entry(String state, long updatedAt) {
        TreeMap<String, Installation> installations = new TreeMap<>();
        installations.put("1-24", new Installation(IlmState.valueOf(state), "", "", null, 1, "h", "installer/i", 1, 1,
                updatedAt, true));
        return new ClusterEntry(installations, 1);
    }

    static Status base() {
        TreeMap<String, ClusterEntry> clusters = new TreeMap<>();
        BASE.forEach(c -> clusters.put(c, entry("HEALTHY", 1)));
        return new Status(ILM, 1, clusters, false);
    }

    /** The base with edits: {@code -c} removes c, {@code +c=STATE} adds it, {@code c=STATE} replaces its entry. */
    static Status edited(Status base, String edits) {
        TreeMap<String, ClusterEntry> clusters = new TreeMap<>(base.clusters());
        for (String edit : edits.isBlank() ? new String[0] : edits.split(" ")) {
            if (edit.startsWith("-")) {
                clusters.remove(edit.substring(1));
            } else {
                String[] kv = edit.replace("+", "").split("=");
                clusters.put(kv[0], entry(kv[1], 2));
            }
        }
        return new Status(ILM, 1, clusters, false);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''                                          | ''                          | false",
            "cluster10=HEALTHY                           | cluster10                   | false",
            "cluster10=UNHEALTHY                         | cluster10                   | true",
            "+cluster11=HEALTHY                          | cluster11                   | true",
            "+cluster3=HEALTHY                           | cluster3                    | true",
            "-cluster1                                   | cluster1                    | true",
            "-cluster2                                   | cluster2                    | true",
            "-cluster1 +cluster0=HEALTHY cluster2=HEALTHY | cluster0 cluster1 cluster2 | true",
            "-cluster1 -cluster10 -cluster2              | cluster1 cluster10 cluster2 | true"})
    void theChangedClustersAndWhetherAReaderSeesIt(String edits, String changed, boolean reportChanged) {
        Status before = base();
        StatusChange change = StatusChange.between(before, edited(before, edits));

        assertThat(change.ownerChanged()).isFalse();
        assertThat(change.changedClusters()).containsExactlyElementsOf(
                changed.isBlank() ? List.of() : Arrays.asList(changed.split(" ")));
        assertThat(change.reportChanged()).isEqualTo(reportChanged);
    }

    @Test
    void withoutAStatusBeforeEverythingChanged() {
        StatusChange change = StatusChange.between(null, base());

        assertThat(change.ownerChanged()).isTrue();
        assertThat(change.changedClusters()).containsExactly("cluster1", "cluster10", "cluster2");
        assertThat(change.reportChanged()).isTrue();
    }
}
