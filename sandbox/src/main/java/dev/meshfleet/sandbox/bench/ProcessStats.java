package dev.meshfleet.sandbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the kernel says of one process: its peak resident set (VmHWM in /proc/PID/status, the high-water
 * mark since it started) and the CPU time it has used (user + system, from {@link ProcessHandle}).
 */
public record ProcessStats(long peakRssBytes, long rssBytes, Duration cpu) {

    public static final ProcessStats NONE = new ProcessStats(0, 0, Duration.ZERO);

    /** The process's figures now; {@link #NONE} when it is gone or the platform has no /proc. */
    public static ProcessStats of(long pid) {
        Optional<Duration> cpu = ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration());
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            return new ProcessStats(kib(status, "VmHWM:") * 1024, kib(status, "VmRSS:") * 1024,
                    cpu.orElse(Duration.ZERO));
        } catch (IOException e) {
            return NONE;
        }
    }

    /** The value of a {@code Name:   1234 kB} line of /proc/PID/status, in KiB; 0 when absent. */
    static long kib(String procStatus, String field) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        return 0;
    }
}
