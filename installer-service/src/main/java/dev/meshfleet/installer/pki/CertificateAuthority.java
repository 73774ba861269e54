package dev.meshfleet.installer.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The shared root of trust of issue 12 item 5, pure: a root CA (the user's, read from PEM, or generated) and, per
 * workload cluster, an intermediate CA signed by it for Istio's plug-in CA Secret {@code cacerts}. No clock and no
 * Kubernetes: {@code now} and the randomness are arguments. Keys are EC P-256, which istiod's plug-in CA accepts.
 *
 * <p>The intermediate carries the cluster in its subject ({@code L=<cluster>}, {@code CN=Meshfleet intermediate CA
 * <cluster>}), basicConstraints CA with pathLen 0 (it signs workload certificates, never another CA) and keyUsage
 * keyCertSign, cRLSign and digitalSignature, both critical; its validity is a setting. The root is CA with pathLen 1.
 * Private keys are held in memory and written only to the cluster's {@code cacerts} (docs/adr/0028).
 */
public final class CertificateAuthority {
    private static final String SIGNATURE = "SHA256withECDSA";

    /** A CA: its certificate and private key. {@code toString} never prints the key. */
    public record Ca(X509Certificate certificate, PrivateKey key) {
        @Override
        public String toString() {
            return "Ca[" + certificate.getSubjectX500Principal().getName() + ", key hidden]";
        }
    }

    /** The four entries of Istio's plug-in CA Secret {@code cacerts}, PEM. {@code toString} hides the key. */
    public record CaCerts(String caCertPem, String caKeyPem, String rootCertPem, String certChainPem) {
        @Override
        public String toString() {
            return "CaCerts[ca-cert.pem, ca-key.pem hidden, root-cert.pem, cert-chain.pem]";
        }
    }

    private CertificateAuthority() {
    }

    /** A self-signed root CA named {@code commonName}, valid from {@code now} for {@code validity}. */
    public static Ca generateRoot(String commonName, Instant now, Duration validity, SecureRandom random) {
        KeyPair keys = keyPair(random);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Meshfleet")
                .addRDN(BCStyle.CN, commonName).build();
        return new Ca(sign(name, name, keys.getPublic(), keys.getPrivate(), keys.getPublic(), now, validity, 1, random),
                keys.getPrivate());
    }

    /** The per-cluster intermediate CA, signed by {@code root}, valid from {@code now} for {@code validity}. */
    public static Ca issueIntermediate(Ca root, String cluster, Instant now, Duration validity, SecureRandom random) {
        KeyPair keys = keyPair(random);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Meshfleet")
                .addRDN(BCStyle.L, cluster).addRDN(BCStyle.CN, "Meshfleet intermediate CA " + cluster).build();
        X500Name issuer = X500Name.getInstance(root.certificate().getSubjectX500Principal().getEncoded());
        return new Ca(sign(issuer, subject, keys.getPublic(), root.key(), root.certificate().getPublicKey(), now, validity,
                0, random), keys.getPrivate());
    }

    /** What {@code cacerts} holds for an intermediate of {@code root}: the chain is the intermediate, then the root. */
    public static CaCerts caCerts(Ca intermediate, Ca root) {
        String ca = pem(intermediate.certificate());
        String rootPem = pem(root.certificate());
        return new CaCerts(ca, pem(intermediate.key()), rootPem, ca + rootPem);
    }

    /** A root given as PEM (the user's own, from their PKI): a certificate and an unencrypted key. */
    public static Ca fromPem(String certificatePem, String keyPem) {
        try (PEMParser certs = new PEMParser(new StringReader(certificatePem));
                PEMParser keys = new PEMParser(new StringReader(keyPem))) {
            Object cert = certs.readObject();
            if (!(cert instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("the certificate PEM holds no certificate");
            }
            Object key = keys.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey privateKey;
            if (key instanceof PEMKeyPair pair) {
                privateKey = converter.getPrivateKey(pair.getPrivateKeyInfo());
            } else if (key instanceof PrivateKeyInfo info) {
                privateKey = converter.getPrivateKey(info);
            } else {
                // Never say more about the key than that it is not one.
                throw new IllegalArgumentException("the key PEM holds no unencrypted private key");
            }
            return new Ca(new JcaX509CertificateConverter().getCertificate(holder), privateKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate and key: " + e.getClass().getSimpleName(), e);
        }
    }

    /** When the certificate is to be replaced: two thirds into its life. */
    public static Instant rotateAt(X509Certificate certificate) {
        Instant from = certificate.getNotBefore().toInstant();
        Instant until = certificate.getNotAfter().toInstant();
        return from.plus(Duration.between(from, until).multipliedBy(2).dividedBy(3));
    }

    /** Whether {@code now} is at or past {@link #rotateAt}. */
    public static boolean rotationDue(X509Certificate certificate, Instant now) {
        return !now.isBefore(rotateAt(certificate));
    }

    /** A certificate as PEM; a private key as PKCS#8 {@code PRIVATE KEY} (with its curve, as istiod reads it). */
    public static String pem(Object certificateOrKey) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (certificateOrKey instanceof PrivateKey key) {
                writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
            } else {
                writer.writeObject(certificateOrKey);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static KeyPair keyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is part of every JDK", e);
        }
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, PublicKey subjectKey, PrivateKey issuerKey,
            PublicKey issuerPublicKey, Instant now, Duration validity, int pathLen, SecureRandom random) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, random).abs()
                    .add(BigInteger.ONE), Date.from(now), Date.from(now.plus(validity)), subject, subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(issuerPublicKey));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("signing a certificate with a key of our own making failed", e);
        }
    }
}
