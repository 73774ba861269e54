package dev.meshfleet.testkit;

import java.util.Locale;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A watch answered as Kubernetes answers kubectl and client-go: a plain {@code GET ...?watch=true} (no WebSocket
 * upgrade) gets 200 with {@code Transfer-Encoding: chunked}, content type {@code application/json}, and one JSON
 * watch event per line, {@code {"type":"ADDED","object":{...}}}, until the client goes, the server closes the watch,
 * or {@code timeoutSeconds} have passed (then the stream ends cleanly, as the API server ends it). It stands in for the
 * WebSocket of the store's watch ({@link ClusterStore}), so both transports send the same events from the same code.
 * A request that asks for a Table ({@code Accept: ...;as=Table;...}, what {@code kubectl get -w} sends) gets each
 * event's object as a one-row meta.k8s.io/v1 Table, as the API server converts it. Bookmarks
 * ({@code allowWatchBookmarks}) are accepted and none is sent, which Kubernetes allows.
 */
final class HttpWatch implements WebSocket {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordedRequest request;
    private final HttpServerResponse response;
    private final Context context;
    private final WebSocketListener listener;
    /** Each event's object as it is sent; null to send it as stored. */
    private final UnaryOperator<JsonNode> objects;
    private boolean closed;

    private HttpWatch(RecordedRequest request, HttpServerResponse response, Context context, WebSocketListener listener,
            UnaryOperator<JsonNode> objects) {
        this.request = request;
        this.response = response;
        this.context = context;
        this.listener = listener;
        this.objects = objects;
    }

    /** A GET asking to watch ({@code watch=true} or {@code watch=1}) without asking for a WebSocket. */
    static boolean isPlainWatch(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return request.method().name().equals("GET") && RequestInfo.queryFlag(request.query(), "watch")
                && (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).contains("websocket"));
    }

    /**
     * Starts streaming the events of {@code listener} (the store's watch) as the answer to {@code http}, on the event
     * loop of the calling thread. {@code tables}, when the request asked for Tables, turns each object into one.
     */
    static void start(Vertx vertx, HttpServerRequest http, RecordedRequest request, WebSocketListener listener,
            UnaryOperator<JsonNode> tables) {
        String accept = request.getHeader("Accept");
        UnaryOperator<JsonNode> objects = accept != null && accept.contains("as=Table") ? tables : null;
        HttpServerResponse response = http.response().setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-cache, private");
        HttpWatch watch = new HttpWatch(request, response, vertx.getOrCreateContext(), listener, objects);
        // The head leaves at once: client-go's watch returns to its caller only once it has the answer's headers.
        response.writeHead();
        response.closeHandler(v -> watch.ended(1001, "the client went away"));
        String timeout = RequestInfo.queryValue(http.query(), "timeoutSeconds");
        if (timeout != null && timeout.matches("\\d{1,9}") && Long.parseLong(timeout) > 0) {
            vertx.setTimer(Long.parseLong(timeout) * 1000, id -> watch.close(1000, "timeoutSeconds"));
        }
        listener.onOpen(watch, null);
    }

    @Override
    public RecordedRequest request() {
        return request;
    }

    /**
     * Called under the store's monitor by whichever thread changed the store; the line is queued on the event loop at
     * once, so lines leave in the order of the calls.
     */
    @Override
    public boolean send(String event) {
        String line = converted(event) + "\n";
        context.runOnContext(v -> {
            if (!response.ended() && !response.closed()) {
                response.write(line);
            }
        });
        return true;
    }

    @Override
    public boolean send(byte[] bytes) {
        return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Ends the stream (the last chunk), as the API server ends a watch. */
    @Override
    public boolean close(int code, String reason) {
        context.runOnContext(v -> {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
            ended(code, reason);
        });
        return true;
    }

    private void ended(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        listener.onClosed(this, code, reason);
    }

    private String converted(String event) {
        if (objects == null) {
            return event;
        }
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(event);
            String type = node.path("type").asText();
            if (type.equals("ADDED") || type.equals("MODIFIED") || type.equals("DELETED")) {
                node.set("object", objects.apply(node.get("object")));
            }
            return node.toString();
        } catch (Exception e) {
            return event;
        }
    }
}
