package dev.meshfleet.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/** The four services as the chart names them, and what a render gives each. */
final class Workloads {
    /** Component names, the suffix of every object of the service. */
    static final List<String> COMPONENTS = List.of("spec-intake", "translator", "installer", "status-aggregator");

    private Workloads() {
    }

    static String name(String component) {
        return Chart.RELEASE + "-" + component;
    }

    /** The pod template of a service, from its Deployment or StatefulSet. */
    static PodTemplateSpec pod(Chart.Rendered rendered, String component) {
        String name = name(component);
        if ("spec-intake".equals(component)) {
            return rendered.one(Deployment.class, name).getSpec().getTemplate();
        }
        return rendered.one(StatefulSet.class, name).getSpec().getTemplate();
    }

    /** The service's application.properties as its ConfigMap carries it. */
    static Map<String, String> properties(Chart.Rendered rendered, String component) {
        ConfigMap cm = rendered.one(ConfigMap.class, name(component));
        Properties p = new Properties();
        try {
            p.load(new StringReader(cm.getData().get("application.properties")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
