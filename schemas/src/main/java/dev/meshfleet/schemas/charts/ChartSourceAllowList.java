package dev.meshfleet.schemas.charts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which chart sources a spec may name: a list of prefixes (Helm repository URLs, {@code oci://} references,
 * directories), set by the operator, checked by the translator (so that the spec fails with the field named)
 * and again by the installer before anything is fetched. A source is within a prefix when, both normalised,
 * the scheme, host and port are equal and the prefix's path segments begin the source's path: a host that
 * merely starts with the allowed host ({@code charts.example.com.evil.io}), a {@code ..} segment climbing out
 * of the allowed path, a path that continues the last segment ({@code /istio-evil} under {@code /istio}) or
 * credentials in the URL ({@code https://user@host/}) are never let through. Pure: no I/O.
 */
public final class ChartSourceAllowList {
    private final String setting;
    private final List<Location> prefixes;

    private ChartSourceAllowList(String setting, List<Location> prefixes) {
        this.setting = setting;
        this.prefixes = List.copyOf(prefixes);
    }

    /**
     * The allow-list made of {@code prefixes} (blank entries ignored), named in refusals by {@code setting}.
     *
     * @throws IllegalArgumentException when a prefix is not a chart source itself (a startup error)
     */
    public static ChartSourceAllowList of(String setting, Collection<String> prefixes) {
        List<Location> parsed = new ArrayList<>();
        for (String prefix : prefixes) {
            if (prefix == null || prefix.isBlank()) {
                continue;
            }
            Parsed p = parse(prefix);
            if (p instanceof Refused r) {
                throw new IllegalArgumentException(setting + ": '" + prefix + "' is not a chart source prefix: "
                        + r.why());
            }
            parsed.add(((Allowed) p).location());
        }
        return new ChartSourceAllowList(setting, parsed);
    }

    /** The setting that holds the list, as refusals name it. */
    public String setting() {
        return setting;
    }

    /** The allowed prefixes, normalised. */
    public List<String> prefixes() {
        return prefixes.stream().map(Location::url).toList();
    }

    /** Whether {@code source} may be used: {@link Allowed} with its normalised location, or {@link Refused} saying why. */
    public Parsed check(String source) {
        Parsed parsed = parse(source);
        if (parsed instanceof Allowed a) {
            for (Location prefix : prefixes) {
                if (a.location().within(prefix)) {
                    return a;
                }
            }
            return new Refused("'" + source + "' is not on the allow-list " + setting + " ("
                    + (prefixes.isEmpty() ? "empty" : "allowed: " + String.join(", ", prefixes())) + ")");
        }
        return parsed;
    }

    /** The outcome of reading or checking a source. */
    public sealed interface Parsed permits Allowed, Refused {
    }

    /** A usable source at {@code location}. */
    public record Allowed(Location location) implements Parsed {
    }

    /** A source that may not be used, and why (naming the source, never a credential). */
    public record Refused(String why) implements Parsed {
    }

    /**
     * A normalised source: scheme ({@code http}, {@code https}, {@code oci} or {@code file}), lower-case host
     * without a trailing dot (empty for {@code file}), the port made explicit, and the path's segments with
     * {@code .}, {@code ..} and empty segments resolved.
     */
    public record Location(String scheme, String host, int port, List<String> segments) {
        public Location {
            segments = List.copyOf(segments);
        }

        /** Whether this source lies at or under {@code prefix}, at a segment boundary. */
        public boolean within(Location prefix) {
            return scheme.equals(prefix.scheme) && host.equals(prefix.host) && port == prefix.port
                    && segments.size() >= prefix.segments.size()
                    && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
        }

        /** The normalised source as a URL (an absolute path for a directory; the scheme's own port left out); what is fetched. */
        public String url() {
            String path = "/" + String.join("/", segments);
            if (scheme.equals("file")) {
                return path;
            }
            try {
                return new URI(scheme, null, host, port == defaultPort(scheme) ? -1 : port, path, null, null)
                        .toASCIIString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException("a parsed location does not print: " + e.getMessage(), e);
            }
        }

        /** Scheme, host and port: where credentials for this source may be sent. */
        public String origin() {
            return scheme + "://" + host + ":" + port;
        }
    }

    /** Reads {@code source} as a chart source, normalised, without checking it against any list. */
    public static Parsed parse(String source) {
        Objects.requireNonNull(source, "source");
        String s = source.trim();
        if (s.isEmpty()) {
            return new Refused("an empty source names no chart location");
        }
        if (s.startsWith("/")) {
            return path("file", "", -1, s, source);
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            return new Refused("'" + source + "' is not a URL or path (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            // Said without repeating the source: it holds the credential.
            return new Refused("a chart source must not carry credentials (user@ or user:password@ before the host);"
                    + " repository credentials come from the Secret the installer is configured with");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return new Refused("'" + source + "' has a query or fragment; a chart source is a repository location");
        }
        return switch (scheme) {
            case "http", "https", "oci" -> {
                if (uri.getHost() == null) {
                    yield new Refused("'" + source + "' names no host");
                }
                String host = uri.getHost().toLowerCase(Locale.ROOT);
                while (host.endsWith(".")) {
                    host = host.substring(0, host.length() - 1);
                }
                int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
                yield path(scheme, host, port, uri.getRawPath() == null ? "" : uri.getRawPath(), source);
            }
            case "file" -> {
                String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
                if (!host.isEmpty() && !host.equals("localhost")) {
                    yield new Refused("'" + source + "' names a remote host; a file:// source is a local directory");
                }
                String path = uri.getRawPath();
                if (path == null || !path.startsWith("/")) {
                    yield new Refused("'" + source + "' is not an absolute file:// URL");
                }
                yield path("file", "", -1, path, source);
            }
            case "" -> new Refused("'" + source + "' is a relative path");
            default -> new Refused("'" + source + "' has the unsupported scheme '" + scheme + "'");
        };
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("http") ? 80 : scheme.equals("file") ? -1 : 443;
    }

    /** {@code rawPath} split into segments, percent-decoded when it comes from a URL, and resolved. */
    private static Parsed path(String scheme, String host, int port, String rawPath, String source) {
        boolean encoded = !source.trim().startsWith("/");
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            String segment = raw;
            if (encoded) {
                try {
                    segment = new URI("x:/" + raw).getPath().substring(1);
                } catch (URISyntaxException e) {
                    return new Refused("'" + source + "' has a path that cannot be read");
                }
            }
            if (segment.contains("/") || segment.contains("\\")) {
                return new Refused("'" + source + "' has an encoded slash or a backslash in its path");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return new Refused("'" + source + "' climbs above the root with '..'");
                }
                segments.remove(segments.size() - 1);
                continue;
            }
            segments.add(segment);
        }
        return new Allowed(new Location(scheme, host, port, segments));
    }
}
