package dev.meshfleet.installer.pki;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.meshfleet.installer.pki.CertificateAuthority.Ca;
import dev.meshfleet.installer.pki.CertificateAuthority.CaCerts;

/**
 * Whether a cluster's {@code cacerts} is kept or a new intermediate is issued (pure but for the randomness of a new
 * key): kept while it was signed by the root, holds that root as {@code root-cert.pem} and is not yet due (two thirds
 * of its life, {@link CertificateAuthority#rotateAt}); otherwise issued anew, never on every reconcile (ADR 0028).
 */
public final class Intermediates {

    /** The outcome: what {@code cacerts} holds from now on and when it is next replaced. */
    public record Outcome(CaCerts certs, Instant rotateAt, boolean issued, String why) {
        @Override
        public String toString() {
            return "Outcome[" + (issued ? "issued: " + why : "kept") + ", rotateAt " + rotateAt + "]";
        }
    }

    private Intermediates() {
    }

    /** Why {@code current} cannot stay, or empty when it can. */
    public static Optional<String> replaceBecause(Optional<CaCertsSecret.Current> current, Ca root, Instant now) {
        if (current.isEmpty()) {
            return Optional.of("no cacerts yet");
        }
        CaCertsSecret.Current c = current.get();
        try {
            c.intermediate().verify(root.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("cacerts was signed by another root");
        }
        if (!CertificateAuthority.pem(root.certificate()).equals(c.certs().rootCertPem())) {
            return Optional.of("cacerts holds another root-cert.pem");
        }
        if (CertificateAuthority.rotationDue(c.intermediate(), now)) {
            return Optional.of("the intermediate was due for rotation at "
                    + CertificateAuthority.rotateAt(c.intermediate()));
        }
        return Optional.empty();
    }

    /** Keeps {@code current} or issues a new intermediate for {@code cluster}, valid {@code validity} from now. */
    public static Outcome decide(Optional<CaCertsSecret.Current> current, Ca root, String cluster, Instant now,
            Duration validity, SecureRandom random) {
        Optional<String> why = replaceBecause(current, root, now);
        if (why.isEmpty()) {
            CaCertsSecret.Current c = current.orElseThrow();
            return new Outcome(c.certs(), CertificateAuthority.rotateAt(c.intermediate()), false, "");
        }
        Ca intermediate = CertificateAuthority.issueIntermediate(root, cluster, now, validity, random);
        return new Outcome(CertificateAuthority.caCerts(intermediate, root),
                CertificateAuthority.rotateAt(intermediate.certificate()), true, why.get());
    }
}
