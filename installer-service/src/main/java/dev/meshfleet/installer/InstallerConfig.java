package dev.meshfleet.installer;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Every setting of the installer; keys under {@code meshfleet.installer} (README lists them). */
@ConfigMapping(prefix = "meshfleet.installer")
public interface InstallerConfig {
    /** Names this replica in events (source installer/&lt;replica-id&gt;); default: the host name. */
    @WithName("replica-id")
    Optional<String> replicaId();

    Topics topics();

    @WithName("group-id")
    @WithDefault("meshfleet-installer")
    String groupId();

    /**
     * Static membership of the install-plans consumer group ({@code group.instance.id}): a replica
     * restarted under the same id within the session timeout gets its partitions back without a
     * rebalance. Unique per replica (e.g. the StatefulSet pod name); empty: none.
     */
    @WithName("group-instance-id")
    Optional<String> groupInstanceId();

    /**
     * The install-plans consumer's session timeout: a replica that stops heartbeating (killed, frozen) loses its
     * partitions to the others after this long; one restarted under the same {@link #groupInstanceId()} within it
     * takes them back without a rebalance. Kafka's default is 45s (ADR 0011).
     */
    @WithName("session-timeout")
    @WithDefault("20s")
    Duration sessionTimeout();

    /**
     * A reconcile still running after this long is stuck (a hung worker) and makes liveness DOWN, so that the
     * process is restarted. Far longer than a reconcile takes: each request to a workload cluster is bounded by
     * {@link #clusterRequestTimeout()}, and waiting for readiness or a backoff is a re-queue, not a running reconcile.
     */
    @WithName("stuck-reconcile-after")
    @WithDefault("10m")
    Duration stuckReconcileAfter();

    /** Reconcile threads: clusters reconciled in parallel. */
    @WithDefault("8")
    int workers();

    /**
     * Every owned cluster is checked this often: health read, changes emitted (and, when it equals
     * {@link #driftRepairPeriod()}, drift repaired and every state re-emitted).
     */
    @WithName("resync-period")
    @WithDefault("30s")
    Duration resyncPeriod();

    /**
     * How often the resync of a cluster also repairs drift (re-applies every in-sync installation) and
     * re-emits every installation's state; the resyncs in between only check health and emit changes.
     * A drift repair costs about 20 times a health check (README, At fleet size), so the default keeps
     * a fleet of a thousand clusters at rest cheap; a deleted or edited object stays drifted up to this long.
     */
    @WithName("drift-repair-period")
    @WithDefault("10m")
    Duration driftRepairPeriod();

    /**
     * Re-apply every in-sync installation at each resync, repairing drift. Costs one server-side
     * apply per object per resync; a very large fleet may turn it off and rely on plan changes.
     */
    @WithName("repair-drift")
    @WithDefault("true")
    boolean repairDrift();

    /** How often an installation waiting for its workloads is checked again. */
    @WithName("readiness-poll")
    @WithDefault("1s")
    Duration readinessPoll();

    /** Directory holding the charts (base, istiod, gateway, cni, ztunnel), one sub-directory each. */
    @WithName("chart-dir")
    @WithDefault("charts")
    String chartDir();

    /**
     * Distinct chart releases (source, chart, version, release, namespace, values) kept rendered,
     * least recently used out first. Clusters sharing values share one entry; istiod's values carry
     * the trust domain, which defaults to the cluster name, so each cluster usually has one entry of
     * its own: size it to the clusters a replica owns (times their distinct releases), or resyncs
     * render again. About 15 KiB per entry with the stand-in charts.
     */
    /**
     * Chart sources (Helm repository URLs, oci:// references, directories) a plan's chart source must lie within,
     * matched on scheme, host, port and a path prefix at a segment boundary after normalisation; checked before
     * anything is fetched. The chart directory is always allowed. Unset: the chart directory only.
     */
    @WithName("allowed-chart-sources")
    Optional<java.util.List<String>> allowedChartSources();

