package dev.meshfleet.installer.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.diff.RepairScope;
import dev.meshfleet.installer.model.LiveVersion;
import dev.meshfleet.installer.model.ObjectRef;

/** What an apply leaves for the next drift repair, written objects and objects left out alike (ADR 0048). */
class DriftRepairRememberTest {
    private static final ObjectRef EASTWEST = new ObjectRef("gateway.networking.k8s.io/v1", "Gateway", "istio-eastwest",
            "istio-eastwest");
    private static final ObjectRef NEW_PEER = new ObjectRef("gateway.networking.k8s.io/v1", "Gateway",
            "istio-eastwest", "istio-remote-peer-c4");

    @Test
    void anObjectTheApplyLeftOutKeepsItsVersionsUnderTheNewPlansDigestAndAWrittenOneTakesItsNewVersions() {
        Map<String, RepairScope.Seen> seen = new HashMap<>();
        seen.put(EASTWEST.identity(), new RepairScope.Seen("u1", "7", 1, "m1", "plan-3-peers"));

        DriftRepair.remember(seen, List.of(EASTWEST, NEW_PEER),
                Map.of(NEW_PEER.identity(), new LiveVersion("u9", "40", 1, "m9", "")), "plan-4-peers");

        assertThat(seen.get(EASTWEST.identity())).isEqualTo(new RepairScope.Seen("u1", "7", 1, "m1", "plan-4-peers"));
        assertThat(seen.get(NEW_PEER.identity())).isEqualTo(new RepairScope.Seen("u9", "40", 1, "m9", "plan-4-peers"));
        // So the next repair, nothing having been written since, applies neither.
        Map<String, RepairScope.Version> live = Map.of(EASTWEST.identity(), new RepairScope.Version("u1", "7", 1, "m1"),
                NEW_PEER.identity(), new RepairScope.Version("u9", "40", 1, "m9"));
        assertThat(RepairScope.toApply(List.of(EASTWEST, NEW_PEER), "plan-4-peers", live, seen)).isEmpty();
    }

    @Test
    void anObjectNeverSeenAndNotWrittenStaysUnknown() {
        Map<String, RepairScope.Seen> seen = new HashMap<>();

        DriftRepair.remember(seen, List.of(EASTWEST), Map.of(), "plan");

        assertThat(seen).isEmpty();
    }
}
