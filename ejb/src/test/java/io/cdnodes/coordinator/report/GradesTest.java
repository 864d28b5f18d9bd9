package io.cdnodes.coordinator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.results.Tally;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GradesTest {

    private static final Tally TWO_OF_THREE = new Tally(2, 1, 0, 0, 0, 0);

    @Test
    void projectGradeComesFromItsTally() {
        assertThat(Grades.project(ProjectStatus.DONE, TWO_OF_THREE)).isEqualTo(13.33);
        assertThat(Grades.project(ProjectStatus.DONE, new Tally(0, 0, 0, 4, 1, 0))).isNull();
        assertThat(Grades.project(ProjectStatus.DONE, Tally.EMPTY)).isNull();
    }

    @Test
    void aFailedProjectGetsZeroWhateverRan() {
        assertThat(Grades.project(ProjectStatus.FAILED, TWO_OF_THREE)).isEqualTo(0.0);
        assertThat(Grades.project(ProjectStatus.FAILED, Tally.EMPTY)).isEqualTo(0.0);
    }

    @ParameterizedTest
    @EnumSource(value = ProjectStatus.class, names = "FAILED", mode = EnumSource.Mode.EXCLUDE)
    void otherStatusesGradeWhatRanSoFar(ProjectStatus status) {
        assertThat(Grades.project(status, new Tally(1, 1, 0, 0, 0, 0))).isEqualTo(10.0);
    }

    @Test
    void meanOfThePresentGrades() {
        assertThat(Grades.mean(List.of(20.0, 10.0))).isEqualTo(15.0);
        assertThat(Grades.mean(List.of(20.0, 13.33, 0.0))).isEqualTo(11.11);
        assertThat(Grades.mean(Arrays.asList(20.0, null, 10.0))).isEqualTo(15.0);
        assertThat(Grades.mean(List.of(6.67))).isEqualTo(6.67);
        assertThat(Grades.mean(List.of(0.0))).isEqualTo(0.0);
    }

    @Test
    void noGradesNoMean() {
        assertThat(Grades.mean(List.of())).isNull();
        assertThat(Grades.mean(Arrays.asList(null, null))).isNull();
    }

    @Test
    void meanIsRoundedToTwoDecimals() {
        assertThat(Grades.mean(List.of(10.0, 10.0, 0.01))).isEqualTo(6.67);
        assertThat(Grades.mean(List.of(1.0, 2.0, 2.0))).isEqualTo(1.67);
    }
}
