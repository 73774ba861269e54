package dev.meshfleet.schemas.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule of a Kubernetes strategic merge patch that istioctl's k8s patches rely on: the patch, and what
 * the rendered Deployment must become (expected values written from the Kubernetes patch semantics).
 */
class StrategicMergeTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String DEPLOYMENT = """
            spec:
              replicas: 1
              template:
                spec:
                  securityContext: {fsGroup: 1337}
                  tolerations: [{key: a, operator: Exists}]
                  containers:
                  - name: discovery
                    args: [discovery, --domain]
                    readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 3}
                    env:
                    - {name: REVISION, value: default}
                    - name: POD_NAME
                      valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.name}}
                    volumeMounts:
                    - {name: local-certs, mountPath: /var/run/secrets/istio-dns}
                    ports: [{containerPort: 8080}]
                  - name: sidecar
                    env: [{name: REVISION, value: default}]
            """;

    static Stream<Arguments> patches() {
        return Stream.of(
                Arguments.of("maps merge key by key",
                        "{spec: {template: {spec: {securityContext: {runAsNonRoot: true}}}}}",
                        "/spec/template/spec/securityContext", "{fsGroup: 1337, runAsNonRoot: true}"),
                Arguments.of("a container is found by name, and only its fields named change",
                        "{spec: {template: {spec: {containers: [{name: discovery, readinessProbe: {periodSeconds: 10}}]}}}}",
                        "/spec/template/spec/containers/0/readinessProbe",
                        "{httpGet: {path: /ready, port: 8080}, periodSeconds: 10}"),
                Arguments.of("an env entry of a name the container has replaces that entry's fields, not a second entry",
                        "{spec: {template: {spec: {containers: [{name: discovery, env: [{name: POD_NAME, valueFrom:"
                                + " {fieldRef: {fieldPath: spec.nodeName}}}]}]}}}}",
                        "/spec/template/spec/containers/0/env",
                        "[{name: REVISION, value: default}, {name: POD_NAME, valueFrom: {fieldRef: {apiVersion: v1,"
                                + " fieldPath: spec.nodeName}}}]"),
                Arguments.of("an env entry of a new name is appended after the chart's",
                        "{spec: {template: {spec: {containers: [{name: discovery, env: [{name: NODE, valueFrom:"
                                + " {fieldRef: {fieldPath: spec.nodeName}}}]}]}}}}",
                        "/spec/template/spec/containers/0/env",
                        "[{name: REVISION, value: default}, {name: POD_NAME, valueFrom: {fieldRef: {apiVersion: v1,"
                                + " fieldPath: metadata.name}}}, {name: NODE, valueFrom: {fieldRef: {fieldPath:"
                                + " spec.nodeName}}}]"),
                Arguments.of("the other container is left alone",
                        "{spec: {template: {spec: {containers: [{name: discovery, env: [{name: REVISION, value: x}]}]}}}}",
                        "/spec/template/spec/containers/1", "{name: sidecar, env: [{name: REVISION, value: default}]}"),
                Arguments.of("a container of a new name is appended",
                        "{spec: {template: {spec: {containers: [{name: extra, image: x}]}}}}",
                        "/spec/template/spec/containers/2", "{name: extra, image: x}"),
                Arguments.of("volume mounts merge by mountPath",
                        "{spec: {template: {spec: {containers: [{name: discovery, volumeMounts: [{name: renamed,"
                                + " mountPath: /var/run/secrets/istio-dns}]}]}}}}",
                        "/spec/template/spec/containers/0/volumeMounts",
                        "[{name: renamed, mountPath: /var/run/secrets/istio-dns}]"),
                Arguments.of("a container's ports merge by containerPort",
                        "{spec: {template: {spec: {containers: [{name: discovery, ports: [{containerPort: 15010}]}]}}}}",
                        "/spec/template/spec/containers/0/ports", "[{containerPort: 8080}, {containerPort: 15010}]"),
                Arguments.of("a list without a merge key (tolerations) is replaced",
                        "{spec: {template: {spec: {tolerations: [{key: b, operator: Exists}]}}}}",
                        "/spec/template/spec/tolerations", "[{key: b, operator: Exists}]"),
                Arguments.of("args are replaced, not merged",
                        "{spec: {template: {spec: {containers: [{name: discovery, args: [x]}]}}}}",
                        "/spec/template/spec/containers/0/args", "[x]"),
                Arguments.of("a scalar is set", "{spec: {replicas: 3}}", "/spec/replicas", "3"),
                Arguments.of("a missing map is created",
                        "{spec: {template: {spec: {priorityClassName: high}}}}", "/spec/template/spec/priorityClassName",
                        "high"),
                Arguments.of("null removes the key",
                        "{spec: {template: {spec: {securityContext: null}}}}", "/spec/template/spec",
                        "{tolerations: [{key: a, operator: Exists}], containers: " + containers() + "}"));
    }

    private static String containers() {
        try {
            return YAML.readTree(DEPLOYMENT).at("/spec/template/spec/containers").toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patches")
    void aStrategicMergePatchLeavesWhatKubernetesWould(String rule, String patch, String at, String expected)
            throws Exception {
        ObjectNode deployment = (ObjectNode) YAML.readTree(DEPLOYMENT);

        StrategicMerge.apply(deployment, YAML.readTree(patch));

        JsonNode want = YAML.readTree(expected);
        assertThat(deployment.at(at)).as(rule).isEqualTo(want);
    }
}
