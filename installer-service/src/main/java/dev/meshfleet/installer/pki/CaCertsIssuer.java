package dev.meshfleet.installer.pki;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Secret;

/**
 * What a cluster's {@code cacerts} should hold (docs/adr/0028), from the shared root, the Secret found in the cluster
 * and the time: the Secret to apply, when it is next replaced, and which root it chains to; or why there is no root.
 * The I/O (reading {@code cacerts}, applying it) is the reconciler's.
 */
public final class CaCertsIssuer {

    /** The outcome for one cluster. */
    public sealed interface Decision {
        /** Apply {@code secret}; {@code issued} when it holds a new intermediate ({@code why}). */
        record Write(Secret secret, Instant rotateAt, String rootDigest, boolean issued, String why) implements Decision {
            @Override
            public String toString() {
                return "Write[cacerts, rotateAt " + rotateAt + ", root " + rootDigest + (issued ? ", issued: " + why : "")
                        + "]";
            }
        }

        /** No usable root: what is wrong and what to do. */
        record Missing(String message) implements Decision {
        }

        /** A {@code cacerts} that is not Meshfleet's is in the way: what to do. */
        record Refused(String message) implements Decision {
        }
    }

    private static boolean managed(Secret secret) {
        var labels = secret.getMetadata() == null ? null : secret.getMetadata().getLabels();
        return labels != null && "meshfleet".equals(labels.get("app.kubernetes.io/managed-by"));
    }

    private final Supplier<RootOfTrust.Result> roots;
    private final Duration validity;
    private final SecureRandom random;

    /**
     * @param roots    the shared root as the installer holds it ({@link RootOfTrust#root})
     * @param validity how long an intermediate lives ({@code meshfleet.installer.trust.intermediate-validity})
     */
    public CaCertsIssuer(Supplier<RootOfTrust.Result> roots, Duration validity, SecureRandom random) {
        this.roots = roots;
        this.validity = validity;
        this.random = random;
    }

    /** An issuer without a root: every ServiceMeshController is told that none is configured. */
    public static CaCertsIssuer none() {
        return new CaCertsIssuer(() -> new RootOfTrust.Result.Missing("no root of trust is configured"
                + " (meshfleet.installer.trust.root-secret)"), Duration.ofDays(365), new SecureRandom());
    }

    /** The digest of the root held now, without reading a cluster; empty when there is none. */
    public Optional<String> rootDigest() {
        return roots.get() instanceof RootOfTrust.Result.Ready ready ? Optional.of(ready.digest()) : Optional.empty();
    }

    /**
     * What {@code cacerts} in {@code namespace} of {@code cluster} should hold, given {@code current} (null: none). A
     * {@code cacerts} that Meshfleet did not write (someone's own plug-in CA) is never replaced, unless
     * {@code takeOver} (the controller's {@code onConflict: Force}), as an Istio it does not manage is not.
     */
    public Decision decide(Secret current, String cluster, String namespace, Instant now, boolean takeOver) {
        if (current != null && !takeOver && !managed(current)) {
            return new Decision.Refused("found a Secret " + namespace + "/" + CaCertsSecret.NAME + " that Meshfleet"
                    + " does not manage (someone's own plug-in CA): delete it to let Meshfleet write the shared root's"
                    + " intermediate, or set onConflict: Force to take it over");
        }
        RootOfTrust.Result root = roots.get();
        if (root instanceof RootOfTrust.Result.Missing missing) {
            return new Decision.Missing(missing.message());
        }
        RootOfTrust.Result.Ready ready = (RootOfTrust.Result.Ready) root;
        Intermediates.Outcome outcome = Intermediates.decide(CaCertsSecret.read(current), ready.root(), cluster, now,
                validity, random);
        return new Decision.Write(CaCertsSecret.secret(namespace, outcome.certs(), ready.digest(), outcome.rotateAt()),
                outcome.rotateAt(), ready.digest(), outcome.issued(), outcome.why());
    }
}
