package dev.meshfleet.schemas.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Installs Istio control planes in workload clusters (seed 000). */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Kind("IstioLifecycleManager")
@Plural("istiolifecyclemanagers")
@ShortNames("ilm")
public class IstioLifecycleManager extends CustomResource<IstioLifecycleManagerSpec, LifecycleManagerStatus>
        implements Namespaced {
}
