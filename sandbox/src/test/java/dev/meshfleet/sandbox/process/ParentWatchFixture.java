package dev.meshfleet.sandbox.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test fixture: "parent AGENT" starts a child with the agent and prints "child PID"; "child" just waits. */
public final class ParentWatchFixture {

    private ParentWatchFixture() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("parent")) {
            List<String> cmd = new ArrayList<>(JavaCommand.prefix(Path.of(args[1]), "watch-fixture", List.of(
                    "-cp", System.getProperty("java.class.path"))));
            cmd.addAll(List.of(ParentWatchFixture.class.getName(), "child"));
            Process child = new ProcessBuilder(cmd).inheritIO().start();
            System.out.println("child " + child.pid());
            System.out.flush();
            child.waitFor();
        } else {
            // The child waits for ever; only the agent's parent watch ends it.
            Thread.currentThread().join();
        }
    }
}