    /**
     * A Secret (in {@link #clusterSecretNamespace()}, else the management client's namespace) with the credentials of
     * one Helm repository: data {@code repository} (its URL) and {@code username}/{@code password} or {@code token};
     * sent only to that repository's host. Read when a chart is fetched. Unset: no credentials.
     */
    @WithName("chart-credentials-secret")
    Optional<String> chartCredentialsSecret();

    @WithName("render-cache-size")
    @WithDefault("2048")
    int renderCacheSize();

    /** Rendered objects the render cache holds in all, whatever the number of releases (about 1 KiB of heap each). */
    @WithName("render-cache-objects")
    @WithDefault("65536")
    long renderCacheObjects();

    /** Server-side apply field manager for every object the installer writes. */
    @WithName("field-manager")
    @WithDefault("meshfleet")
    String fieldManager();

    /** Namespace of the cluster registration Secrets; empty: every namespace. */
    @WithName("cluster-secret-namespace")
    Optional<String> clusterSecretNamespace();

    BackoffConfig backoff();

    /** The shared root of trust of ServiceMeshControllers (docs/adr/0028). */
    TrustConfig trust();

    /** The Leases of the install-plans partitions, which fence a replica that lost its partitions (ADR 0013). */
    LeaseConfig lease();

    /** Readiness timeout for a plan that carries none. */
    @WithName("default-wait-timeout")
    @WithDefault("5m")
    Duration defaultWaitTimeout();

    /** Connect timeout to a workload cluster's API. */
    @WithName("cluster-connect-timeout")
    @WithDefault("5s")
    Duration clusterConnectTimeout();

    /** Request timeout to a workload cluster's API. */
    @WithName("cluster-request-timeout")
    @WithDefault("15s")
    Duration clusterRequestTimeout();

    @WithName("create-topics")
    @WithDefault("true")
    boolean createTopics();

    /** Partitions of the topics created when create-topics is true. */
    @WithDefault("12")
    int partitions();

    /** Replication factor of the topics created when create-topics is true (1: the sandbox's one broker). */
    @WithName("replication-factor")
    @WithDefault("1")
    short replicationFactor();

    /** {@code min.insync.replicas} of the topics created when create-topics is true; unset: the broker's default. */
    @WithName("min-insync-replicas")
    Optional<Integer> minInsyncReplicas();

    interface Topics {
        @WithName("install-plans")
        @WithDefault(dev.meshfleet.schemas.Topics.INSTALL_PLANS)
        String installPlans();

        @WithName("installation-events")
        @WithDefault(dev.meshfleet.schemas.Topics.INSTALLATION_EVENTS)
        String installationEvents();
    }

    interface LeaseConfig {
        /** Namespace of the Leases in the management cluster; default: the management client's namespace. */
        Optional<String> namespace();

        /** How long a replica waits out another holder's lease before taking the partition over. */
        @WithDefault("15s")
        Duration duration();

        /** A holder whose last renewal is older than this stops writing; shorter than the duration. */
        @WithName("renew-deadline")
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often each held lease is renewed and each wanted one tried. */
        @WithName("retry-period")
        @WithDefault("2s")
        Duration retryPeriod();
    }

    interface TrustConfig {
        /**
         * The root CA's Secret (type kubernetes.io/tls: {@code tls.crt}, {@code tls.key}) in the cluster-secret
         * namespace (else the management client's).
         */
        @WithName("root-secret")
        @WithDefault("meshfleet-root-ca")
        String rootSecret();

        /** Generate a root and create its Secret when there is none (otherwise a ServiceMeshController waits). */
        @WithName("generate-root")
        @WithDefault("false")
        boolean generateRoot();

        /** Validity of a generated root. */
        @WithName("root-validity")
        @WithDefault("87600h")
        Duration rootValidity();

        /** Validity of each cluster's intermediate; it is replaced at two thirds of it. */
        @WithName("intermediate-validity")
        @WithDefault("8760h")
        Duration intermediateValidity();

        /** How long the root, once read, is used before it is read again (a replaced root is seen within it). */
        @WithName("root-refresh")
        @WithDefault("1m")
        Duration rootRefresh();
    }

    interface BackoffConfig {
        @WithDefault("1s")
        Duration initial();

        @WithDefault("60s")
        Duration max();
    }
}
