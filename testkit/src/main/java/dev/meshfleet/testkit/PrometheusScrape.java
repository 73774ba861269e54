package dev.meshfleet.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Reads a service's {@code /q/metrics} (Prometheus text format) as an operator's scraper would, and waits for a sample
 * to appear: Kafka's client metrics show up once the client has done the work they count (a consumer's records-lag
 * per partition after its first fetch of that partition). A timeout names what the page held instead.
 */
public final class PrometheusScrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusScrape() {
    }

    /** The sample lines (no comments) of the page. */
    public static List<String> samples(URI metrics) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(metrics + " answered HTTP " + r.statusCode());
        }
        return r.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    /** Waits for a sample of metric {@code name} whose line also passes {@code labels}; returns the line. */
    public static String awaitSample(URI metrics, String name, Predicate<String> labels, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<String> seen = List.of();
        while (Instant.now().isBefore(deadline)) {
            seen = samples(metrics);
            for (String line : seen) {
                if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && labels.test(line)) {
                    return line;
                }
            }
            Thread.sleep(200);
        }
        TreeSet<String> names = new TreeSet<>();
        seen.forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        throw new AssertionError("no sample of " + name + " (with the labels wanted) at " + metrics + " within " + timeout
                + "; its samples of that name: " + seen.stream().filter(l -> l.startsWith(name)).toList()
                + "; the metric names it has: " + names);
    }
}
