package dev.meshfleet.installer.cluster;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jboss.logging.Logger;

import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.peering.PeeringGateways;
import dev.meshfleet.installer.render.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * One watch per owned cluster on the Deployments and DaemonSets Meshfleet applied there (label
 * {@code app.kubernetes.io/managed-by=meshfleet}, every namespace), and on its Gateway API Gateways where a peering
 * installation is desired (their status is that installation's health and facts), as a controller's informers: health is read from
 * what the watch delivered instead of a GET per workload at every check, so a HEALTHY fleet at rest sends its
 * clusters no request at all, and a workload's status change or deletion re-checks its cluster at once
 * ({@code onChange}) instead of at the next poll or resync.
 *
 * <p>A watch vouches for an object only while it is synced and connected: a cluster whose watch dropped (an API
 * server gone, a network cut) is read from the API, which is how it is found unreachable. Whether a watched copy is
 * recent enough after this replica's own write is {@link dev.meshfleet.installer.health.WatchedWorkload}'s rule,
 * applied by the caller. A watch starts with the first read of its cluster, is rebuilt when the cluster's client is
 * (a new kubeconfig), and stops when the cluster is no longer owned ({@link #stop}, {@link #retain}).
 */
public final class WorkloadWatches implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WorkloadWatches.class);

    private final Consumer<String> onChange;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param onChange called with a cluster's name when one of its watched objects changed status or was deleted */
    public WorkloadWatches(Consumer<String> onChange) {
        this.onChange = onChange;
    }

    /**
     * The cluster's watched workloads, its watch started with {@code client} if it is not running with that client:
     * a function from a Deployment's or DaemonSet's reference to the watch's copy, null when the watch cannot vouch
     * for it (not synced yet, disconnected, not in it, another kind).
     */
    public Function<ObjectRef, HasMetadata> view(String cluster, KubernetesClient client) {
        return view(cluster, client, false);
    }

    /**
     * As {@link #view(String, KubernetesClient)}, with the cluster's Gateway API Gateways (label managed-by=meshfleet)
     * watched too while {@code gateways}: a cluster with a peering installation (docs/adr/0046), whose health and
     * facts are its Gateways' status. Other clusters may not serve the Gateway API at all, so they are not asked.
     */
    public Function<ObjectRef, HasMetadata> view(String cluster, KubernetesClient client, boolean gateways) {
        if (closed) {
            return ref -> null;
        }
        Watch watch = watches.compute(cluster, (c, current) -> {
            if (current != null && current.client == client) {
                return current;
            }
            if (current != null) {
                current.stop();
            }
            return new Watch(c, client);
        });
        watch.watchGateways(gateways);
        return watch::get;
    }

    /** Stops the cluster's watch, if any. */
    public void stop(String cluster) {
        Watch watch = watches.remove(cluster);
        if (watch != null) {
            watch.stop();
        }
    }

    /** Stops the watches of every cluster not in {@code owned}. */
    public void retain(Set<String> owned) {
        for (String cluster : watches.keySet()) {
            if (!owned.contains(cluster)) {
                stop(cluster);
            }
        }
    }

    /** Clusters watched now. */
    public int size() {
        return watches.size();
    }

    @Override
    public void close() {
        closed = true;
        Set.copyOf(watches.keySet()).forEach(this::stop);
    }

    private final class Watch {
        final String cluster;
        final KubernetesClient client;
        final SharedIndexInformer<Deployment> deployments;
        final SharedIndexInformer<DaemonSet> daemonSets;
        /** Started while the cluster has a peering installation; null otherwise. */
        volatile SharedIndexInformer<GenericKubernetesResource> gateways;

        Watch(String cluster, KubernetesClient client) {
            this.cluster = cluster;
            this.client = client;
            this.deployments = start(cluster, client.apps().deployments().inAnyNamespace()
                    .withLabel(Names.MANAGED_BY, Names.MANAGED_BY_VALUE).runnableInformer(0)
                    .itemStore(SlimItemStore.deployments()), Deployment::getStatus);
            this.daemonSets = start(cluster, client.apps().daemonSets().inAnyNamespace()
                    .withLabel(Names.MANAGED_BY, Names.MANAGED_BY_VALUE).runnableInformer(0)
                    .itemStore(SlimItemStore.daemonSets()), DaemonSet::getStatus);
        }

        synchronized void watchGateways(boolean wanted) {
            if (wanted && gateways == null && !closed) {
                gateways = start(cluster, client.genericKubernetesResources(ClusterOps.GATEWAYS).inAnyNamespace()
                        .withLabel(Names.MANAGED_BY, Names.MANAGED_BY_VALUE).runnableInformer(0)
                        .itemStore(SlimItemStore.gateways()), g -> g.getAdditionalProperties().get("status"));
            } else if (!wanted && gateways != null) {
                gateways.stop();
                gateways = null;
            }
        }

        HasMetadata get(ObjectRef ref) {
            SharedIndexInformer<? extends HasMetadata> informer = PeeringGateways.isGateway(ref) ? gateways
                    : switch (ref.kind()) {
                        case "Deployment" -> deployments;
                        case "DaemonSet" -> daemonSets;
                        default -> null;
                    };
            if (informer == null || !informer.hasSynced() || !informer.isWatching()) {
                return null;
            }
            return informer.getStore().getByKey(Cache.namespaceKeyFunc(ref.namespace(), ref.name()));
        }

        synchronized void stop() {
            deployments.stop();
            daemonSets.stop();
            if (gateways != null) {
                gateways.stop();
            }
        }

        private <T extends HasMetadata> SharedIndexInformer<T> start(String cluster, SharedIndexInformer<T> informer,
                Function<T, Object> status) {
            informer.addEventHandler(new ResourceEventHandler<T>() {
                @Override
                public void onAdd(T object) {
                    // The first list, or this replica's own create: the apply reads its health itself.
                }

                @Override
                public void onUpdate(T before, T after) {
                    // A spec change is this replica's own apply (or someone's drift, repaired at its period);
                    // a status change is a rollout going on, done or undone.
                    if (!Objects.equals(status.apply(before), status.apply(after))) {
                        onChange.accept(cluster);
                    }
                }

                @Override
                public void onDelete(T object, boolean deletedFinalStateUnknown) {
                    onChange.accept(cluster);
                }
            });
            // Retried for as long as the cluster is owned: an unreachable cluster's watch comes back with it.
            informer.exceptionHandler((started, error) -> !closed);
            informer.start().whenComplete((ignored, error) -> {
                if (error != null && !closed) {
                    LOG.debugf("watch of %s in cluster %s not started: %s", informer.getApiTypeClass().getSimpleName(),
                            cluster, error.getMessage());
                }
            });
            return informer;
        }
    }
}
