package dev.meshfleet.schemas.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

class TraceHeadersTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    private static Context sampled(String traceId, String spanId) {
        return Context.root().with(Span.wrap(SpanContext.create(traceId, spanId, TraceFlags.getSampled(),
                TraceState.getDefault())));
    }

    private static String header(RecordHeaders headers, String key) {
        var h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aSpanIsWrittenAsTheW3cTraceparentHeader() {
        RecordHeaders headers = new RecordHeaders();
        TraceHeaders.inject(sampled(TRACE, SPAN), headers);
        // W3C Trace Context: version-traceid-parentid-flags
        assertThat(header(headers, "traceparent")).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
    }

    @Test
    void aRecordsHeaderGivesBackTheProducersSpanAsParent() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + TRACE + "-" + SPAN + "-01").getBytes(StandardCharsets.UTF_8));
        SpanContext parent = Span.fromContext(TraceHeaders.extract(headers)).getSpanContext();
        assertThat(parent.isValid()).isTrue();
        assertThat(parent.isRemote()).isTrue();
        assertThat(parent.getTraceId()).isEqualTo(TRACE);
        assertThat(parent.getSpanId()).isEqualTo(SPAN);
    }

    @Test
    void aForwardedRecordCarriesOnlyTheNewHopsSpan() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + TRACE + "-" + SPAN + "-01").getBytes(StandardCharsets.UTF_8));
        headers.add("meshfleet.other", new byte[] {1});
        TraceHeaders.inject(sampled(TRACE, "b7ad6b7169203331"), headers);
        assertThat(headers.headers("traceparent")).hasSize(1);
        assertThat(header(headers, "traceparent")).isEqualTo("00-" + TRACE + "-b7ad6b7169203331-01");
        assertThat(header(headers, "meshfleet.other")).isNotNull();
    }

    @Test
    void aHopWithTracingOffPassesTheChangesContextOn() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + TRACE + "-" + SPAN + "-01").getBytes(StandardCharsets.UTF_8));
        TraceHeaders.inject(Context.root(), headers);
        assertThat(header(headers, "traceparent")).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
    }

    @Test
    void aRecordWithoutOrWithAMalformedHeaderStartsATraceOfItsOwn() {
        assertThat(Span.fromContext(TraceHeaders.extract(new RecordHeaders())).getSpanContext().isValid()).isFalse();
        RecordHeaders bad = new RecordHeaders();
        bad.add("traceparent", "not-a-trace".getBytes(StandardCharsets.UTF_8));
        assertThat(Span.fromContext(TraceHeaders.extract(bad)).getSpanContext().isValid()).isFalse();
    }
}
