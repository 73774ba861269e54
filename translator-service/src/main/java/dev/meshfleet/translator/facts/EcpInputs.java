package dev.meshfleet.translator.facts;

import java.util.List;

import dev.meshfleet.translation.EcpFacts;
import dev.meshfleet.translator.json.StoreJson;

/**
 * What the translator keeps per ExternalControlPlane (a state store value, as JSON) to plan it again when a fact
 * changes: the last spec change it translated ({@code uid}, {@code generation}, {@code observedAtMillis},
 * {@code specJson}; a null {@code specJson} when the resource is deleted or none was seen yet) and the address at
 * which its external istiod was last reported HEALTHY ("" when never); once deleted, the {@code removal} under way (the
 * external cluster held until the remote clusters are uninstalled, {@link EcpRemoval}; null when none), and while it lives
 * the remote clusters its spec dropped that were not reported uninstalled yet ({@code leaving}: their remote secrets
 * stay meanwhile, docs/adr/0031). The spec is the stored resource's, which the
 * audit log already holds; no credential is in it.
 */
public record EcpInputs(String uid, long generation, long observedAtMillis, String specJson, String healthyAddress,
        EcpRemoval removal, List<EcpFacts.Leaving> leaving) {
    public EcpInputs {
        healthyAddress = healthyAddress == null ? "" : healthyAddress;
        leaving = leaving == null ? List.of() : List.copyOf(leaving);
    }

    public EcpInputs(String uid, long generation, long observedAtMillis, String specJson, String healthyAddress) {
        this(uid, generation, observedAtMillis, specJson, healthyAddress, null, List.of());
    }

    /** These inputs with the deleted resource's removal under way ({@code removal}, null once it is done). */
    public EcpInputs withRemoval(EcpRemoval next) {
        return new EcpInputs(uid, generation, observedAtMillis, specJson, healthyAddress, next, leaving);
    }

    /** These inputs with {@code remotes} the remote clusters removed from the spec and not reported uninstalled. */
    public EcpInputs withLeaving(List<EcpFacts.Leaving> remotes) {
        return new EcpInputs(uid, generation, observedAtMillis, specJson, healthyAddress, removal, remotes);
    }

    /** The facts of this resource's incarnation {@code uid}: none when the facts were seen for another one. */
    public EcpFacts factsFor(String uidOfChange) {
        return uid.equals(uidOfChange) ? EcpFacts.healthyAt(healthyAddress).withLeaving(leaving) : EcpFacts.NONE;
    }

    /**
     * These inputs after {@code fact}; null when the fact changes nothing (the same address, or another incarnation
     * than the one whose spec is kept).
     */
    public static EcpInputs after(EcpInputs before, EcpFact fact) {
        if (before == null) {
            // The fact came before any spec this translator kept (a replay from the start): remember it for the spec.
            return new EcpInputs(fact.uid(), 0, 0, null, fact.healthyAddress());
        }
        if (!before.uid().equals(fact.uid()) || before.healthyAddress().equals(fact.healthyAddress())) {
            return null;
        }
        return new EcpInputs(before.uid(), before.generation(), before.observedAtMillis(), before.specJson(),
                fact.healthyAddress(), before.removal(), before.leaving());
    }

    public String toJson() {
        return StoreJson.write(this, "ECP inputs");
    }

    public static EcpInputs fromJson(String json) {
        return StoreJson.read(json, EcpInputs.class, "translator ECP inputs");
    }
}
