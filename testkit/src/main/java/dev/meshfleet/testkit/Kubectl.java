package dev.meshfleet.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl on the PATH (v1.32 here), run against a mock API server as people use the sandbox: its own
 * HOME and discovery cache under {@code home}, so that no user setting or stale cache changes the answer.
 */
public final class Kubectl {
    /** What kubectl printed and its exit code. */
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    private final Path home;

    public Kubectl(Path home) {
        this.home = home;
    }

    /** Runs kubectl with a kubeconfig given as text (written to a file under home), failing after 60 s. */
    public Result run(String kubeconfig, String... args) throws IOException, InterruptedException {
        Path config = Files.createTempFile(home, "kubeconfig", ".yaml");
        Files.writeString(config, kubeconfig);
        return run(config, args);
    }

    /** Runs kubectl with a kubeconfig file, failing after 60 s. */
    public Result run(Path kubeconfig, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", home.resolve("cache").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", home.toString());
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60s: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
