package dev.meshfleet.translation;

import dev.meshfleet.schemas.crd.Crds;

/**
 * One reason a spec cannot be translated. It concerns one cluster (or {@link #SPEC_CLUSTER} when no
 * usable cluster name exists) and one revision; {@code path} is the JSON path of the offending field,
 * and {@code message} says what is wrong and what to do. Validation errors are final: retrying the
 * same generation gives the same error, only a new spec can fix it.
 */
public record TranslationError(String cluster, String revision, String path, String message) {

    /**
     * Cluster key used when the error has no usable cluster name (or concerns the whole resource), so
     * that the status still shows it: {@code *}, which no cluster can be named (cluster names are DNS
     * labels), so a reader of {@code kubectl get -o yaml} never takes it for a cluster; the message
     * names the field. The aggregator shows it under the same key (docs/adr/0006).
     */
    public static final String SPEC_CLUSTER = Crds.WHOLE_RESOURCE_CLUSTER;

    /** The text shown in events and status: the field first, so a reader finds it. */
    public String describe() {
        return path + ": " + message;
    }
}
