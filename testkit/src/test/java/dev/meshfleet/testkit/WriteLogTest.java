package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.Writer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

/** The API server records every write to a workload cluster with the writer its request named. */
class WriteLogTest {
    private final MockApiServer server = MockApiServer.start();

    @AfterEach
    void close() {
        server.close();
    }

    /** A client of the cluster that names its writer in every request, as the installer does. */
    private KubernetesClient clientAs(String cluster, String replica, long epoch) {
        Interceptor writer = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                builder.header(Writer.REPLICA_HEADER, replica).header(Writer.EPOCH_HEADER, String.valueOf(epoch));
            }
        };
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.kubeconfig(cluster)))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("writer", writer)).build();
    }

    @Test
    void everyWriteToAWorkloadClusterIsRecordedWithItsWriterAndReadsAndManagementWritesAreNot() {
        try (KubernetesClient a = clientAs("cluster1", "installer-0", 7)) {
            var cm = new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName("x").endMetadata()
                    .addToData("k", "v").build();
            a.resource(cm).create();
            a.resource(cm).fieldManager("meshfleet").forceConflicts().serverSideApply();
            a.configMaps().inNamespace("default").withName("x").get();
            a.configMaps().inNamespace("default").list();
            a.configMaps().inNamespace("default").withName("x").delete();
        }
        // kubectl names no writer; the management cluster is not a workload cluster.
        server.client("cluster2").configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("y").endMetadata().build()).create();
        server.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("z").endMetadata().build()).create();

        List<WriteLog.Write> writes = server.writeLog().writes();
        assertThat(writes).extracting(WriteLog.Write::cluster, WriteLog.Write::method, WriteLog.Write::writer)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cluster1", "POST", Optional.of(new Writer("installer-0", 7))),
                        org.assertj.core.groups.Tuple.tuple("cluster1", "PATCH", Optional.of(new Writer("installer-0", 7))),
                        org.assertj.core.groups.Tuple.tuple("cluster1", "DELETE", Optional.of(new Writer("installer-0", 7))),
                        org.assertj.core.groups.Tuple.tuple("cluster2", "POST", Optional.empty()));
        assertThat(writes.get(1).path()).startsWith("/api/v1/namespaces/default/configmaps/x");
        assertThat(writes).extracting(WriteLog.Write::receivedAtMillis).isSorted();
    }
}
