package dev.meshfleet.sandbox.cli;

import java.nio.file.Path;

/** One step of a sandbox run, executed in command-line order. */
public sealed interface Step {

    /** -f FILE: apply every ILM/GLM document of the file to the management cluster. */
    record Apply(Path file) implements Step {
        @Override
        public String toString() {
            return "apply " + file;
        }
    }

    /** --delete Kind/namespace/name: delete it and wait until the finalizer lets it go. */
    record Delete(ResourceRef ref) implements Step {
        @Override
        public String toString() {
            return "delete " + ref;
        }
    }
}
