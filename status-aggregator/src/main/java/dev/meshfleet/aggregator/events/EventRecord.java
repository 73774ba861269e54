package dev.meshfleet.aggregator.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import dev.meshfleet.aggregator.fold.Owner;

/**
 * One Kubernetes Event on a resource, as it should read now: one per (resource, reason), its count the number of
 * transitions of that kind so far, first and last the times of the first and newest of them (event data).
 */
public record EventRecord(Owner owner, String reason, boolean warning, String message, long count, Instant first,
        Instant last) {

    /** Longest resource name kept in an Event's name (names are at most 253 characters). */
    static final int NAME_PREFIX = 200;

    /**
     * The Event's name: the resource's name and a digest of its uid and the reason, so that each kind of transition of
     * one resource (of one incarnation: a re-created resource has its own) is one Event that is updated, not a new one.
     */
    public String name() {
        String prefix = owner.name().length() <= NAME_PREFIX ? owner.name() : owner.name().substring(0, NAME_PREFIX);
        return prefix + "." + digest(owner.uid() + "/" + reason);
    }

    public String type() {
        return warning ? "Warning" : "Normal";
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
