package dev.meshfleet.installer.render;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import dev.meshfleet.schemas.charts.ChartSourceAllowList;
import dev.meshfleet.schemas.charts.ChartSourceAllowList.Allowed;
import dev.meshfleet.schemas.charts.ChartSourceAllowList.Location;
import dev.meshfleet.schemas.charts.ChartSourceAllowList.Refused;

/**
 * Credentials of one chart repository, read from a Secret (never from a URL): data {@code repository} (the
 * repository's URL) and either {@code username} and {@code password} (HTTP basic) or {@code token} (a bearer
 * token). They are sent only to the repository's scheme, host and port: not to an archive the index places on
 * another host, nor across a redirect to one. {@link #toString()} shows no secret. Pure.
 */
public final class RepositoryCredentials {
    private final Location repository;
    private final String authorization;

    private RepositoryCredentials(Location repository, String authorization) {
        this.repository = repository;
        this.authorization = authorization;
    }

    /**
     * The credentials in a Secret's decoded {@code data}; {@code secret} names it in errors.
     *
     * @throws IllegalArgumentException naming the Secret and the key at fault, never a value
     */
    public static RepositoryCredentials fromSecret(String secret, Map<String, String> data) {
        String url = data.get("repository");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Secret " + secret + " has no data key 'repository' (the repository URL"
                    + " its credentials are for)");
        }
        ChartSourceAllowList.Parsed parsed = ChartSourceAllowList.parse(url);
        if (parsed instanceof Refused r) {
            throw new IllegalArgumentException("Secret " + secret + ", key 'repository': " + r.why());
        }
        Location location = ((Allowed) parsed).location();
        if (!location.scheme().equals("http") && !location.scheme().equals("https")) {
            throw new IllegalArgumentException("Secret " + secret + ", key 'repository': credentials are sent to an"
                    + " http(s):// Helm repository only");
        }
        String token = data.get("token");
        String username = data.get("username");
        String password = data.get("password");
        if (token != null && !token.isBlank()) {
            return new RepositoryCredentials(location, "Bearer " + token.trim());
        }
        if (username == null || username.isEmpty() || password == null) {
            throw new IllegalArgumentException("Secret " + secret + " has neither 'token' nor both 'username' and"
                    + " 'password'");
        }
        return new RepositoryCredentials(location, "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** The Authorization header for a request to {@code uri}: only to the repository's own scheme, host and port. */
    public Optional<String> authorizationFor(URI uri) {
        ChartSourceAllowList.Parsed parsed = ChartSourceAllowList.parse(uri.toString());
        return parsed instanceof Allowed a && a.location().origin().equals(repository.origin())
                ? Optional.of(authorization) : Optional.empty();
    }

    @Override
    public String toString() {
        return "credentials for " + repository.origin() + " (hidden)";
    }
}
