package dev.meshfleet.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGKILLed sandbox orphans nothing: a child JVM started with the parent watch agent exits when its
 * parent dies. The "sandbox" here is a small JVM ({@link ParentWatchFixture}) that starts one child and
 * prints its pid; the test kills that JVM with SIGKILL.
 */
class ParentWatchIT {

    @TempDir
    Path dir;

    @Test
    void aChildExitsWhenItsParentIsKilled() throws Exception {
        Path agent = AgentJar.write(dir);
        Process parent = new ProcessBuilder(JavaCommand.javaExecutable(), "-cp", System.getProperty("java.class.path"),
                ParentWatchFixture.class.getName(), "parent", agent.toString()).redirectErrorStream(true).start();
        long childPid;
        try (var out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the fixture's first line").startsWith("child ");
            childPid = Long.parseLong(line.substring("child ".length()).trim());
            ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
            assertThat(child.isAlive()).isTrue();
            assertThat(child.info().commandLine().orElse("")).contains(PidFiles.MARKER);

            parent.destroyForcibly();
            parent.waitFor();

            await("the orphaned child exits").atMost(Duration.ofSeconds(30))
                    .until(() -> !ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false));
        } finally {
            parent.destroyForcibly();
        }
        assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false)).as("child " + childPid + " alive")
                .isFalse();
    }
}
