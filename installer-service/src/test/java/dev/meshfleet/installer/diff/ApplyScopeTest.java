package dev.meshfleet.installer.diff;

import static dev.meshfleet.installer.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.meshfleet.installer.Fixtures;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;

class ApplyScopeTest {
    private static final ObjectRef GATEWAY = new ObjectRef("gateway.networking.k8s.io/v1", "Gateway", "istio-eastwest",
            "istio-remote-peer-cluster2");
    private static final ObjectRef OTHER = deployment("istiod");

    /**
     * One row per case for the Gateway. Columns: the installation's inventory in the cluster (none, complete, or
     * partial: a failed apply) and whether it lists the Gateway, what this replica last wrote of it (empty: nothing
     * remembered), its content now, and whether the apply writes it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            written by this replica as it is now, listed          | complete | true  | c1 | c1 | false
            its content changed                                   | complete | true  | c1 | c2 | true
            never written by this replica (a new owner, a restart) | complete | true  |    | c1 | true
            not listed by the installation                        | complete | false | c1 | c1 | true
            the last apply failed part way                        | partial  | true  | c1 | c1 | true
            the installation has no inventory                     | none     | false | c1 | c1 | true
            """)
    void onlyWhatChangedSinceThisReplicaWroteItIsApplied(String row, String inventory, boolean listsIt,
            String written, String now, boolean applied) {
        List<ObjectRef> objects = listsIt ? List.of(OTHER, GATEWAY) : List.of(OTHER);
        Inventory current = inventory.equals("none") ? null
                : new Inventory(Fixtures.SMC, 1, "peering", "t", "h", null, inventory.equals("complete"), objects);
        Map<String, String> memory = new HashMap<>(Map.of(OTHER.identity(), "o1"));
        if (written != null) {
            memory.put(GATEWAY.identity(), written);
        }

        assertThat(ApplyScope.mustApply(GATEWAY, now, ApplyScope.listed(current), memory)).isEqualTo(applied);
    }
}
