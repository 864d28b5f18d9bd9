package io.cdnodes.coordinator.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TallyTest {

    @Test
    void eachOutcomeCountsInItsOwnField() {
        Tally t = Tally.EMPTY.plus(TestOutcome.PASSED, 1).plus(TestOutcome.FAILED, 2).plus(TestOutcome.ERROR, 3)
                .plus(TestOutcome.SKIPPED, 4).plus(TestOutcome.XFAILED, 5).plus(TestOutcome.XPASSED, 6);

        assertThat(t).isEqualTo(new Tally(1, 2, 3, 4, 5, 6));
        assertThat(t.executed()).isEqualTo(21);
        assertThat(t.gradePassed()).isEqualTo(7);
        assertThat(t.gradeFailed()).isEqualTo(5);
    }

    @Test
    void talliesAdd() {
        assertThat(new Tally(1, 2, 3, 4, 5, 6).plus(new Tally(10, 20, 30, 40, 50, 60)))
                .isEqualTo(new Tally(11, 22, 33, 44, 55, 66));
        assertThat(Tally.EMPTY.plus(Tally.EMPTY)).isEqualTo(Tally.EMPTY);
    }

    @Test
    void emptyTallyHasNoGradeAndZeroPercentages() {
        assertThat(Tally.EMPTY.grade()).isNull();
        assertThat(Tally.EMPTY.passedPercent()).isZero();
        assertThat(Tally.EMPTY.failedPercent()).isZero();
        assertThat(Tally.EMPTY.executed()).isZero();
    }

    @Test
    void onlySkippedAndXfailedHaveNoGradeButCountAsExecuted() {
        Tally t = new Tally(0, 0, 0, 3, 2, 0);

        assertThat(t.grade()).isNull();
        assertThat(t.executed()).isEqualTo(5);
        assertThat(t.passedPercent()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
            "1, 0, 0, 0, 20.0",
            "0, 1, 0, 0, 0.0",
            "2, 1, 0, 0, 13.33",
            "1, 2, 0, 0, 6.67",
            "1, 0, 1, 0, 10.0",
            "0, 0, 0, 1, 20.0",
            "2, 0, 1, 1, 15.0",
            "199, 1, 0, 0, 19.9",
            "1, 1, 1, 0, 6.67"})
    void gradeIsPassedOverPassedAndFailedTimesTwenty(long passed, long failed, long error, long xpassed, double grade) {
        assertThat(new Tally(passed, failed, error, 7, 9, xpassed).grade()).isEqualTo(grade);
    }

    @Test
    void percentagesAreOfExecutedTestsWithOneDecimal() {
        Tally t = new Tally(1, 1, 0, 1, 0, 0);

        assertThat(t.passedPercent()).isEqualTo(33.3);
        assertThat(t.failedPercent()).isEqualTo(33.3);
        Tally u = new Tally(2, 0, 1, 0, 0, 0);
        assertThat(u.passedPercent()).isEqualTo(66.7);
        assertThat(u.failedPercent()).isEqualTo(33.3);
        assertThat(new Tally(1, 0, 0, 0, 0, 1).passedPercent()).isEqualTo(100.0);
    }
}
