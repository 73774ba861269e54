package dev.meshfleet.translator.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshfleet.schemas.EventOrder;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.translation.Canonical;
import dev.meshfleet.translation.EcpFacts;
import dev.meshfleet.translator.facts.EcpFact;
import dev.meshfleet.translator.facts.EcpInputs;
import dev.meshfleet.translator.facts.EcpRemoval;
import dev.meshfleet.translator.facts.EcpLeaving;
import dev.meshfleet.translator.facts.EcpUninstalled;
import dev.meshfleet.translator.mesh.Address;
import dev.meshfleet.translator.mesh.MeshChange;
import dev.meshfleet.translator.mesh.MeshInputs;
import dev.meshfleet.translator.mesh.MeshMember;
import dev.meshfleet.translator.mesh.PeerSet;
import dev.meshfleet.translator.mesh.PeeringFact;
import dev.meshfleet.translation.SmcPeering;
import dev.meshfleet.translation.Owner;
import dev.meshfleet.translation.Plan;
import dev.meshfleet.translation.Translation;
import dev.meshfleet.translation.TranslationError;
import dev.meshfleet.translation.Translator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import dev.meshfleet.schemas.trace.TraceHeaders;
import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One spec change in, its consequences out: drops what was already processed (same uid, same or
 * older generation, same operation), translates, and emits INSTALL_PENDING for new or changed plans,
 * FAILED per error, the owner's plans per cluster and a tombstone for each cluster the owner left. For a peered
 * ServiceMeshController also its membership of its namespace's mesh when it changes, and, on a PeerSet from the mesh
 * step, its last spec planned again with its peers (docs/adr/0046).
 * Everything it emits is a function of the input and the memo, so processing a record twice is safe.
 */
final class TranslateProcessor implements Processor<String, TranslatorInput, String, TranslatorOutput> {
    private static final Logger LOG = LoggerFactory.getLogger(TranslateProcessor.class);

    private final Translator translator;
    private final String storeName;
    private final String plansStoreName;
    private final String ecpInputsStoreName;
    private final String meshInputsStoreName;
    private final Tracer tracer;
    private ProcessorContext<String, TranslatorOutput> context;
    private KeyValueStore<String, String> memos;
    private KeyValueStore<String, String> keptPlans;
    private KeyValueStore<String, String> ecpInputs;
    private KeyValueStore<String, String> meshInputs;

    TranslateProcessor(Translator translator, String storeName, String plansStoreName, String ecpInputsStoreName,
            String meshInputsStoreName, Tracer tracer) {
        this.translator = translator;
        this.tracer = tracer;
        this.storeName = storeName;
        this.plansStoreName = plansStoreName;
        this.ecpInputsStoreName = ecpInputsStoreName;
        this.meshInputsStoreName = meshInputsStoreName;
    }

    @Override
    public void init(ProcessorContext<String, TranslatorOutput> context) {
        this.context = context;
        this.memos = context.getStateStore(storeName);
        this.keptPlans = context.getStateStore(plansStoreName);
        this.ecpInputs = context.getStateStore(ecpInputsStoreName);
        this.meshInputs = context.getStateStore(meshInputsStoreName);
    }

    /**
     * In the span {@code translate}, a child of the intake's publish (the record's {@code traceparent}); everything
     * forwarded carries this span's context in its headers, through the repartition and the aggregate to the claims.
     */
    @Override
    public void process(Record<String, TranslatorInput> record) {
        if (record.value() instanceof TranslatorInput.Spec spec) {
            TraceHeaders.hop(tracer, "translate", record.headers(), () -> translateOnce(spec.change(), record));
        } else if (record.value() instanceof TranslatorInput.Fact fact) {
            TraceHeaders.hop(tracer, "translate-fact", record.headers(), () -> planAgain(fact.fact(), record));
        } else if (record.value() instanceof TranslatorInput.Uninstalled u) {
            TraceHeaders.hop(tracer, "translate-fact", record.headers(), () -> removeInOrder(u.fact(), record));
        } else if (record.value() instanceof TranslatorInput.EastWest e) {
            TraceHeaders.hop(tracer, "translate-fact", record.headers(), () -> eastWestReported(e.fact(), record));
        } else if (record.value() instanceof TranslatorInput.Peers p) {
            TraceHeaders.hop(tracer, "translate-peers", record.headers(), () -> planWithPeers(p.peers(), record));
        }
    }

