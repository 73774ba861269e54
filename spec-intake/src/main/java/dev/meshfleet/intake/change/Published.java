package dev.meshfleet.intake.change;

/** What this process has already put on the topic; the publish rules only read it. */
public interface Published {

    /** An UPSERT of this uid at this generation, or a newer one, went out. */
    boolean upserted(String uid, long generation);

    /** A DELETE of this uid went out. */
    boolean deleted(String uid);
}
