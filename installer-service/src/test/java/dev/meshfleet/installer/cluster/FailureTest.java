package dev.meshfleet.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Which failures are final, which are retried with backoff, and which are our own bug. */
class FailureTest {

    static Stream<Arguments> statusCodes() {
        return Stream.of(
                Arguments.of(400, Failure.Refused.class),
                Arguments.of(401, Failure.Refused.class),
                Arguments.of(403, Failure.Refused.class),
                Arguments.of(404, Failure.Refused.class),
                Arguments.of(409, Failure.Refused.class),
                Arguments.of(413, Failure.Refused.class),
                Arguments.of(422, Failure.Refused.class),
                Arguments.of(408, Failure.Unreachable.class),
                Arguments.of(429, Failure.Unreachable.class),
                Arguments.of(500, Failure.Unreachable.class),
                Arguments.of(502, Failure.Unreachable.class),
                Arguments.of(503, Failure.Unreachable.class),
                Arguments.of(504, Failure.Unreachable.class),
                Arguments.of(302, Failure.Internal.class));
    }

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @MethodSource("statusCodes")
    void anApiAnswerIsRefusedForA4xxOtherThan408And429AndUnreachableFor5xx408And429(int code,
            Class<? extends Failure> kind) {
        assertThat(Failure.classify(api(code, "the message"))).isInstanceOf(kind);
    }

    static Stream<Arguments> exceptions() {
        return Stream.of(
                Arguments.of(new IOException("connection reset"), Failure.Unreachable.class),
                Arguments.of(new ConnectException("Connection refused"), Failure.Unreachable.class),
                Arguments.of(new HttpTimeoutException("request timed out"), Failure.Unreachable.class),
                Arguments.of(new TimeoutException(), Failure.Unreachable.class),
                Arguments.of(new KubernetesClientException("Operation: [list] failed",
                        new IOException("stream was reset")), Failure.Unreachable.class),
                Arguments.of(new KubernetesClientException("interrupted", new InterruptedException()),
                        Failure.Unreachable.class),
                Arguments.of(new KubernetesClientException("Connection was closed"), Failure.Unreachable.class),
                Arguments.of(new NullPointerException("plan.charts()"), Failure.Internal.class),
                Arguments.of(new IllegalStateException("boom"), Failure.Internal.class),
                Arguments.of(new ClassCastException(), Failure.Internal.class));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("exceptions")
    void transportTroubleIsUnreachableAndAnythingUnexpectedIsAnInternalError(Throwable error,
            Class<? extends Failure> kind) {
        assertThat(Failure.classify(error)).isInstanceOf(kind);
    }

    @Test
    void aRefusalCarriesTheStatusCodeAndTheApiServersMessage() {
        assertThat(Failure.classify(api(403, "deployments.apps \"istiod\" is forbidden")).message())
                .isEqualTo("HTTP 403: deployments.apps \"istiod\" is forbidden");
    }

    @Test
    void anInternalErrorSaysItIsOursAndWhereToLook() {
        assertThat(Failure.classify(new IllegalStateException("boom")).message())
                .isEqualTo("internal error in the installer: IllegalStateException: boom; see the installer log");
    }

    @Test
    void anUnreachableClusterSaysWhatTheTransportReported() {
        assertThat(Failure.classify(api(503, "etcdserver: leader changed")).message())
                .isEqualTo("HTTP 503: etcdserver: leader changed");
        assertThat(Failure.classify(new KubernetesClientException("failed", new ConnectException("Connection refused")))
                .message()).isEqualTo("ConnectException: Connection refused");
    }

    private static KubernetesClientException api(int code, String message) {
        return new KubernetesClientException("Failure executing: GET", code,
                new StatusBuilder().withCode(code).withMessage(message).build());
    }
}
