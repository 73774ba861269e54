package dev.meshfleet.sandbox.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./meshfleet help [COMMAND...]}: the usage of any command of the tree, nested ones too
 * ({@code help sandbox run}); picocli's own help command stops at the first level.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the usage of meshfleet or of a command, e.g. 'help sandbox run'.")
final class HelpCommand implements Callable<Integer> {

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, e.g. sandbox run. Default: none"
            + " (meshfleet itself).")
    List<String> path = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws UsageException {
        CommandLine at = spec.root().commandLine();
        for (String name : path) {
            CommandLine next = at.getSubcommands().get(name);
            if (next == null) {
                throw new UsageException("help: no command '" + String.join(" ", path) + "'; the commands of '"
                        + at.getCommandSpec().qualifiedName(" ") + "' are " + String.join(", ", at.getSubcommands().keySet()));
            }
            at = next;
        }
        at.usage(spec.commandLine().getOut());
        return 0;
    }
}
