package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.meshfleet.translator.plan.PlanCommand;
import dev.meshfleet.translation.TranslatorSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./meshfleet plan}: the translator's plan preview ({@link PlanCommand}), offline. */
@Command(name = "plan", sortOptions = false,
        description = {"Translate ILM/GLM files offline, as the translator would: per cluster and installation, the"
                + " charts and exact Helm values it would publish, or the validation errors with their field paths."
                + " No Kafka, no cluster.",
                "Exit status: 0 every installation translates, 1 validation errors, 2 a file or document it could"
                        + " not read (named on stderr) or bad usage."})
final class PlanCli implements Callable<Integer> {

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", required = true,
            description = "A file of ILM/GLM documents (multi-document YAML). Repeatable, as for sandbox run: -f a.yaml"
                    + " -f b.yaml. Required.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--cluster", paramLabel = "NAME", description = "Show only this cluster. Default: every cluster.")
    String cluster;

    @Option(names = "--registered", paramLabel = "CLUSTER[,CLUSTER...]", split = ",",
            description = "The registered clusters; the others show as PENDING (not registered), without values."
                    + " Default: every cluster is registered.")
    List<String> registered;

    @Option(names = "--allowed-chart-sources", paramLabel = "PREFIX[,PREFIX...]", split = ",",
            description = "Chart sources spec.helmGlobal.repo may name, as the translator's"
                    + " meshfleet.translator.allowed-chart-sources. Default: none (only the installer's default).")
    List<String> allowedChartSources = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream out;
    private final PrintStream err;

    PlanCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        Set<String> registeredSet = null;
        if (registered != null) {
            registeredSet = new LinkedHashSet<>();
            for (String c : registered) {
                if (!c.isBlank()) {
                    registeredSet.add(c.trim());
                }
            }
        }
        TranslatorSettings settings;
        try {
            settings = TranslatorSettings.defaults().allowing(allowedChartSources);
            settings.allowList();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return PlanCommand.UNREADABLE;
        }
        return PlanCommand.plan(files, cluster, registeredSet, settings, out, err);
    }
}
