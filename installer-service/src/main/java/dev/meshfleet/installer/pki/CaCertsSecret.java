package dev.meshfleet.installer.pki;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;

import dev.meshfleet.installer.pki.CertificateAuthority.CaCerts;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/**
 * Istio's plug-in CA Secret {@code cacerts} as an object (pure): built from an issued intermediate, and read back from
 * the cluster to be kept. The key is only ever in the Secret's data; the annotations say which root the chain ends at
 * (its certificate's SHA-256) and when the intermediate is replaced, so a person with {@code kubectl} sees both.
 */
public final class CaCertsSecret {
    public static final String NAME = "cacerts";
    public static final String CA_CERT = "ca-cert.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String ROOT_CERT = "root-cert.pem";
    public static final String CERT_CHAIN = "cert-chain.pem";
    public static final String ROOT_DIGEST_ANNOTATION = "meshfleet.dev/root-sha256";
    public static final String ROTATE_AT_ANNOTATION = "meshfleet.dev/rotate-at";

    /** {@code cacerts} as found in a cluster: its four entries and the intermediate certificate they hold. */
    public record Current(CaCerts certs, X509Certificate intermediate) {
        @Override
        public String toString() {
            return "Current[" + intermediate.getSubjectX500Principal().getName() + ", key hidden]";
        }
    }

    private CaCertsSecret() {
    }

    /** The Secret to apply in {@code namespace}. */
    public static Secret secret(String namespace, CaCerts certs, String rootDigest, Instant rotateAt) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA_CERT, base64(certs.caCertPem()));
        data.put(CA_KEY, base64(certs.caKeyPem()));
        data.put(ROOT_CERT, base64(certs.rootCertPem()));
        data.put(CERT_CHAIN, base64(certs.certChainPem()));
        return new SecretBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .addToAnnotations(ROOT_DIGEST_ANNOTATION, rootDigest).addToAnnotations(ROTATE_AT_ANNOTATION, rotateAt.toString())
                .endMetadata().withType("Opaque").withData(data).build();
    }

    /**
     * What an existing {@code cacerts} holds; empty when there is none or it lacks an entry or its {@code ca-cert.pem}
     * is not a certificate (then it is replaced). Never says what the entries hold.
     */
    public static Optional<Current> read(Secret secret) {
        if (secret == null || secret.getData() == null) {
            return Optional.empty();
        }
        Map<String, String> data = secret.getData();
        String ca = decode(data.get(CA_CERT));
        String key = decode(data.get(CA_KEY));
        String root = decode(data.get(ROOT_CERT));
        String chain = decode(data.get(CERT_CHAIN));
        if (ca == null || key == null || root == null || chain == null) {
            return Optional.empty();
        }
        return certificate(ca).map(c -> new Current(new CaCerts(ca, key, root, chain), c));
    }

    /** The first certificate of a PEM text, if it holds one. */
    static Optional<X509Certificate> certificate(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            return o instanceof X509CertificateHolder holder
                    ? Optional.of(new JcaX509CertificateConverter().getCertificate(holder)) : Optional.empty();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A text as Secret data. */
    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Secret data as text; null when absent or not base64. */
    static String decode(String base64) {
        if (base64 == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
