package dev.meshfleet.sandbox.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;

/**
 * A collector as small as a test needs: OTLP over HTTP (protobuf) at {@code /v1/traces}, in the test's JVM, keeping
 * every span the services export. The services are child processes, so an in-memory exporter cannot reach them;
 * this is what their real OTLP exporter talks to.
 */
final class OtlpReceiver implements AutoCloseable {
    /** One exported span, as the test reads it: ids in lowercase hex, the exporting service's name. */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
            Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", this::export);
        server.start();
    }

    /** The endpoint to give the services' OTLP/HTTP exporter. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            HexFormat hex = HexFormat.of();
            for (var resourceSpans : request.getResourceSpansList()) {
                String service = attributes(resourceSpans.getResource().getAttributesList()).get("service.name");
                for (var scope : resourceSpans.getScopeSpansList()) {
                    for (var span : scope.getSpansList()) {
                        spans.add(new ReceivedSpan(service, hex.formatHex(span.getTraceId().toByteArray()),
                                hex.formatHex(span.getSpanId().toByteArray()),
                                hex.formatHex(span.getParentSpanId().toByteArray()), span.getName(),
                                attributes(span.getAttributesList())));
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        return list.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> {
            var v = kv.getValue();
            return v.hasStringValue() ? v.getStringValue() : v.hasIntValue() ? Long.toString(v.getIntValue())
                    : v.toString().trim();
        }, (a, b) -> b));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
