package dev.meshfleet.translator.stream;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translator.facts.EcpFact;
import dev.meshfleet.translator.facts.EcpUninstalled;
import dev.meshfleet.translator.mesh.MeshProcessor;
import dev.meshfleet.translator.mesh.PeerSet;
import dev.meshfleet.translator.mesh.PeeringFact;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * spec-changes (and the ExternalControlPlane facts read off installation-events, {@link EcpFact}) -> translate
 * (dedupe store) -> installation-events, and -> per (cluster, owner) plans
 * -> table -> group by cluster -> add/subtract aggregate (every owner's candidate plans) -> claims
 * (cross-resource exclusivity, {@link ClaimRules}; FAILED for refused plans) -> install-plans (one
 * effective ClusterDesiredState per cluster; a cluster with nothing left gets an empty one, not a
 * tombstone, so the installer knows to remove everything).
 *
 * <p>The mesh join of peered ServiceMeshControllers (docs/adr/0046): translate forwards a controller's membership,
 * keyed by namespace, through the repartition topic {@code mesh-members} to the mesh step ({@link MeshProcessor}, store
 * {@value #MESHES_STORE}), which forwards each member whose peers changed a {@link PeerSet}, keyed by owner, through
 * the repartition topic {@code peer-sets} back to a second translate node on the same stores (one task holds an owner's
 * spec, facts and peers), which plans that controller again.
 */
public final class TranslatorTopology {
    public static final String OWNERS_STORE = "translator-owners";
    /** Per owner, cluster and revision: the plan last forwarded ({@link KeptPlan}), kept while a later generation has errors. */
    public static final String OWNER_PLANS_STORE = "translator-owner-plans";
    public static final String OWNER_CLUSTER_PLANS_STORE = "translator-owner-cluster-plans";
    public static final String CLUSTER_STATE_STORE = "translator-cluster-desired-state";
    /** Per cluster: the last effective desired state (what install-plans got), whose claims are held. */
    public static final String EFFECTIVE_STATE_STORE = "translator-effective-state";
    /** Per ExternalControlPlane: its last spec and facts ({@link dev.meshfleet.translator.facts.EcpInputs}), to plan it again on a fact. */
    public static final String ECP_INPUTS_STORE = "translator-ecp-inputs";
    /** Per ServiceMeshController: its last spec, east-west address, membership and peers ({@link dev.meshfleet.translator.mesh.MeshInputs}). */
    public static final String SMC_MESH_STORE = "translator-smc-mesh";
    /** Per namespace: the peered controllers of its mesh ({@link dev.meshfleet.translator.mesh.MeshMember} by owner key). */
    public static final String MESHES_STORE = "translator-meshes";
    /** The repartition topics of the mesh join (internal: {@code <application.id>-<name>-repartition}). */
    public static final String MESH_MEMBERS_TOPIC = "mesh-members";
    public static final String PEER_SETS_TOPIC = "peer-sets";
    /** Per cluster: the refusals already announced, so each FAILED goes out once. */
    public static final String REFUSALS_STORE = "translator-claim-refusals";

    public record Topics(String specChanges, String installPlans, String installationEvents) {
    }

    private TranslatorTopology() {
    }

    /** Untraced (tests). */
    public static Topology build(Topics topics, Translator translator) {
        return build(topics, translator, OpenTelemetry.noop().getTracer("translator-service"));
    }

    /** Each spec change translated in a span of its trace, which the outputs' headers carry on. */
    public static Topology build(Topics topics, Translator translator, Tracer tracer) {
        Serde<String> keys = Serdes.String();
        Serde<ClusterDesiredState> states = AvroSerde.of(ClusterDesiredState.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OWNERS_STORE), keys, Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OWNER_PLANS_STORE), keys, Serdes.String()));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ECP_INPUTS_STORE), keys, Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SMC_MESH_STORE), keys, Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MESHES_STORE), keys, Serdes.String()));

        KStream<String, TranslatorInput> specs = builder
                .stream(topics.specChanges(), Consumed.with(keys, AvroSerde.of(SpecChange.class)).withName("spec-changes"))
                .mapValues(c -> (TranslatorInput) new TranslatorInput.Spec(c), Named.as("spec-inputs"));
        // Facts for ExternalControlPlanes (docs/adr/0031) and peered ServiceMeshControllers (docs/adr/0046):
        // installation-events is keyed by owner like spec-changes and has as many partitions, so a resource's facts
        // reach the task that holds its spec. Only those two kinds' events can carry one: the others (ILMs and GLMs,
        // most of a fleet's) are told by their key and never decoded. A value that cannot be decoded fails its
        // processing, which dead-letters it.
        AvroSerde<InstallationEvent> eventValues = AvroSerde.of(InstallationEvent.class);
        KStream<String, TranslatorInput> facts = builder
                .stream(topics.installationEvents(), Consumed.with(keys, Serdes.ByteArray())
                        .withName("installation-events-facts"))
                .filter((key, bytes) -> OwnerKeys.isOf(ResourceKind.ExternalControlPlane, key)
                        || OwnerKeys.isOf(ResourceKind.ServiceMeshController, key), Named.as("ecp-events"))
                .mapValues(bytes -> eventValues.deserialize(topics.installationEvents(), bytes), Named.as("ecp-event-values"))
                .flatMapValues(e -> java.util.stream.Stream.concat(
                        EcpFact.of(e).stream().map(f -> (TranslatorInput) new TranslatorInput.Fact(f)),
                        java.util.stream.Stream.concat(
                                EcpUninstalled.of(e).stream().map(f -> (TranslatorInput) new TranslatorInput.Uninstalled(f)),
                                PeeringFact.of(e).stream().map(f -> (TranslatorInput) new TranslatorInput.EastWest(f))))
                        .toList(), Named.as("ecp-facts"));
        String[] translateStores = {OWNERS_STORE, OWNER_PLANS_STORE, ECP_INPUTS_STORE, SMC_MESH_STORE};
        KStream<String, TranslatorOutput> translated = specs.merge(facts, Named.as("translator-inputs"))
                .process(() -> new TranslateProcessor(translator, OWNERS_STORE, OWNER_PLANS_STORE, ECP_INPUTS_STORE,
                        SMC_MESH_STORE, tracer), Named.as("translate"), translateStores);

        // The mesh join (docs/adr/0046). Its records are JSON of the translator's own records, as its stores' values.
        KStream<String, TranslatorInput> peerSets = translated
                .filter((k, v) -> v instanceof TranslatorOutput.Member, Named.as("mesh-member-changes"))
                .mapValues(v -> ((TranslatorOutput.Member) v).change().toJson(), Named.as("mesh-member-values"))
                .repartition(Repartitioned.with(keys, Serdes.String()).withName(MESH_MEMBERS_TOPIC))
                .process(() -> new MeshProcessor(MESHES_STORE), Named.as("mesh"), MESHES_STORE)
                .repartition(Repartitioned.with(keys, Serdes.String()).withName(PEER_SETS_TOPIC))
                .mapValues(json -> (TranslatorInput) new TranslatorInput.Peers(PeerSet.fromJson(json)),
                        Named.as("peer-set-inputs"));
        // A second node of the translate step on the same stores, which puts it in the same task as the first: a
        // controller's spec, facts and peers meet there, keyed by owner (the DSL builds no cycle into one node).
        KStream<String, TranslatorOutput> replanned = peerSets.process(() -> new TranslateProcessor(translator,
                OWNERS_STORE, OWNER_PLANS_STORE, ECP_INPUTS_STORE, SMC_MESH_STORE, tracer), Named.as("translate-peers"),
                translateStores);
        KStream<String, TranslatorOutput> out = translated.merge(replanned, Named.as("translator-outputs"));

        Produced<String, InstallationEvent> events = Produced.with(keys, AvroSerde.of(InstallationEvent.class));
        out.filter((k, v) -> v instanceof TranslatorOutput.Event, Named.as("events"))
                .mapValues(v -> ((TranslatorOutput.Event) v).event(), Named.as("event-values"))
                .to(topics.installationEvents(), events.withName("installation-events"));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EFFECTIVE_STATE_STORE), keys, states));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REFUSALS_STORE), keys, Serdes.String()));
        KStream<String, TranslatorOutput> claims = out
                .filter((k, v) -> v instanceof TranslatorOutput.OwnerClusterPlans, Named.as("owner-cluster-plans"))
                .mapValues(v -> ((TranslatorOutput.OwnerClusterPlans) v).plans(), Named.as("owner-cluster-plan-values"))
                .toTable(Named.as("owner-cluster-plans-table"),
                        Materialized.<String, ClusterDesiredState, KeyValueStore<Bytes, byte[]>>as(OWNER_CLUSTER_PLANS_STORE)
                                .withKeySerde(keys).withValueSerde(states))
                .groupBy((key, plans) -> KeyValue.pair(plans.getCluster(), plans), Grouped.with("by-cluster", keys, states))
                .aggregate(() -> AvroPlans.desiredState("", List.of()),
                        (cluster, plans, state) -> add(cluster, plans, state),
                        (cluster, plans, state) -> subtract(cluster, plans, state),
                        Named.as("cluster-desired-state"),
                        Materialized.<String, ClusterDesiredState, KeyValueStore<Bytes, byte[]>>as(CLUSTER_STATE_STORE)
                                .withKeySerde(keys).withValueSerde(states))
                .toStream(Named.as("cluster-desired-state-changes"))
                .process(() -> new ClaimsProcessor(EFFECTIVE_STATE_STORE, REFUSALS_STORE, tracer), Named.as("claims"),
                        EFFECTIVE_STATE_STORE, REFUSALS_STORE);
        claims.filter((k, v) -> v instanceof TranslatorOutput.Event, Named.as("claim-events"))
                .mapValues(v -> ((TranslatorOutput.Event) v).event(), Named.as("claim-event-values"))
                .to(topics.installationEvents(), events.withName("claim-installation-events"));
        claims.filter((k, v) -> v instanceof TranslatorOutput.EffectiveState, Named.as("effective-states"))
                .mapValues(v -> ((TranslatorOutput.EffectiveState) v).state(), Named.as("effective-state-values"))
                .to(topics.installPlans(), Produced.with(keys, states).withName("install-plans"));
        return builder.build();
    }

    /** Replaces the owner's installations in the cluster's state with the new ones. */
    static ClusterDesiredState add(String cluster, ClusterDesiredState ownerPlans, ClusterDesiredState state) {
        List<InstallationPlan> kept = without(state, owners(ownerPlans));
        kept.addAll(ownerPlans.getInstallations());
        return AvroPlans.desiredState(cluster, kept);
    }

    /** Removes the owner's installations from the cluster's state (the owner left the cluster, or changed). */
    static ClusterDesiredState subtract(String cluster, ClusterDesiredState ownerPlans, ClusterDesiredState state) {
        return AvroPlans.desiredState(cluster, without(state, owners(ownerPlans)));
    }

    private static List<String> owners(ClusterDesiredState plans) {
        return plans.getInstallations().stream().map(AvroPlans::ownerKey).distinct().toList();
    }

    private static List<InstallationPlan> without(ClusterDesiredState state, List<String> owners) {
        List<InstallationPlan> kept = new ArrayList<>();
        for (InstallationPlan p : state.getInstallations()) {
            if (!owners.contains(AvroPlans.ownerKey(p))) {
                kept.add(p);
            }
        }
        return kept;
    }
}
