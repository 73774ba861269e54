package dev.meshfleet.installer.remote;

import java.util.Optional;

/**
 * Whether a remote secret must be filled again (docs/adr/0031, session 25): a remote secret records which incarnation
 * and which write of the remote cluster's reader token Secret its kubeconfig was built from ({@link Version}, the
 * annotation {@value RemoteSecrets#READER_TOKEN_VERSION}); when the token Secret read now is another (recreated: a new
 * uid; changed in place: a new resourceVersion), the kubeconfig may hold a dead token and is built again. The token
 * itself is never compared, hashed or kept: every write to a Kubernetes object moves its resourceVersion, so the
 * identity tells a change of the token as surely, and says nothing about its value. Pure.
 */
public final class ReaderTokenRefill {
    private ReaderTokenRefill() {
    }

    /** Which incarnation (uid) and which write (resourceVersion) of a reader token Secret. */
    public record Version(String uid, String resourceVersion) {
        /** As recorded on a remote secret: {@code uid/resourceVersion} (a uid holds no slash). */
        public String annotation() {
            return uid + "/" + resourceVersion;
        }

        /** The version an annotation records; empty for none or for one this class did not write. */
        public static Optional<Version> parse(String annotation) {
            if (annotation == null) {
                return Optional.empty();
            }
            int slash = annotation.indexOf('/');
            if (slash <= 0 || slash == annotation.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new Version(annotation.substring(0, slash), annotation.substring(slash + 1)));
        }
    }

    /** The reader token Secret as read from the remote cluster now. */
    public sealed interface Token {
        /** Not read: the remote cluster is not registered, or the read failed. */
        record Unread() implements Token {
        }

        /** Not there (deleted and not created again yet), or there without a token (the token controller's turn). */
        record Unfilled() implements Token {
        }

        /** There with a token, at this version. */
        record Filled(Version version) implements Token {
        }
    }

    /** Why a remote secret is filled again, as a user would say it. */
    public enum Reason {
        /** The token Secret has another uid: it was deleted and created again, with another token. */
        RECREATED("was recreated"),
        /** Same uid, another resourceVersion: the Secret was written since, its token perhaps replaced. */
        CHANGED("was written since"),
        /** The remote secret records no version: written before this rule, or its annotation edited away. */
        UNRECORDED("is not recorded on it");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    public sealed interface Decision {
        /** The remote secret holds the token there is, or there is none better to put in it: nothing to do. */
        record Keep() implements Decision {
        }

        /** Build the kubeconfig again from the token read now, and apply it. */
        record Refill(Reason reason) implements Decision {
        }
    }

    /**
     * @param recorded the version the remote secret in the external cluster records; empty when it records none
     * @param now      the reader token Secret in the remote cluster, as read now
     */
    public static Decision decide(Optional<Version> recorded, Token now) {
        if (!(now instanceof Token.Filled filled)) {
            // An unread, missing or empty token is no better than the one written: the old kubeconfig stays (an empty
            // one would be worse), and the next resync looks again.
            return new Decision.Keep();
        }
        if (recorded.isEmpty()) {
            return new Decision.Refill(Reason.UNRECORDED);
        }
        Version was = recorded.get();
        if (!was.uid().equals(filled.version().uid())) {
            return new Decision.Refill(Reason.RECREATED);
        }
        if (!was.resourceVersion().equals(filled.version().resourceVersion())) {
            return new Decision.Refill(Reason.CHANGED);
        }
        return new Decision.Keep();
    }
}
