package dev.meshfleet.sandbox.fleet;

import java.util.ArrayList;
import java.util.List;

import dev.meshfleet.sandbox.RepoLayout;

/**
 * How the sandbox names its service processes: one instance per module ({@code spec-intake}, ...,
 * {@code installer-service} for installer replica 0, so that code written for one installer keeps working),
 * then {@code installer-1} .. {@code installer-N-1} for the other replicas. Replica ids are
 * {@code installer-0} .. {@code installer-N-1}.
 */
public final class InstanceNames {

    public static final String INSTALLER = "installer-service";
    static final String INSTALLER_REPLICA_PREFIX = "installer-";

    private InstanceNames() {
    }

    /** Every instance of a fleet with {@code installers} replicas: the modules, then installer-1 .. installer-N-1. */
    public static List<String> all(int installers) {
        List<String> names = new ArrayList<>(RepoLayout.SERVICES);
        for (int replica = 1; replica < installers; replica++) {
            names.add(installerReplica(replica));
        }
        return names;
    }

    /** The instance that runs installer replica {@code replica}: installer-service for 0, else installer-N. */
    public static String installerReplica(int replica) {
        return replica == 0 ? INSTALLER : INSTALLER_REPLICA_PREFIX + replica;
    }

    /** Every installer instance of a fleet with {@code installers} replicas, replica 0 first. */
    public static List<String> installers(int installers) {
        List<String> names = new ArrayList<>();
        for (int replica = 0; replica < installers; replica++) {
            names.add(installerReplica(replica));
        }
        return names;
    }

    /** The module an instance runs: installer-N is installer-service. */
    public static String moduleOf(String instance) {
        return instance.matches(INSTALLER_REPLICA_PREFIX + "\\d+") ? INSTALLER : instance;
    }

    /** The installer replica id of an instance: installer-0 for installer-service, else its own name. */
    public static String replicaIdOf(String instance) {
        return instance.equals(INSTALLER) ? INSTALLER_REPLICA_PREFIX + 0 : instance;
    }
}
