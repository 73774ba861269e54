package dev.meshfleet.sandbox.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line of a child JVM: same java as ours, the parent watch agent, the sandbox marker. */
public final class JavaCommand {

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
