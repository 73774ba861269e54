package dev.meshfleet.installer.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import org.jboss.logging.Logger;

import dev.meshfleet.installer.pki.CertificateAuthority.Ca;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The shared root of trust as the installer holds it (docs/adr/0028): read from a {@code kubernetes.io/tls} Secret of
 * the management cluster ({@code tls.crt}, {@code tls.key}), or generated and created there when asked
 * ({@code meshfleet.installer.trust.generate-root}). Read at most once per {@code refresh}: a root the user replaces
 * is seen within it; at fleet size the clusters share one read. Nothing here logs or returns the key but inside
 * {@link Ca}, whose {@code toString} hides it; a message names the Secret and the key, never a value.
 */
public final class RootOfTrust {
    private static final Logger LOG = Logger.getLogger(RootOfTrust.class);
    public static final String CERT = "tls.crt";
    public static final String KEY = "tls.key";

    /** The root, or why there is none. */
    public sealed interface Result {
        /** The root and its certificate's SHA-256 (hex), which identifies it in annotations and logs. */
        record Ready(Ca root, String digest) implements Result {
        }

        /** No usable root: what is wrong and what to do. */
        record Missing(String message) implements Result {
        }
    }

    /** The settings: where the root lives, whether to generate it, and how long a generated one lives. */
    public record Settings(String namespace, String secretName, boolean generate, Duration rootValidity,
            Duration refresh) {
    }

    private final KubernetesClient management;
    private final Settings settings;
    private final Clock clock;
    private final SecureRandom random;
    private Result cached;
    private Instant readAt;

    public RootOfTrust(KubernetesClient management, Settings settings, Clock clock, SecureRandom random) {
        this.management = management;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    /** The root as last read, read again once {@code refresh} has passed. */
    public synchronized Result root() {
        Instant now = clock.instant();
        if (cached != null && readAt != null && now.isBefore(readAt.plus(settings.refresh()))) {
            return cached;
        }
        cached = read(now);
        readAt = now;
        return cached;
    }

    private Result read(Instant now) {
        String what = settings.namespace() + "/" + settings.secretName();
        Secret secret;
        try {
            secret = management.secrets().inNamespace(settings.namespace()).withName(settings.secretName()).get();
            if (secret == null && settings.generate()) {
                secret = generate(now);
            }
        } catch (KubernetesClientException e) {
            return new Result.Missing("reading the root of trust Secret " + what + " failed: HTTP " + e.getCode()
                    + "; retried at the next resync");
        }
        if (secret == null) {
            return new Result.Missing("the root of trust Secret " + what + " does not exist: create it (type"
                    + " kubernetes.io/tls, the root CA's certificate in tls.crt and its key in tls.key) or set"
                    + " meshfleet.installer.trust.generate-root=true");
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String cert = CaCertsSecret.decode(data.get(CERT));
        String key = CaCertsSecret.decode(data.get(KEY));
        if (cert == null || key == null) {
            return new Result.Missing("the root of trust Secret " + what + " has no " + (cert == null ? CERT : KEY)
                    + " entry");
        }
        try {
            Ca root = CertificateAuthority.fromPem(cert, key);
            return new Result.Ready(root, digest(root));
        } catch (IllegalArgumentException e) {
            // The parser's message never holds the key (CertificateAuthority.fromPem).
            return new Result.Missing("the root of trust Secret " + what + " is not a PEM certificate and key: "
                    + e.getMessage());
        }
    }

    /** Creates the root Secret; when another replica created it first, reads theirs. */
    private Secret generate(Instant now) {
        Ca root = CertificateAuthority.generateRoot("Meshfleet root CA", now, settings.rootValidity(), random);
        Secret secret = new SecretBuilder().withNewMetadata().withName(settings.secretName())
                .withNamespace(settings.namespace()).addToLabels("app.kubernetes.io/managed-by", "meshfleet")
                .endMetadata().withType("kubernetes.io/tls")
                .addToData(CERT, CaCertsSecret.base64(CertificateAuthority.pem(root.certificate())))
                .addToData(KEY, CaCertsSecret.base64(CertificateAuthority.pem(root.key()))).build();
        try {
            Secret created = management.secrets().inNamespace(settings.namespace()).resource(secret).create();
            LOG.infof("generated the root of trust in Secret %s/%s (certificate sha256 %s)", settings.namespace(),
                    settings.secretName(), digest(root).substring(0, 16));
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return management.secrets().inNamespace(settings.namespace()).withName(settings.secretName()).get();
            }
            throw e;
        }
    }

    /** The SHA-256 of the root certificate's DER encoding, hex. */
    public static String digest(Ca root) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(root.certificate().getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-256 of a certificate we parsed", e);
        }
    }
}
