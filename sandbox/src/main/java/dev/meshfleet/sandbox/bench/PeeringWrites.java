package dev.meshfleet.sandbox.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.meshfleet.testkit.WriteLog;

/**
 * The installers' writes of one step of the peering benchmark, split as ADR 0046 counts them: the cluster that joined
 * or left (its control plane apart from its Gateways) and the others (per cluster, and those that were not a Gateway).
 * Pure: the write log's entries in, counts out. A write is one POST, PUT, PATCH or DELETE; a Gateway's is one whose
 * path names the resource {@code gateways} of {@code gateway.networking.k8s.io}.
 */
public record PeeringWrites(String cluster, int clusterGateways, int clusterOther, int others, int othersMin,
        int othersMax, int othersNotGateways, Map<String, Integer> clusterByKind, Map<String, Integer> othersByKind) {

    /** The writes {@code writes} made by installers (writer named), {@code cluster} the one added or removed. */
    public static PeeringWrites of(List<WriteLog.Write> writes, String cluster, List<String> otherClusters) {
        Map<String, Integer> perOther = new TreeMap<>();
        otherClusters.forEach(c -> perOther.put(c, 0));
        int gateways = 0;
        int other = 0;
        int notGateways = 0;
        Map<String, Integer> clusterByKind = new TreeMap<>();
        Map<String, Integer> othersByKind = new TreeMap<>();
        for (WriteLog.Write w : writes) {
            if (w.writer().isEmpty()) {
                continue;
            }
            boolean gateway = isGateway(w.path());
            String kind = w.method() + " " + resource(w.path());
            if (w.cluster().equals(cluster)) {
                if (gateway) {
                    gateways++;
                } else {
                    other++;
                }
                clusterByKind.merge(kind, 1, Integer::sum);
            } else {
                perOther.merge(w.cluster(), 1, Integer::sum);
                othersByKind.merge(kind, 1, Integer::sum);
                if (!gateway) {
                    notGateways++;
                }
            }
        }
        int total = perOther.values().stream().mapToInt(Integer::intValue).sum();
        int min = perOther.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int max = perOther.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new PeeringWrites(cluster, gateways, other, total, min, max, notGateways, clusterByKind, othersByKind);
    }

    /** Whether the path is a Gateway API Gateway (the object, its status or the collection). */
    static boolean isGateway(String path) {
        return path.startsWith("/apis/gateway.networking.k8s.io/") && "gateways".equals(resource(path));
    }

    /**
     * The resource a write's path names ({@code gateways}, {@code configmaps}, {@code namespaces}, ...), its
     * subresource after a slash ({@code gateways/status}): {@code /api/v1/[namespaces/NS/]RESOURCE[/NAME[/SUB]]} or
     * {@code /apis/GROUP/VERSION/[namespaces/NS/]RESOURCE[/NAME[/SUB]]}; a namespace itself is {@code namespaces}.
     */
    static String resource(String path) {
        int q = path.indexOf('?');
        String[] parts = (q < 0 ? path : path.substring(0, q)).replaceAll("^/+", "").split("/");
        int i = parts.length > 0 && parts[0].equals("api") ? 2 : 3;
        if (parts.length > i + 2 && parts[i].equals("namespaces")) {
            i += 2;
        }
        if (parts.length <= i) {
            return path;
        }
        return parts.length > i + 2 ? parts[i] + "/" + parts[i + 2] : parts[i];
    }
}
