package dev.meshfleet.testkit;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keys of a cluster store's objects, by resource (plural) and name. Fabric8's CRUD mock finds an object by
 * testing every stored key against the path's, which made a lookup cost as much as the cluster holds (a seventh of
 * the sandbox's CPU in a 1,000-cluster rollout). A query that names its object is answered from the few keys of
 * that resource and name (the same name in other namespaces or API groups), each still tested with Fabric8's own
 * {@link AttributeSet#matches}, so what is found does not change. Kept by the store on every change of its map.
 */
final class StoredKeys {
    private final Map<String, Set<AttributeSet>> byResourceAndName = new HashMap<>();

    synchronized void add(AttributeSet key) {
        identity(key).ifPresent(id -> byResourceAndName.computeIfAbsent(id, i -> new LinkedHashSet<>()).add(key));
    }

    synchronized void remove(AttributeSet key) {
        identity(key).ifPresent(id -> {
            Set<AttributeSet> keys = byResourceAndName.get(id);
            if (keys != null && keys.remove(key) && keys.isEmpty()) {
                byResourceAndName.remove(id);
            }
        });
    }

    /**
     * The stored keys that may match a query naming one object of one resource; empty when the query does not (a
     * list, a selector, a wildcard): only a scan of every key can answer it.
     */
    synchronized Optional<List<AttributeSet>> candidates(AttributeSet query) {
        return identity(query).map(id -> List.copyOf(byResourceAndName.getOrDefault(id, Set.of())));
    }

    private static Optional<String> identity(AttributeSet keyOrQuery) {
        Optional<String> plural = single(keyOrQuery.getAttribute(KubernetesAttributesExtractor.PLURAL));
        Optional<String> name = single(keyOrQuery.getAttribute(KubernetesAttributesExtractor.NAME));
        return plural.isPresent() && name.isPresent() ? Optional.of(plural.get() + "/" + name.get()) : Optional.empty();
    }

    private static Optional<String> single(Attribute attribute) {
        if (attribute == null || attribute.getType() != AttributeType.WITH || attribute.getValues().size() != 1) {
            return Optional.empty();
        }
        String value = attribute.getValues().get(0).toString();
        return value == null || value.isEmpty() || value.equals("*") ? Optional.empty() : Optional.of(value);
    }
}