    private MeshInputs meshInputsOf(String ownerKey) {
        String stored = meshInputs.get(ownerKey);
        return stored == null ? null : MeshInputs.fromJson(stored);
    }

    /**
     * A peered controller's installer reported its east-west address (docs/adr/0046): kept (unless stale, {@link
     * Address#after}) and, when it changes the member the mesh knows, told to the mesh step. The controller's own plans
     * do not depend on it: its peers' do.
     */
    private void eastWestReported(PeeringFact fact, Record<String, TranslatorInput> record) {
        MeshInputs before = meshInputsOf(fact.ownerKey());
        if (before == null) {
            // Before any spec this translator kept (a replay from the start): remember it for the spec.
            meshInputs.put(fact.ownerKey(), MeshInputs.first(fact.uid()).withAddress(Address.NONE.after(fact, "")).toJson());
            return;
        }
        if (!before.uid().equals(fact.uid()) || before.deleted()) {
            return;
        }
        String specCluster = before.forwarded() != null ? before.forwarded().cluster() : clusterOf(before.specJson());
        Address next = before.address().after(fact, specCluster);
        if (next.equals(before.address())) {
            return;
        }
        MeshInputs after = before.withAddress(next);
        if (before.forwarded() != null) {
            MeshMember member = MeshMember.of(fact.ownerKey(), fact.uid(), before.forwarded().self(), next);
            if (!member.equals(before.forwarded())) {
                MDC.put("owner", fact.ownerKey());
                try {
                    LOG.info("{}: east-west address of {} reported {} ({}, installer epoch {})", fact.ownerKey(),
                            fact.cluster(), fact.address(), fact.addressType(), fact.epoch());
                } finally {
                    MDC.remove("owner");
                }
                forwardMember(fact.ownerKey(), member, record);
                after = after.withForwarded(member);
            }
        }
        meshInputs.put(fact.ownerKey(), after.toJson());
    }

    /** {@code spec.cluster} of a stored spec, "" when there is none or it names none. */
    private static String clusterOf(String specJson) {
        JsonNode spec = parsedOrNull(specJson);
        return spec == null ? "" : spec.path("cluster").asText("");
    }

    /**
     * The mesh step sent a peered controller its peers (docs/adr/0046): its last spec is planned again with them, as
     * {@code planAgain} does for an ExternalControlPlane's fact; only the plans whose hash changes go out (the peering
     * installation's: the control plane does not depend on the peers). Nothing for a view of another incarnation, of a
     * deleted controller or of one that left its mesh since; a spec with errors keeps the peers for the next good one.
     */
    private void planWithPeers(PeerSet peers, Record<String, TranslatorInput> record) {
        MeshInputs before = meshInputsOf(peers.ownerKey());
        if (before == null || !before.uid().equals(peers.uid()) || before.deleted() || before.forwarded() == null
                || before.peers().equals(peers.peers())) {
            return;
        }
        MeshInputs after = before.withPeers(peers.peers());
        meshInputs.put(peers.ownerKey(), after.toJson());
        String memoJson = memos.get(peers.ownerKey());
        OwnerMemo memo = memoJson == null ? null : OwnerMemo.fromJson(memoJson);
        if (after.failed() || after.specJson() == null || memo == null || !memo.uid().equals(after.uid())
                || Operation.DELETE.name().equals(memo.operation())) {
            return;
        }
        var key = dev.meshfleet.schemas.OwnerKeys.parse(peers.ownerKey());
        Owner owner = new Owner(key.kind(), key.namespace(), key.name(), after.uid());
        MDC.put("owner", peers.ownerKey());
        try {
            LOG.info("{}: peers {}; planning generation {} again", peers.ownerKey(),
                    peers.peers().stream().map(SmcPeering.Peer::cluster).toList(), after.generation());
            translate(owner, peers.ownerKey(), after.generation(), Instant.ofEpochMilli(after.observedAtMillis()),
                    after.specJson(), after.extensionsJson(), memo, record, EcpFacts.NONE, after.planInputs(),
                    memo.annotationsHash());
        } finally {
            MDC.remove("owner");
        }
    }

