package dev.meshfleet.testkit;

import java.util.Map;

/**
 * Kubernetes' bearer-token authentication (a static token file, {@code --token-auth-file}, and ServiceAccount
 * tokens, which the API server maps the same way: one token, one user): a known token is its user; a token no one
 * issued is refused (401 Unauthorized), even when anonymous requests are allowed (a bad token is never taken as
 * anonymous); a request with no bearer token is
 * {@code system:anonymous}, as with the API server's default {@code --anonymous-auth=true}, and it is then for the
 * authorizer to refuse it. Per https://kubernetes.io/docs/reference/access-authn-authz/authentication/.
 */
public final class TokenAuthenticator {

    /** The outcome for one request. */
    public sealed interface Result {
        record Authenticated(UserInfo user) implements Result {
        }

        /** 401: the token is not one the server knows. */
        record Refused() implements Result {
        }
    }

    private final Map<String, UserInfo> tokens;

    /** @param tokens each token issued, and the user it stands for */
    public TokenAuthenticator(Map<String, UserInfo> tokens) {
        this.tokens = Map.copyOf(tokens);
    }

    /** @param authorization the request's {@code Authorization} header, or null */
    public Result authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Result.Authenticated(UserInfo.anonymous());
        }
        String[] scheme = authorization.strip().split("\\s+", 2);
        if (scheme.length < 2 || !scheme[0].equalsIgnoreCase("Bearer")) {
            // Basic or anything else: no authenticator takes it, which is not an error, so it is anonymous.
            return new Result.Authenticated(UserInfo.anonymous());
        }
        UserInfo user = tokens.get(scheme[1].strip());
        return user == null ? new Result.Refused() : new Result.Authenticated(user);
    }
}
