package dev.meshfleet.schemas.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.audit.AuditChain.Link;
import dev.meshfleet.schemas.audit.AuditChain.Verdict;
import dev.meshfleet.schemas.v1.AdmissionRecord;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;

/** The audit hash chain of ADR 0033: what a link is, what it covers, and which record verify names. */
class AuditChainTest {

    @Test
    void aLinkIsTheSha256OfThePreviousHashANewlineAndTheContent() {
        // printf '\nx' | sha256sum; printf 'abc\ny' | sha256sum
        assertThat(AuditChain.link(AuditChain.GENESIS, "x"))
                .isEqualTo("bbe56d7c2d0f1f7271eb6f829800598a0a1c5a54f09cb49c47607e0698af7d6f");
        assertThat(AuditChain.link("abc", "y"))
                .isEqualTo("891179020ad2c8caf9e82ff6ffbb83575fdcdb8f5ad8d75234b36d89c7c2dfa0");
    }

    @Test
    void theContentIsEveryOtherFieldLengthPrefixedSoThatNoFieldCanBeShiftedIntoAnother() {
        SpecChange c = SpecChange.newBuilder().setUid("u1").setKind(ResourceKind.IstioLifecycleManager)
                .setNamespace("gloo-mesh").setName("istiod").setGeneration(2).setResourceVersion("17")
                .setOperation(Operation.UPSERT).setActor("kubectl").setObservedAt(Instant.ofEpochMilli(1000))
                .setSpecJson("{\"a\":1}").setChainHash("ignored").build();
        assertThat(AuditChain.content(c)).isEqualTo("10:SpecChange;2:u1;21:IstioLifecycleManager;9:gloo-mesh;6:istiod;"
                + "1:2;2:17;6:UPSERT;7:kubectl;4:1000;7:{\"a\":1};");
        AdmissionRecord a = AdmissionRecord.newBuilder().setRequestUid("r1").setUid("u1")
                .setKind(ResourceKind.GatewayLifecycleManager).setNamespace("ns").setName("gw").setGeneration(null)
                .setSpecHash("h").setOperation("DELETE").setUsername("alice").setGroups(List.of("a", "bc"))
                .setAdmittedAt(Instant.ofEpochMilli(5)).build();
        assertThat(AuditChain.content(a)).isEqualTo("15:AdmissionRecord;2:r1;2:u1;23:GatewayLifecycleManager;2:ns;2:gw;"
                + "1:-;1:h;6:DELETE;5:alice;9:1:a;2:bc;;1:5;");
        // The user "al" in group "ice" is not the user "alice" in no group.
        assertThat(AuditChain.content(AdmissionRecord.newBuilder(a).setUsername("al").setGroups(List.of("ice")).build()))
                .isNotEqualTo(AuditChain.content(AdmissionRecord.newBuilder(a).setGroups(List.of()).build()));
    }

    /**
     * The optional fields count only when present, so a record written before them keeps its hash; the annotations
     * (schema v6) are named before their entries, sorted by key, so that a record with only them is not read as one
     * with only extensionsJson.
     */
    @Test
    void extensionsAndAnnotationsAreCoveredWhenPresentAndARecordWithoutThemKeepsItsContent() {
        SpecChange c = SpecChange.newBuilder().setUid("u1").setKind(ResourceKind.ServiceMeshController)
                .setNamespace("gloo-mesh").setName("smc").setGeneration(1).setResourceVersion("9")
                .setOperation(Operation.UPSERT).setActor("kubectl").setObservedAt(Instant.ofEpochMilli(1000))
                .setSpecJson("{}").build();
        String before = "10:SpecChange;2:u1;21:ServiceMeshController;9:gloo-mesh;3:smc;1:1;1:9;6:UPSERT;7:kubectl;"
                + "4:1000;2:{};";
        assertThat(AuditChain.content(c)).isEqualTo(before);
        assertThat(AuditChain.content(SpecChange.newBuilder(c).setExtensionsJson("{\"beta\":\"x\"}").build()))
                .isEqualTo(before + "12:{\"beta\":\"x\"};");
        java.util.Map<String, String> annotations = new java.util.LinkedHashMap<>();
        annotations.put("peering.solo.io/z", "b");
        annotations.put("peering.solo.io/data-plane-service-type", "nodeport");
        assertThat(AuditChain.content(SpecChange.newBuilder(c).setAnnotations(annotations).build()))
                .isEqualTo(before + "11:annotations;"
                        + "79:39:peering.solo.io/data-plane-service-type;8:nodeport;17:peering.solo.io/z;1:b;;");
        assertThat(AuditChain.content(SpecChange.newBuilder(c).setExtensionsJson("{}").setAnnotations(annotations)
                .build())).isEqualTo(before + "2:{};11:annotations;"
                        + "79:39:peering.solo.io/data-plane-service-type;8:nodeport;17:peering.solo.io/z;1:b;;");
    }

