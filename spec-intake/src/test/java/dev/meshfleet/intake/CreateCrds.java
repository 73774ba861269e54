package dev.meshfleet.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

import dev.meshfleet.schemas.crd.Crds;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/** Registers our CRDs in the mock API server, so that it serves their status subresource as Kubernetes does. */
public class CreateCrds implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
        for (String resource : Crds.CRD_RESOURCES) {
            try (InputStream in = Crds.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is not on the class path");
                }
                server.getClient().apiextensions().v1().customResourceDefinitions().load(in).create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
