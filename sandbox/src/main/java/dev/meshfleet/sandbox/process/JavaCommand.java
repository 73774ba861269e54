package dev.meshfleet.sandbox.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line of a child JVM: same java as ours, the parent watch agent, the sandbox marker. */
public final class JavaCommand {

    /**
     * How the sandbox's JVMs compile: a sandbox runs eight or more JVMs on a developer's few cores, each for minutes.
     * C1 only ({@code TieredStopAtLevel=1}): C2 threads cost more than they gave back (session 20: the four
     * installer replicas' C2 took 61 CPU s and doubled the ILM step; the broker's C2 took 9 of its 28 CPU s in a
     * 1,000-cluster run). And compiled ten to twenty times sooner ({@code CompileThresholdScaling}): a replica's hot
     * paths ran interpreted for most of a short rollout (45-60 % of its samples, JFR), so four replicas paid
     * that four times (session 22: the installers' CPU in a 200-cluster rollout with four replicas 22.9 s -> 14.5-16.9 s,
     * docs/bench/README.md). Not for production, where a service runs for weeks: there the JVM's defaults are right.
     */
    public static final List<String> SHORT_LIVED_JIT = List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.05");

    private JavaCommand() {
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** java -javaagent:agent=ourPid -Dmeshfleet.sandbox.child=name jvmOptions... */
    public static List<String> prefix(Path agentJar, String childName, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add("-javaagent:" + agentJar + "=" + ProcessHandle.current().pid());
        cmd.add(PidFiles.MARKER + childName);
        cmd.addAll(jvmOptions);
        return cmd;
    }
}
