package dev.meshfleet.installer.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.meshfleet.installer.remote.ReaderTokenRefill.Decision;
import dev.meshfleet.installer.remote.ReaderTokenRefill.Reason;
import dev.meshfleet.installer.remote.ReaderTokenRefill.Token;
import dev.meshfleet.installer.remote.ReaderTokenRefill.Version;

class ReaderTokenRefillTest {

    /**
     * One row per case. Columns: what the remote secret records (its annotation's value; empty: none), the reader
     * token Secret read now ({@code unread}, {@code unfilled}, or its {@code uid/resourceVersion} with a token), and
     * the decision ({@code keep}, or the reason of a refill).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            the token it was filled from                                 | u1/5 | u1/5     | keep
            recreated by hand or by the remote's drift repair: a new uid | u1/5 | u2/1     | RECREATED
            recreated, and the new uid happens to have the same version  | u1/5 | u2/5     | RECREATED
            written in place since (a rotated token, an edited label)    | u1/5 | u1/9     | CHANGED
            written before this rule: nothing recorded                   |      | u1/5     | UNRECORDED
            an annotation edited into something else                     | junk | u1/5     | UNRECORDED
            recreated, not filled by the token controller yet            | u1/5 | unfilled | keep
            deleted, not created again yet                               | u1/5 | unfilled | keep
            nothing recorded and no token to put in                      |      | unfilled | keep
            the remote cluster unreachable or unregistered               | u1/5 | unread   | keep
            """)
    void aRemoteSecretIsFilledAgainOnlyFromAFilledTokenSecretThatIsNotTheOneItRecords(String row, String recorded,
            String now, String expected) {
        Token token = switch (now) {
            case "unread" -> new Token.Unread();
            case "unfilled" -> new Token.Unfilled();
            default -> new Token.Filled(new Version(now.split("/")[0], now.split("/")[1]));
        };
        Decision want = expected.equals("keep") ? new Decision.Keep() : new Decision.Refill(Reason.valueOf(expected));

        assertThat(ReaderTokenRefill.decide(Version.parse(recorded), token)).isEqualTo(want);
    }

    @Test
    void theRecordedVersionIsTheTokenSecretsUidAndResourceVersionAndReadsBack() {
        Version version = new Version("0f9c6a2e-7d1b-4c55-9a57-2b8d6c1e3f40", "48213");
        assertThat(version.annotation()).isEqualTo("0f9c6a2e-7d1b-4c55-9a57-2b8d6c1e3f40/48213");
        assertThat(Version.parse("0f9c6a2e-7d1b-4c55-9a57-2b8d6c1e3f40/48213")).contains(version);
        assertThat(Version.parse(null)).isEmpty();
        assertThat(Version.parse("")).isEmpty();
        assertThat(Version.parse("/48213")).isEmpty();
        assertThat(Version.parse("u1/")).isEmpty();
        assertThat(Version.parse("u1")).isEmpty();
        assertThat(ReaderTokenRefill.decide(Optional.empty(), new Token.Unread())).isEqualTo(new Decision.Keep());
    }
}
