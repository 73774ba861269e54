package dev.meshfleet.sandbox.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.meshfleet.sandbox.faults.FaultOutcome.Killed;
import dev.meshfleet.sandbox.faults.FaultOutcome.Paused;

/**
 * Plays {@code --kill} and {@code --pause} on the fleet's processes at their times, counted from
 * {@link #start}, and keeps what happened to each process for the report ({@link FaultOutcome}).
 */
public final class FaultPlayer implements AutoCloseable {

    /** What the player does to processes; the sandbox implements it over its broker and services. */
    public interface Processes {
        /** SIGKILL; returns once the process is gone. */
        void kill(String instance);

        /** Starts the instance again; returns once it is ready (the broker answers, a service's readiness is UP). */
        void restart(String instance, Duration timeout) throws Exception;

        /** The pid of the instance's process as it runs now. */
        long pid(String instance);
    }

    private final List<ProcessFault> faults;
    private final Processes processes;
    private final PrintStream log;
    private final Duration readyTimeout;
    private final ScheduledExecutorService timer;
    private final List<Future<FaultOutcome>> played = new ArrayList<>();
    private final List<Long> stopped = new ArrayList<>();
    private Instant start;

    public FaultPlayer(List<ProcessFault> faults, Processes processes, Duration readyTimeout, PrintStream log) {
        this.faults = List.copyOf(faults);
        this.processes = processes;
        this.readyTimeout = readyTimeout;
        this.log = log;
        int tasks = faults.stream().mapToInt(f -> f.instances().size()).sum();
        this.timer = Executors.newScheduledThreadPool(Math.max(1, tasks), r -> {
            Thread t = new Thread(r, "sandbox-faults");
            t.setDaemon(true);
            return t;
        });
    }

    /** Schedules every fault; their delays count from now (the start of the first step). */
    public synchronized void start() {
        start = Instant.now();
        for (ProcessFault fault : faults) {
            for (String instance : fault.instances()) {
                played.add(timer.schedule(() -> play(fault, instance), fault.delay().toNanos(), TimeUnit.NANOSECONDS));
            }
        }
    }

    /** When the last fault ends (its restart or its SIGCONT), counted from {@link #start}. */
    public Duration lastEnd() {
        return faults.stream().map(ProcessFault::end).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Waits until every fault has been played to its end (restarted and ready, or continued). */
    public List<FaultOutcome> awaitPlayed(Duration timeout) throws InterruptedException, TimeoutException {
        List<Future<FaultOutcome>> all;
        synchronized (this) {
            all = List.copyOf(played);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<FaultOutcome> outcomes = new ArrayList<>();
        for (Future<FaultOutcome> f : all) {
            try {
                outcomes.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                throw new IllegalStateException("playing a fault failed", e.getCause());
            }
        }
        return outcomes;
    }

    private FaultOutcome play(ProcessFault fault, String instance) throws Exception {
        if (fault instanceof ProcessFault.Kill kill) {
            return kill(kill, instance);
        }
        return pause((ProcessFault.Pause) fault, instance);
    }

    private FaultOutcome kill(ProcessFault.Kill fault, String instance) throws InterruptedException {
        Duration killedAt = sinceStart();
        processes.kill(instance);
        log.println("sandbox: fault: " + instance + " killed at " + FaultOutcome.time(killedAt) + " (" + fault.spec() + ")");
        Thread.sleep(fault.restartAfter().toMillis());
        Instant restarted = Instant.now();
        Duration restartedAt = sinceStart();
        try {
            processes.restart(instance, readyTimeout);
        } catch (Exception e) {
            log.println("sandbox: fault: " + instance + " did not come back: " + e.getMessage());
            return new Killed(fault, instance, killedAt, restartedAt, restarted, null, e.getMessage());
        }
        Duration ready = Duration.between(restarted, Instant.now());
        log.println("sandbox: fault: " + instance + " restarted at " + FaultOutcome.time(restartedAt) + ", ready "
                + FaultOutcome.time(ready) + " later");
        return new Killed(fault, instance, killedAt, restartedAt, restarted, ready, null);
    }

    private FaultOutcome pause(ProcessFault.Pause fault, String instance) throws IOException, InterruptedException {
        long pid = processes.pid(instance);
        Duration stoppedAt = sinceStart();
        signal("STOP", pid);
        synchronized (this) {
            stopped.add(pid);
        }
        log.println("sandbox: fault: " + instance + " stopped (SIGSTOP) at " + FaultOutcome.time(stoppedAt) + " ("
                + fault.spec() + ")");
        Thread.sleep(fault.duration().toMillis());
        Duration continuedAt = sinceStart();
        signal("CONT", pid);
        synchronized (this) {
            stopped.remove(pid);
        }
        log.println("sandbox: fault: " + instance + " continued (SIGCONT) at " + FaultOutcome.time(continuedAt));
        return new Paused(fault, instance, stoppedAt, continuedAt);
    }

    private synchronized Duration sinceStart() {
        return Duration.between(start, Instant.now());
    }

    /** kill -SIG pid: Java's Process API sends only SIGTERM and SIGKILL. */
    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed: "
                    + new String(kill.getInputStream().readAllBytes()).trim());
        }
    }

    /** Cancels what has not been played and wakes every process still stopped, so that it can be stopped. */
    @Override
    public void close() {
        timer.shutdownNow();
        List<Long> still;
        synchronized (this) {
            still = List.copyOf(stopped);
            stopped.clear();
        }
        for (long pid : still) {
            try {
                signal("CONT", pid);
            } catch (IOException e) {
                log.println("sandbox: fault: cannot wake " + pid + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
