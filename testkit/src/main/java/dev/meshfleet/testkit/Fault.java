package dev.meshfleet.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.meshfleet.schemas.time.GoDuration;

/**
 * Something wrong with one simulated workload cluster. Workload faults ({@link NeverReady},
 * {@link CrashAfterReady}, {@link UnmanagedIstio}, {@link EastWestAddressChange}) are played by the
 * {@link WorkloadSimulator};
 * API faults ({@link Unreachable}, {@link Slow}, {@link RejectApply}, {@link Forbidden}) by the {@link MockApiServer}
 * for every request to that cluster. Written as strings in sandbox configuration, hence
 * {@link #parse(String)} and {@link #spec()}.
 */
public sealed interface Fault {

    /** The allowed kinds, as written in configuration. */
    List<String> KINDS = List.of("never-ready", "crash-after-ready", "slow=DURATION", "unreachable",
            "unmanaged-istio", "reject-apply", "forbid=METHOD:RESOURCE", "eastwest-address-change");

    /** Deployments and DaemonSets never become ready. */
    record NeverReady() implements Fault {
    }

    /** Workloads become ready, then lose every ready replica one readyAfter later, and stay so. */
    record CrashAfterReady() implements Fault {
    }

    /** Every API response of the cluster is delayed. */
    record Slow(Duration delay) implements Fault {
        public Slow {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("slow delay must not be negative: " + delay);
            }
        }
    }

    /** The cluster's API server is down: connections are closed without an answer. */
    record Unreachable() implements Fault {
    }

    /** An istiod that Meshfleet did not install is present from the start. */
    record UnmanagedIstio() implements Fault {
    }

    /**
     * The cluster's east-west gateway is given another address (its load balancer was replaced): while the fault is
     * set, the address is the cluster's second one; clearing it moves the address back.
     */
    record EastWestAddressChange() implements Fault {
    }

    /** Server-side apply is refused with 422 Invalid, as an admission webhook or validation would. */
    record RejectApply() implements Fault {
    }

    /**
     * Requests with HTTP {@code method} (get, delete, patch, post, put; a list is a get) to a path with
     * the segment {@code resource} (deployments, configmaps, ...) are refused with 403 Forbidden, as
     * RBAC refuses a service account that lacks the permission.
     */
    record Forbidden(String method, String resource) implements Fault {
        public Forbidden {
            if (!List.of("get", "delete", "patch", "post", "put").contains(method)) {
                throw new IllegalArgumentException("forbid: method must be get, delete, patch, post or put: " + method);
            }
            if (resource.isBlank()) {
                throw new IllegalArgumentException("forbid: a resource (e.g. deployments) is required");
            }
        }

        /** Whether a request is refused: {@code path} without its query. */
        public boolean refuses(String httpMethod, String path) {
            return method.equalsIgnoreCase(httpMethod) && List.of(path.split("/")).contains(resource);
        }
    }

    /** The string form that {@link #parse(String)} reads back. */
    default String spec() {
        if (this instanceof Forbidden f) {
            return "forbid=" + f.method() + ":" + f.resource();
        }
        if (this instanceof Slow slow) {
            return "slow=" + GoDuration.format(slow.delay());
        }
        if (this instanceof NeverReady) {
            return "never-ready";
        }
        if (this instanceof CrashAfterReady) {
            return "crash-after-ready";
        }
        if (this instanceof Unreachable) {
            return "unreachable";
        }
        if (this instanceof UnmanagedIstio) {
            return "unmanaged-istio";
        }
        if (this instanceof EastWestAddressChange) {
            return "eastwest-address-change";
        }
        return "reject-apply";
    }

    static Fault parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "never-ready":
                return new NeverReady();
            case "crash-after-ready":
                return new CrashAfterReady();
            case "unreachable":
                return new Unreachable();
            case "unmanaged-istio":
                return new UnmanagedIstio();
            case "reject-apply":
                return new RejectApply();
            case "eastwest-address-change":
                return new EastWestAddressChange();
            default:
                if (s.startsWith("forbid=")) {
                    String[] methodAndResource = s.substring("forbid=".length()).split(":", 2);
                    if (methodAndResource.length != 2) {
                        throw new IllegalArgumentException("fault '" + text + "': write forbid=METHOD:RESOURCE,"
                                + " e.g. forbid=delete:deployments");
                    }
                    return new Forbidden(methodAndResource[0], methodAndResource[1]);
                }
                if (s.startsWith("slow=")) {
                    return new Slow(parseDuration(s.substring("slow=".length()), text));
                }
                throw new IllegalArgumentException("unknown fault '" + text + "'; allowed: " + String.join(", ", KINDS));
        }
    }

    /** Comma-separated faults, e.g. {@code "slow=2s,reject-apply"}; blank gives none. */
    static List<Fault> parseAll(String text) {
        List<Fault> faults = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return faults;
        }
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                faults.add(parse(part));
            }
        }
        return List.copyOf(faults);
    }

    private static Duration parseDuration(String value, String whole) {
        try {
            return GoDuration.nonNegative(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + whole + "': " + e.getMessage());
        }
    }
}
