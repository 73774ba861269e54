package dev.meshfleet.installer.diff;

import static dev.meshfleet.installer.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.meshfleet.installer.model.ObjectRef;

class RepairScopeTest {
    private static final ObjectRef ISTIOD = deployment("istiod-1-24");
    private static final ObjectRef CRD = new ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", "",
            "gateways.networking.istio.io");

    /**
     * One row per case for the Deployment; the CRD stays as the last repair left it. Columns: the Deployment's last
     * uid, resourceVersion, generation, metadata digest and desired digest (empty uid: never written by this replica),
     * its live uid, resourceVersion, generation and metadata digest (empty uid: missing), the installation's desired
     * digest now, and what is applied.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            never repaired by this replica                  |    |   |   |    |    | u1 | 7 | 1 | m1 | d1 | ISTIOD
            as the last repair left it                      | u1 | 7 | 1 | m1 | d1 | u1 | 7 | 1 | m1 | d1 |
            deleted since                                   | u1 | 7 | 1 | m1 | d1 |    |   |   |    | d1 | ISTIOD
            only its status written since                   | u1 | 7 | 1 | m1 | d1 | u1 | 8 | 1 | m1 | d1 |
            its spec written since (generation moved)       | u1 | 7 | 1 | m1 | d1 | u1 | 8 | 2 | m1 | d1 | ISTIOD
            its labels or annotations written since         | u1 | 7 | 1 | m1 | d1 | u1 | 8 | 1 | m2 | d1 | ISTIOD
            written since, an object without a generation   | u1 | 7 | 0 | m1 | d1 | u1 | 8 | 0 | m1 | d1 | ISTIOD
            deleted and created again                       | u1 | 7 | 1 | m1 | d1 | u2 | 7 | 1 | m1 | d1 | ISTIOD
            the desired content changed (a new plan)        | u1 | 7 | 1 | m1 | d1 | u1 | 7 | 1 | m1 | d2 | CRD ISTIOD
            """)
    void onlyWhatMayHaveDriftedIsApplied(String row, String seenUid, String seenVersion, Long seenGeneration,
            String seenMetadata, String seenDigest, String liveUid, String liveVersion, Long liveGeneration,
            String liveMetadata, String desiredDigest, String applied) {
        Map<String, RepairScope.Seen> seen = new HashMap<>();
        seen.put(CRD.identity(), new RepairScope.Seen("c1", "3", 1, "mc", "d1"));
        if (seenUid != null) {
            seen.put(ISTIOD.identity(), new RepairScope.Seen(seenUid, seenVersion, seenGeneration, seenMetadata,
                    seenDigest));
        }
        Map<String, RepairScope.Version> live = new HashMap<>();
        live.put(CRD.identity(), new RepairScope.Version("c1", "3", 1, "mc"));
        if (liveUid != null) {
            live.put(ISTIOD.identity(), new RepairScope.Version(liveUid, liveVersion, liveGeneration, liveMetadata));
        }
        Map<String, ObjectRef> byName = Map.of("CRD", CRD, "ISTIOD", ISTIOD);
        List<ObjectRef> expected = applied == null ? List.of()
                : java.util.Arrays.stream(applied.split(" ")).map(byName::get).toList();

        assertThat(RepairScope.toApply(List.of(CRD, ISTIOD), desiredDigest, live, seen)).isEqualTo(expected);
    }

    @Test
    void aReplicaThatNeverRepairedTheClusterAppliesEverythingInApplyOrder() {
        Map<String, RepairScope.Version> live = Map.of(CRD.identity(), new RepairScope.Version("c1", "3", 1, "mc"),
                ISTIOD.identity(), new RepairScope.Version("u1", "7", 1, "m1"));
        assertThat(RepairScope.toApply(List.of(CRD, ISTIOD), "d1", live, Map.of())).containsExactly(CRD, ISTIOD);
    }
}
