package dev.meshfleet.sandbox.faults;

import java.time.Duration;
import java.util.List;

import dev.meshfleet.schemas.time.GoDuration;

/**
 * Something done to the processes of the fleet while it runs ({@code --kill}, {@code --pause}): {@code delay}
 * after the first step starts, to every instance of {@code instances} (the broker is {@code kafka}).
 */
public sealed interface ProcessFault {

    /** The SERVICE as given on the command line. */
    String service();

    /** The processes it acts on: {@code kafka}, or service instance names (installer-service is replica 0). */
    List<String> instances();

    Duration delay();

    /** When the process is back: restarted, or continued; counted from the start of the first step. */
    Duration end();

    /** The command-line form, e.g. {@code --kill installer-1@3s}. */
    String spec();

    /** SIGKILL, then a restart {@code restartAfter} later, as a crash that the platform restarts. */
    record Kill(String service, List<String> instances, Duration delay, Duration restartAfter) implements ProcessFault {
        public Kill {
            instances = List.copyOf(instances);
        }

        @Override
        public Duration end() {
            return delay.plus(restartAfter);
        }

        @Override
        public String spec() {
            return "--kill " + service + "@" + GoDuration.format(delay);
        }
    }

    /** SIGSTOP, then SIGCONT {@code duration} later: a frozen VM, a long GC pause. */
    record Pause(String service, List<String> instances, Duration delay, Duration duration) implements ProcessFault {
        public Pause {
            instances = List.copyOf(instances);
        }

        @Override
        public Duration end() {
            return delay.plus(duration);
        }

        @Override
        public String spec() {
            return "--pause " + service + "@" + GoDuration.format(delay) + "+" + GoDuration.format(duration);
        }
    }
}
