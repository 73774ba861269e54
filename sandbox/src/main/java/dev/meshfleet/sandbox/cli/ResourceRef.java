package dev.meshfleet.sandbox.cli;

import java.util.Locale;

import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;

/** Kind/namespace/name of an ILM or GLM, as written after --delete; the kind may be its short name. */
public record ResourceRef(ResourceKind kind, String namespace, String name) {

    public static ResourceRef parse(String option, String text) throws UsageException {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length != 3 || parts[1].isBlank() || parts[2].isBlank()) {
            throw new UsageException(option + ": '" + text
                    + "' must be Kind/namespace/name, e.g. IstioLifecycleManager/gloo-mesh/istiod-control-plane");
        }
        return new ResourceRef(kindOf(option, parts[0]), parts[1], parts[2]);
    }

    private static ResourceKind kindOf(String option, String text) throws UsageException {
        for (ResourceKind k : Crds.KINDS) {
            if (k.name().equalsIgnoreCase(text) || Crds.shortName(k).equals(text.toLowerCase(Locale.ROOT))
                    || Crds.plural(k).equals(text.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new UsageException(option + ": unknown kind '" + text
                + "'; use IstioLifecycleManager (ilm), GatewayLifecycleManager (glm), ServiceMeshController (smc) or ExternalControlPlane (ecp)");
    }

    /** ilm/gloo-mesh/name: how the table names a resource. */
    public String display() {
        return Crds.shortName(kind) + "/" + namespace + "/" + name;
    }

    @Override
    public String toString() {
        return kind.name() + "/" + namespace + "/" + name;
    }
}
