package dev.meshfleet.sandbox.mesh;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mesh of one namespace whose controllers peer (seed 003, {@code multiClusterMode: Peering}; docs/adr/0046), as
 * a platform engineer wants it at a glance: how many controllers, how many of the mesh's links are up, and which are
 * not. Pure: the controllers' statuses as the API server returns them in, the summary out.
 *
 * <p>A link is directed, from the cluster holding a remote peer Gateway to the peer it points at. Each controller's
 * {@code status.peers: n/m} counts its own: n up of m (its remote peer Gateways), and {@code status.peering.down}
 * names the ones not up with their reason. The mesh expects a link from every controller to every other one, so a
 * controller with fewer than k-1 links (k controllers) is missing some (no remote peer Gateway yet: the peer's
 * east-west address is not known), and one whose status says nothing of peers has reported none. Links up is the sum
 * of n; links expected the sum, per controller, of m or k-1, whichever is larger: once every controller has its
 * remote peer Gateways, the sum of m.
 */
public final class MeshSummary {
    private static final Pattern PEERS = Pattern.compile("(\\d+)/(\\d+)");

    private MeshSummary() {
    }

    /** One ServiceMeshController: its name, {@code spec.cluster}, and {@code status} (null while it has none). */
    public record Member(String name, String cluster, Map<String, Object> status) {
    }

    /** What is not up, one line each; sealed so every kind is rendered and counted. */
    public sealed interface Gap {
        /** The cluster the gap is seen from (the links' source), for sorting. */
        String from();

        /** The peer cluster, empty when the gap is not one named link. */
        String to();

        String reason();

        /** The line a person reads, e.g. {@code cluster1 -> cluster3: AddressMismatch}. */
        String line();
    }

    /** A link its remote peer Gateway reports down, with the reason of its PeeringSucceeded condition. */
    public record LinkDown(String from, String to, String reason) implements Gap {
        @Override
        public String line() {
            return from + " -> " + to + ": " + reason;
        }
    }

    /** A controller with fewer links than the mesh has peers for it: {@code missing} have no remote peer Gateway. */
    public record LinksMissing(String from, int missing, int peers) implements Gap {
        @Override
        public String to() {
            return "";
        }

        @Override
        public String reason() {
            return "NoRemotePeerGateway";
        }

        @Override
        public String line() {
            return from + ": " + missing + " of its " + peers + " peer link" + (peers == 1 ? "" : "s")
                    + " not there yet (no remote peer Gateway: the peer's east-west address is not known)";
        }
    }

    /** A controller whose status says nothing of its peers yet (no {@code peers}: its peering installation has not reported). */
    public record NotReported(String from, String name, String phase, int peers) implements Gap {
        @Override
        public String to() {
            return "";
        }

        @Override
        public String reason() {
            return "NotReported";
        }

        @Override
        public String line() {
            return from + ": " + peers + " peer link" + (peers == 1 ? "" : "s") + " not reported (" + name + ", phase "
                    + (phase == null ? "none yet" : phase) + ")";
        }
    }

    /**
     * One namespace's mesh.
     *
     * @param gaps every link or controller not up, sorted by cluster (numbers in names in numeric order), then peer
     * @param moving what is still being linked, by cluster (see {@link #settled}); empty once nothing will change by
     *     itself
     */
    public record Mesh(String namespace, int controllers, int linksUp, int linksExpected, List<Gap> gaps,
            List<String> moving) {
        /**
         * Nothing in the mesh will change by itself: every controller has a remote peer Gateway for each peer that
         * has an address (each other controller that is SUCCEEDED: its east-west Gateway is programmed) and none for
         * a controller that is gone (one being deleted counts until it is gone), every
         * SUCCEEDED controller has reported its links, and no link waits for its first PeeringSucceeded condition
         * ({@code Pending}). A link down for another reason, or missing to a peer that failed, is settled: the sandbox
         * shows it rather than waiting for it.
         */
        public boolean settled() {
            return moving.isEmpty();
        }

        public boolean allUp() {
            return gaps.isEmpty() && linksUp == linksExpected;
        }

        /** {@code mesh gloo-mesh: 3 controllers, 6/6 links up}. */
        public String headline() {
            return "mesh " + namespace + ": " + controllers + " controller" + (controllers == 1 ? "" : "s") + ", "
                    + linksUp + "/" + linksExpected + " links up";
        }

        /** The headline, then up to {@code limit} gaps indented (0: all), then {@code ... and K more}. */
        public List<String> lines(int limit) {
            List<String> lines = new ArrayList<>();
            lines.add(headline());
            int shown = limit <= 0 ? gaps.size() : Math.min(limit, gaps.size());
            for (int i = 0; i < shown; i++) {
                lines.add("  " + gaps.get(i).line());
            }
            if (shown < gaps.size()) {
                lines.add("  ... and " + (gaps.size() - shown) + " more");
            }
            return lines;
        }
    }

