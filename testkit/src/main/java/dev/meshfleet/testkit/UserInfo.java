package dev.meshfleet.testkit;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Who sent a request, as Kubernetes' authentication leaves it ({@code user.Info}: a username and groups), and
 * what an admission webhook receives as {@code userInfo}. {@link MockApiServer} authenticates every request to the
 * management cluster ({@link TokenAuthenticator}), and to the workload clusters when it enforces RBAC there, and hands
 * the result on with the request: {@link #of} reads it back, in the store or in whatever the server calls for that
 * request.
 */
public record UserInfo(String username, Set<String> groups) {

    /** The user the server authenticated, on the request it hands on; a client's own value is dropped on arrival. */
    public static final String USER_HEADER = "X-Remote-User";
    /** The user's groups, comma-separated (group names hold no comma in Kubernetes' bootstrap policy or ours). */
    public static final String GROUPS_HEADER = "X-Remote-Group";

    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    /** The group the authorizer allows everything, as Kubernetes' does. */
    public static final String MASTERS = "system:masters";

    public UserInfo {
        groups = Set.copyOf(groups);
    }

    /** A ServiceAccount's token: {@code system:serviceaccount:NS:NAME} in the ServiceAccount groups. */
    public static UserInfo serviceAccount(String namespace, String name) {
        return new UserInfo("system:serviceaccount:" + namespace + ":" + name,
                Set.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, AUTHENTICATED));
    }

    /** A person or a client certificate's subject, in the given groups and {@code system:authenticated}. */
    public static UserInfo user(String username, String... groups) {
        Set<String> all = new LinkedHashSet<>(Arrays.asList(groups));
        all.add(AUTHENTICATED);
        return new UserInfo(username, all);
    }

    /** A cluster administrator: in {@code system:masters}, which RBAC does not check. */
    public static UserInfo platformAdmin() {
        return user("platform-admin", MASTERS);
    }

    /** A request without credentials, as Kubernetes' anonymous authenticator names it. */
    public static UserInfo anonymous() {
        return new UserInfo("system:anonymous", Set.of(UNAUTHENTICATED));
    }

    /** The user {@link MockApiServer} authenticated for this request, if it did. */
    public static Optional<UserInfo> of(RecordedRequest request) {
        String name = request.getHeader(USER_HEADER);
        if (name == null) {
            return Optional.empty();
        }
        String groups = request.getHeader(GROUPS_HEADER);
        return Optional.of(new UserInfo(name, groups == null || groups.isEmpty() ? Set.of()
                : Set.of(groups.split(","))));
    }
}
