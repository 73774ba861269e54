package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The index finds, for a query naming one object, exactly what Fabric8's scan of every key finds: each case is
 * answered both ways over the same keys, and the index's candidates are few.
 */
class StoredKeysTest {
    private static final KubernetesAttributesExtractor PATHS = new KubernetesAttributesExtractor();
    private static final List<String> STORED = List.of(
            "/api/v1/namespaces/istio-system/serviceaccounts/istiod",
            "/api/v1/namespaces/other/serviceaccounts/istiod",
            "/apis/networking.istio.io/v1/namespaces/istio-system/gateways/eastwest",
            "/apis/gateway.networking.k8s.io/v1/namespaces/istio-system/gateways/eastwest",
            "/apis/rbac.authorization.k8s.io/v1/clusterroles/istiod",
            "/api/v1/namespaces/istio-system/configmaps/istio");

    private final StoredKeys keys = new StoredKeys();
    private final List<AttributeSet> stored = STORED.stream().map(PATHS::fromPath).toList();

    private AttributeSet scan(AttributeSet query) {
        return stored.stream().filter(k -> k.matches(query)).findFirst().orElse(null);
    }

    private AttributeSet indexed(AttributeSet query) {
        return keys.candidates(query).orElseThrow().stream().filter(k -> k.matches(query)).findFirst().orElse(null);
    }

    @Test
    void aNamedQueryFindsWhatTheScanFinds() {
        stored.forEach(keys::add);
        for (String path : List.of(
                "/api/v1/namespaces/istio-system/serviceaccounts/istiod",
                "/api/v1/namespaces/other/serviceaccounts/istiod",
                "/api/v1/namespaces/absent/serviceaccounts/istiod",
                "/apis/networking.istio.io/v1/namespaces/istio-system/gateways/eastwest",
                "/apis/gateway.networking.k8s.io/v1/namespaces/istio-system/gateways/eastwest",
                "/apis/rbac.authorization.k8s.io/v1/clusterroles/istiod",
                "/apis/rbac.authorization.k8s.io/v1/clusterroles/absent",
                "/api/v1/namespaces/istio-system/configmaps/istio")) {
            AttributeSet query = PATHS.fromPath(path);
            assertThat(indexed(query)).as(path).isEqualTo(scan(query));
        }
        assertThat(scan(PATHS.fromPath("/api/v1/namespaces/other/serviceaccounts/istiod"))).isEqualTo(stored.get(1));
        assertThat(keys.candidates(PATHS.fromPath("/api/v1/namespaces/other/serviceaccounts/istiod")).orElseThrow())
                .hasSize(2);
    }

    @Test
    void aRemovedKeyIsNoLongerACandidate() {
        stored.forEach(keys::add);
        keys.remove(stored.get(0));
        AttributeSet query = PATHS.fromPath(STORED.get(0));
        assertThat(keys.candidates(query).orElseThrow()).doesNotContain(stored.get(0)).containsExactly(stored.get(1));
        assertThat(indexed(query)).isNull();
    }

    @Test
    void aListIsLeftToTheScan() {
        stored.forEach(keys::add);
        assertThat(keys.candidates(PATHS.fromPath("/api/v1/namespaces/istio-system/serviceaccounts"))).isEmpty();
        assertThat(keys.candidates(PATHS.fromPath("/api/v1/serviceaccounts"))).isEmpty();
    }
}
