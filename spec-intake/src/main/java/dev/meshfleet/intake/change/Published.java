package dev.meshfleet.intake.change;

/** What this process has already put on the topic; the publish rules only read it. */
public interface Published {

    /**
     * An UPSERT of this uid went out at a newer generation, or at this one with this gloo-extensions-config data
     * (null: none; docs/adr/0045).
     */
    boolean upserted(String uid, long generation, String extensionsJson);

    /** A DELETE of this uid went out. */
    boolean deleted(String uid);
}
