package dev.meshfleet.translation;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of translating one ExternalControlPlane generation: one plan per cluster, each cluster's role, and the
 * remote secrets the external cluster must hold (references only: no credential is ever part of a translation); or
 * the errors, under {@link TranslationError#SPEC_CLUSTER}. Never both.
 */
public record EcpTranslation(String namespace, String name, long generation, SortedMap<String, List<Plan>> plansByCluster,
        SortedMap<String, Role> roles, List<RemoteSecret> remoteSecrets, List<TranslationError> errors) {
    public static final String KIND = "ExternalControlPlane";

    /** A cluster's part in the topology, as the status shows it. */
    public enum Role {
        external, config, remote
    }

    /**
     * A kubeconfig Secret the external istiod reads to reach a remote cluster, as {@code istioctl create-remote-secret}
     * names it: {@code istio-kubeconfig} (type config) or {@code istio-remote-secret-<cluster>} (type remote), in the
     * external istiod's namespace. Built by the installer from the remote cluster's reader token (ADR 0031).
     */
    public record RemoteSecret(String cluster, String type, String namespace, String secretName,
            String readerServiceAccount, String apiServerAddress) {
    }

    public EcpTranslation {
        plansByCluster = plansByCluster == null ? new TreeMap<>() : new TreeMap<>(plansByCluster);
        roles = roles == null ? new TreeMap<>() : new TreeMap<>(roles);
        remoteSecrets = remoteSecrets == null ? List.of() : List.copyOf(remoteSecrets);
        errors = List.copyOf(errors);
    }

    /** The record key the pipeline will use, {@code ExternalControlPlane/namespace/name}. */
    public String key() {
        return KIND + "/" + namespace + "/" + name;
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
