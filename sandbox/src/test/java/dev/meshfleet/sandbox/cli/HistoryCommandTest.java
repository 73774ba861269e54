package dev.meshfleet.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


/** Bad input to ./meshfleet history gets exit 2 and a sentence naming what is wrong, never a stack trace. */
class HistoryCommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Ilm/gloo-mesh/x | 1h | 'Ilm/gloo-mesh/x' is not Kind/namespace/name",
        "IstioLifecycleManager/gloo-mesh | 1h | is not Kind/namespace/name",
        "IstioLifecycleManager/gloo-mesh/x | yesterday | --since takes a positive duration such as 2h or 30m, not 'yesterday'",
        "IstioLifecycleManager/gloo-mesh/x | -2h | --since takes a positive duration",
    })
    void badInputIsRefusedNamingIt(String resource, String since, String expected) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of("history", resource, "--since=" + since, "--bootstrap-server", "127.0.0.1:1"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String error = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(error).isEqualTo(2);
        assertThat(error).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "history --bootstrap-server 127.0.0.1:1 | history: name a resource (Kind/namespace/name) or give --cluster NAME, not both",
        "history IstioLifecycleManager/gloo-mesh/x --cluster cluster1 --bootstrap-server 127.0.0.1:1 | not both",
        "history IstioLifecycleManager/gloo-mesh/x --command-config /no/such/file.properties | history: --command-config /no/such/file.properties cannot be read as a properties file (no such file)",
        "fleet --at yesterday --bootstrap-server 127.0.0.1:1 | fleet: --at 'yesterday' is neither an RFC 3339 time such as 2026-11-30T14:05:00Z nor a duration ago such as -2h",
        "fleet --diff -2h 14:05 --bootstrap-server 127.0.0.1:1 | fleet: --diff '14:05' is neither an RFC 3339 time",
        "fleet --at -1h --diff -2h -1h --bootstrap-server 127.0.0.1:1 | fleet: give --at TIME or --diff T1 T2, not both",
        "fleet -o yaml --bootstrap-server 127.0.0.1:1 | fleet: -o takes table or json, not 'yaml'",
        "fleet --command-config /no/such/file.properties | fleet: --command-config /no/such/file.properties cannot be read",
        "sandbox run -f examples/ilm-minimal.yaml --history ilm/gloo-mesh | sandbox: --history 'ilm/gloo-mesh' is not Kind/namespace/name",
    })
    void badInputOfHistoryAndFleetIsRefusedBeforeAnyKafkaIsAsked(String args, String expected) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of(args.split(" ")), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String error = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(error).isEqualTo(2);
        assertThat(error).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
