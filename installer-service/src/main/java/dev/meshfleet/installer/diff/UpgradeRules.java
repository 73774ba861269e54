package dev.meshfleet.installer.diff;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-place upgrade rules (DESIGN "Upgrades"): inside one revision a patch or config change is
 * applied; a minor or major version change is refused unless skipUpgradeValidation, because Istio
 * supports skipping no minor version in place and a canary revision is the safe path.
 */
public final class UpgradeRules {
    private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*$");

    private UpgradeRules() {
    }

    /** Empty when the change from {@code fromTag} to {@code toTag} may be made in place; else why not. */
    public static Optional<String> refusal(String revision, String fromTag, String toTag, boolean skipUpgradeValidation) {
        if (skipUpgradeValidation || fromTag == null || toTag == null || fromTag.equals(toTag)) {
            return Optional.empty();
        }
        Matcher from = VERSION.matcher(fromTag);
        Matcher to = VERSION.matcher(toTag);
        // A tag that is not a version (a digest, "latest") gives no minor to compare: treat as a config change.
        if (!from.matches() || !to.matches()) {
            return Optional.empty();
        }
        boolean major = !from.group(1).equals(to.group(1));
        boolean minor = !from.group(2).equals(to.group(2));
        if (!major && !minor) {
            return Optional.empty();
        }
        String rev = revision.isEmpty() ? "default" : revision;
        return Optional.of("in-place " + (major ? "major" : "minor") + " upgrade of revision '" + rev + "' from "
                + fromTag + " to " + toTag + " is refused: install " + toTag
                + " as a new revision (canary) and move defaultRevision, or set"
                + " spec.installations[].skipUpgradeValidation: true to upgrade in place");
    }
}
