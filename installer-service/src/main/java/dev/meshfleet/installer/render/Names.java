package dev.meshfleet.installer.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.schemas.crd.Crds;

/** Label values and object names derived from owners and revisions, valid for Kubernetes. */
public final class Names {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "meshfleet";
    public static final String OWNER_LABEL = "meshfleet.dev/owner";
    public static final String REVISION_LABEL = "meshfleet.dev/revision";
    public static final String INVENTORY_LABEL = "meshfleet.dev/inventory";
    public static final String INVENTORY_NAMESPACE = "meshfleet-system";

    private Names() {
    }

    /** {@code ilm.namespace.name} as a label value (at most 63 characters; long ones end in a hash). */
    public static String ownerLabel(Owner owner) {
        String raw = Crds.shortName(owner.kind()) + "." + owner.namespace() + "." + owner.name();
        return fit(raw.replaceAll("[^A-Za-z0-9._-]", "-"), 63);
    }

    /** A revision as a label value; "default" for a revisionless installation, as in the CR status. */
    public static String revisionLabel(String revision) {
        return revision == null || revision.isEmpty() ? "default" : fit(revision, 63);
    }

    /** Name of the inventory ConfigMap: a DNS subdomain, unique per owner and revision. */
    public static String inventoryName(Owner owner, String revision) {
        String raw = "inventory-" + Crds.shortName(owner.kind()) + "-" + owner.namespace() + "-" + owner.name() + "-"
                + revisionLabel(revision);
        String dns = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        // Lower-casing can merge distinct owners; the hash of the exact identity keeps them apart.
        return fit(dns, 200) + "-" + hash(owner.key() + "@" + revision).substring(0, 8);
    }

    private static String fit(String value, int max) {
        String v = value.length() <= max ? value : value.substring(0, max - 9) + "-" + hash(value).substring(0, 8);
        return v.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    }

    public static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
