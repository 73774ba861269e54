package dev.meshfleet.sandbox.faults;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.fleet.InstanceNames;
import dev.meshfleet.schemas.time.GoDuration;

/**
 * Reads {@code --kill SERVICE@DELAY} and {@code --pause SERVICE@DELAY+DURATION}. Pure: a bad value is an
 * {@link IllegalArgumentException} whose message names the value and says what would do; the caller adds the
 * option.
 */
public final class ProcessFaults {

    /** The broker's name as a SERVICE. */
    public static final String KAFKA = "kafka";

    private static final Pattern INSTALLER_REPLICA = Pattern.compile("installer-(\\d{1,3})");

    private ProcessFaults() {
    }

    public static ProcessFault.Kill kill(String text, int installers, Duration restartAfter) {
        String[] parts = split(text, "SERVICE@DELAY, e.g. installer-1@3s");
        return new ProcessFault.Kill(parts[0], instances(text, parts[0], installers), duration(text, parts[1]),
                restartAfter);
    }

    public static ProcessFault.Pause pause(String text, int installers) {
        String usage = "SERVICE@DELAY+DURATION, e.g. installer-0@2s+40s";
        String[] parts = split(text, usage);
        int plus = parts[1].indexOf('+');
        if (plus <= 0 || plus == parts[1].length() - 1) {
            throw new IllegalArgumentException("'" + text + "' must be " + usage);
        }
        Duration duration = duration(text, parts[1].substring(plus + 1));
        if (duration.isZero()) {
            throw new IllegalArgumentException("'" + text + "': the pause must last more than 0");
        }
        return new ProcessFault.Pause(parts[0], instances(text, parts[0], installers),
                duration(text, parts[1].substring(0, plus)), duration);
    }

    /** The processes SERVICE names in a fleet of {@code installers} installer replicas. */
    static List<String> instances(String text, String service, int installers) {
        if (service.equals(KAFKA)) {
            return List.of(KAFKA);
        }
        if (service.equals(InstanceNames.INSTALLER)) {
            return InstanceNames.installers(installers);
        }
        if (RepoLayout.SERVICES.contains(service)) {
            return List.of(service);
        }
        Matcher replica = INSTALLER_REPLICA.matcher(service);
        if (replica.matches()) {
            int n = Integer.parseInt(replica.group(1));
            if (n >= installers) {
                throw new IllegalArgumentException("'" + text + "': there is no " + service + "; with --installers "
                        + installers + " the replicas are installer-0 .. installer-" + (installers - 1));
            }
            return List.of(InstanceNames.installerReplica(n));
        }
        throw new IllegalArgumentException("'" + text + "': no service '" + service + "'; give " + KAFKA + ", "
                + String.join(", ", RepoLayout.SERVICES) + " (every replica) or installer-N (one replica)");
    }

    private static String[] split(String text, String usage) {
        String t = text == null ? "" : text.trim();
        int at = t.indexOf('@');
        if (at <= 0 || at == t.length() - 1 || t.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("'" + text + "' must be " + usage);
        }
        return new String[] {t.substring(0, at), t.substring(at + 1)};
    }

    private static Duration duration(String text, String value) {
        try {
            return GoDuration.nonNegative(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
    }
}