    /**
     * A ServiceMeshController was translated: the member it now is (none when its extensions do not say Peering)
     * goes to the mesh step when it changed. A spec with errors changes nothing in the mesh: its plans keep running.
     */
    private void keepMembership(Owner owner, SpecChange change, MeshInputs before, Translation t, boolean nodePort,
            Record<String, TranslatorInput> record) {
        boolean ok = t != null && t.ok();
        MeshInputs after = before.withSpec(change.getGeneration(), change.getObservedAt().toEpochMilli(),
                change.getSpecJson(), change.getExtensionsJson(), !ok);
        if (ok) {
            JsonNode spec = parsedOrNull(change.getSpecJson());
            JsonNode extensions = parsedOrNull(change.getExtensionsJson());
            SmcPeering.Member self = SmcPeering.memberOf(spec, extensions, nodePort).orElse(null);
            MeshMember member = MeshMember.of(owner.key(), owner.uid(), self, before.address());
            if (!java.util.Objects.equals(member, before.forwarded())) {
                forwardMember(owner.key(), member, record);
                after = after.withForwarded(member);
            }
        }
        meshInputs.put(owner.key(), after.toJson());
    }

    private void forwardMember(String ownerKey, MeshMember member, Record<String, TranslatorInput> record) {
        String namespace = dev.meshfleet.schemas.OwnerKeys.parse(ownerKey).namespace();
        MeshChange change = member == null ? MeshChange.left(ownerKey) : new MeshChange(ownerKey, member);
        context.forward(record.withKey(namespace).withValue(new TranslatorOutput.Member(change)));
    }

    /**
     * An ExternalControlPlane's fact changed (docs/adr/0031): its last spec is planned again with it, so the remote
     * clusters get their webhooks once the external istiod is HEALTHY at the spec's address. Only the plans whose
     * hash changes go out (the remote clusters'); nothing when the fact is already known or concerns a resource
     * deleted, re-created or never seen.
     */
    private void planAgain(EcpFact fact, Record<String, TranslatorInput> record) {
        String stored = ecpInputs.get(fact.ownerKey());
        EcpInputs after = EcpInputs.after(stored == null ? null : EcpInputs.fromJson(stored), fact);
        if (after == null) {
            return;
        }
        planAgain(fact.ownerKey(), after, record, "external istiod HEALTHY at " + after.healthyAddress()
                + "; planning generation " + after.generation() + " again");
    }

    /**
     * Keeps {@code after} as the ExternalControlPlane's inputs and plans its last spec again with them, unless the
     * resource is deleted, re-created or was never seen; only the plans whose hash changes go out.
     */
    private void planAgain(String ownerKey, EcpInputs after, Record<String, TranslatorInput> record, String why) {
        ecpInputs.put(ownerKey, after.toJson());
        String memoJson = memos.get(ownerKey);
        OwnerMemo memo = memoJson == null ? null : OwnerMemo.fromJson(memoJson);
        if (after.specJson() == null || memo == null || !memo.uid().equals(after.uid())
                || Operation.DELETE.name().equals(memo.operation())) {
            return;
        }
        var key = dev.meshfleet.schemas.OwnerKeys.parse(ownerKey);
        Owner owner = new Owner(key.kind(), key.namespace(), key.name(), after.uid());
        MDC.put("owner", ownerKey);
        try {
            LOG.info("{}: {}", ownerKey, why);
            translate(owner, ownerKey, after.generation(), Instant.ofEpochMilli(after.observedAtMillis()),
                    after.specJson(), null, memo, record, after.factsFor(owner.uid()), SmcPeering.Inputs.NONE,
                    memo.annotationsHash());
        } finally {
            MDC.remove("owner");
        }
    }

