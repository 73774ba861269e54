package dev.meshfleet.sandbox.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Tells a waiter when a Meshfleet resource (any kind, any namespace) changed, through one watch per kind, as
 * {@code kubectl wait} does, so that waiting for a fleet to settle reads the resources again only after a
 * change instead of listing them every few milliseconds. A 1,000-cluster resource's status is hundreds of KiB:
 * each read costs the API server's single event loop a serialization that the workload clusters then wait
 * behind.
 *
 * <p>A watch that closes (the API server restarted, a timeout) makes every wait return at once until it is
 * opened again on the next wait: the waiter then polls, as before this class, rather than miss a change.
 */
public final class ResourceChanges implements AutoCloseable {

    private final KubernetesClient client;
    private final List<Watch> watches = new ArrayList<>();
    private long version;
    private boolean open;
    private boolean closed;

    public ResourceChanges(KubernetesClient client) {
        this.client = client;
    }

    /** How many changes were seen so far; pass it to {@link #awaitChange} to wait for the next one. */
    public synchronized long version() {
        return version;
    }

    /**
     * Waits until a change newer than {@code seen} arrives, or {@code atMost} passed.
     *
     * @return the version after the wait (equal to {@code seen} when nothing changed)
     */
    public synchronized long awaitChange(long seen, Duration atMost) throws InterruptedException {
        if (!open && !closed) {
            openWatches();
            if (!open) {
                return version; // cannot watch: the caller polls
            }
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        while (version == seen && open) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return version;
    }

    private void openWatches() {
        closeWatches();
        try {
            for (ResourceKind kind : Crds.KINDS) {
                watches.add(client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                        .withGroup(Crds.group(kind)).withVersion(Crds.version(kind)).withKind(kind.name())
                        .withPlural(Crds.plural(kind)).withNamespaced(true).build())
                        .inAnyNamespace().watch(new Watcher<GenericKubernetesResource>() {
                            @Override
                            public void eventReceived(Action action, GenericKubernetesResource resource) {
                                changed();
                            }

                            @Override
                            public void onClose(WatcherException cause) {
                                lost();
                            }
                        }));
            }
            open = true;
            // What changed before the watches were open is read by the caller's next evaluation.
            version++;
        } catch (RuntimeException e) {
            closeWatches();
        }
    }

    private synchronized void changed() {
        version++;
        notifyAll();
    }

    private synchronized void lost() {
        open = false; // the next wait opens the watches again (and closes what is left of these)
        version++;
        notifyAll();
    }

    private void closeWatches() {
        for (Watch w : watches) {
            try {
                w.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
        watches.clear();
    }

    @Override
    public synchronized void close() {
        closed = true;
        open = false;
        closeWatches();
        notifyAll();
    }
}
