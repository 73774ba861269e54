package dev.meshfleet.sandbox.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The mesh-level summary (issue 12 item 4) from controllers' statuses written by hand as the aggregator writes them
 * ({@code status.peers}, {@code status.peering.down}; SmcStatusDocument), one row per rule.
 */
class MeshSummaryTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    static Stream<Arguments> meshes() {
        return Stream.of(
                Arguments.of("every link of three controllers up", """
                        - {name: managed-istio-cluster1, cluster: cluster1, status: {phase: SUCCEEDED, peers: 2/2}}
                        - {name: managed-istio-cluster2, cluster: cluster2, status: {phase: SUCCEEDED, peers: 2/2}}
                        - {name: managed-istio-cluster3, cluster: cluster3, status: {phase: SUCCEEDED, peers: 2/2}}
                        """, "mesh gloo-mesh: 3 controllers, 6/6 links up", List.of(), true),
                Arguments.of("a link down is named from the controller that holds its remote peer Gateway", """
                        - {name: managed-istio-cluster1, cluster: cluster1, status: {phase: SUCCEEDED, peers: 1/2,
                           peering: {down: [{cluster: cluster3, reason: AddressMismatch}]}}}
                        - {name: managed-istio-cluster2, cluster: cluster2, status: {phase: SUCCEEDED, peers: 2/2}}
                        - {name: managed-istio-cluster3, cluster: cluster3, status: {phase: SUCCEEDED, peers: 2/2}}
                        """, "mesh gloo-mesh: 3 controllers, 5/6 links up",
                        List.of("cluster1 -> cluster3: AddressMismatch"), false),
                Arguments.of("links sorted by cluster then peer, numbers in numeric order; no reason reads Pending", """
                        - {name: c10, cluster: cluster10, status: {peers: 1/2, peering: {down: [{cluster: cluster2}]}}}
                        - {name: c2, cluster: cluster2, status: {peers: 0/2, peering: {down: [
                            {cluster: cluster10, reason: AddressMismatch}, {cluster: cluster1, reason: Pending}]}}}
                        - {name: c1, cluster: cluster1, status: {peers: 2/2}}
                        """, "mesh gloo-mesh: 3 controllers, 3/6 links up",
                        List.of("cluster2 -> cluster1: Pending", "cluster2 -> cluster10: AddressMismatch",
                                "cluster10 -> cluster2: Pending"), false),
                Arguments.of("a controller that reported no peers, and the others missing their link to it", """
                        - {name: managed-istio-cluster1, cluster: cluster1, status: {phase: SUCCEEDED, peers: 1/1}}
                        - {name: managed-istio-cluster2, cluster: cluster2, status: {phase: SUCCEEDED, peers: 1/1}}
                        - {name: managed-istio-cluster3, cluster: cluster3, status: {phase: FAILED}}
                        """, "mesh gloo-mesh: 3 controllers, 2/6 links up",
                        List.of("cluster1: 1 of its 2 peer links not there yet (no remote peer Gateway: the peer's"
                                        + " east-west address is not known)",
                                "cluster2: 1 of its 2 peer links not there yet (no remote peer Gateway: the peer's"
                                        + " east-west address is not known)",
                                "cluster3: 2 peer links not reported (managed-istio-cluster3, phase FAILED)"), false),
                Arguments.of("a controller with no status at all yet", """
                        - {name: managed-istio-cluster1, cluster: cluster1, status: {phase: SUCCEEDED, peers: 0/0}}
                        - {name: managed-istio-cluster2, cluster: cluster2}
                        """, "mesh gloo-mesh: 2 controllers, 0/2 links up",
                        List.of("cluster1: 1 of its 1 peer link not there yet (no remote peer Gateway: the peer's"
                                        + " east-west address is not known)",
                                "cluster2: 1 peer link not reported (managed-istio-cluster2, phase none yet)"), false),
                Arguments.of("a peers value that is not n/m counts as not reported", """
                        - {name: a, cluster: cluster1, status: {phase: SUCCEEDED, peers: "1/1"}}
                        - {name: b, cluster: cluster2, status: {phase: SUCCEEDED, peers: two}}
                        """, "mesh gloo-mesh: 2 controllers, 1/2 links up",
                        List.of("cluster2: 1 peer link not reported (b, phase SUCCEEDED)"), false),
                Arguments.of("one controller alone has no link to hold", """
                        - {name: managed-istio-cluster1, cluster: cluster1, status: {phase: SUCCEEDED}}
                        """, "mesh gloo-mesh: 1 controller, 0/0 links up", List.of(), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("meshes")
    void summarizesTheMesh(String rule, String controllers, String headline, List<String> gaps, boolean allUp)
            throws Exception {
        MeshSummary.Mesh mesh = MeshSummary.of("gloo-mesh", members(controllers));

        assertThat(mesh.headline()).isEqualTo(headline);
        assertThat(mesh.gaps()).extracting(MeshSummary.Gap::line).containsExactlyElementsOf(gaps);
        assertThat(mesh.allUp()).isEqualTo(allUp);
    }

    static Stream<Arguments> settling() {
        return Stream.of(
                Arguments.of("every controller SUCCEEDED before the translator planned any remote peer Gateway", """
                        - {name: a, cluster: cluster1, status: {phase: SUCCEEDED, peers: 0/0}}
                        - {name: b, cluster: cluster2, status: {phase: SUCCEEDED, peers: 0/0}}
                        - {name: c, cluster: cluster3, status: {phase: SUCCEEDED, peers: 0/0}}
                        """, List.of("cluster1: 0 of 2 remote peer Gateways", "cluster2: 0 of 2 remote peer Gateways",
                                "cluster3: 0 of 2 remote peer Gateways")),
                Arguments.of("a remote peer Gateway without its first condition yet", """
                        - {name: a, cluster: cluster1, status: {phase: SUCCEEDED, peers: 0/1,
                           peering: {down: [{cluster: cluster2, reason: Pending}]}}}
                        - {name: b, cluster: cluster2, status: {phase: SUCCEEDED, peers: 1/1}}
                        """, List.of("cluster1: 1 link Pending")),
                Arguments.of("a SUCCEEDED controller that has not reported its links", """
                        - {name: a, cluster: cluster1, status: {phase: SUCCEEDED}}
                        - {name: b, cluster: cluster2, status: {phase: SUCCEEDED, peers: 1/1}}
                        """, List.of("cluster1: links not reported yet")),
                Arguments.of("a link down for a reason other than Pending has settled: it is shown, not waited for", """
                        - {name: a, cluster: cluster1, status: {phase: SUCCEEDED, peers: 0/1,
                           peering: {down: [{cluster: cluster2, reason: AddressMismatch}]}}}
                        - {name: b, cluster: cluster2, status: {phase: SUCCEEDED, peers: 1/1}}
                        """, List.of()),
                Arguments.of("links missing to a peer that failed (it has no address) have settled", """
                        - {name: a, cluster: cluster1, status: {phase: SUCCEEDED, peers: 1/1}}
                        - {name: b, cluster: cluster2, status: {phase: SUCCEEDED, peers: 1/1}}
                        - {name: c, cluster: cluster3, status: {phase: FAILED}}
                        """, List.of()),
                Arguments.of("a controller gone while the others still hold their remote peer Gateway to it", """
                        - {name: a, cluster: cluster1, status: {phase: SUCCEEDED, peers: 2/2}}
                        - {name: b, cluster: cluster2, status: {phase: SUCCEEDED, peers: 1/1}}
                        """, List.of("cluster1: 2 remote peer Gateways for 1 other controller")),
                Arguments.of("every link up", """
                        - {name: a, cluster: cluster1, status: {phase: SUCCEEDED, peers: 1/1}}
                        - {name: b, cluster: cluster2, status: {phase: SUCCEEDED, peers: 1/1}}
                        """, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settling")
    void saysWhatIsStillBeingLinked(String rule, String controllers, List<String> moving) throws Exception {
        MeshSummary.Mesh mesh = MeshSummary.of("gloo-mesh", members(controllers));

        assertThat(mesh.moving()).containsExactlyElementsOf(moving);
        assertThat(mesh.settled()).isEqualTo(moving.isEmpty());
    }

    @Test
    void aThousandLinksDownPrintTheFirstOnesAndCountTheRest() {
        // cluster1 of 26 controllers has every link down; the other 25 have theirs up.
        List<MeshSummary.Member> members = new ArrayList<>();
        List<Map<String, Object>> down = new ArrayList<>();
        for (int i = 2; i <= 26; i++) {
            down.add(Map.of("cluster", "cluster" + i, "reason", "AddressMismatch"));
            members.add(new MeshSummary.Member("c" + i, "cluster" + i, Map.of("peers", "25/25")));
        }
        members.add(new MeshSummary.Member("c1", "cluster1", Map.of("peers", "0/25", "peering", Map.of("down", down))));

        List<String> lines = MeshSummary.of("big", members).lines(20);

        assertThat(lines).hasSize(22);
        assertThat(lines.get(0)).isEqualTo("mesh big: 26 controllers, 625/650 links up");
        assertThat(lines.get(1)).isEqualTo("  cluster1 -> cluster2: AddressMismatch");
        assertThat(lines.get(20)).isEqualTo("  cluster1 -> cluster21: AddressMismatch");
        assertThat(lines.get(21)).isEqualTo("  ... and 5 more");
    }

    @Test
    void theDocumentOfYamlAndJsonCarriesTheSameCapAndCount() {
        MeshSummary.Mesh mesh = MeshSummary.of("gloo-mesh", List.of(
                new MeshSummary.Member("a", "cluster1", Map.of("peers", "0/2", "peering", Map.of("down", List.of(
                        Map.of("cluster", "cluster2", "reason", "AddressMismatch"),
                        Map.of("cluster", "cluster3", "reason", "Pending"))))),
                new MeshSummary.Member("b", "cluster2", Map.of("peers", "2/2")),
                new MeshSummary.Member("c", "cluster3", Map.of("peers", "2/2"))));

        assertThat(MeshReport.yaml(List.of(mesh), 1)).isEqualTo("""
                allUp: false
                meshes:
                - namespace: gloo-mesh
                  controllers: 3
                  linksUp: 4
                  linksExpected: 6
                  notUp:
                  - cluster: cluster1
                    peer: cluster2
                    reason: AddressMismatch
                    message: "cluster1 -> cluster2: AddressMismatch"
                  notUpOmitted: 1
                """);
        assertThat(MeshReport.table(List.of(), 20))
                .isEqualTo("no peered namespace (no gloo-extensions-config with multiClusterMode: Peering beside a"
                        + " ServiceMeshController)\n");
    }

    @Test
    void clusterOrderReadsNumbersAsNumbers() {
        List<String> names = new ArrayList<>(List.of("cluster10", "cluster2", "cluster1", "east-2", "cluster02b",
                "cluster100"));
        names.sort(MeshSummary.CLUSTER_ORDER);
        assertThat(names).containsExactly("cluster1", "cluster2", "cluster02b", "cluster10", "cluster100", "east-2");
    }

    private static List<MeshSummary.Member> members(String yaml) throws Exception {
        List<Map<String, Object>> rows = YAML.readValue(yaml, new TypeReference<>() { });
        return rows.stream().map(MeshSummaryTest::member).toList();
    }

    @SuppressWarnings("unchecked")
    private static MeshSummary.Member member(Map<String, Object> row) {
        return new MeshSummary.Member((String) row.get("name"), (String) row.get("cluster"),
                (Map<String, Object>) row.get("status"));
    }
}
