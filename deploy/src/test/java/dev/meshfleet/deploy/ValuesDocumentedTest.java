package dev.meshfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Every value of values.yaml has a row in the chart README's values table. */
class ValuesDocumentedTest {
    private static final Set<String> SERVICES = Set.of("specIntake", "translator", "installer", "statusAggregator");

    @Test
    void everyValueIsInTheReadmesTable() throws IOException {
        String readme = Files.readString(Chart.DIR.resolve("README.md"));
        @SuppressWarnings("unchecked")
        Map<String, Object> values = Chart.SERIALIZATION.unmarshal(Files.readString(Chart.DIR.resolve("values.yaml")), Map.class);
        List<String> undocumented = new ArrayList<>();
        List<String> documented = new ArrayList<>();
        walk("", values, readme, undocumented, documented);
        assertThat(documented).hasSizeGreaterThan(30);
        assertThat(undocumented).isEmpty();
    }

    /** A key is documented when its row is there (a service's own or the `<service>.` row); else each of its keys. */
    @SuppressWarnings("unchecked")
    private static void walk(String path, Map<String, Object> map, String readme, List<String> undocumented,
            List<String> documented) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            String generic = SERVICES.contains(path) ? "<service>." + e.getKey() : null;
            if (readme.contains("| `" + key + "`") || generic != null && (readme.contains("`" + generic + "`")
                    || readme.contains("`" + generic + "`, ") || readme.contains(", `." + e.getKey() + "`"))) {
                documented.add(key);
            } else if (e.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
                walk(key, (Map<String, Object>) nested, readme, undocumented, documented);
            } else {
                undocumented.add(key);
            }
        }
    }
}
