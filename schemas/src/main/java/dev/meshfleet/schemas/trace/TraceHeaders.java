package dev.meshfleet.schemas.trace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) of a spec change, carried in Kafka record headers
 * across every hop of the pipeline: the intake injects it on produce, each service extracts it on consume and
 * injects its own span's context into what it produces (plain clients and Streams processors alike). One trace
 * per spec change, from the intake's watch event to the aggregator's status write.
 *
 * <p>Written here, by hand, because the services use plain Kafka clients and Streams, which no OpenTelemetry
 * instrumentation of Quarkus covers. A record without the headers extracts to the root context: its spans start
 * a trace of their own.
 */
public final class TraceHeaders {
    /** The W3C header names, as the propagator writes them. */
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            carrier.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header h = carrier.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    /** Replaces, never appends: a record forwarded by a Streams processor keeps the headers it came with. */
    private static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> {
        carrier.remove(key);
        carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private TraceHeaders() {
    }

    /** The context a record's headers carry, the root context when they carry none (or a malformed one). */
    public static Context extract(Headers headers) {
        return W3C.extract(Context.root(), headers, GETTER);
    }

    /**
     * Writes {@code context}'s span into the headers, replacing the trace headers they had. A context without a
     * valid span leaves them as they are: a hop whose tracing is off passes the change's context on unchanged
     * (OpenTelemetry's no-op tracer hands the parent's span context on as well).
     */
    public static Headers inject(Context context, Headers headers) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return headers;
        }
        headers.remove(TRACESTATE);
        W3C.inject(context, headers, SETTER);
        return headers;
    }

    /**
     * Starts the span of one hop that consumed a record: a child of the span the record's headers carry (its
     * producer's), so every hop of one spec change shares its trace. The caller makes it current and ends it.
     */
    public static Span startConsumer(Tracer tracer, String name, Headers headers) {
        return tracer.spanBuilder(name).setParent(extract(headers)).setSpanKind(SpanKind.CONSUMER).startSpan();
    }

    /**
     * Runs a Streams processor's work on one record in a consumer span of the record's trace, the span's context
     * written into the record's headers first: every record the processor forwards from it carries the span on.
     */
    public static void hop(Tracer tracer, String name, Headers headers, Runnable work) {
        Span span = startConsumer(tracer, name, headers);
        try (Scope ignored = span.makeCurrent()) {
            inject(Context.current(), headers);
            work.run();
        } finally {
            span.end();
        }
    }
}
