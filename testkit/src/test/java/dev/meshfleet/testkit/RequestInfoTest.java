package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubernetes' RequestInfoFactory, case by case (k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go's shapes). */
class RequestInfoTest {

    @ParameterizedTest(name = "{0} {1}?{2} -> {3} {4}/{5} ns={6} name={7} sub={8}")
    @CsvSource(nullValues = "null", value = {
        // method, path, query, verb, group, resource, namespace, name, subresource
        "GET,    /api/v1/namespaces/ns1/pods,                         null,             list,   '', pods, ns1, '', ''",
        "GET,    /api/v1/namespaces/ns1/pods,                         watch=true,       watch,  '', pods, ns1, '', ''",
        "GET,    /api/v1/namespaces/ns1/pods,                         watch=1,          watch,  '', pods, ns1, '', ''",
        "GET,    /api/v1/watch/namespaces/ns1/pods,                   null,             watch,  '', pods, ns1, '', ''",
        "GET,    /api/v1/namespaces/ns1/pods/p1,                      null,             get,    '', pods, ns1, p1, ''",
        "GET,    /api/v1/namespaces/ns1/pods,                         fieldSelector=metadata.name%3Dp1, list, '', pods, ns1, p1, ''",
        "GET,    /api/v1/pods,                                        null,             list,   '', pods, '', '', ''",
        "POST,   /api/v1/namespaces/ns1/pods,                         null,             create, '', pods, ns1, '', ''",
        "PUT,    /api/v1/namespaces/ns1/pods/p1,                      null,             update, '', pods, ns1, p1, ''",
        "PATCH,  /api/v1/namespaces/ns1/pods/p1/status,               null,             patch,  '', pods, ns1, p1, status",
        "DELETE, /api/v1/namespaces/ns1/pods/p1,                      null,             delete, '', pods, ns1, p1, ''",
        "DELETE, /api/v1/namespaces/ns1/pods,                         null,             deletecollection, '', pods, ns1, '', ''",
        "GET,    /api/v1/namespaces/ns1,                              null,             get,    '', namespaces, ns1, ns1, ''",
        "PUT,    /api/v1/namespaces/ns1/finalize,                     null,             update, '', namespaces, ns1, ns1, finalize",
        "GET,    /apis/coordination.k8s.io/v1/namespaces/ns1/leases/l1, null,           get,    coordination.k8s.io, leases, ns1, l1, ''",
        "PATCH,  /apis/admin.gloo.solo.io/v2/namespaces/gm/istiolifecyclemanagers/a/status, null, patch, admin.gloo.solo.io, istiolifecyclemanagers, gm, a, status",
        "GET,    /apis/admin.gloo.solo.io/v2/istiolifecyclemanagers,  limit=1,          list,   admin.gloo.solo.io, istiolifecyclemanagers, '', '', ''",
        "PATCH,  /apis/rbac.authorization.k8s.io/v1/clusterroles/c1,  null,             patch,  rbac.authorization.k8s.io, clusterroles, '', c1, ''",
    })
    void resourceRequestsAreReadAsKubernetesReadsThem(String method, String path, String query, String verb, String group,
            String resource, String namespace, String name, String subresource) {
        RequestInfo info = RequestInfo.parse(method, path, query);
        assertThat(info.resourceRequest()).isTrue();
        assertThat(info.verb()).isEqualTo(verb);
        assertThat(info.apiGroup()).isEqualTo(group);
        assertThat(info.resource()).isEqualTo(resource);
        assertThat(info.namespace()).isEqualTo(namespace);
        assertThat(info.name()).isEqualTo(name);
        assertThat(info.subresource()).isEqualTo(subresource);
    }

    @ParameterizedTest
    @CsvSource({ "GET, /version, get", "GET, /api, get", "GET, /apis, get", "GET, /api/v1, get",
        "GET, /apis/apps, get", "GET, /apis/apps/v1, get", "GET, /openapi/v2, get", "POST, /healthz, post" })
    void discoveryAndOtherPathsAreNonResourceRequests(String method, String path, String verb) {
        RequestInfo info = RequestInfo.parse(method, path, null);
        assertThat(info.resourceRequest()).isFalse();
        assertThat(info.verb()).isEqualTo(verb);
        assertThat(info.path()).isEqualTo(path);
    }
}
