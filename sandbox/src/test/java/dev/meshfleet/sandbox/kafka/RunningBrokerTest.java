package dev.meshfleet.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningBrokerTest {

    @Test
    void theBootstrapIsTheAddressTheSandboxBrokerAdvertises() {
        String props = KafkaBroker.serverProperties(Path.of("/tmp/data"), 40123, 40124);
        assertThat(RunningBroker.bootstrapOf(props)).contains("127.0.0.1:40123");
        assertThat(RunningBroker.bootstrapOf("node.id=1\n")).isEmpty();
    }

    @Test
    void aRunWhoseBrokerIsNotRunningIsNotFound(@TempDir Path root) throws Exception {
        Path run = root.resolve("20260101-000000-1");
        Files.createDirectories(run.resolve("pids"));
        Files.createDirectories(run.resolve("kafka"));
        Files.writeString(run.resolve("kafka/server.properties"),
                KafkaBroker.serverProperties(Path.of("/tmp/data"), 40123, 40124));
        // This test's own pid: alive, but not a sandbox child (no marker on its command line).
        Files.writeString(run.resolve("pids/kafka.pid"), Long.toString(ProcessHandle.current().pid()));
        assertThat(RunningBroker.find(root)).isEqualTo(Optional.empty());
        assertThat(RunningBroker.find(root.resolve("missing"))).isEmpty();
    }
}
