package dev.meshfleet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * The Gateway API as the workload clusters of seed 003 serve it: the operator applies its CRDs to every cluster
 * before anything else ({@code kubectl apply -f .../standard-install.yaml}), so every workload cluster store of a
 * {@link MockApiServer} is created with them. Only {@code Gateway} (namespaced, status subresource; the east-west and
 * remote peer gateways of peering, ADR 0046) is here: what Meshfleet applies. Its schema is upstream's field names
 * and types, cut down (see the CRD file); the store prunes and validates Gateways against it as it does any custom
 * resource.
 */
public final class GatewayApi {

    public static final String GROUP = "gateway.networking.k8s.io";
    public static final String API_VERSION = GROUP + "/v1";
    /** The class path resources of the CRDs, in the testkit jar. */
    public static final List<String> CRD_RESOURCES = List.of("gateway-api/gateways.gateway.networking.k8s.io.yaml");

    private static final String CRDS_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    /** Read once per JVM: a thousand stores share the text, each stores its own copy only. */
    private static final List<String> CRDS_JSON = load();

    private GatewayApi() {
    }

    /** The path of the Gateways of a namespace, or of one Gateway when {@code name} is not null. */
    public static String gatewaysPath(String namespace, String name) {
        return "/apis/" + API_VERSION + "/namespaces/" + namespace + "/gateways" + (name == null ? "" : "/" + name);
    }

    /** Creates the CRDs in a store, as the operator's {@code kubectl apply} would; nothing goes over HTTP. */
    static void install(ClusterStore store) {
        for (String crd : CRDS_JSON) {
            MockResponse response = store.call("POST", CRDS_PATH, "application/json", crd);
            if (response.code() != 201) {
                throw new IllegalStateException("the Gateway API CRD was refused by the store of " + store.cluster()
                        + ": HTTP " + response.code() + " " + response.getBody().readUtf8());
            }
        }
    }

    private static List<String> load() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<String> out = new ArrayList<>();
        for (String resource : CRD_RESOURCES) {
            try (InputStream in = GatewayApi.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("CRD " + resource + " is not on the class path (testkit jar)");
                }
                out.add(yaml.readTree(in).toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return List.copyOf(out);
    }
}