    /**
     * A deleted ExternalControlPlane's removal goes on (docs/adr/0031, "Removal in order"): once the installer reported
     * every remote cluster uninstalled, the external cluster held back so far leaves too.
     */
    private void removeInOrder(EcpUninstalled fact, Record<String, TranslatorInput> record) {
        String stored = ecpInputs.get(fact.ownerKey());
        EcpInputs inputs = stored == null ? null : EcpInputs.fromJson(stored);
        if (inputs != null && inputs.removal() == null && inputs.uid().equals(fact.uid())) {
            dropLeaving(inputs, fact, record);
            return;
        }
        if (inputs == null || inputs.removal() == null || !inputs.uid().equals(fact.uid())) {
            return;
        }
        EcpRemoval next = inputs.removal().after(fact.cluster());
        if (next.equals(inputs.removal())) {
            return;
        }
        MDC.put("owner", fact.ownerKey());
        try {
            tombstones(fact.ownerKey(), next.leaveNow(), List.of(), record);
            ecpInputs.put(fact.ownerKey(), inputs.withRemoval(next.held().isEmpty() ? null : next).toJson());
            if (next.held().isEmpty()) {
                String memoJson = memos.get(fact.ownerKey());
                OwnerMemo memo = memoJson == null ? null : OwnerMemo.fromJson(memoJson);
                if (memo != null && memo.uid().equals(fact.uid())) {
                    memos.put(fact.ownerKey(), new OwnerMemo(memo.uid(), memo.generation(), memo.operation(), List.of(),
                            Map.of()).toJson());
                }
                LOG.info("{}: every remote cluster uninstalled; the external cluster {} leaves now", fact.ownerKey(),
                        next.leaveNow());
            }
        } finally {
            MDC.remove("owner");
        }
    }

    /**
     * A remote cluster the living resource's spec dropped was reported uninstalled: the external cluster's plan is made
     * again without its remote secret (only that plan's hash changes).
     */
    private void dropLeaving(EcpInputs inputs, EcpUninstalled fact, Record<String, TranslatorInput> record) {
        List<EcpFacts.Leaving> still = EcpLeaving.uninstalled(inputs.leaving(), fact.cluster());
        if (still.size() == inputs.leaving().size()) {
            return;
        }
        planAgain(fact.ownerKey(), inputs.withLeaving(still), record, "remote cluster " + fact.cluster()
                + " uninstalled; its remote secret leaves the external cluster now");
    }

