package dev.meshfleet.installer.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.client.Config;

/** The kubeconfig istioctl create-remote-secret writes, read back by a Kubernetes client as the external istiod would. */
class RemoteKubeconfigTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cluster2 | https://10.0.0.2:6443    | eyJhbGciOiJSUzI1NiJ9.e30.c2ln | true",
            "edge-1   | https://edge-1.example.org | a token: with # and \"quotes\" \\ | false",
            "c3       | http://127.0.0.1:40123   | plain                          | true"})
    void aClientReadsTheRemoteClustersServerCaAndTheReadersTokenUnderTheClustersName(String cluster, String server,
            String token, boolean withCa) {
        String ca = withCa ? Base64.getEncoder().encodeToString(
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.UTF_8)) : "";
        Config config = Config.fromKubeconfig(RemoteKubeconfig.build(cluster, server, ca, token));
        assertThat(config.getMasterUrl()).startsWith(server);
        assertThat(config.getAutoOAuthToken()).isEqualTo(token);
        assertThat(config.getCurrentContext().getName()).isEqualTo(cluster);
        assertThat(config.getCurrentContext().getContext().getCluster()).isEqualTo(cluster);
        assertThat(config.getCurrentContext().getContext().getUser()).isEqualTo(cluster);
        assertThat(config.getCaCertData()).isEqualTo(withCa ? ca : null);
    }
}
