package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.translator.plan.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every example in examples/ is a test (STYLE.md 10): it parses, validates with no error and translates. */
class ExamplesTest {

    @TestFactory
    Stream<DynamicTest> everyExampleParsesValidatesAndTranslates() throws Exception {
        List<Path> examples;
        try (var files = Files.list(Golden.EXAMPLES)) {
            examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(6);
        return examples.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Manifests.Read read;
            try (var reader = Files.newBufferedReader(p)) {
                read = Manifests.readAll(reader, p.toString());
            }
            if (!read.externalControlPlanes().isEmpty()) {
                externalControlPlane(p, read);
                return;
            }
            List<Translation> ts = Golden.translate(p);
            // One resource a file, but for the ServiceMeshControllers: the seed applies one per cluster.
            assertThat(ts).as("resources in %s", p).isNotEmpty();
            for (Translation t : ts) {
                assertThat(t.errors()).as("errors of %s", p).isEmpty();
                assertThat(t.plansByCluster()).as("clusters of %s", p).isNotEmpty();
                for (Plan plan : t.allPlans()) {
                    assertThat(plan.charts()).isNotEmpty();
                    assertThat(plan.planHash()).matches("[0-9a-f]{64}");
                    plan.charts().forEach(c -> assertThat(Canonical.parse(c.valuesJson()).isObject()).isTrue());
                }
            }
        }));
    }

    /**
     * Seed 003's peering example: three controllers, one per cluster and network, each translated with the
     * namespace's gloo-extensions-config (ADR 0045): Peering in the observed spec, the seed's istiod env.
     */
    @Test
    void thePeeringExamplesControllersAreEachTranslatedWithTheExtensionsConfig() throws Exception {
        List<Translation> ts = Golden.translate(Golden.EXAMPLES.resolve("smc-peering.yaml"));
        assertThat(ts).extracting(t -> t.owner().name() + "@" + String.join(",", t.plansByCluster().keySet()))
                .containsExactly("managed-istio-cluster1@cluster1", "managed-istio-cluster2@cluster2",
                        "managed-istio-cluster3@cluster3");
        for (Translation t : ts) {
            Plan plan = t.allPlans().get(0);
            assertThat(Canonical.parse(plan.observedOperatorJson()).path("multiClusterMode").asText()).isEqualTo("Peering");
            var istiod = plan.charts().stream().filter(c -> c.chart().equals("istiod")).findFirst().orElseThrow();
            assertThat(Canonical.parse(istiod.valuesJson()).at("/env/PEERING_AUTOMATIC_LOCAL_GATEWAY").asText())
                    .isEqualTo("true");
            assertThat(Canonical.parse(istiod.valuesJson()).at("/global/network").asText())
                    .isEqualTo(plan.cluster());
        }
        // cluster3's controller is annotated peering.solo.io/data-plane-service-type: nodeport (ADR 0046).
        assertThat(ts).extracting(t -> t.owner().name() + " " + t.allPlans().stream()
                .filter(p -> p.revision().equals("peering"))
                .map(p -> Canonical.parse(p.charts().get(0).valuesJson()).at("/eastwest/nodePort").toString())
                .findFirst().orElse("no peering installation")).containsExactly("managed-istio-cluster1 false",
                        "managed-istio-cluster2 false", "managed-istio-cluster3 true");
    }

    /**
     * The fourth cluster's controller (examples/smc-peering-cluster4.yaml), applied beside smc-peering.yaml as the README
     * runs them: one controller more of gloo-mesh, translated with that namespace's extensions, so peered: its
     * control plane on its own network and its peering installation (revision peering, the chart peering-gateways).
     * Alone, without the ConfigMap, it is a controller like any other.
     */
    @Test
    void theFourthClustersControllerJoinsThePeeringExamplesMesh() throws Exception {
        Path both = Files.createTempFile("smc-peering-4", ".yaml");
        try {
            Files.writeString(both, Files.readString(Golden.EXAMPLES.resolve("smc-peering.yaml")) + "\n---\n"
                    + Files.readString(Golden.EXAMPLES.resolve("smc-peering-cluster4.yaml")));
            List<Translation> ts = Golden.translate(both);
            assertThat(ts).extracting(t -> t.owner().name() + "@" + String.join(",", t.plansByCluster().keySet()))
                    .containsExactly("managed-istio-cluster1@cluster1", "managed-istio-cluster2@cluster2",
                            "managed-istio-cluster3@cluster3", "managed-istio-cluster4@cluster4");
            Translation fourth = ts.get(3);
            assertThat(fourth.errors()).isEmpty();
            assertThat(fourth.allPlans()).extracting(Plan::revision).contains("peering");
            Plan peering = fourth.allPlans().stream().filter(p -> p.revision().equals("peering")).findFirst().orElseThrow();
            assertThat(peering.charts()).extracting(c -> c.chart()).containsExactly("peering-gateways");
            Plan controlPlane = fourth.allPlans().stream().filter(p -> !p.revision().equals("peering")).findFirst()
                    .orElseThrow();
            assertThat(Canonical.parse(controlPlane.observedOperatorJson()).path("multiClusterMode").asText())
                    .isEqualTo("Peering");
            var istiod = controlPlane.charts().stream().filter(c -> c.chart().equals("istiod")).findFirst().orElseThrow();
            assertThat(Canonical.parse(istiod.valuesJson()).at("/global/network").asText()).isEqualTo("cluster4");
        } finally {
            Files.deleteIfExists(both);
        }

        List<Translation> alone = Golden.translate(Golden.EXAMPLES.resolve("smc-peering-cluster4.yaml"));
        assertThat(alone).singleElement().satisfies(t -> assertThat(t.allPlans()).extracting(Plan::revision)
                .doesNotContain("peering"));
    }

    /** An ExternalControlPlane (seed 004, not wired): it validates and plans every cluster it names, with its role. */
    private static void externalControlPlane(Path p, Manifests.Read read) throws Exception {
        assertThat(read.externalControlPlanes()).as("resources in %s", p).hasSize(1);
        assertThat(read.resources()).as("other kinds in %s", p).isEmpty();
        Manifests.Controller c = read.externalControlPlanes().get(0);
        EcpTranslation t = new EcpTranslator(Golden.SETTINGS).translate(c.namespace(), c.name(), c.generation(), c.spec(),
                EcpFacts.SETTLED);
        assertThat(t.errors()).as("errors of %s", p).isEmpty();
        assertThat(t.roles()).as("roles of %s", p).containsEntry("cluster1", EcpTranslation.Role.external)
                .containsEntry("cluster2", EcpTranslation.Role.config).containsEntry("cluster3", EcpTranslation.Role.remote);
        for (List<Plan> plans : t.plansByCluster().values()) {
            assertThat(plans).hasSize(1);
            assertThat(plans.get(0).charts()).isNotEmpty();
            assertThat(plans.get(0).planHash()).matches("[0-9a-f]{64}");
        }
    }
}
