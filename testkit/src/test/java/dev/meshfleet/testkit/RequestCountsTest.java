package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

/** The API servers count every request per cluster, verb and resource, as Kubernetes' request info names them. */
class RequestCountsTest {
    private final MockApiServer server = MockApiServer.start();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void eachClusterCountsItsOwnRequestsByVerbAndResource() {
        var c1 = server.client("c1");
        c1.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ns").endMetadata().build())
                .serverSideApply();
        c1.configMaps().inNamespace("ns").resource(new ConfigMapBuilder().withNewMetadata().withName("a")
                .endMetadata().build()).create();
        c1.configMaps().inNamespace("ns").list();
        c1.configMaps().inNamespace("ns").list();
        c1.configMaps().inNamespace("ns").withName("a").get();
        server.client("c2").configMaps().inNamespace("ns").list();
        server.client().namespaces().withName("x").get();

        RequestCounts counts = server.requestCounts();
        assertThat(counts.count("c1", "patch", "namespaces")).isEqualTo(1);
        assertThat(counts.count("c1", "create", "configmaps")).isEqualTo(1);
        assertThat(counts.count("c1", "list", "configmaps")).isEqualTo(2);
        assertThat(counts.count("c1", "get", "configmaps")).isEqualTo(1);
        assertThat(counts.count("c2", "list", "configmaps")).isEqualTo(1);
        assertThat(counts.count(RequestCounts.MANAGEMENT, "get", "namespaces")).isEqualTo(1);
        assertThat(counts.totals(false)).containsAllEntriesOf(Map.of("list configmaps", 3L, "get configmaps", 1L));
        assertThat(counts.totals(true)).containsEntry("get namespaces", 1L).doesNotContainKey("list configmaps");
    }
}
