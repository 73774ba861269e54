package dev.meshfleet.installer.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpgradeRulesTest {
    @Test
    void patchUpgradeInPlaceIsAllowed() {
        assertThat(UpgradeRules.refusal("1-24", "1.24.2", "1.24.5", false)).isEmpty();
    }

    @Test
    void soloSuffixedPatchUpgradeIsAllowed() {
        assertThat(UpgradeRules.refusal("", "1.22.3-solo", "1.22.5-solo", false)).isEmpty();
    }

    @Test
    void majorUpgradeInPlaceIsRefusedAndNamesTheField() {
        assertThat(UpgradeRules.refusal("", "1.24.2", "2.0.0", false)).get().asString()
                .contains("major", "revision 'default'", "spec.installations[].skipUpgradeValidation");
    }

    @Test
    void minorDowngradeInPlaceIsRefusedToo() {
        assertThat(UpgradeRules.refusal("stable", "1.25.0", "1.24.2", false)).isPresent();
    }

    @Test
    void aTagThatIsNotAVersionIsTreatedAsAConfigChange() {
        assertThat(UpgradeRules.refusal("stable", "1.24.2", "latest", false)).isEmpty();
    }
}
