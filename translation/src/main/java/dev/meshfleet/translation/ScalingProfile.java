package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A ServiceMeshController's {@code scalingProfile}: the istiod values each profile sets, exactly as seed 003's
 * reference table lists them (resources.requests/limits, autoscaleEnabled, autoscaleMin/Max,
 * cpu.targetAverageUtilization), and nothing else. Demo sets only two values; the chart's own defaults stay for
 * the rest.
 */
public enum ScalingProfile {
    Default, Demo, Large;

    /** The istiod chart's {@code pilot} values of this profile. */
    ObjectNode pilotValues() {
        ObjectNode pilot = Json.object();
        switch (this) {
            case Default -> {
                resources(pilot, "1000m", "1Gi", "2000m", "2Gi");
                autoscale(pilot, 2, 25, 80);
            }
            case Demo -> {
                pilot.put("autoscaleEnabled", false);
                pilot.putObject("resources").putObject("requests").put("cpu", "250m");
            }
            case Large -> {
                resources(pilot, "4000m", "4Gi", "4000m", "4Gi");
                autoscale(pilot, 4, 50, 75);
            }
        }
        return pilot;
    }

    private static void resources(ObjectNode pilot, String requestCpu, String requestMemory, String limitCpu,
            String limitMemory) {
        ObjectNode resources = pilot.putObject("resources");
        resources.putObject("requests").put("cpu", requestCpu).put("memory", requestMemory);
        resources.putObject("limits").put("cpu", limitCpu).put("memory", limitMemory);
    }

    private static void autoscale(ObjectNode pilot, int min, int max, int cpuTarget) {
        pilot.put("autoscaleEnabled", true).put("autoscaleMin", min).put("autoscaleMax", max);
        pilot.putObject("cpu").put("targetAverageUtilization", cpuTarget);
    }
}
