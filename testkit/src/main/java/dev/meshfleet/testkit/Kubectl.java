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
        Running running = start(kubeconfig, args);
        if (!running.process.waitFor(60, TimeUnit.SECONDS)) {
            running.process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60s: " + running.err());
        }
        return running.result();
    }

    /**
     * Starts a kubectl that runs until stopped ({@code get -w}), with a kubeconfig given as text; what it printed so far
     * can be read while it runs.
     */
    public Running start(String kubeconfig, String... args) throws IOException {
        Path config = Files.createTempFile(home, "kubeconfig", ".yaml");
        Files.writeString(config, kubeconfig);
        return start(config, args);
    }

    private Running start(Path kubeconfig, String... args) throws IOException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", home.resolve("cache").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", home.toString());
        return new Running(pb.start(), out, err);
    }

    /** A kubectl process and the files its output goes to. */
    public record Running(Process process, Path outFile, Path errFile) {
        public String out() throws IOException {
            return Files.readString(outFile);
        }

        public String err() throws IOException {
            return Files.readString(errFile);
        }

        /** Stops it as Ctrl-C would (SIGTERM), and returns what it printed. */
        public Result stop() throws IOException, InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return result();
        }

        Result result() throws IOException {
            return new Result(process.exitValue(), out(), err());
        }
    }
}
