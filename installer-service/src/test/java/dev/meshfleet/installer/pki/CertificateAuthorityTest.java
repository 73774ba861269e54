package dev.meshfleet.installer.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshfleet.installer.pki.CertificateAuthority.Ca;
import dev.meshfleet.installer.pki.CertificateAuthority.CaCerts;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.junit.jupiter.api.Test;

/** Each chain is checked by the JDK's PKIX CertPathValidator, not by the code that built it. */
class CertificateAuthorityTest {
    static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
    static final Duration YEAR = Duration.ofDays(365);
    static final SecureRandom RANDOM = new SecureRandom();
    static final Ca ROOT = CertificateAuthority.generateRoot("Meshfleet root", NOW, Duration.ofDays(3650), RANDOM);

    /** Validates {@code path} (leaf first) against {@code anchor} at {@code at} with the JDK; throws when invalid. */
    static void validate(List<X509Certificate> path, X509Certificate anchor, Instant at) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), params);
    }

    static List<X509Certificate> parse(String pem) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8))).forEach(c -> out.add((X509Certificate) c));
        return out;
    }

    @Test
    void eachClustersIntermediateChainsToTheOneRoot() throws Exception {
        for (String cluster : List.of("cluster1", "cluster2", "cluster3")) {
            Ca intermediate = CertificateAuthority.issueIntermediate(ROOT, cluster, NOW, YEAR, RANDOM);
            validate(List.of(intermediate.certificate()), ROOT.certificate(), NOW.plus(Duration.ofDays(1)));
        }
    }

    @Test
    void cacertsHoldsTheIntermediateItsKeyTheRootAndAChainThatValidates() throws Exception {
        Ca intermediate = CertificateAuthority.issueIntermediate(ROOT, "cluster1", NOW, YEAR, RANDOM);
        CaCerts cacerts = CertificateAuthority.caCerts(intermediate, ROOT);
        List<X509Certificate> chain = parse(cacerts.certChainPem());
        assertThat(chain).hasSize(2);
        assertThat(chain.get(0)).isEqualTo(intermediate.certificate());
        assertThat(chain.get(1)).isEqualTo(ROOT.certificate());
        assertThat(parse(cacerts.caCertPem())).containsExactly(intermediate.certificate());
        X509Certificate root = parse(cacerts.rootCertPem()).get(0);
        validate(chain.subList(0, 1), root, NOW.plusSeconds(60));
        assertThat(cacerts.caKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(cacerts.toString()).doesNotContain("PRIVATE", cacerts.caKeyPem());
        assertThat(intermediate.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void theIntermediateNamesItsClusterIsACaOfPathLengthZeroAndSignsCertificatesOnly() throws Exception {
        X509Certificate c = CertificateAuthority.issueIntermediate(ROOT, "cluster7", NOW, YEAR, RANDOM).certificate();
        List<String> rdns = new LdapName(c.getSubjectX500Principal().getName()).getRdns().stream().map(Rdn::toString)
                .toList();
        assertThat(rdns).contains("L=cluster7", "CN=Meshfleet intermediate CA cluster7");
        assertThat(c.getBasicConstraints()).as("pathLen").isEqualTo(0);
        // keyUsage bits (RFC 5280): 0 digitalSignature, 5 keyCertSign, 6 cRLSign.
        boolean[] usage = c.getKeyUsage();
        assertThat(usage[0]).isTrue();
        assertThat(usage[5]).isTrue();
        assertThat(usage[6]).isTrue();
        assertThat(usage[2]).as("keyEncipherment").isFalse();
        assertThat(c.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    }

    @Test
    void aWorkloadCertificateUnderTheIntermediateValidatesButACaUnderItDoesNot() throws Exception {
        Ca intermediate = CertificateAuthority.issueIntermediate(ROOT, "cluster1", NOW, YEAR, RANDOM);
        // An intermediate of the intermediate stands in for a workload certificate signed by istiod's CA key: the
        // JDK accepts it as the end of the path, and refuses anything under it (pathLen 0).
        Ca below = CertificateAuthority.issueIntermediate(intermediate, "nested", NOW, YEAR, RANDOM);
        validate(List.of(below.certificate(), intermediate.certificate()), ROOT.certificate(), NOW.plusSeconds(60));
        Ca third = CertificateAuthority.issueIntermediate(below, "too-deep", NOW, YEAR, RANDOM);
        assertThatThrownBy(() -> validate(List.of(third.certificate(), below.certificate(), intermediate.certificate()),
                ROOT.certificate(), NOW.plusSeconds(60))).isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void theValidityIsTheSettingAndTheChainIsRefusedAfterIt() throws Exception {
        Duration validity = Duration.ofDays(90);
        X509Certificate c = CertificateAuthority.issueIntermediate(ROOT, "cluster1", NOW, validity, RANDOM).certificate();
        assertThat(c.getNotBefore().toInstant()).isEqualTo(NOW);
        assertThat(c.getNotAfter().toInstant()).isEqualTo(Instant.parse("2027-02-28T00:00:00Z"));
        assertThatThrownBy(() -> validate(List.of(c), ROOT.certificate(), Instant.parse("2027-03-01T00:00:00Z")))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void rotationIsDueAtTwoThirdsOfTheLife() {
        X509Certificate c = CertificateAuthority.issueIntermediate(ROOT, "cluster1", NOW, Duration.ofDays(90), RANDOM)
                .certificate();
        assertThat(CertificateAuthority.rotateAt(c)).isEqualTo(Instant.parse("2027-01-29T00:00:00Z"));
        assertThat(CertificateAuthority.rotationDue(c, Instant.parse("2027-01-28T23:59:59Z"))).isFalse();
        assertThat(CertificateAuthority.rotationDue(c, Instant.parse("2027-01-29T00:00:00Z"))).isTrue();
    }

    @Test
    void aRootFromTheUsersPemSignsIntermediatesThatChainToIt() throws Exception {
        Ca users = CertificateAuthority.generateRoot("Corp root", NOW, Duration.ofDays(3650), RANDOM);
        Ca read = CertificateAuthority.fromPem(CertificateAuthority.pem(users.certificate()),
                CertificateAuthority.pem(users.key()));
        assertThat(read.certificate()).isEqualTo(users.certificate());
        Ca intermediate = CertificateAuthority.issueIntermediate(read, "cluster1", NOW, YEAR, RANDOM);
        validate(List.of(intermediate.certificate()), users.certificate(), NOW.plusSeconds(60));
        assertThatThrownBy(() -> validate(List.of(intermediate.certificate()), ROOT.certificate(), NOW.plusSeconds(60)))
                .as("another root").isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void aPemWithoutAKeyIsRefusedWithoutEchoingIt() {
        String cert = CertificateAuthority.pem(ROOT.certificate());
        assertThatThrownBy(() -> CertificateAuthority.fromPem(cert, cert)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the key PEM holds no unencrypted private key");
    }
}
