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
}
