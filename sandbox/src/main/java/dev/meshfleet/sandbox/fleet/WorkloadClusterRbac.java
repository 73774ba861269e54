package dev.meshfleet.sandbox.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.meshfleet.testkit.RbacAuthorizer;
import dev.meshfleet.testkit.UserInfo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;

/**
 * Who the installer is in the sandbox's workload clusters, taken from the file a user applies to each of theirs,
 * {@code deploy/workload-cluster/installer-role.yaml} (docs/install.md): its Roles, ClusterRoles and bindings are the
 * policy every workload cluster enforces, and its one ServiceAccount gets a token, which the registration kubeconfigs
 * carry. One source of truth: a grant missing from the file is refused in the sandbox as in a real cluster.
 */
public final class WorkloadClusterRbac {

    private final Path file;
    private final List<HasMetadata> policy;
    private final UserInfo installer;
    private final String installerToken;

    private WorkloadClusterRbac(Path file, List<HasMetadata> policy, UserInfo installer, String installerToken) {
        this.file = file;
        this.policy = policy;
        this.installer = installer;
        this.installerToken = installerToken;
    }

    /** Reads the role file; it must hold exactly one ServiceAccount, the installer's. */
    public static WorkloadClusterRbac load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the workload clusters' installer role " + file, e);
        }
        return of(file, ChartRbac.parse(text));
    }

    static WorkloadClusterRbac of(Path file, List<HasMetadata> objects) {
        List<ServiceAccount> accounts = objects.stream().filter(ServiceAccount.class::isInstance)
                .map(ServiceAccount.class::cast).toList();
        if (accounts.size() != 1) {
            throw new IllegalStateException(file + " must hold exactly one ServiceAccount, the installer's identity in"
                    + " each workload cluster; it holds " + accounts.size());
        }
        ServiceAccount account = accounts.get(0);
        List<HasMetadata> policy = objects.stream().filter(o -> o.getApiVersion() != null
                && o.getApiVersion().startsWith("rbac.authorization.k8s.io/")).toList();
        return new WorkloadClusterRbac(file, List.copyOf(policy), UserInfo.serviceAccount(
                account.getMetadata().getNamespace(), account.getMetadata().getName()), ChartRbac.newToken());
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The Roles, ClusterRoles and bindings of the file: what every workload cluster authorizes by. */
    public List<HasMetadata> policy() {
        return policy;
    }

    /** The installer's ServiceAccount, as the workload clusters authenticate its token. */
    public UserInfo installer() {
        return installer;
    }

    /** The token of the installer's ServiceAccount, the same in every workload cluster (never printed). */
    public String installerToken() {
        return installerToken;
    }

    /** Every token the workload clusters accept besides the administrator's, and its user. */
    public Map<String, UserInfo> tokens() {
        return Map.of(installerToken, installer);
    }

    /** What the file's roles grant that no request used, one line per verb and resource. */
    public List<String> unusedGrants(RbacAuthorizer authorizer) {
        return authorizer.unusedGrants().stream().map(RbacAuthorizer.Grant::toString).toList();
    }
}
