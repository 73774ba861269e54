package dev.meshfleet.sandbox.process;

/**
 * A Java agent every child JVM of the sandbox loads ({@code -javaagent:<jar>=<parent pid>}): when the
 * sandbox process ends, however it ends (Ctrl-C, SIGTERM, SIGKILL), the child exits too, so a killed
 * sandbox orphans no broker or service. Uses only the JDK: it runs before the child's own class path
 * is of any use.
 */
public final class ParentWatchAgent {

    /** Grace for the child's own shutdown hooks (Quarkus, Kafka) before the JVM is halted. */
    private static final long HALT_AFTER_MILLIS = 15_000;

    private ParentWatchAgent() {
    }

    public static void premain(String args) {
        long parentPid;
        try {
            parentPid = Long.parseLong(args == null ? "" : args.trim());
        } catch (NumberFormatException e) {
            System.err.println("meshfleet parent watch: expected the parent pid as agent argument, got '" + args + "'");
            return;
        }
        var parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty()) {
            // The parent died before we even started.
            Runtime.getRuntime().halt(3);
        }
        parent.get().onExit().thenRun(ParentWatchAgent::exitBecauseParentIsGone);
    }

    private static void exitBecauseParentIsGone() {
        Thread halter = new Thread(ParentWatchAgent::haltLater, "meshfleet-parent-watch-halt");
        halter.setDaemon(true);
        halter.start();
        System.err.println("meshfleet parent watch: the sandbox process is gone; exiting");
        System.exit(3);
    }

    private static void haltLater() {
        try {
            Thread.sleep(HALT_AFTER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(4);
    }
}
