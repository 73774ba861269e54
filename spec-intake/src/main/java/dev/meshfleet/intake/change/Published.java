package dev.meshfleet.intake.change;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** What this process has already put on the topic; the publish rules only read it. */
public interface Published {

    /**
     * What a resource is published with besides its spec and generation, a change of which alone publishes it again at
     * the same generation: a ServiceMeshController's gloo-extensions-config data (null: none; docs/adr/0045) and the
     * annotations Meshfleet acts on (empty: none; docs/adr/0046).
     */
    record Beside(String extensionsJson, SortedMap<String, String> annotations) {
        public static final Beside NONE = new Beside(null, null);

        public Beside {
            annotations = Collections.unmodifiableSortedMap(annotations == null ? new TreeMap<>() : new TreeMap<>(annotations));
        }

        public static Beside of(String extensionsJson, Map<String, String> annotations) {
            return new Beside(extensionsJson, annotations == null ? null : new TreeMap<>(annotations));
        }
    }

    /** An UPSERT of this uid went out at a newer generation, or at this one with this {@code beside}. */
    boolean upserted(String uid, long generation, Beside beside);

    /** A DELETE of this uid went out. */
    boolean deleted(String uid);
}
