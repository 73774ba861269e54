package dev.meshfleet.testkit;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Who made a request to the mock API server, as Kubernetes' {@code userInfo} names it (username and groups), for
 * what the server passes on: the AdmissionReview of a validating webhook.
 *
 * <p>The one place a request's user is decided ({@link #of}). For now it honours Kubernetes' impersonation headers
 * ({@code Impersonate-User}, each {@code Impersonate-Group}, as {@code kubectl --as USER --as-group G} sends them;
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation), adding
 * {@code system:authenticated} as the API server does, and otherwise answers {@code system:anonymous}; the bearer-token
 * authenticator of the server is to be consulted here once it exists.
 */
public record UserInfo(String username, List<String> groups) {
    public static final String IMPERSONATE_USER = "Impersonate-User";
    public static final String IMPERSONATE_GROUP = "Impersonate-Group";
    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of("system:unauthenticated"));

    public UserInfo {
        groups = List.copyOf(groups);
    }

    /** The user a request acts as. */
    public static UserInfo of(RecordedRequest request) {
        String user = request.getHeader(IMPERSONATE_USER);
        if (user == null || user.isBlank()) {
            return ANONYMOUS;
        }
        List<String> groups = new ArrayList<>();
        for (String group : request.getHeaders().headers(IMPERSONATE_GROUP)) {
            if (!group.isBlank() && !groups.contains(group)) {
                groups.add(group);
            }
        }
        if (!groups.contains("system:authenticated")) {
            groups.add("system:authenticated");
        }
        return new UserInfo(user.trim(), groups);
    }
}
