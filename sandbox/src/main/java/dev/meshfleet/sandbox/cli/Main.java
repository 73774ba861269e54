package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The one command line of {@code ./meshfleet}: every command is a picocli subcommand of this tree
 * ({@code sandbox run|up}, {@code plan}, {@code bench}, {@code soak}, {@code dlq list|replay}, {@code history},
 * {@code fleet}, {@code mesh}, {@code completion}, {@code help}),
 * so every option has its help and default in one place, and the shell completion is generated from the same tree.
 * Exit codes: 0 success (run: all HEALTHY or deleted), 1 settled otherwise (plan: validation errors),
 * 2 timeout, error or bad usage; a bad usage message starts with {@code meshfleet: } and names the option.
 */
@Command(name = "meshfleet", sortOptions = false,
        description = "Meshfleet's local fleet, plan preview, history, mesh summary and benchmarks. 'meshfleet help"
                + " COMMAND' shows a command's options, each with its default.",
        footer = {"", "Exit status: 0 success (sandbox run: all HEALTHY or UNINSTALLED/deleted), 1 settled otherwise"
                + " (plan: validation errors; mesh: a link not up), 2 timeout, error or bad usage."})
public final class Main implements Callable<Integer> {

    public static final int HEALTHY = 0;
    public static final int SETTLED_UNHEALTHY = 1;
    public static final int ERROR = 2;

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** No command: the usage, on stderr since stdout may be piped, and exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ERROR;
    }

    /** The whole tree, writing to out and err (tests pass their own streams). */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine root = new CommandLine(new Main());
        root.addSubcommand("sandbox", new CommandLine(new SandboxCommand())
                .addSubcommand("run", new SandboxCommand.Run(out, err))
                .addSubcommand("up", new SandboxCommand.Up(out, err)));
        root.addSubcommand("plan", new PlanCli(out, err));
        root.addSubcommand("bench", new CommandLine(new BenchCommand(out, err))
                .addSubcommand("fleet", new FleetBenchCommand(out, err))
                .addSubcommand("audit", new AuditBenchCommand(out, err))
                .addSubcommand("peering", new PeeringBenchCommand(out, err)));
        root.addSubcommand("soak", new SoakCommand(out, err));
        root.addSubcommand("dlq", new CommandLine(new DlqCommand())
                .addSubcommand("list", new DlqCommand.ListLetters(out))
                .addSubcommand("replay", new DlqCommand.Replay(out)));
        root.addSubcommand("history", new HistoryCommand(out));
        root.addSubcommand("fleet", new FleetCommand(out));
        root.addSubcommand("mesh", new MeshCommand(out));
        root.addSubcommand("completion", new CompletionCommand());
        root.addSubcommand("help", new HelpCommand());
        root.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        root.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        root.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("meshfleet: " + usageMessage(root, ex));
            ex.getCommandLine().getErr().println("See './meshfleet help"
                    + qualified(ex.getCommandLine()) + "' for the options.");
            return ERROR;
        });
        root.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                cmd.getErr().println("meshfleet: interrupted");
            } else {
                cmd.getErr().println("meshfleet: " + ex.getMessage());
            }
            return ERROR;
        });
        return root;
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        int code = commandLine(out, err).execute(args.toArray(String[]::new));
        out.flush();
        err.flush();
        return code;
    }

    private static String usageMessage(CommandLine root, CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && ex.getCommandLine() == root
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "'; use "
                    + String.join(", ", root.getSubcommands().keySet());
        }
        return ex.getMessage();
    }

    private static String qualified(CommandLine cmd) {
        String name = cmd.getCommandSpec().qualifiedName(" ");
        int space = name.indexOf(' ');
        return space < 0 ? "" : name.substring(space);
    }
}
