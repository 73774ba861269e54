package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

class ChartIndexTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);
    private static final String D = "d".repeat(64);

    /** Versions out of order, as an index merged by hand may list them. */
    private static final String INDEX = """
            apiVersion: v1
            entries:
              istiod:
                - {version: 1.9.0, urls: [istiod-1.9.0.tgz], digest: %s}
                - {version: 1.24.2, urls: [istiod-1.24.2.tgz], digest: %s}
                - {version: 1.25.0-beta.1, urls: [istiod-1.25.0-beta.1.tgz], digest: %s}
                - {version: 1.10.3, urls: [istiod-1.10.3.tgz], digest: "sha256:%s"}
                - {version: not-a-version, urls: [x.tgz], digest: %s}
              gateway:
                - {version: 1.24.2, urls: [gateway-1.24.2.tgz]}
                - {version: 1.24.3, urls: [], digest: %s}
            """.formatted(A, B, C, D, A, A);

    private static JsonNode index() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(INDEX);
    }

    @Test
    void withoutAVersionTheHighestReleaseIsChosenWhateverTheIndexOrderAndPreReleasesOnlyWhenNamed() throws Exception {
        assertThat(ChartIndex.select(index(), "istiod", null))
                .isEqualTo(new ChartIndex.Entry("1.24.2", "istiod-1.24.2.tgz", B));
        assertThat(ChartIndex.select(index(), "istiod", ""))
                .isEqualTo(new ChartIndex.Entry("1.24.2", "istiod-1.24.2.tgz", B));
    }

    @Test
    void anIndexOfPreReleasesOnlyHasNoVersionToTakeUnnamed() throws Exception {
        JsonNode betas = new ObjectMapper(new YAMLFactory()).readTree("""
                entries:
                  istiod:
                    - {version: 1.25.0-beta.1, urls: [a.tgz], digest: %s}
                """.formatted(A));
        assertThat(ChartIndex.select(betas, "istiod", null)).isInstanceOf(ChartIndex.Missing.class);
        assertThat(ChartIndex.select(betas, "istiod", "1.25.0-beta.1")).isInstanceOf(ChartIndex.Entry.class);
    }

    @Test
    void aVersionIsSelectedExactlyWithItsDigest() throws Exception {
        assertThat(ChartIndex.select(index(), "istiod", "1.10.3"))
                .isEqualTo(new ChartIndex.Entry("1.10.3", "istiod-1.10.3.tgz", D));
        assertThat(ChartIndex.select(index(), "istiod", "1.25.0-beta.1"))
                .isEqualTo(new ChartIndex.Entry("1.25.0-beta.1", "istiod-1.25.0-beta.1.tgz", C));
    }

    @Test
    void aMissingChartVersionArchiveOrDigestSaysWhich() throws Exception {
        assertThat(ChartIndex.select(index(), "cni", null))
                .isEqualTo(new ChartIndex.Missing("its index.yaml has no chart 'cni'"));
        assertThat(ChartIndex.select(index(), "istiod", "1.24.9"))
                .isEqualTo(new ChartIndex.Missing("its index.yaml has no version '1.24.9' of chart 'istiod'"));
        assertThat(ChartIndex.select(index(), "gateway", "1.24.2")).isEqualTo(new ChartIndex.Missing(
                "its index.yaml gives no SHA-256 digest for version '1.24.2' of chart 'gateway', so the archive cannot"
                        + " be verified"));
        assertThat(ChartIndex.select(index(), "gateway", null)).isEqualTo(new ChartIndex.Missing(
                "its index.yaml names no archive (urls) for version '1.24.3' of chart 'gateway'"));
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({
            "1.9.0, 1.10.0", "1.10.0, 1.24.2", "1.24.2, 1.24.10", "1.25.0-alpha, 1.25.0", "1.25.0-alpha, 1.25.0-alpha.1",
            "1.25.0-alpha.1, 1.25.0-beta", "1.25.0-beta.2, 1.25.0-beta.11", "1.25.0-1, 1.25.0-alpha", "1.2, 1.2.1",
            "v1.0.0, 1.0.1"})
    void semanticVersionsOrderByNumberAndPreReleasesSortBelowTheRelease(String lower, String higher) {
        assertThat(ChartIndex.compare(lower, higher)).isNegative();
        assertThat(ChartIndex.compare(higher, lower)).isPositive();
    }

    @Test
    void buildMetadataDoesNotOrder() {
        assertThat(ChartIndex.compare("1.24.2+build.1", "1.24.2+build.2")).isZero();
    }
}
