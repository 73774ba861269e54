package dev.meshfleet.sandbox.cli;

/** A command line the sandbox cannot run; the message names the option and says what is expected. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
