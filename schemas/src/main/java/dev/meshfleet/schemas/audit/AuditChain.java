package dev.meshfleet.schemas.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

import dev.meshfleet.schemas.v1.AdmissionRecord;
import dev.meshfleet.schemas.v1.SpecChange;

/**
 * The hash chain of the audit records (pure; docs/adr/0033). Each {@link SpecChange} and {@link AdmissionRecord}
 * carries {@code chainHash = SHA-256(previous chainHash + "\n" + content)}, the previous being that of the record
 * before it of the same key on the same topic ({@code ""} for the first). The content is every other field of the
 * record, each written as {@code length:value;} so that no two records share one. Changing, removing or inserting a
 * record breaks the chain at it or at the next record spec-intake writes; {@link #verify} names the first break.
 */
public final class AuditChain {
    /** The chain hash "before" the first record of a key. */
    public static final String GENESIS = "";

    private AuditChain() {
    }

    public static String link(String previous, String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((previous + "\n" + content).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** What the chain hash of a SpecChange covers: all its fields but the hash, in schema order. */
    public static String content(SpecChange c) {
        String content = fields("SpecChange", c.getUid(), c.getKind(), c.getNamespace(), c.getName(), c.getGeneration(),
                c.getResourceVersion(), c.getOperation(), c.getActor(), c.getObservedAt().toEpochMilli(), c.getSpecJson());
        // Each only when present, so that every record written before the field existed keeps its hash. The
        // annotations are named before their entries: a record with only them is not one with only extensionsJson.
        if (c.getExtensionsJson() != null) {
            content += fields(c.getExtensionsJson());
        }
        if (c.getAnnotations() != null) {
            StringBuilder entries = new StringBuilder();
            new TreeMap<>(c.getAnnotations()).forEach((k, v) -> {
                field(entries, k);
                field(entries, v);
            });
            content += fields("annotations", entries);
        }
        return content;
    }

    /** What the chain hash of an AdmissionRecord covers: all its fields but the hash, in schema order. */
    public static String content(AdmissionRecord a) {
        StringBuilder groups = new StringBuilder();
        a.getGroups().forEach(g -> field(groups, g));
        return fields("AdmissionRecord", a.getRequestUid(), a.getUid(), a.getKind(), a.getNamespace(), a.getName(),
                a.getGeneration() == null ? "-" : a.getGeneration(), a.getSpecHash(), a.getOperation(), a.getUsername(),
                groups, a.getAdmittedAt().toEpochMilli());
    }

    private static String fields(Object... values) {
        StringBuilder out = new StringBuilder();
        for (Object v : values) {
            field(out, v);
        }
        return out.toString();
    }

    private static void field(StringBuilder out, Object value) {
        String s = String.valueOf(value);
        out.append(s.length()).append(':').append(s).append(';');
    }

    /** One record of a key as read: where it is (for the message), its content, its chain hash (null: none). */
    public record Link(String where, String content, String chainHash) {
    }

    /** The verdict over one key's records on one topic. */
    public sealed interface Verdict {
        /** Every chained record links to the one before; {@code unchained} records before the first had no hash. */
        record Intact(int chained, int unchained, String head) implements Verdict {
        }

        /** The first record the chain does not hold, and why. */
        record Broken(String where, String reason) implements Verdict {
        }
    }

    /** Walks the records in topic order and names the first one the chain does not hold. */
    public static Verdict verify(List<Link> links) {
        String head = GENESIS;
        String beforeHead = null;
        int chained = 0;
        int unchained = 0;
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            if (l.chainHash() == null) {
                if (chained > 0) {
                    return new Verdict.Broken(l.where(), "it has no chain hash, yet records before it have one: it was"
                            + " not written by spec-intake");
                }
                unchained++;
                continue;
            }
            if (l.chainHash().equals(link(head, l.content()))) {
                beforeHead = head;
                head = l.chainHash();
                chained++;
                continue;
            }
            if (beforeHead != null && l.chainHash().equals(link(beforeHead, l.content()))) {
                return new Verdict.Broken(links.get(i - 1).where(), "the record after it chains to the one before it:"
                        + " it was written outside the chain (forged or replayed)");
            }
            return new Verdict.Broken(l.where(), chained == 0
                    ? "it does not chain from the start: records before it were removed, or it was altered or forged"
                    : "its chain hash does not match its content and the record before it: it was altered or forged");
        }
        return new Verdict.Intact(chained, unchained, head);
    }
}
