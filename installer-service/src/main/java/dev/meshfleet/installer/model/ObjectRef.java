package dev.meshfleet.installer.model;

import java.util.Comparator;

/** Identifies one Kubernetes object in a workload cluster; namespace is "" for cluster-scoped objects. */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) implements Comparable<ObjectRef> {
    private static final Comparator<ObjectRef> ORDER = Comparator.comparing(ObjectRef::apiVersion)
            .thenComparing(ObjectRef::kind).thenComparing(ObjectRef::namespace).thenComparing(ObjectRef::name);

    public ObjectRef {
        namespace = namespace == null ? "" : namespace;
    }

    /** The same object whatever its API version: a chart moving Deployment from v1beta1 to v1 must not prune it. */
    public String identity() {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return group + "/" + kind + "/" + namespace + "/" + name;
    }

    @Override
    public int compareTo(ObjectRef other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
