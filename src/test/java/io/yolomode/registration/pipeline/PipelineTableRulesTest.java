package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.yolomode.registration.testsupport.StandardPipeline;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules every pipeline table keeps, checked when it is built: unique keys, every
 * requirement an earlier row of the same or an earlier phase (so no cycles), rows in
 * phase order, every phase with rows, positive timeouts, at least one call, no negative
 * rate limit. The standard table keeps them; each broken rule is refused.
 */
class PipelineTableRulesTest {

    private static final Pipeline STANDARD = StandardPipeline.PIPELINE;

    private static final SubStepDefinition DEFAULTS = Pipeline.defaults(StandardPipeline.DEFAULTS);

    @Test
    void theStandardTableKeepsEveryRule() {
        List<String> seen = new ArrayList<>();
        for (SubStepDefinition row : STANDARD.subSteps()) {
            assertThat(seen).as(row.key()).doesNotContain(row.key()).containsAll(row.requires());
            assertThat(row.timeout()).as(row.key()).isPositive();
            assertThat(row.retry().maxAttempts()).as(row.key()).isPositive();
            seen.add(row.key());
        }
        assertThat(STANDARD.phases()).allSatisfy(phase -> assertThat(STANDARD.subStepsOf(phase.key())).isNotEmpty());
        assertThat(new Pipeline(STANDARD.phases(), STANDARD.subSteps()).subSteps())
            .containsExactlyElementsOf(STANDARD.subSteps());
    }

    @Test
    void aKeyTwiceIsRefused() {
        assertRefused(rows -> rows.add(row("codeGeneration", "phase4")), "sub-step codeGeneration appears twice");
    }

    @Test
    void aRequirementThatIsNoEarlierRowIsRefused() {
        assertRefused(rows -> rows.add(row("review", "phase4", "fax")),
                "review requires fax, which is not an earlier row");
        // a later row of the same phase, and a row of a later phase
        assertRefused(rows -> rows.set(0, row("cloudwaitressAccount", "phase1", "uploadImages")),
                "cloudwaitressAccount requires uploadImages, which is not an earlier row");
        assertRefused(rows -> rows.set(4, row("restaurantRegistration", "phase2", "itemTags")),
                "restaurantRegistration requires itemTags, which is not an earlier row");
    }

    @Test
    void aCycleIsRefused() {
        assertRefused(rows -> {
            rows.set(0, row("cloudwaitressAccount", "phase1", "codeGeneration"));
            rows.set(1, row("codeGeneration", "phase1", "cloudwaitressAccount"));
        }, "cloudwaitressAccount requires codeGeneration, which is not an earlier row");
        assertRefused(rows -> rows.set(0, row("cloudwaitressAccount", "phase1", "cloudwaitressAccount")),
                "cloudwaitressAccount requires cloudwaitressAccount, which is not an earlier row");
    }

    @Test
    void aRowBeforeARowOfAnEarlierPhaseIsRefused() {
        assertRefused(rows -> rows.add(0, row("review", "phase2")),
                "cloudwaitressAccount comes after a row of a later phase");
    }

    @Test
    void aRowOfNoPhaseIsRefused() {
        assertRefused(rows -> rows.add(row("review", "phase9")), "review is in no phase of the pipeline: phase9");
    }

    @Test
    void aPhaseWithoutRowsIsRefused() {
        assertRefused(rows -> rows.removeIf(row -> row.phase().equals("phase3")), "phase phase3 has no sub-steps");
    }

    @Test
    void aTimeoutThatIsNotPositiveIsRefused() {
        assertRefused(rows -> rows.set(2, rows.get(2).withTimeout(Duration.ZERO)),
                "createOnboardingUser has no positive timeout");
        assertRefused(rows -> rows.set(2, rows.get(2).withTimeout(Duration.ofMillis(-1))),
                "createOnboardingUser has no positive timeout");
    }

    @Test
    void aRuleWithoutACallOrANegativeRateLimitIsRefused() {
        assertRefused(
                rows -> rows.set(3,
                        rows.get(3).withRetry(new RetryRule(0, Duration.ZERO, 1, Duration.ZERO, Duration.ZERO))),
                "uploadImages makes no call");
        assertRefused(rows -> rows.set(3, rows.get(3).rateLimited(Duration.ofMillis(-1))),
                "uploadImages has a negative rate limit");
    }

    @Test
    void aRowAddedGoesAfterTheRowsOfItsPhase() {
        Pipeline longer = STANDARD.with(row("review", "phase3", "menuImport"));

        assertThat(longer.subSteps()).extracting(SubStepDefinition::key)
            .containsSubsequence("optionSets", "review", "itemTags");
        assertThat(longer.subStepsOf("phase3")).extracting(SubStepDefinition::key)
            .containsExactly("optionSets", "review");
        assertThat(longer.documents().initial().phases().get("phase3").subSteps()).containsOnlyKeys("optionSets",
                "review");
        assertThat(STANDARD.subSteps()).hasSize(12);
    }

    private static SubStepDefinition row(String key, String phase, String... requires) {
        return Pipeline.row(DEFAULTS, key, phase, List.of(requires), in -> Optional.empty(), in -> "/" + key,
                in -> Map.of(), (context, result) -> context);
    }

    private static void assertRefused(java.util.function.Consumer<List<SubStepDefinition>> change, String message) {
        List<SubStepDefinition> rows = new ArrayList<>(STANDARD.subSteps());
        change.accept(rows);
        assertThatThrownBy(() -> new Pipeline(STANDARD.phases(), rows)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }

}
