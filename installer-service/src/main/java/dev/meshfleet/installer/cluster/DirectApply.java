package dev.meshfleet.installer.cluster;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.meshfleet.installer.model.LiveVersion;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.internal.OperationSupport;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;

/**
 * Server-side apply of one object as one {@code PATCH} ({@code application/apply-patch+yaml}, {@code fieldManager},
 * {@code force=true}) on the cluster client's own HTTP client, so with its interceptors (the write fence's writer
 * headers, the token), timeouts and retries, and the answer read only for its {@link LiveVersion}
 * ({@link ApplyAnswer}).
 *
 * <p>What it saves against the client's {@code resource(o).serverSideApply()}, per object: the DSL's copy of the
 * object (serialized and bound again), and the binding of the answer to its model, which then had its status
 * serialized again to be digested. The request is the same: Kubernetes' apply of the same JSON body at the same
 * path. A refusal is the client's own {@link KubernetesClientException} with the API's Status, so
 * {@link Failure#classify} reads it as before.
 *
 * <p>Only for a typed model (its plural and scope are known without asking the API); a
 * {@link GenericKubernetesResource} goes through the DSL, which discovers them.
 */
final class DirectApply {
    private final KubernetesClient client;
    private final String query;

    DirectApply(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.query = "?fieldManager=" + URLEncoder.encode(fieldManager, StandardCharsets.UTF_8) + "&force=true";
    }

    /** Whether the object's path is known without discovery: a typed model with a name and, if namespaced, a namespace. */
    static boolean knowsPath(HasMetadata object) {
        if (object instanceof GenericKubernetesResource || object.getMetadata() == null
                || object.getMetadata().getName() == null || object.getApiVersion() == null) {
            return false;
        }
        return !(object instanceof Namespaced) || object.getMetadata().getNamespace() != null;
    }

    /**
     * The object's path under the API root, as Kubernetes serves it: {@code api/v1} or {@code apis/GROUP/VERSION},
     * then {@code namespaces/NS} when namespaced, the plural and the name.
     */
    static String path(HasMetadata object) {
        String apiVersion = object.getApiVersion();
        StringBuilder path = new StringBuilder(apiVersion.contains("/") ? "apis/" : "api/").append(apiVersion);
        if (object instanceof Namespaced) {
            path.append("/namespaces/").append(object.getMetadata().getNamespace());
        }
        return path.append('/').append(HasMetadata.getPlural(object.getClass())).append('/')
                .append(object.getMetadata().getName()).toString();
    }

    LiveVersion apply(HasMetadata object) {
        String body = client.getKubernetesSerialization().asJson(object);
        HttpRequest.Builder builder = client.getHttpClient().newHttpRequestBuilder()
                .uri(URLUtils.join(client.getMasterUrl().toString(), path(object)) + query)
                .method("PATCH", PatchType.SERVER_SIDE_APPLY.getContentType(), body);
        Integer timeout = client.getConfiguration().getRequestTimeout();
        if (timeout != null && timeout > 0) {
            builder.timeout(timeout, TimeUnit.MILLISECONDS);
        }
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response = await(request);
        if (!response.isSuccessful()) {
            throw OperationSupport.requestFailure(request,
                    OperationSupport.createStatus(response, client.getKubernetesSerialization()));
        }
        try {
            return ApplyAnswer.read(response.body());
        } catch (IOException e) {
            throw OperationSupport.requestException(request, e);
        }
    }

    /** The answer; a failure to get one as the client's exception, its cause kept (an I/O error stays one). */
    private HttpResponse<byte[]> await(HttpRequest request) {
        try {
            return client.getHttpClient().sendAsync(request, byte[].class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException();
            interrupted.initCause(e);
            throw OperationSupport.requestException(request, interrupted, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof KubernetesClientException k) {
                throw k.copyAsCause();
            }
            throw OperationSupport.requestException(request, cause, null);
        }
    }
}
