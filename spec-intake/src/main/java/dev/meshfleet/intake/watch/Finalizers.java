package dev.meshfleet.intake.watch;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Adds the meshfleet.dev/uninstall finalizer. A PUT with the object's resourceVersion, so a
 * concurrent change (another finalizer, a spec edit) is never overwritten: on 409 we re-read and
 * try again. The intake never removes the finalizer; the status-aggregator does.
 */
public final class Finalizers {
    private static final int ATTEMPTS = 3;

    private final KubernetesClient client;

    public Finalizers(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The resource as stored once the finalizer is in place (or once its deletion was requested:
     * then there is nothing to hold and the caller publishes DELETE), or empty when it is gone. Throws the last conflict when every attempt lost a race,
     * so the key is retried with backoff.
     */
    public Optional<GenericKubernetesResource> ensure(ResourceKind kind, GenericKubernetesResource cached) {
        var resources = client.genericKubernetesResources(LifecycleWatch.context(kind))
                .inNamespace(cached.getMetadata().getNamespace());
        GenericKubernetesResource base = cached;
        KubernetesClientException conflict = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (base.getMetadata().getDeletionTimestamp() != null) {
                return Optional.of(base);
            }
            List<String> finalizers = base.getMetadata().getFinalizers();
            if (finalizers != null && finalizers.contains(Crds.FINALIZER)) {
                return Optional.of(base);
            }
            // Never modify the informer's cached object.
            GenericKubernetesResource copy = client.getKubernetesSerialization().clone(base);
            List<String> updated = new ArrayList<>(finalizers == null ? List.of() : finalizers);
            updated.add(Crds.FINALIZER);
            copy.getMetadata().setFinalizers(updated);
            try {
                return Optional.of(resources.resource(copy).update());
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return Optional.empty();
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                conflict = e;
                base = resources.withName(cached.getMetadata().getName()).get();
                if (base == null) {
                    return Optional.empty();
                }
            }
        }
        throw conflict;
    }
}
