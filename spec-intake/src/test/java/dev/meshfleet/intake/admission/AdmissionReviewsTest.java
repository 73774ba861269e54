package dev.meshfleet.intake.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * The admission.k8s.io/v1 wire format, as in
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/ (request and response).
 */
class AdmissionReviewsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUpdateReviewIsReadWithUserObjectOldObjectAndDryRun() throws Exception {
        var review = JSON.readTree("""
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"705ab4f5-6393-11e8-b7cc-42010a800002",
                  "kind":{"group":"admin.gloo.solo.io","version":"v2","kind":"IstioLifecycleManager"},
                  "resource":{"group":"admin.gloo.solo.io","version":"v2","resource":"istiolifecyclemanagers"},
                  "name":"istiod","namespace":"gloo-mesh","operation":"UPDATE",
                  "userInfo":{"username":"mesh-operator","groups":["operators","system:authenticated"]},
                  "object":{"metadata":{"name":"istiod","uid":"u1","generation":2},"spec":{"a":1}},
                  "oldObject":{"metadata":{"name":"istiod","uid":"u1","generation":1},"spec":{"a":0}},
                  "dryRun":true}}""");
        AdmissionRequest request = AdmissionReviews.request(review).orElseThrow();
        assertThat(request).extracting(AdmissionRequest::requestUid, AdmissionRequest::kind, AdmissionRequest::namespace,
                AdmissionRequest::name, AdmissionRequest::operation, AdmissionRequest::username, AdmissionRequest::groups,
                AdmissionRequest::dryRun).containsExactly("705ab4f5-6393-11e8-b7cc-42010a800002",
                        ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod", AdmissionRequest.Operation.UPDATE,
                        "mesh-operator", List.of("operators", "system:authenticated"), true);
        assertThat(request.object().at("/spec/a").asInt()).isEqualTo(1);
        assertThat(request.oldObject().at("/spec/a").asInt()).isEqualTo(0);
    }

    @Test
    void aCreateTakesItsNameFromTheObjectWhenTheRequestHasNone() throws Exception {
        // The API server leaves request.name empty on a create whose name the server generates (generateName).
        var review = JSON.readTree("""
                {"request":{"uid":"r","kind":{"kind":"GatewayLifecycleManager"},"namespace":"gloo-mesh","operation":"CREATE",
                  "userInfo":{"username":"u"},"object":{"metadata":{"name":"gw-x1"}},"oldObject":null}}""");
        AdmissionRequest request = AdmissionReviews.request(review).orElseThrow();
        assertThat(request.name()).isEqualTo("gw-x1");
        assertThat(request.oldObject()).isNull();
        assertThat(request.dryRun()).isFalse();
    }

    @Test
    void aReviewOfAnotherKindIsNotOurs() throws Exception {
        var review = JSON.readTree("{\"request\":{\"uid\":\"r\",\"kind\":{\"kind\":\"ConfigMap\"},\"operation\":\"CREATE\"}}");
        assertThat(AdmissionReviews.request(review)).isEmpty();
    }

    @Test
    void aBodyWithoutRequestUidIsRefused() throws Exception {
        assertThatThrownBy(() -> AdmissionReviews.request(JSON.readTree("{\"kind\":\"AdmissionReview\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("request.uid");
    }

    @Test
    void theResponseCarriesTheRequestUidAndForARefusalAStatusWithTheMessage() throws Exception {
        assertThat(AdmissionReviews.response("r1", new AdmissionRules.Allowed(Optional.empty())))
                .isEqualTo(JSON.readTree("""
                        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"r1","allowed":true}}"""));
        assertThat(AdmissionReviews.response("r2", new AdmissionRules.Denied("spec.x: bad"))).isEqualTo(JSON.readTree("""
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"r2","allowed":false,
                 "status":{"code":422,"reason":"Invalid","message":"spec.x: bad"}}}"""));
    }
}
