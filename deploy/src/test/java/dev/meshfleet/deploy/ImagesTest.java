package dev.meshfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * Issue 10 item 6: the images {@code mvn package -Pimages} builds are the images the chart runs. The build's names
 * are read from the build configuration (the parent pom's {@code images.*} properties and its {@code images}
 * profile, each service's {@code quarkus.application.name}), the chart's from a render with the default values.
 */
class ImagesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Chart component to the Maven module that builds its image. */
    private static final Map<String, String> MODULES = Map.of("spec-intake", "spec-intake", "translator",
            "translator-service", "installer", "installer-service", "status-aggregator", "status-aggregator");

    @Test
    void theChartsDefaultImagesAreTheImagesTheBuildProduces() throws Exception {
        Document parent = pom(ROOT.resolve("pom.xml"));
        // The images profile hands the images.* properties to Quarkus' container-image configuration.
        assertThat(text(parent, "/project/profiles/profile[id='images']/properties/quarkus.container-image.group"))
                .isEqualTo("${images.group}");
        assertThat(text(parent, "/project/profiles/profile[id='images']/properties/quarkus.container-image.tag"))
                .isEqualTo("${images.tag}");
        // Quarkus' extension builds into a Docker daemon only when asked (or pushes with images.push): the tarballs
        // need neither.
        assertThat(text(parent, "/project/profiles/profile[id='images']/properties/quarkus.container-image.build"))
                .isEqualTo("${images.docker}");
        assertThat(text(parent, "/project/properties/images.docker")).isEqualTo("false");
        String group = text(parent, "/project/properties/images.group");
        String tag = text(parent, "/project/properties/images.tag");
        assertThat(text(parent, "/project/properties/images.registry")).as("no registry: the chart's image.registry").isEmpty();

        Chart.Rendered rendered = Chart.defaults();
        Map<String, String> chartImages = new LinkedHashMap<>();
        Map<String, String> builtImages = new LinkedHashMap<>();
        for (var e : MODULES.entrySet()) {
            chartImages.put(e.getKey(), ChartTest.container(Workloads.pod(rendered, e.getKey())).getImage());
            builtImages.put(e.getKey(), group + "/" + applicationName(e.getValue()) + ":" + tag);
        }
        assertThat(chartImages).isEqualTo(builtImages);
        assertThat(builtImages).containsEntry("installer", "meshfleet/installer-service:0.1.0");
    }

    @Test
    void theImagesProfileWritesEachServicesImageAsATarballUnderTheNameQuarkusGivesIt() throws Exception {
        Document deploy = pom(ROOT.resolve("deploy/pom.xml"));
        String jib = "/project/profiles/profile[id='images']/build/plugins/plugin[artifactId='jib-maven-plugin']";
        for (String module : MODULES.values()) {
            String execution = jib + "/executions/execution[id='" + module + "']";
            assertThat(text(deploy, execution + "/goals/goal")).as(module).isEqualTo("buildTar");
            assertThat(text(deploy, execution + "/configuration/to/image")).as(module)
                    .isEqualTo("${images.group}/" + applicationName(module) + ":${images.tag}");
            assertThat(text(deploy, execution + "/configuration/extraDirectories/paths/path[1]/from")).as(module)
                    .isEqualTo("${project.basedir}/../" + module + "/target/quarkus-app");
        }
        assertThat(text(deploy, "/project/dependencies/dependency[not(scope='test')]/artifactId"))
                .as("no main dependency: Jib would layer it under /app").isEmpty();
        assertThat(Files.exists(ROOT.resolve("deploy/src/main"))).as("no main code either").isFalse();
    }

    @Test
    void eachServiceBuildsItsImageOnlyInTheImagesProfile() throws Exception {
        for (String module : MODULES.values()) {
            Document pom = pom(ROOT.resolve(module).resolve("pom.xml"));
            assertThat(text(pom, "/project/profiles/profile[id='images']/dependencies/dependency/artifactId"))
                    .as(module).isEqualTo("quarkus-container-image-jib");
            assertThat(text(pom, "/project/dependencies/dependency[artifactId='quarkus-container-image-jib']/artifactId"))
                    .as(module + ": not in the default build").isEmpty();
        }
    }

    @Test
    void theInstallersImageCarriesTheDefaultChartsWhereItReadsThemByDefault() throws Exception {
        Document installer = pom(ROOT.resolve("installer-service/pom.xml"));
        String copy = "/project/profiles/profile[id='images']/build/plugins/plugin[artifactId='maven-resources-plugin']"
                + "/executions/execution[id='charts-into-image']/configuration";
        assertThat(text(installer, copy + "/resources/resource/directory")).isEqualTo("${project.basedir}/../charts");
        // src/main/jib is the image's root; /work is the working directory of Quarkus' Jib images (fast-jar), from
        // which the installer's chart-dir, "charts" unless configured, is read.
        assertThat(text(installer, copy + "/outputDirectory")).isEqualTo("${project.basedir}/src/main/jib/work/charts");
        assertThat(Files.readString(ROOT.resolve(
                "installer-service/src/main/java/dev/meshfleet/installer/InstallerConfig.java")))
                .contains("@WithName(\"chart-dir\")\n    @WithDefault(\"charts\")");
        assertThat(Workloads.properties(Chart.defaults(), "installer")).doesNotContainKey("meshfleet.installer.chart-dir");
    }

    private static String applicationName(String module) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p.getProperty("quarkus.application.name");
    }

    private static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static String text(Document doc, String xpath) throws Exception {
        Node node = (Node) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODE);
        return node == null ? "" : node.getTextContent().strip();
    }
}
