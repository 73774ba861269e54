package dev.meshfleet.sandbox.cli;

import java.nio.file.Path;

import dev.meshfleet.sandbox.fleet.ChartRbac;

/** One step of a sandbox run, executed in command-line order, as the user the last {@code --as} before it named. */
public sealed interface Step {

    /** Who sends the step's requests: a user of the sandbox's kubeconfig, platform-admin unless {@code --as}. */
    String user();

    /** -f FILE: apply every ILM/GLM document of the file to the management cluster. */
    record Apply(Path file, String user) implements Step {
        public Apply(Path file) {
            this(file, ChartRbac.PLATFORM_ADMIN);
        }

        @Override
        public String toString() {
            return "apply " + file + as(user);
        }
    }

    /** --delete Kind/namespace/name: delete it and wait until the finalizer lets it go. */
    record Delete(ResourceRef ref, String user) implements Step {
        public Delete(ResourceRef ref) {
            this(ref, ChartRbac.PLATFORM_ADMIN);
        }

        @Override
        public String toString() {
            return "delete " + ref + as(user);
        }
    }

    private static String as(String user) {
        return ChartRbac.PLATFORM_ADMIN.equals(user) ? "" : " as " + user;
    }
}
