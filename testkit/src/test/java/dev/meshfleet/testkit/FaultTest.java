package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class FaultTest {

    @Test
    void everyFaultKindParsesFromItsConfigurationName() {
        assertThat(Fault.parseAll("never-ready, crash-after-ready,slow=2s,unreachable,unmanaged-istio,reject-apply,"
                + "eastwest-address-change"))
                .containsExactly(new Fault.NeverReady(), new Fault.CrashAfterReady(), new Fault.Slow(Duration.ofSeconds(2)),
                        new Fault.Unreachable(), new Fault.UnmanagedIstio(), new Fault.RejectApply(),
                        new Fault.EastWestAddressChange());
    }

    @Test
    void aFaultWrittenBackAsASpecParsesToTheSameFault() {
        for (Fault fault : List.of(new Fault.NeverReady(), new Fault.Slow(Duration.ofMillis(1500)), new Fault.RejectApply(),
                new Fault.EastWestAddressChange())) {
            assertThat(Fault.parse(fault.spec())).isEqualTo(fault);
        }
    }

    @Test
    void forbidNamesTheMethodAndTheResourceItRefuses() {
        Fault.Forbidden forbidden = (Fault.Forbidden) Fault.parse("forbid=delete:deployments");
        assertThat(forbidden).isEqualTo(new Fault.Forbidden("delete", "deployments"));
        assertThat(Fault.parse(forbidden.spec())).isEqualTo(forbidden);
        assertThat(forbidden.refuses("DELETE", "/apis/apps/v1/namespaces/istio-system/deployments/istiod")).isTrue();
        assertThat(forbidden.refuses("GET", "/apis/apps/v1/namespaces/istio-system/deployments/istiod")).isFalse();
        assertThat(forbidden.refuses("DELETE", "/api/v1/namespaces/istio-system/services/istiod")).isFalse();
        assertThatThrownBy(() -> Fault.parse("forbid=deployments")).hasMessageContaining("forbid=METHOD:RESOURCE");
    }

    @Test
    void slowAcceptsMillisecondsSecondsAndMinutes() {
        assertThat(Fault.parse("slow=250ms")).isEqualTo(new Fault.Slow(Duration.ofMillis(250)));
        assertThat(Fault.parse("slow=1m")).isEqualTo(new Fault.Slow(Duration.ofMinutes(1)));
    }

    @Test
    void slowTakesAnyGoDurationIncludingFractionsAndABareZero() {
        assertThat(Fault.parse("slow=1.5s")).isEqualTo(new Fault.Slow(Duration.ofMillis(1500)));
        assertThat(Fault.parse("slow=1m30s")).isEqualTo(new Fault.Slow(Duration.ofSeconds(90)));
        assertThat(Fault.parse("slow=0")).isEqualTo(new Fault.Slow(Duration.ZERO));
        assertThatThrownBy(() -> Fault.parse("slow=-1s")).hasMessageContaining("slow=-1s").hasMessageContaining("negative");
    }

    @Test
    void anUnknownFaultIsRefusedNamingTheAllowedKinds() {
        assertThatThrownBy(() -> Fault.parse("explode"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("explode")
                .hasMessageContaining("never-ready")
                .hasMessageContaining("slow=DURATION")
                .hasMessageContaining("reject-apply");
        assertThatThrownBy(() -> Fault.parse("slow=soon")).hasMessageContaining("soon").hasMessageContaining("30s");
    }

    @Test
    void blankFaultTextMeansNoFaults() {
        assertThat(Fault.parseAll(" ")).isEmpty();
        assertThat(Fault.parseAll(null)).isEmpty();
    }
}
