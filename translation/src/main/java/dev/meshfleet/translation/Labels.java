package dev.meshfleet.translation;

import java.util.regex.Pattern;

/** Kubernetes label value rules: a revision ends up in istio.io/rev labels and in object names. */
final class Labels {
    private static final Pattern VALUE = Pattern.compile("[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?");

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private Labels() {
    }

    /** Null when valid, else what is wrong. */
    static String checkRevision(String revision) {
        if (revision.length() > 63) {
            return "is " + revision.length() + " characters long; a revision can be at most 63 characters";
        }
        if (!VALUE.matcher(revision).matches()) {
            return "'" + revision + "' is not a valid label value (letters, digits, '-', '_' and '.', starting and ending"
                    + " with a letter or digit)";
        }
        return null;
    }

    /** Whether {@code name} is an RFC 1123 label (a namespace or cluster name). */
    static boolean isDnsLabel(String name) {
        return name.length() <= 63 && DNS_LABEL.matcher(name).matches();
    }

    /** Null when {@code name} is a valid namespace name (RFC 1123 label), else what is wrong. */
    static String checkDnsLabel(String name) {
        if (name.length() > 63) {
            return "is " + name.length() + " characters long; at most 63";
        }
        if (!DNS_LABEL.matcher(name).matches()) {
            return "'" + name + "' is not a valid namespace name (lower-case letters, digits and '-', starting and ending"
                    + " with a letter or digit)";
        }
        return null;
    }
}
