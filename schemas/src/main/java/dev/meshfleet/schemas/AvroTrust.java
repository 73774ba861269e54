package dev.meshfleet.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12.2 refuses to instantiate generated classes from packages it does not trust. Ours are
 * trusted here, once, at startup of every process that decodes records; the
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property set by surefire and the launch
 * scripts says the same for code that runs before this.
 */
public final class AvroTrust {
    public static final String PACKAGE = "dev.meshfleet.schemas";
    private static volatile boolean installed;

    private AvroTrust() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                type -> type.getName().startsWith(PACKAGE + ".")));
        installed = true;
    }
}
