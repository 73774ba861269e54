package dev.meshfleet.installer.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.meshfleet.installer.pki.CertificateAuthority.Ca;
import io.fabric8.kubernetes.api.model.Secret;

/** When a cluster's cacerts is kept and when a new intermediate is issued (ADR 0028: never on every reconcile). */
class IntermediatesTest {
    static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration YEAR = Duration.ofDays(360);
    static final SecureRandom RANDOM = new SecureRandom();
    static final Ca ROOT = CertificateAuthority.generateRoot("root", ISSUED, Duration.ofDays(3650), RANDOM);
    static final Ca OTHER_ROOT = CertificateAuthority.generateRoot("another root", ISSUED, Duration.ofDays(3650), RANDOM);

    /** cacerts as the installer writes it, then as read back from the cluster. */
    static Optional<CaCertsSecret.Current> written(Ca root, String rootPemInSecret) {
        Ca intermediate = CertificateAuthority.issueIntermediate(root, "cluster1", ISSUED, YEAR, RANDOM);
        var certs = CertificateAuthority.caCerts(intermediate, root);
        var withRoot = new CertificateAuthority.CaCerts(certs.caCertPem(), certs.caKeyPem(), rootPemInSecret,
                certs.certChainPem());
        Secret secret = CaCertsSecret.secret("istio-system", withRoot, "digest", ISSUED);
        return CaCertsSecret.read(secret);
    }

    static Stream<Arguments> cases() {
        String rootPem = CertificateAuthority.pem(ROOT.certificate());
        // 360 days: two thirds of it is day 240.
        return Stream.of(
                Arguments.of("none yet", Optional.empty(), ISSUED, Optional.of("no cacerts yet")),
                Arguments.of("fresh, ours", written(ROOT, rootPem), ISSUED.plus(Duration.ofDays(10)), Optional.empty()),
                Arguments.of("a day before two thirds", written(ROOT, rootPem), ISSUED.plus(Duration.ofDays(239)),
                        Optional.empty()),
                Arguments.of("at two thirds", written(ROOT, rootPem), ISSUED.plus(Duration.ofDays(240)),
                        Optional.of("the intermediate was due for rotation at 2026-08-29T00:00:00Z")),
                Arguments.of("signed by another root", written(OTHER_ROOT, rootPem), ISSUED,
                        Optional.of("cacerts was signed by another root")),
                Arguments.of("our intermediate, another root-cert.pem", written(ROOT,
                        CertificateAuthority.pem(OTHER_ROOT.certificate())), ISSUED,
                        Optional.of("cacerts holds another root-cert.pem")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cacertsIsReplacedOnlyWhenAbsentForeignOrDue(String name, Optional<CaCertsSecret.Current> current, Instant now,
            Optional<String> replaceBecause) {
        assertThat(Intermediates.replaceBecause(current, ROOT, now)).isEqualTo(replaceBecause);
    }

    @Test
    void aKeptIntermediateIsReturnedAsItWasWithItsRotationTime() {
        var current = written(ROOT, CertificateAuthority.pem(ROOT.certificate()));

        Intermediates.Outcome kept = Intermediates.decide(current, ROOT, "cluster1", ISSUED.plus(Duration.ofDays(1)),
                YEAR, RANDOM);

        assertThat(kept.issued()).isFalse();
        assertThat(kept.certs().caCertPem()).isEqualTo(current.orElseThrow().certs().caCertPem());
        assertThat(kept.certs().caKeyPem()).isEqualTo(current.orElseThrow().certs().caKeyPem());
        assertThat(kept.rotateAt()).isEqualTo(Instant.parse("2026-08-29T00:00:00Z"));
    }

    @Test
    void aDueIntermediateIsReplacedByOneOfTheSameRootThatChainsToIt() throws Exception {
        var current = written(ROOT, CertificateAuthority.pem(ROOT.certificate()));
        Instant now = ISSUED.plus(Duration.ofDays(250));

        Intermediates.Outcome issued = Intermediates.decide(current, ROOT, "cluster1", now, YEAR, RANDOM);

        assertThat(issued.issued()).isTrue();
        assertThat(issued.certs().caCertPem()).isNotEqualTo(current.orElseThrow().certs().caCertPem());
        assertThat(issued.rotateAt()).isEqualTo(now.plus(Duration.ofDays(240)));
        CertificateAuthorityTest.validate(CertificateAuthorityTest.parse(issued.certs().certChainPem()).subList(0, 1),
                ROOT.certificate(), now);
        assertThat(issued.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aSecretWithoutItsFourEntriesIsNotKept() {
        Secret partial = CaCertsSecret.secret("istio-system", CertificateAuthority.caCerts(
                CertificateAuthority.issueIntermediate(ROOT, "cluster1", ISSUED, YEAR, RANDOM), ROOT), "d", ISSUED);
        partial.getData().remove(CaCertsSecret.CA_KEY);

        assertThat(CaCertsSecret.read(partial)).isEmpty();
        assertThat(CaCertsSecret.read(null)).isEmpty();
    }
}
