package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bearer tokens to users, as https://kubernetes.io/docs/reference/access-authn-authz/authentication/ states it:
 * ServiceAccount tokens, static tokens, anonymous requests, and tokens no one issued.
 */
class TokenAuthenticatorTest {

    private static final TokenAuthenticator AUTHENTICATOR = new TokenAuthenticator(Map.of(
            "sa-token", UserInfo.serviceAccount("meshfleet-system", "meshfleet-installer"),
            "admin-token", UserInfo.platformAdmin(),
            "operator-token", UserInfo.user("mesh-operator")));

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("a ServiceAccount token", "Bearer sa-token",
                        "system:serviceaccount:meshfleet-system:meshfleet-installer",
                        Set.of("system:serviceaccounts", "system:serviceaccounts:meshfleet-system", "system:authenticated")),
                Arguments.of("the scheme in any case", "bearer sa-token",
                        "system:serviceaccount:meshfleet-system:meshfleet-installer",
                        Set.of("system:serviceaccounts", "system:serviceaccounts:meshfleet-system", "system:authenticated")),
                Arguments.of("an administrator", "Bearer admin-token", "platform-admin",
                        Set.of("system:masters", "system:authenticated")),
                Arguments.of("a user in no group of its own", "Bearer operator-token", "mesh-operator",
                        Set.of("system:authenticated")),
                Arguments.of("no Authorization header", null, "system:anonymous", Set.of("system:unauthenticated")),
                Arguments.of("an empty bearer token", "Bearer ", "system:anonymous", Set.of("system:unauthenticated")),
                Arguments.of("basic credentials, which no authenticator takes", "Basic dXNlcjpwYXNz", "system:anonymous",
                        Set.of("system:unauthenticated")),
                Arguments.of("a token no one issued", "Bearer guessed", null, null),
                Arguments.of("a token's prefix", "Bearer sa-tok", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void aTokenIsItsUserAnUnknownTokenIsRefusedAndNoTokenIsAnonymous(String what, String header, String username,
            Set<String> groups) {
        TokenAuthenticator.Result result = AUTHENTICATOR.authenticate(header);
        if (username == null) {
            assertThat(result).isInstanceOf(TokenAuthenticator.Result.Refused.class);
        } else {
            assertThat(result).isEqualTo(new TokenAuthenticator.Result.Authenticated(new UserInfo(username, groups)));
        }
    }
}
