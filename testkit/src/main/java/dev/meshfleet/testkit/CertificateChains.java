package dev.meshfleet.testkit;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Secret;

/**
 * Checks Istio's plug-in CA Secret {@code cacerts} the way a peer would trust it: the JDK's PKIX
 * {@link CertPathValidator}, never the code that built the chain.
 */
public final class CertificateChains {

    private CertificateChains() {
    }

    /** A Secret's data entry as text. */
    public static String entry(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    /** Every certificate of a PEM text, in order. */
    public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(
                pem.getBytes(StandardCharsets.UTF_8))).forEach(c -> out.add((X509Certificate) c));
        return out;
    }

    /**
     * Validates {@code cacerts}' {@code cert-chain.pem} (leaf first, its last certificate the root) against
     * {@code root} as the only trust anchor at {@code at}; returns the intermediate. Throws when it does not chain.
     */
    public static X509Certificate validatedIntermediate(Secret cacerts, X509Certificate root, Instant at)
            throws GeneralSecurityException {
        return validatedIntermediate(entry(cacerts, "cert-chain.pem"), root, at);
    }

    /** As {@link #validatedIntermediate(Secret, X509Certificate, Instant)}, from the text of {@code cert-chain.pem}. */
    public static X509Certificate validatedIntermediate(String certChainPem, X509Certificate root, Instant at)
            throws GeneralSecurityException {
        List<X509Certificate> chain = certificates(certChainPem);
        if (chain.size() < 2) {
            throw new java.security.cert.CertificateException("cert-chain.pem holds " + chain.size()
                    + " certificate(s); it needs the intermediate, then the root");
        }
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(chain.subList(0, chain.size() - 1)), params);
        return chain.get(0);
    }
}
