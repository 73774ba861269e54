package dev.meshfleet.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.meshfleet.sandbox.cli.SandboxOptions.Mode;
import dev.meshfleet.sandbox.cli.SandboxOptions.Output;
import dev.meshfleet.sandbox.faults.ProcessFault;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.Fault;

class SandboxOptionsTest {

    @TempDir
    Path dir;

    private SandboxOptions parse(Mode mode, String... args) throws UsageException {
        return SandboxOptions.parse(mode, List.of(args));
    }

    private String file(String name) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "kind: IstioLifecycleManager\n");
        return f.toString();
    }

    @Test
    void defaultsAreTwoClustersTableOutputFiveMinuteTimeoutAndOneSecondReadiness() throws Exception {
        SandboxOptions o = parse(Mode.RUN, "-f", file("a.yaml"));
        assertThat(o.clusters()).containsExactly("cluster1", "cluster2");
        assertThat(o.output()).isEqualTo(Output.TABLE);
        assertThat(o.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.readyAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.faults()).isEmpty();
    }

    @Test
    void stepsRunInCommandLineOrder() throws Exception {
        String a = file("a.yaml");
        String b = file("b.yaml");
        SandboxOptions o = parse(Mode.RUN, "-f", a, "--delete", "ilm/gloo-mesh/x", "-f", b, "-o", "yaml");
        assertThat(o.steps()).containsExactly(new Step.Apply(Path.of(a)),
                new Step.Delete(new ResourceRef(ResourceKind.IstioLifecycleManager, "gloo-mesh", "x")),
                new Step.Apply(Path.of(b)));
        assertThat(o.output()).isEqualTo(Output.YAML);
    }

    @Test
    void asAppliesTheStepsAfterItAsThatUserAndAnUnknownUserIsNamed() throws Exception {
        String a = file("a.yaml");
        String b = file("b.yaml");
        SandboxOptions o = parse(Mode.RUN, "-f", a, "--as", "mesh-operator", "-f", b, "--delete", "ilm/gloo-mesh/x",
                "--as", "platform-admin", "-f", a);
        assertThat(o.steps()).containsExactly(new Step.Apply(Path.of(a), "platform-admin"),
                new Step.Apply(Path.of(b), "mesh-operator"),
                new Step.Delete(new ResourceRef(ResourceKind.IstioLifecycleManager, "gloo-mesh", "x"), "mesh-operator"),
                new Step.Apply(Path.of(a), "platform-admin"));
        assertThat(o.steps().get(1)).hasToString("apply " + b + " as mesh-operator");
        assertThatThrownBy(() -> parse(Mode.RUN, "--as", "root", "-f", a)).isInstanceOf(UsageException.class)
                .hasMessage("--as: no user 'root' in the sandbox; the users are platform-admin, mesh-operator");
    }

    @Test
    void clustersAreACountOrAList() throws Exception {
        assertThat(parse(Mode.UP, "--clusters", "3").clusters()).containsExactly("cluster1", "cluster2", "cluster3");
        assertThat(parse(Mode.UP, "--clusters=east,west").clusters()).containsExactly("east", "west");
        assertThat(parse(Mode.UP, "--clusters", "1000").clusters()).hasSize(1000).endsWith("cluster1000");
    }

    @Test
    void faultsAreParsedPerCluster() throws Exception {
        SandboxOptions o = parse(Mode.UP, "--fault", "cluster2=unreachable", "--fault", "cluster1=slow=2s",
                "--fault", "cluster1=reject-apply");
        assertThat(o.faults().get("cluster2")).containsExactly(new Fault.Unreachable());
        assertThat(o.faults().get("cluster1")).containsExactly(new Fault.Slow(Duration.ofSeconds(2)),
                new Fault.RejectApply());
    }

    @Test
    void unregisteredClustersAreSimulatedButLeftOutOfTheRegisteredOnes() throws Exception {
        SandboxOptions o = parse(Mode.UP, "--clusters", "3", "--unregistered", "cluster3", "--unregistered=cluster2,cluster3");
        assertThat(o.clusters()).containsExactly("cluster1", "cluster2", "cluster3");
        assertThat(o.unregistered()).containsExactly("cluster3", "cluster2");
        assertThat(o.registeredClusters()).containsExactly("cluster1");
        assertThat(parse(Mode.UP).unregistered()).isEmpty();
        assertThatThrownBy(() -> parse(Mode.UP, "--unregistered", "cluster3")).hasMessageStartingWith("--unregistered:")
                .hasMessageContaining("cluster3");
        assertThatThrownBy(() -> parse(Mode.UP, "--unregistered", "cluster1,")).hasMessageStartingWith("--unregistered:");
    }

    @Test
    void resyncAndDriftRepairAreTheInstallersOwnUnlessGivenAndZeroIsRefusedNamingTheOption() throws Exception {
        SandboxOptions defaults = parse(Mode.UP);
        assertThat(defaults.resync()).isNull();
        assertThat(defaults.driftRepair()).isNull();
        SandboxOptions given = parse(Mode.UP, "--resync", "10s", "--drift-repair", "1m");
        assertThat(given.resync()).isEqualTo(Duration.ofSeconds(10));
        assertThat(given.driftRepair()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> parse(Mode.UP, "--drift-repair", "0")).isInstanceOf(UsageException.class)
                .hasMessage("--drift-repair: must be more than 0");
    }

    @Test
    void durationsAcceptUnitsAndCombinations() throws Exception {
        SandboxOptions o = parse(Mode.UP, "--timeout", "1m30s", "--ready-after", "250ms");
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(o.readyAfter()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void durationsAreGoDurationsSoABareZeroAndFractionsWork() throws Exception {
        SandboxOptions o = parse(Mode.UP, "--ready-after", "0", "--timeout", "1.5m", "--api-latency", "50ms");
        assertThat(o.readyAfter()).isZero();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(o.apiLatency()).isEqualTo(Duration.ofMillis(50));
        assertThat(parse(Mode.UP, "--ready-after=0s").readyAfter()).isZero();
        assertThatThrownBy(() -> parse(Mode.UP, "--ready-after", "-1s")).hasMessageStartingWith("--ready-after:")
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> parse(Mode.UP, "--api-latency", "5")).hasMessageStartingWith("--api-latency:")
                .hasMessageContaining("missing unit");
    }

    @Test
    void installersDefaultToOneAndAreBoundedByThePlanPartitions() throws Exception {
        assertThat(parse(Mode.UP).installers()).isEqualTo(1);
        assertThat(parse(Mode.UP).apiLatency()).isZero();
        assertThat(parse(Mode.UP, "--installers", "4").installers()).isEqualTo(4);
        assertThatThrownBy(() -> parse(Mode.UP, "--installers", "0")).hasMessageStartingWith("--installers:");
        assertThatThrownBy(() -> parse(Mode.UP, "--installers", "13")).hasMessageStartingWith("--installers:")
                .hasMessageContaining("1 to 12");
        assertThatThrownBy(() -> parse(Mode.UP, "--installers", "many")).hasMessageStartingWith("--installers:");
    }

    @Test
    void runWithoutStepsIsRefusedButUpIsNot() throws Exception {
        assertThatThrownBy(() -> parse(Mode.RUN)).isInstanceOf(UsageException.class).hasMessageContaining("-f FILE");
        assertThat(parse(Mode.UP).steps()).isEmpty();
    }

    @Test
    void badOptionsGetMessagesNamingTheOption() {
        assertThatThrownBy(() -> parse(Mode.UP, "--clusters", "0")).hasMessageStartingWith("--clusters:");
        assertThatThrownBy(() -> parse(Mode.UP, "--clusters", "Cluster_1")).hasMessageStartingWith("--clusters:")
                .hasMessageContaining("Cluster_1");
        assertThatThrownBy(() -> parse(Mode.UP, "--clusters", "a,a")).hasMessageContaining("twice");
        assertThatThrownBy(() -> parse(Mode.UP, "--fault", "cluster2")).hasMessageStartingWith("--fault:")
                .hasMessageContaining("CLUSTER=KIND");
        assertThatThrownBy(() -> parse(Mode.UP, "--fault", "cluster2=flaky")).hasMessageStartingWith("--fault:")
                .hasMessageContaining("flaky");
        assertThatThrownBy(() -> parse(Mode.UP, "--fault", "cluster9=unreachable")).hasMessageStartingWith("--fault:")
                .hasMessageContaining("cluster9");
        assertThatThrownBy(() -> parse(Mode.UP, "--timeout", "soon")).hasMessageStartingWith("--timeout:")
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> parse(Mode.UP, "--ready-after")).hasMessageContaining("--ready-after");
        assertThatThrownBy(() -> parse(Mode.UP, "--clusters", "2", "--clusters", "3")).hasMessageContaining("--clusters");
        assertThatThrownBy(() -> parse(Mode.UP, "-o", "json")).hasMessageStartingWith("-o:");
        assertThatThrownBy(() -> parse(Mode.UP, "-f", dir.resolve("absent.yaml").toString()))
                .hasMessageStartingWith("-f: no such file");
        assertThatThrownBy(() -> parse(Mode.UP, "--delete", "ilm/only-two")).hasMessageStartingWith("--delete:");
        assertThatThrownBy(() -> parse(Mode.UP, "--delete", "Pod/ns/x")).hasMessageStartingWith("--delete:")
                .hasMessageContaining("Pod");
        assertThatThrownBy(() -> parse(Mode.UP, "--verbose")).hasMessageContaining("--verbose");
    }

    @Test
    void killsAndPausesAreParsedInOrderWithTheRestartDelayOfTheCommandLine() throws Exception {
        SandboxOptions o = parse(Mode.RUN, "--installers", "3", "-f", file("a.yaml"), "--kill", "installer-1@3s",
                "--kill", "kafka@6s", "--restart-after", "5s", "--pause", "installer-0@2s+40s");

        assertThat(o.processFaults()).containsExactly(
                new ProcessFault.Kill("installer-1", List.of("installer-1"), Duration.ofSeconds(3), Duration.ofSeconds(5)),
                new ProcessFault.Kill("kafka", List.of("kafka"), Duration.ofSeconds(6), Duration.ofSeconds(5)),
                new ProcessFault.Pause("installer-0", List.of("installer-service"), Duration.ofSeconds(2),
                        Duration.ofSeconds(40)));
        assertThat(parse(Mode.RUN, "-f", file("a.yaml"), "--kill", "spec-intake@1s").processFaults())
                .extracting(f -> ((ProcessFault.Kill) f).restartAfter()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void badKillsAndPausesAreRefusedNamingTheOptionAndTheValue() throws Exception {
        String f = file("a.yaml");
        assertThatThrownBy(() -> parse(Mode.RUN, "-f", f, "--kill", "installer-1@3s"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--kill: 'installer-1@3s': there is no installer-1");
        assertThatThrownBy(() -> parse(Mode.RUN, "-f", f, "--kill", "broker@3s"))
                .hasMessageStartingWith("--kill: 'broker@3s': no service 'broker'");
        assertThatThrownBy(() -> parse(Mode.RUN, "-f", f, "--pause", "kafka@3s"))
                .hasMessageStartingWith("--pause: 'kafka@3s' must be SERVICE@DELAY+DURATION");
        assertThatThrownBy(() -> parse(Mode.RUN, "-f", f, "--kill", "kafka@3s", "--restart-after", "soon"))
                .hasMessageStartingWith("--restart-after: 'soon' is not a duration");
        assertThatThrownBy(() -> parse(Mode.UP, "--kill", "kafka@3s"))
                .hasMessageStartingWith("--kill: the delay counts from the start of the first step");
    }
}
