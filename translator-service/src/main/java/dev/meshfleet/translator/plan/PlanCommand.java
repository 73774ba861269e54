package dev.meshfleet.translator.plan;

import dev.meshfleet.translation.ChartRelease;
import dev.meshfleet.translation.EcpFacts;
import dev.meshfleet.translation.EcpTranslation;
import dev.meshfleet.translation.EcpTranslator;
import dev.meshfleet.translation.Plan;
import dev.meshfleet.translation.Translation;
import dev.meshfleet.translation.TranslationError;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plan preview: for ILM/GLM/ServiceMeshController files, prints per cluster and installation the charts and exact Helm values the
 * translator would publish, or the validation errors with their field paths. A library call (no Quarkus, no
 * Kafka): it runs the same pure translation as the service. The command line is the sandbox's
 * {@code ./meshfleet plan -f FILE... [--cluster NAME] [--registered a,b]}.
 */
public final class PlanCommand {
    /** Every installation translates. */
    public static final int OK = 0;
    /** Some installation has validation errors (printed with their field paths). */
    public static final int INVALID = 1;
    /** A file is missing, is not YAML, or holds a document that is not an ILM or GLM (named on err). */
    public static final int UNREADABLE = 2;

    private PlanCommand() {
    }

    /**
     * Plans every ILM and GLM of the files, in order.
     *
     * @param clusterFilter only this cluster, or null for all
     * @param registered the registered clusters (others show as PENDING), or null when every cluster is
     * @return {@link #OK}, {@link #INVALID} or {@link #UNREADABLE}
     */
    public static int plan(List<Path> files, String clusterFilter, Set<String> registered, PrintStream out,
            PrintStream err) {
        return plan(files, clusterFilter, registered, TranslatorSettings.defaults(), out, err);
    }

    /**
     * Plans every ILM and GLM of the files with {@code settings} (the defaults and the allowed chart sources of
     * the translator being previewed).
     */
    public static int plan(List<Path> files, String clusterFilter, Set<String> registered, TranslatorSettings settings,
            PrintStream out, PrintStream err) {
        List<Manifests.Resource> resources = new ArrayList<>();
        List<Manifests.Controller> externalControlPlanes = new ArrayList<>();
        List<Manifests.Unreadable> unreadable = new ArrayList<>();
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> extensions = new java.util.HashMap<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                err.println("cannot read " + file + ": no such file");
                return UNREADABLE;
            }
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Manifests.Read read = Manifests.readAll(r, file.toString());
                resources.addAll(read.resources());
                externalControlPlanes.addAll(read.externalControlPlanes());
                unreadable.addAll(read.unreadable());
                extensions.putAll(read.extensions());
            } catch (IOException e) {
                err.println(e.getMessage());
                return UNREADABLE;
            }
        }
        if (resources.isEmpty() && externalControlPlanes.isEmpty() && unreadable.isEmpty()) {
            err.println("no IstioLifecycleManager, GatewayLifecycleManager, ServiceMeshController or"
                    + " ExternalControlPlane in " + files);
            return UNREADABLE;
        }
        Translator translator = new Translator(settings);
        boolean ok = true;
        for (Manifests.Resource res : resources) {
            // A ServiceMeshController with its namespace's gloo-extensions-config when the files hold one (ADR 0045),
            // and NodePort peering when annotated (ADR 0046); its peers come from the installers, so none here.
            Translation t = translator.translate(res.owner(), res.generation(), res.spec(), EcpFacts.NONE,
                    extensions.get(res.owner().namespace()), res.peering());
            ok &= print(t.owner().kind() + " " + t.owner().namespace() + "/" + t.owner().name(), t.generation(),
                    t.plansByCluster(), t.errors(), clusterFilter, registered, out);
        }
        EcpTranslator ecpTranslator = new EcpTranslator(settings);
        for (Manifests.Controller c : externalControlPlanes) {
            // The plans once the external istiod is HEALTHY; before that, the remote clusters carry no webhook.
            EcpTranslation t = ecpTranslator.translate(c.namespace(), c.name(), c.generation(), c.spec(), EcpFacts.SETTLED);
            for (var role : t.roles().entrySet()) {
                out.println("# " + EcpTranslation.KIND + " " + c.namespace() + "/" + c.name() + ": cluster "
                        + role.getKey() + " is " + role.getValue());
            }
            ok &= print(EcpTranslation.KIND + " " + c.namespace() + "/" + c.name(), t.generation(), t.plansByCluster(),
                    t.errors(), clusterFilter, registered, out);
        }
        for (Manifests.Unreadable u : unreadable) {
            err.println("not planned: " + u.describe());
        }
        if (!unreadable.isEmpty()) {
            return UNREADABLE;
        }
        return ok ? OK : INVALID;
    }

    private static boolean print(String owner, long generation, Map<String, List<Plan>> plansByCluster,
            List<TranslationError> errors, String clusterFilter, Set<String> registered, PrintStream out) {
        out.println("# " + owner + " (generation " + generation + ")");
        Set<String> clusters = new TreeSet<>(plansByCluster.keySet());
        errors.forEach(e -> clusters.add(e.cluster()));
        boolean ok = errors.isEmpty();
        for (String cluster : clusters) {
            if (clusterFilter != null && !clusterFilter.equals(cluster)) {
                continue;
            }
            out.println("cluster " + cluster + ":");
            boolean unregistered = registered != null && !registered.contains(cluster)
                    && !cluster.equals(TranslationError.SPEC_CLUSTER);
            for (Plan p : plansByCluster.getOrDefault(cluster, List.of())) {
                String rev = p.revision().isEmpty() ? "default" : p.revision();
                out.println("  installation " + rev + " (tag " + p.tag() + (p.defaultRevision() ? ", default revision" : "")
                        + (p.activeGateway() ? ", active gateway" : "")
                        + (p.takeOverUnmanaged() ? ", takes over an unmanaged Istio" : "") + ") plan "
                        + p.planHash().substring(0, 12));
                if (unregistered) {
                    out.println("    not registered: would be PENDING until cluster " + cluster + " is registered");
                    continue;
                }
                for (ChartRelease c : p.charts()) {
                    out.println("    chart " + c.chart() + " release " + c.releaseName() + " namespace " + c.namespace());
                    out.println("      values:");
                    String yaml = PlanDocument.yaml(Manifests.YAML.valueToTree(
                            dev.meshfleet.translation.Canonical.parse(c.valuesJson())));
                    yaml.lines().forEach(line -> out.println("        " + line));
                    if (c.hasOverlays()) {
                        // Not values: patched by the installer on what the chart renders (k8s.overlays).
                        out.println("      overlays:");
                        PlanDocument.yaml(Manifests.YAML.valueToTree(
                                dev.meshfleet.translation.Canonical.parse(c.overlaysJson())))
                                .lines().forEach(line -> out.println("        " + line));
                    }
                }
            }
            for (TranslationError e : errors) {
                if (e.cluster().equals(cluster)) {
                    out.println("  FAILED" + (e.revision().isEmpty() ? "" : " revision " + e.revision()) + ": " + e.describe());
                }
            }
        }
        return ok;
    }
}