    /** The mesh of {@code namespace} from its controllers. */
    public static Mesh of(String namespace, List<Member> members) {
        int k = members.size();
        int others = Math.max(0, k - 1);
        int up = 0;
        int expected = 0;
        int succeeded = (int) members.stream().filter(MeshSummary::succeeded).count();
        List<Gap> gaps = new ArrayList<>();
        List<String> moving = new ArrayList<>();
        for (Member m : members) {
            Map<String, Object> status = m.status() == null ? Map.of() : m.status();
            Matcher peers = status.get("peers") instanceof String s ? PEERS.matcher(s.trim()) : null;
            if (peers == null || !peers.matches()) {
                expected += others;
                if (others > 0) {
                    gaps.add(new NotReported(m.cluster(), m.name(),
                            status.get("phase") instanceof String p ? p : null, others));
                    if (succeeded(m)) {
                        moving.add(m.cluster() + ": links not reported yet");
                    }
                }
                continue;
            }
            int n = Integer.parseInt(peers.group(1));
            int of = Integer.parseInt(peers.group(2));
            up += n;
            expected += Math.max(of, others);
            int pending = 0;
            for (Map<String, Object> link : down(status)) {
                String reason = link.get("reason") instanceof String r && !r.isEmpty() ? r : "Pending";
                gaps.add(new LinkDown(m.cluster(), String.valueOf(link.get("cluster")), reason));
                pending += reason.equals("Pending") ? 1 : 0;
            }
            if (of < others) {
                gaps.add(new LinksMissing(m.cluster(), others - of, others));
            }
            // The peers with an address: every other controller that SUCCEEDED (its east-west Gateway is programmed).
            int addressed = succeeded - (succeeded(m) ? 1 : 0);
            if (of < addressed) {
                moving.add(m.cluster() + ": " + of + " of " + addressed + " remote peer Gateways");
            }
            // A gone controller's tombstone takes its remote peer out of every plan: the installers prune it.
            if (of > others) {
                moving.add(m.cluster() + ": " + of + " remote peer Gateways for " + others + " other controller"
                        + (others == 1 ? "" : "s"));
            }
            if (pending > 0) {
                moving.add(m.cluster() + ": " + pending + " link" + (pending == 1 ? "" : "s") + " Pending");
            }
        }
        gaps.sort(Comparator.comparing(Gap::from, CLUSTER_ORDER).thenComparing(Gap::to, CLUSTER_ORDER)
                .thenComparing(Gap::reason));
        moving.sort(CLUSTER_ORDER);
        return new Mesh(namespace, k, up, expected, List.copyOf(gaps), List.copyOf(moving));
    }

    /** Every mesh holds all its links. */
    public static boolean allUp(List<Mesh> meshes) {
        return meshes.stream().allMatch(Mesh::allUp);
    }

    private static boolean succeeded(Member m) {
        return m.status() != null && "SUCCEEDED".equals(m.status().get("phase"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> down(Map<String, Object> status) {
        if (status.get("peering") instanceof Map<?, ?> peering && peering.get("down") instanceof List<?> down) {
            return down.stream().filter(Map.class::isInstance).map(l -> (Map<String, Object>) l).toList();
        }
        return List.of();
    }

    /**
     * Cluster names with their numbers in numeric order ({@code cluster2} before {@code cluster10}), as a fleet of
     * a thousand reads best.
     */
    public static final Comparator<String> CLUSTER_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int ei = i;
                int ej = j;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                String da = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
                String db = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
                int c = da.length() != db.length() ? Integer.compare(da.length(), db.length()) : da.compareTo(db);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j) != 0 ? Integer.compare(a.length() - i, b.length() - j)
                : a.compareTo(b);
    };
}
