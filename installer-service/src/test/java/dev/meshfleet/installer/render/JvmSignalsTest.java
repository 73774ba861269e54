package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A process that has rendered a chart still stops on SIGTERM, running its shutdown hooks (exit code
 * 143), as Kubernetes expects of a pod asked to stop. helm-java's Go library takes SIGTERM from the
 * JVM on its first render (manusa/helm-java#409); {@code schemas.charts.JvmSignals} gives it back.
 */
class JvmSignalsTest {

    @Test
    void aProcessThatRenderedAChartStillStopsOnSigterm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), RenderThenWait.class.getName(),
                Path.of("..", "charts").toAbsolutePath().toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                do {
                    line = out.readLine();
                } while (line != null && !line.equals("rendered"));
                assertThat(line).as("the child rendered a chart").isEqualTo("rendered");

                child.destroy(); // SIGTERM
                boolean exited = child.waitFor(30, TimeUnit.SECONDS);

                assertThat(exited).as("exited on SIGTERM").isTrue();
                assertThat(child.exitValue()).as("exit code of a JVM stopped by SIGTERM").isEqualTo(143);
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
