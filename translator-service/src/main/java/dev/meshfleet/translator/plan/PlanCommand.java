package dev.meshfleet.translator.plan;

import dev.meshfleet.translator.translate.ChartRelease;
import dev.meshfleet.translator.translate.Plan;
import dev.meshfleet.translator.translate.Translation;
import dev.meshfleet.translator.translate.TranslationError;
import dev.meshfleet.translator.translate.Translator;
import dev.meshfleet.translator.translate.TranslatorSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plan preview: {@code plan -f FILE... [--cluster NAME] [--registered a,b]} prints, per cluster and
 * installation, the charts and exact Helm values the translator would publish, or the validation
 * errors with their field paths. A plain main (no Quarkus, no Kafka): it runs the same pure
 * translation as the service. Exit 0 when every installation translates, 1 otherwise, 2 on usage
 * errors.
 */
public final class PlanCommand {
    static final String USAGE = "usage: plan -f FILE... [--cluster NAME] [--registered CLUSTER,CLUSTER...]";

    private PlanCommand() {
    }

    public static void main(String[] args) {
        // The class path is the service's lib/main, whose SLF4J binding needs the JBoss log manager
        // from lib/boot; the preview logs nothing, so say so instead of printing provider warnings.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        String clusterFilter = null;
        Set<String> registered = null;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (rest.isEmpty() || !rest.get(0).equals("plan")) {
            err.println("expected the subcommand 'plan'" + (rest.isEmpty() ? "" : ", got '" + rest.get(0) + "'"));
            err.println(USAGE);
            return 2;
        }
        rest.remove(0);
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            switch (a) {
                case "-f", "--filename" -> {
                    int start = i + 1;
                    while (i + 1 < rest.size() && !rest.get(i + 1).startsWith("-")) {
                        files.add(Path.of(rest.get(++i)));
                    }
                    if (i + 1 == start) {
                        err.println(a + " needs at least one file");
                        err.println(USAGE);
                        return 2;
                    }
                }
                case "--cluster" -> {
                    if (i + 1 >= rest.size()) {
                        err.println("--cluster needs a cluster name");
                        err.println(USAGE);
                        return 2;
                    }
                    clusterFilter = rest.get(++i);
                }
                case "--registered" -> {
                    if (i + 1 >= rest.size()) {
                        err.println("--registered needs a comma-separated list of cluster names");
                        err.println(USAGE);
                        return 2;
                    }
                    registered = new LinkedHashSet<>();
                    for (String c : rest.get(++i).split(",")) {
                        if (!c.isBlank()) {
                            registered.add(c.trim());
                        }
                    }
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    err.println("unknown argument '" + a + "'");
                    err.println(USAGE);
                    return 2;
                }
            }
        }
        if (files.isEmpty()) {
            err.println("no input: give at least one manifest with -f FILE");
            err.println(USAGE);
            return 2;
        }
        List<Manifests.Resource> resources = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                err.println("cannot read " + file + ": no such file");
                return 2;
            }
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                resources.addAll(Manifests.read(r, file.toString()));
            } catch (IOException e) {
                err.println(e.getMessage());
                return 2;
            }
        }
        if (resources.isEmpty()) {
            err.println("no IstioLifecycleManager or GatewayLifecycleManager in " + files);
            return 2;
        }
        Translator translator = new Translator(TranslatorSettings.defaults());
        boolean ok = true;
        for (Manifests.Resource res : resources) {
            Translation t = translator.translate(res.owner(), res.generation(), res.spec());
            ok &= print(t, clusterFilter, registered, out);
        }
        return ok ? 0 : 1;
    }

    private static boolean print(Translation t, String clusterFilter, Set<String> registered, PrintStream out) {
        out.println("# " + t.owner().kind() + " " + t.owner().namespace() + "/" + t.owner().name() + " (generation "
                + t.generation() + ")");
        Set<String> clusters = new TreeSet<>(t.plansByCluster().keySet());
        t.errors().forEach(e -> clusters.add(e.cluster()));
        boolean ok = t.errors().isEmpty();
        for (String cluster : clusters) {
            if (clusterFilter != null && !clusterFilter.equals(cluster)) {
                continue;
            }
            out.println("cluster " + cluster + ":");
            boolean unregistered = registered != null && !registered.contains(cluster)
                    && !cluster.equals(TranslationError.SPEC_CLUSTER);
            for (Plan p : t.plans(cluster)) {
                String rev = p.revision().isEmpty() ? "default" : p.revision();
                out.println("  installation " + rev + " (tag " + p.tag() + (p.defaultRevision() ? ", default revision" : "")
                        + (p.activeGateway() ? ", active gateway" : "") + ") plan " + p.planHash().substring(0, 12));
                if (unregistered) {
                    out.println("    not registered: would be PENDING until cluster " + cluster + " is registered");
                    continue;
                }
                for (ChartRelease c : p.charts()) {
                    out.println("    chart " + c.chart() + " release " + c.releaseName() + " namespace " + c.namespace());
                    out.println("      values:");
                    String yaml = PlanDocument.yaml(Manifests.YAML.valueToTree(
                            dev.meshfleet.translator.translate.Canonical.parse(c.valuesJson())));
                    yaml.lines().forEach(line -> out.println("        " + line));
                }
            }
            for (TranslationError e : t.errors()) {
                if (e.cluster().equals(cluster)) {
                    out.println("  FAILED" + (e.revision().isEmpty() ? "" : " revision " + e.revision()) + ": " + e.describe());
                }
            }
        }
        return ok;
    }
}