    /** Records c0..c(n-1) chained as spec-intake writes them, after {@code unchained} records written before the chain. */
    static List<Link> chain(int unchained, int n) {
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < unchained; i++) {
            links.add(new Link("old" + i, "o" + i, null));
        }
        String head = AuditChain.GENESIS;
        for (int i = 0; i < n; i++) {
            head = AuditChain.link(head, "c" + i);
            links.add(new Link("@" + i, "c" + i, head));
        }
        return links;
    }

    @Test
    void anUnbrokenChainAfterRecordsWrittenBeforeItIsIntact() {
        Verdict v = AuditChain.verify(chain(2, 3));
        assertThat(v).isInstanceOf(Verdict.Intact.class);
        assertThat((Verdict.Intact) v).extracting(Verdict.Intact::chained, Verdict.Intact::unchained)
                .containsExactly(3, 2);
        assertThat(AuditChain.verify(List.of())).isInstanceOf(Verdict.Intact.class);
    }

    @Test
    void anAlteredRecordIsNamed() {
        List<Link> links = chain(0, 4);
        links.set(2, new Link("@2", "c2 altered", links.get(2).chainHash()));
        assertThat(AuditChain.verify(links)).isEqualTo(new Verdict.Broken("@2",
                "its chain hash does not match its content and the record before it: it was altered or forged"));
    }

    @Test
    void aForgedRecordWithAWellFormedLinkIsNamedByTheGenuineRecordAfterIt() {
        List<Link> links = chain(0, 3);
        // Someone who read the topic appends a record linked to the head; spec-intake then writes c3 on its own head (c2).
        String forged = AuditChain.link(links.get(2).chainHash(), "forged");
        links.add(new Link("@forged", "forged", forged));
        links.add(new Link("@3", "c3", AuditChain.link(links.get(2).chainHash(), "c3")));
        assertThat(AuditChain.verify(links)).isEqualTo(new Verdict.Broken("@forged",
                "the record after it chains to the one before it: it was written outside the chain (forged or replayed)"));
    }

    @Test
    void aForgedRecordWithoutAHashOrWithAnyOtherIsNamed() {
        List<Link> links = chain(0, 2);
        links.add(new Link("@nohash", "forged", null));
        assertThat(AuditChain.verify(links)).isEqualTo(new Verdict.Broken("@nohash",
                "it has no chain hash, yet records before it have one: it was not written by spec-intake"));
        links.set(2, new Link("@wrong", "forged", "0".repeat(64)));
        assertThat(AuditChain.verify(links)).extracting(v -> ((Verdict.Broken) v).where()).isEqualTo("@wrong");
    }

    @Test
    void recordsRemovedFromTheStartLeaveAChainThatDoesNotStartAtTheGenesis() {
        List<Link> links = chain(0, 3);
        assertThat(AuditChain.verify(links.subList(1, 3))).isEqualTo(new Verdict.Broken("@1",
                "it does not chain from the start: records before it were removed, or it was altered or forged"));
    }
}
