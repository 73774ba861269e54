package dev.meshfleet.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

class SlimItemStoreTest {

    @Test
    void aDeploymentKeepsWhatItsHealthReadsAndLosesItsManagedFieldsAnnotationsAndPodTemplate() {
        Deployment d = new DeploymentBuilder().withNewMetadata().withNamespace("istio-system").withName("istiod")
                .withUid("u1").withResourceVersion("7").withGeneration(3L).addToLabels("app", "istiod")
                .addToAnnotations("deployment.kubernetes.io/revision", "2")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("meshfleet").build()).endMetadata()
                .withNewSpec().withReplicas(3).withNewTemplate().withNewSpec().addNewContainer().withName("discovery")
                .withImage("pilot").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(3L).withReadyReplicas(2).withReplicas(3).endStatus().build();
        var statusBefore = Serialization.asJson(d.getStatus());
        SlimItemStore<Deployment> store = SlimItemStore.deployments();

        store.put(store.getKey(d), d);

        Deployment kept = store.get("istio-system/istiod");
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(kept.getMetadata().getLabels()).isEqualTo(Map.of("app", "istiod"));
        assertThat(kept.getMetadata().getUid()).isEqualTo("u1");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(kept.getMetadata().getGeneration()).isEqualTo(3L);
        assertThat(kept.getSpec().getTemplate()).isNull();
        assertThat(kept.getSpec().getReplicas()).isEqualTo(3);
        assertThat(Serialization.asJson(kept.getStatus())).isEqualTo(statusBefore);
    }

    @Test
    void aDaemonSetKeepsItsStatusAndIdentity() {
        DaemonSet d = new DaemonSetBuilder().withNewMetadata().withNamespace("istio-system").withName("ztunnel")
                .withGeneration(2L).withManagedFields(new ManagedFieldsEntryBuilder().withManager("m").build())
                .endMetadata().withNewSpec().withNewTemplate().endTemplate().endSpec()
                .withNewStatus().withNumberReady(4).withDesiredNumberScheduled(4).endStatus().build();
        SlimItemStore<DaemonSet> store = SlimItemStore.daemonSets();

        store.put(store.getKey(d), d);

        DaemonSet kept = store.get("istio-system/ztunnel");
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getSpec()).isNull();
        assertThat(kept.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(kept.getStatus().getNumberReady()).isEqualTo(4);
    }

    @Test
    void aGatewayKeepsItsStatusAndLosesItsSpecAndManagedFields() {
        GenericKubernetesResource g = Serialization.unmarshal("""
                {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
                 "metadata": {"namespace": "istio-eastwest", "name": "istio-remote-peer-c2", "generation": 1,
                   "labels": {"topology.istio.io/cluster": "c2"},
                   "managedFields": [{"manager": "meshfleet", "operation": "Apply"}]},
                 "spec": {"gatewayClassName": "istio-remote", "addresses": [{"value": "192.0.2.7"}]},
                 "status": {"conditions": [{"type": "gloo.solo.io/PeeringSucceeded", "status": "True",
                   "observedGeneration": 1}]}}
                """, GenericKubernetesResource.class);
        SlimItemStore<GenericKubernetesResource> store = SlimItemStore.gateways();

        store.put(store.getKey(g), g);

        GenericKubernetesResource kept = store.get("istio-eastwest/istio-remote-peer-c2");
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getAdditionalProperties()).doesNotContainKey("spec");
        assertThat(kept.getMetadata().getLabels()).containsEntry("topology.istio.io/cluster", "c2");
        assertThat(kept.getAdditionalProperties().get("status")).isEqualTo(Map.of("conditions", List.of(Map.of(
                "type", "gloo.solo.io/PeeringSucceeded", "status", "True", "observedGeneration", 1))));
    }
}