    private static JsonNode parsedOrNull(String json) {
        try {
            return json == null ? null : Canonical.parse(json);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void translateOnce(SpecChange change, Record<String, TranslatorInput> record) {
        if (change == null) {
            return; // a tombstone on the audit log means nothing: deletions arrive as DELETE operations
        }
        if (change.getKind() == ResourceKind.Unknown) {
            // A kind added after this build (docs/adr/0027): translating it as anything would misread it. The audit
            // log keeps the record; the upgraded translator reads it again from there.
            LOG.warn("spec change {} of a kind this translator does not know (Unknown) skipped: upgrade the translator",
                    record.key());
            return;
        }
        Owner owner = new Owner(change.getKind(), change.getNamespace(), change.getName(), change.getUid());
        String ownerKey = owner.key();
        String stored = memos.get(ownerKey);
        OwnerMemo memo = stored == null ? null : OwnerMemo.fromJson(stored);
        if (alreadyProcessed(memo, change)) {
            return;
        }
        MDC.put("owner", ownerKey);
        try {
            String externalCluster = externalClusterBefore(ownerKey, change);
            EcpFacts facts = keepEcpInputs(ownerKey, change);
            MeshInputs mesh = change.getKind() == ResourceKind.ServiceMeshController
                    ? MeshInputs.forSpec(meshInputsOf(ownerKey), change.getUid()) : null;
            if (change.getOperation() == Operation.DELETE) {
                if (mesh != null) {
                    // Its peers lose it; its own plans leave with the rest.
                    if (mesh.forwarded() != null) {
                        forwardMember(ownerKey, null, record);
                    }
                    meshInputs.put(ownerKey, mesh.asDeleted().toJson());
                }
                List<String> clusters = memo == null || !memo.uid().equals(change.getUid()) ? List.of() : memo.clusters();
                // An ExternalControlPlane's external cluster stays until its remote clusters are uninstalled.
                EcpRemoval removal = EcpRemoval.start(clusters, externalCluster);
                tombstones(ownerKey, memo == null ? List.of() : memo.clusters(),
                        removal.held().isEmpty() ? List.of() : List.of(removal.held()), record);
                storePlans(ownerKey, memo == null ? Map.of() : memo.planHashes(), Map.of(), Map.of());
                memos.put(ownerKey, new OwnerMemo(change.getUid(), change.getGeneration(), Operation.DELETE.name(),
                        removal.held().isEmpty() ? List.of() : List.of(removal.held()), Map.of()).toJson());
                if (!removal.held().isEmpty()) {
                    String kept = ecpInputs.get(ownerKey);
                    ecpInputs.put(ownerKey, EcpInputs.fromJson(kept).withRemoval(removal).toJson());
                    LOG.info("{} deleted at generation {}: its remote clusters {} leave first, the external cluster {} once"
                            + " they are uninstalled", ownerKey, change.getGeneration(), removal.leaveNow(), removal.held());
                    return;
                }
                LOG.info("{} deleted at generation {}: its installations leave every cluster", ownerKey, change.getGeneration());
                return;
            }
            // NodePort peering as this change's annotation says (docs/adr/0046), with the peers known so far.
            boolean nodePort = mesh != null && SmcPeering.nodePort(annotation(change, SmcPeering.NODE_PORT_ANNOTATION));
            Translation t = translate(owner, ownerKey, change.getGeneration(), change.getObservedAt(),
                    change.getSpecJson(), change.getExtensionsJson(), memo, record, facts,
                    mesh == null ? SmcPeering.Inputs.NONE : new SmcPeering.Inputs(nodePort, mesh.peers()),
                    annotationsHash(change.getAnnotations()));
            if (mesh != null) {
                keepMembership(owner, change, mesh, t, nodePort, record);
            }
        } finally {
            MDC.remove("owner");
        }
    }

    /** The external cluster of the ExternalControlPlane's last spec this translator kept for the change's uid, or "". */
    private String externalClusterBefore(String ownerKey, SpecChange change) {
        if (change.getKind() != ResourceKind.ExternalControlPlane) {
            return "";
        }
        String stored = ecpInputs.get(ownerKey);
        EcpInputs before = stored == null ? null : EcpInputs.fromJson(stored);
        if (before == null || before.specJson() == null || !before.uid().equals(change.getUid())) {
            return "";
        }
        try {
            return Canonical.parse(before.specJson()).path("external").path("cluster").asText("");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /**
     * Same uid and an operation not newer than the memo's: intake's replay after a restart, or a stale record. A
     * ServiceMeshController's UPSERT of the same generation with other gloo-extensions-config data is new: the
     * ConfigMap changed (docs/adr/0045); so is one with other annotations Meshfleet acts on: the NodePort peering
     * annotation was set or removed (docs/adr/0046).
     */
    static boolean alreadyProcessed(OwnerMemo memo, SpecChange change) {
        if (memo == null || !memo.uid().equals(change.getUid())) {
            return false;
        }
        if (Operation.DELETE.name().equals(memo.operation())) {
            return true; // a deleted resource does not come back under the same uid
        }
        if (change.getGeneration() < memo.generation()) {
            return true;
        }
        return change.getGeneration() == memo.generation() && change.getOperation().name().equals(memo.operation())
                && extensionsHash(change.getExtensionsJson()).equals(memo.extensionsHash())
                && annotationsHash(change.getAnnotations()).equals(memo.annotationsHash());
    }

    /** The hash of the annotations a change carries (intake's, sorted by key), "" for none. */
    static String annotationsHash(Map<String, String> annotations) {
        if (annotations == null || annotations.isEmpty()) {
            return "";
        }
        com.fasterxml.jackson.databind.node.ObjectNode json = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode();
        new TreeMap<>(annotations).forEach(json::put);
        return Canonical.specHash(json);
    }

    /** The value of one annotation of a change, null when it has none. */
    static String annotation(SpecChange change, String key) {
        return change.getAnnotations() == null ? null : change.getAnnotations().get(key);
    }

    /** The hash of a gloo-extensions-config's data as published, "" for none; key order and spacing do not count. */
    static String extensionsHash(String extensionsJson) {
        return extensionsJson == null ? "" : Canonical.specHash(Canonical.parse(extensionsJson));
    }

    /**
     * An ExternalControlPlane's spec change is kept with its facts, so that a fact arriving later plans it again;
     * returns the facts this change is translated with (none for the other kinds, and for a new incarnation).
     */
    private EcpFacts keepEcpInputs(String ownerKey, SpecChange change) {
        if (change.getKind() != ResourceKind.ExternalControlPlane) {
            return EcpFacts.NONE;
        }
        String stored = ecpInputs.get(ownerKey);
        EcpInputs before = stored == null ? null : EcpInputs.fromJson(stored);
        EcpFacts facts = before == null ? EcpFacts.NONE : before.factsFor(change.getUid());
        boolean deleted = change.getOperation() == Operation.DELETE;
        // A remote cluster the spec dropped keeps its remote secret until it is reported uninstalled (ADR 0031); a
        // deletion has its own order (EcpRemoval).
        List<EcpFacts.Leaving> leaving = deleted || before == null || !before.uid().equals(change.getUid()) ? List.of()
                : EcpLeaving.after(facts.leaving(), parsedOrNull(before.specJson()), parsedOrNull(change.getSpecJson()));
        facts = facts.withLeaving(leaving);
        ecpInputs.put(ownerKey, new EcpInputs(change.getUid(), change.getGeneration(), change.getObservedAt().toEpochMilli(),
                deleted ? null : change.getSpecJson(), facts.healthyAddress()).withLeaving(leaving).toJson());
        return facts;
    }

    /** Translates and emits; returns the translation, null when the spec is not JSON. */
    private Translation translate(Owner owner, String ownerKey, long generation, Instant time, String specJson,
            String extensionsJson, OwnerMemo memo, Record<String, TranslatorInput> record, EcpFacts facts,
            SmcPeering.Inputs peering, String annotationsHash) {
        Translation t;
        try {
            JsonNode spec = Canonical.parse(specJson);
            JsonNode extensions = extensionsJson == null ? null : Canonical.parse(extensionsJson);
            t = translator.translate(owner, generation, spec, facts, extensions, peering);
        } catch (IllegalArgumentException e) {
            // Intake publishes the API server's JSON, so this is a bug upstream; keep current plans, report it.
            TranslationError error = new TranslationError(TranslationError.SPEC_CLUSTER, "", "spec",
                    "is not valid JSON (" + e.getMessage() + "); re-apply the resource");
            context.forward(record.withKey(ownerKey).withValue(
                    new TranslatorOutput.Event(AvroPlans.failed(owner, generation, error, EventOrder.translated(generation, 0), time))));
            return null;
        }
        // A recreated resource (new uid) starts a new status: every plan is announced again.
        boolean sameUid = memo != null && memo.uid().equals(owner.uid());
        Map<String, String> previous = sameUid ? memo.planHashes() : Map.of();
        Map<String, String> hashes = new HashMap<>();
        Map<String, KeptPlan> plans = new HashMap<>();
        SortedMap<String, List<InstallationPlan>> byCluster = new TreeMap<>();
        // A generation translated again (another gloo-extensions-config, ADR 0045; an ECP's fact, ADR 0031; the NodePort
        // annotation or new peers, ADR 0046) numbers its events after the earlier steps' of that generation: the
        // aggregator folds a translator event only when it comes after the last one it folded from the translator.
        long n = sameUid && memo.generation() == generation && !Operation.DELETE.name().equals(memo.operation())
                ? memo.translatedEvents() : 0;
        for (Plan p : t.allPlans()) {
            String key = p.cluster() + "|" + p.revision();
            hashes.put(key, p.planHash());
            plans.put(key, new KeptPlan(generation, p));
            byCluster.computeIfAbsent(p.cluster(), c -> new ArrayList<>()).add(AvroPlans.toAvro(owner, generation, p));
            if (!p.planHash().equals(previous.get(key))) {
                context.forward(record.withKey(ownerKey).withValue(
                        new TranslatorOutput.Event(AvroPlans.installPending(owner, generation, p,
                                EventOrder.translated(generation, n++), time))));
            }
        }
        keepWhatRuns(owner, t, previous.keySet(), key -> {
            String json = keptPlans.get(ownerKey + "|" + key);
            return json == null ? null : KeptPlan.fromJson(json);
        }, plans, hashes, byCluster);
        // One FAILED per (cluster, revision) carrying all of its errors: the status shows one message per installation.
        Map<String, List<TranslationError>> errorsByInstallation = new java.util.LinkedHashMap<>();
        t.errors().forEach(e -> errorsByInstallation.computeIfAbsent(e.cluster() + "|" + e.revision(), k -> new ArrayList<>()).add(e));
        for (Map.Entry<String, List<TranslationError>> e : errorsByInstallation.entrySet()) {
            InstallationEvent failed = AvroPlans.failed(owner, generation, e.getValue(),
                    EventOrder.translated(generation, n++), time);
            KeptPlan kept = plans.get(e.getKey());
            if (kept != null && kept.generation() < generation) {
                // Say what still runs, so that nobody reads FAILED as "the control plane is down".
                failed.setMessage(failed.getMessage() + "; generation " + kept.generation()
                        + " keeps running in this cluster until the spec is fixed");
            }
            context.forward(record.withKey(ownerKey).withValue(new TranslatorOutput.Event(failed)));
        }
        byCluster.forEach((cluster, installations) -> {
            ClusterDesiredState ownerPlans = AvroPlans.desiredState(cluster, installations);
            context.forward(record.withKey(cluster + "|" + ownerKey).withValue(new TranslatorOutput.OwnerClusterPlans(ownerPlans)));
        });
        List<String> clusters = new ArrayList<>(byCluster.keySet());
        tombstones(ownerKey, memo == null ? List.of() : memo.clusters(), clusters, record);
        storePlans(ownerKey, memo == null ? Map.of() : memo.planHashes(), previous, plans);
        memos.put(ownerKey, new OwnerMemo(owner.uid(), generation, Operation.UPSERT.name(), clusters, hashes,
                extensionsHash(extensionsJson), n, annotationsHash).toJson());
        if (t.ok()) {
            LOG.info("{} generation {} translated: {} installation(s) in {}", ownerKey, generation, t.allPlans().size(), clusters);
        } else {
            LOG.info("{} generation {} translated with {} error(s), first: {}", ownerKey, generation, t.errors().size(),
                    t.errors().get(0).describe());
        }
        return t;
    }

    /**
     * Keep what runs when a spec goes bad: a plan of the previous generations that the new one does not
     * produce stays in force while the new generation has an error in that plan's cluster (an error
     * with no usable cluster counts for every cluster), so a typo never uninstalls a running control
     * plane or gateway. The FAILED of the new generation stays on the status: the aggregator drops the
     * installer's events of the older generation the kept plan carries. Without an error in its cluster
     * a plan that is no longer produced goes: that is how removing an installation or a cluster works.
     */
    static void keepWhatRuns(Owner owner, Translation t, Set<String> previousKeys, java.util.function.Function<String, KeptPlan> load,
            Map<String, KeptPlan> plans, Map<String, String> hashes, SortedMap<String, List<InstallationPlan>> byCluster) {
        if (t.ok()) {
            return;
        }
        Set<String> errorClusters = new HashSet<>();
        t.errors().forEach(e -> errorClusters.add(e.cluster()));
        boolean everywhere = errorClusters.contains(TranslationError.SPEC_CLUSTER);
        for (String key : new java.util.TreeSet<>(previousKeys)) {
            String cluster = key.substring(0, key.indexOf('|'));
            if (plans.containsKey(key) || !(everywhere || errorClusters.contains(cluster))) {
                continue;
            }
            KeptPlan kept = load.apply(key);
            if (kept == null) {
                continue; // remembered before plans were kept: nothing to keep
            }
            plans.put(key, kept);
            hashes.put(key, kept.plan().planHash());
            byCluster.computeIfAbsent(kept.plan().cluster(), c -> new ArrayList<>())
                    .add(AvroPlans.toAvro(owner, kept.generation(), kept.plan()));
            LOG.info("{} generation {} has errors in cluster {}: keeping revision '{}' of generation {} in force",
                    owner.key(), t.generation(), kept.plan().cluster(), kept.plan().revision(), kept.generation());
        }
    }

    /** Writes the plans whose hash changed, deletes the ones the owner no longer has: one record per plan. */
    private void storePlans(String ownerKey, Map<String, String> before, Map<String, String> previousOfThisUid,
            Map<String, KeptPlan> now) {
        now.forEach((key, kept) -> {
            if (!kept.plan().planHash().equals(previousOfThisUid.get(key))) {
                keptPlans.put(ownerKey + "|" + key, kept.toJson());
            }
        });
        before.keySet().stream().filter(key -> !now.containsKey(key)).forEach(key -> keptPlans.delete(ownerKey + "|" + key));
    }

    private void tombstones(String ownerKey, List<String> before, List<String> now, Record<String, TranslatorInput> record) {
        for (String cluster : before) {
            if (!now.contains(cluster)) {
                context.forward(record.withKey(cluster + "|" + ownerKey).withValue(new TranslatorOutput.OwnerClusterPlans(null)));
            }
        }
    }
}
