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
     * uid, resourceVersion and desired digest (empty: never written by this replica), its live uid and
     * resourceVersion (empty: missing), the installation's desired digest now, and what is applied.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            never repaired by this replica           |    |   |    | u1 | 7 | d1 | ISTIOD
            as the last repair left it               | u1 | 7 | d1 | u1 | 7 | d1 |
            deleted since                            | u1 | 7 | d1 |    |   | d1 | ISTIOD
            written since (by anyone, status too)    | u1 | 7 | d1 | u1 | 8 | d1 | ISTIOD
            deleted and created again                | u1 | 7 | d1 | u2 | 7 | d1 | ISTIOD
            the desired content changed (a new plan) | u1 | 7 | d1 | u1 | 7 | d2 | CRD ISTIOD
            """)
    void onlyWhatMayHaveDriftedIsApplied(String row, String seenUid, String seenVersion, String seenDigest,
            String liveUid, String liveVersion, String desiredDigest, String applied) {
        Map<String, RepairScope.Seen> seen = new HashMap<>();
        seen.put(CRD.identity(), new RepairScope.Seen("c1", "3", 1, "d1"));
        if (seenUid != null) {
            seen.put(ISTIOD.identity(), new RepairScope.Seen(seenUid, seenVersion, 1, seenDigest));
        }
        Map<String, RepairScope.Version> live = new HashMap<>();
        live.put(CRD.identity(), new RepairScope.Version("c1", "3"));
        if (liveUid != null) {
            live.put(ISTIOD.identity(), new RepairScope.Version(liveUid, liveVersion));
        }
        Map<String, ObjectRef> byName = Map.of("CRD", CRD, "ISTIOD", ISTIOD);
        List<ObjectRef> expected = applied == null ? List.of()
                : java.util.Arrays.stream(applied.split(" ")).map(byName::get).toList();

        assertThat(RepairScope.toApply(List.of(CRD, ISTIOD), desiredDigest, live, seen)).isEqualTo(expected);
    }

    @Test
    void aReplicaThatNeverRepairedTheClusterAppliesEverythingInApplyOrder() {
        Map<String, RepairScope.Version> live = Map.of(CRD.identity(), new RepairScope.Version("c1", "3"),
                ISTIOD.identity(), new RepairScope.Version("u1", "7"));
        assertThat(RepairScope.toApply(List.of(CRD, ISTIOD), "d1", live, Map.of())).containsExactly(CRD, ISTIOD);
    }
}
