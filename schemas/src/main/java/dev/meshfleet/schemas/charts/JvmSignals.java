package dev.meshfleet.schemas.charts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;


import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Gives SIGTERM, SIGINT and SIGHUP back to the JVM after helm-java's Go library took them.
 *
 * <p>helm-java renders through a Go shared library whose install path (which {@code template} goes
 * through) calls Go's {@code signal.Notify} for SIGINT, SIGTERM and SIGQUIT (manusa/helm-java#409,
 * fix proposed in #411, not released in 0.0.21). The first call makes the Go runtime install its own
 * OS-level handlers in place of the JVM's, and nothing restores them: the installer then ignores
 * SIGTERM, so a Kubernetes pod stop waits out the grace period and ends in SIGKILL, with no
 * shutdown hooks (no clean leave of the consumer group, no closed clients).
 *
 * <p>Registering a Java handler for a signal makes the JVM install its own OS-level handler again.
 * The Java handlers that were there first (the JVM's terminator, which runs the shutdown hooks, or
 * whatever the application registered) are captured before the first render ({@link #capture()},
 * called by the renderer's constructor) and registered again after each render. Go counts its own
 * handler as installed and does not install it again, but the registration is a system call or two,
 * so it is simply repeated. A signal whose first handler could not be captured gets the
 * terminator's behaviour: exit with 128 + the signal's number, running the shutdown hooks. SIGQUIT
 * (thread dumps, attach) cannot be registered from Java; it stays with Go.
 */
public final class JvmSignals {
    private static final System.Logger LOG = System.getLogger(JvmSignals.class.getName());
    private static final List<String> SHUTDOWN_SIGNALS = List.of("TERM", "INT", "HUP");
    private static final Map<String, SignalHandler> FIRST = new HashMap<>();
    private static final SignalHandler TERMINATE = s -> Runtime.getRuntime().exit(128 + s.getNumber());

    private JvmSignals() {
    }

    /** Notes the Java handler of each shutdown signal, while the JVM still has the OS-level handler. */
    public static synchronized void capture() {
        for (String name : SHUTDOWN_SIGNALS) {
            if (FIRST.containsKey(name)) {
                continue;
            }
            try {
                Signal signal = new Signal(name);
                // The swap leaves TERMINATE in place for an instant; the previous handler goes back at once.
                SignalHandler previous = Signal.handle(signal, TERMINATE);
                boolean javaHandler = previous != null && previous != SignalHandler.SIG_DFL
                        && previous != SignalHandler.SIG_IGN && !previous.getClass().getName().contains("Native");
                FIRST.put(name, javaHandler || previous == SignalHandler.SIG_IGN ? previous : TERMINATE);
                Signal.handle(signal, FIRST.get(name));
            } catch (IllegalArgumentException e) {
                // Reserved by the VM (-Xrs) or unknown on this OS: nothing of ours to restore.
                LOG.log(System.Logger.Level.DEBUG, "cannot capture SIG" + name + ": " + e.getMessage());
            }
        }
    }

    /** Runs a helm-java call with the JVM's shutdown signals captured before it and taken back after it. */
    public static <T> T around(java.util.function.Supplier<T> helmCall) {
        capture();
        try {
            return helmCall.get();
        } finally {
            reclaim();
        }
    }

    /** Registers each shutdown signal's first Java handler again, taking the OS-level handler back. */
    public static synchronized void reclaim() {
        capture();
        for (String name : SHUTDOWN_SIGNALS) {
            SignalHandler first = FIRST.get(name);
            if (first != null && first != SignalHandler.SIG_IGN) {
                Signal.handle(new Signal(name), first);
            }
        }
    }
}
