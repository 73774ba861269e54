package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RepositoryCredentialsTest {
    private static final RepositoryCredentials BASIC = RepositoryCredentials.fromSecret("meshfleet-system/charts",
            Map.of("repository", "https://charts.example.com/istio", "username", "bob", "password", "s3cret"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://charts.example.com/istio/index.yaml, true",
            "https://charts.example.com/elsewhere/x.tgz, true",
            "HTTPS://CHARTS.EXAMPLE.COM:443/istio/index.yaml, true",
            "https://charts.example.com.evil.io/istio/index.yaml, false",
            "http://charts.example.com/istio/index.yaml, false",
            "https://charts.example.com:8443/istio/index.yaml, false",
            "https://cdn.example.com/istio/x.tgz, false"})
    void credentialsGoOnlyToTheRepositorysSchemeHostAndPort(String url, boolean sent) {
        assertThat(BASIC.authorizationFor(URI.create(url)).isPresent()).isEqualTo(sent);
    }

    @Test
    void basicAndBearerHeadersAreMadeFromTheSecret() {
        // base64("bob:s3cret")
        assertThat(BASIC.authorizationFor(URI.create("https://charts.example.com/istio/index.yaml")))
                .contains("Basic Ym9iOnMzY3JldA==");
        RepositoryCredentials bearer = RepositoryCredentials.fromSecret("ns/t",
                Map.of("repository", "https://charts.example.com", "token", "tok-123"));
        assertThat(bearer.authorizationFor(URI.create("https://charts.example.com/a"))).isEqualTo(Optional.of("Bearer tok-123"));
    }

    @Test
    void aBadSecretIsNamedByKeyNeverByValue() {
        assertThatThrownBy(() -> RepositoryCredentials.fromSecret("ns/c", Map.of("username", "bob", "password", "s3cret")))
                .hasMessageContaining("Secret ns/c has no data key 'repository'");
        assertThatThrownBy(() -> RepositoryCredentials.fromSecret("ns/c", Map.of("repository", "https://h", "username", "bob")))
                .hasMessageContaining("neither 'token' nor both 'username' and 'password'").hasMessageNotContaining("bob");
        assertThatThrownBy(() -> RepositoryCredentials.fromSecret("ns/c",
                Map.of("repository", "https://bob:s3cret@h/", "username", "bob", "password", "s3cret")))
                .hasMessageContaining("must not carry credentials").hasMessageNotContaining("s3cret");
        assertThat(BASIC.toString()).doesNotContain("s3cret").doesNotContain("Ym9i");
    }
}
