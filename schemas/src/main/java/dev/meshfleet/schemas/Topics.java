package dev.meshfleet.schemas;

/**
 * Default topic names. Services take the real names from configuration; these are the defaults
 * their {@code @ConfigMapping}s use and the names the sandbox and deploy/ create.
 */
public final class Topics {
    public static final String SPEC_CHANGES = "meshfleet.spec-changes";
    public static final String INSTALL_PLANS = "meshfleet.install-plans";
    public static final String INSTALLATION_EVENTS = "meshfleet.installation-events";
    public static final String LIFECYCLE_STATUS = "meshfleet.lifecycle-status";
    /**
     * Who asked for each admitted change (spec-intake's admission webhook): read by history, by no service, so it has
     * no DLQ.
     */
    public static final String ADMISSIONS = "meshfleet.admissions";

    /** The topics records enter Meshfleet's services by; each has a DLQ. */
    public static final java.util.List<String> INPUTS = java.util.List.of(SPEC_CHANGES, INSTALL_PLANS,
            INSTALLATION_EVENTS, LIFECYCLE_STATUS);

    /** Suffix of the dead-letter topic that goes with each input topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }

    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
