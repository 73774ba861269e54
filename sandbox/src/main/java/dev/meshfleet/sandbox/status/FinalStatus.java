package dev.meshfleet.sandbox.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The lifecycle status a run ended with, in a form two runs can be compared by: one line per installation
 * ({@code resource cluster revision state message}, sorted, nothing that differs between runs of the same files
 * such as times or resource versions) and a digest of those lines. A run with faults ends as an undisturbed run
 * of the same steps when both print the same digest; otherwise {@code diff} of their files shows where.
 */
public record FinalStatus(List<String> lines, String digest) {

    public static FinalStatus of(List<ResourceView> views) {
        List<String> lines = new ArrayList<>();
        for (ResourceView v : views) {
            String name = v.ref().display();
            if (v.gone()) {
                lines.add(name + " - - DELETED");
            }
            for (InstallationRow r : v.installations()) {
                lines.add(name + " " + r.cluster() + " " + r.revision() + " " + r.state()
                        + (r.message() == null || r.message().isEmpty() ? "" : " " + r.message().replace('\n', ' ')));
            }
        }
        lines.sort(null);
        return new FinalStatus(List.copyOf(lines), sha256(String.join("\n", lines)).substring(0, 16));
    }

    /** The file's text: the lines, each ended by a newline. */
    public String text() {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
