package dev.meshfleet.translator.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.translation.EcpFacts;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Which installation events are the fact ADR 0031 orders the webhooks by, one row per rule. */
class EcpFactTest {
    static final String EXTERNAL = "{\"external\":{\"address\":\"istiod.mesh1.example.com\"},\"role\":\"external\"}";
    static final String CONFIG = "{\"external\":{\"address\":\"istiod.mesh1.example.com\"},\"role\":\"config\"}";

    static InstallationEvent event(ResourceKind kind, String source, String state, String observed) {
        return InstallationEvent.newBuilder()
                .setOwner(OwnerRef.newBuilder().setKind(kind).setNamespace("gloo-mesh").setName("mesh1").setUid("u1").build())
                .setGeneration(1).setCluster("cluster1").setRevision("").setState(state).setMessage("")
                .setObservedOperatorJson(observed).setPlanHash("h").setSource(source).setSourceEpoch(1).setSequence(1)
                .setTime(Instant.EPOCH).build();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // the one fact: the installer reports the external installation HEALTHY
            "ExternalControlPlane | installer/installer-0 | HEALTHY | external | istiod.mesh1.example.com",
            // not yet running, or no longer
            "ExternalControlPlane | installer/installer-0 | INSTALLING_CONTROL_PLANE | external | null",
            "ExternalControlPlane | installer/installer-0 | UNHEALTHY | external | null",
            // a remote cluster's installation says nothing of the external istiod
            "ExternalControlPlane | installer/installer-0 | HEALTHY | config | null",
            // the translator announces plans; it observes nothing
            "ExternalControlPlane | translator | HEALTHY | external | null",
            // another kind's events, whatever they say
            "IstioLifecycleManager | installer/installer-0 | HEALTHY | external | null",
            // nothing deployed: no observed spec
            "ExternalControlPlane | installer/installer-0 | HEALTHY | none | null"})
    void aFactIsTheInstallersHealthyOfTheExternalInstallation(ResourceKind kind, String source, String state, String role,
            String address) {
        String observed = switch (role) {
            case "external" -> EXTERNAL;
            case "config" -> CONFIG;
            default -> null;
        };
        Optional<EcpFact> fact = EcpFact.of(event(kind, source, state, observed));
        if (address == null) {
            assertThat(fact).isEmpty();
        } else {
            assertThat(fact).contains(new EcpFact("ExternalControlPlane/gloo-mesh/mesh1", "u1", address));
        }
    }

    @Test
    void factsHoldOnlyForTheAddressTheyWereSeenAtAndTheIncarnationTheyWereSeenFor() {
        EcpInputs kept = new EcpInputs("u1", 3, 0, "{}", "");
        EcpInputs after = EcpInputs.after(kept, new EcpFact("k", "u1", "a.example.com"));
        assertThat(after.healthyAddress()).isEqualTo("a.example.com");
        assertThat(after.specJson()).isEqualTo("{}");
        assertThat(after.factsFor("u1").externalIstiodHealthyAt("a.example.com")).isTrue();
        assertThat(after.factsFor("u1").externalIstiodHealthyAt("b.example.com")).isFalse();
        assertThat(after.factsFor("u2")).isEqualTo(EcpFacts.NONE);
        assertThat(EcpInputs.after(after, new EcpFact("k", "u1", "a.example.com"))).as("nothing new").isNull();
        assertThat(EcpInputs.after(after, new EcpFact("k", "u0", "b.example.com"))).as("another incarnation").isNull();
        assertThat(EcpInputs.fromJson(after.toJson())).isEqualTo(after);
    }
}
