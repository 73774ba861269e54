package dev.meshfleet.installer;

import java.time.Duration;
import java.util.List;

import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.schemas.v1.ResourceKind;

/** Small values for unit tests. */
public final class Fixtures {
    public static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istio", "uid-1");
    public static final Owner GLM = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "ingress", "uid-2");

    public static final Owner SMC = new Owner(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio", "uid-3");
    public static final ObjectRef EASTWEST = new ObjectRef("gateway.networking.k8s.io/v1", "Gateway", "istio-eastwest",
            "istio-eastwest");

    private Fixtures() {
    }

    /** A peered controller's second installation as the translator plans it (ADR 0046): chart peering-gateways. */
    public static Plan peering(Owner owner, String tag, String hash) {
        return new Plan(owner, 1, "peering", tag, List.of(new ChartSpec("peering-gateways", "peering-gateways",
                "istio-eastwest", "{\"cluster\":\"cluster1\"}")), "peering", false, Duration.ofMinutes(5), "{}", hash);
    }

    /** A ServiceMeshController's control plane: revisionless, base then istiod. */
    public static Plan controlPlane(Owner owner, String tag, String hash) {
        return new Plan(owner, 1, "", tag, List.of(new ChartSpec("base", "base", "istio-system", "{}"),
                new ChartSpec("istiod", "istiod", "istio-system", "{}")), "", false, Duration.ofMinutes(5), "{}", hash);
    }

    public static Plan plan(Owner owner, String revision, String tag, String hash) {
        return new Plan(owner, 1, revision, tag,
                List.of(new ChartSpec("base", "base", "istio-system", "{}"),
                        new ChartSpec("istiod", "istiod-" + revision, "istio-system", "{}")),
                revision, false, Duration.ofMinutes(5), "{\"tag\":\"" + tag + "\"}", hash);
    }

    public static Plan skipValidation(Plan p) {
        return new Plan(p.owner(), p.generation(), p.revision(), p.tag(), p.charts(), p.controlPlaneRevision(), true,
                p.waitTimeout(), p.observedOperatorJson(), p.planHash());
    }

    public static Inventory inventory(Owner owner, String revision, String tag, String hash, ObjectRef... objects) {
        return new Inventory(owner, 1, revision, tag, hash, "{}", true, List.of(objects));
    }

    public static ObjectRef deployment(String name) {
        return new ObjectRef("apps/v1", "Deployment", "istio-system", name);
    }
}
