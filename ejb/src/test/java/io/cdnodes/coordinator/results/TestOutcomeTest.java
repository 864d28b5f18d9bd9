package io.cdnodes.coordinator.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.coordinator.evaluation.EnumColumns;
import io.cdnodes.protocol.frame.Outcome;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The recorded outcome is the coordinator's own type, and reads what the protocol's type stored. */
class TestOutcomeTest {

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void aReportedOutcomeIsRecordedUnderItsOwnName(Outcome reported) {
        TestOutcome recorded = TestOutcome.of(reported);

        assertThat(recorded.name()).isEqualTo(reported.name());
        assertThat(recorded.wireName()).isEqualTo(reported.wireName());
    }

    @Test
    void theSameNamesInTheSameOrderAsTheProtocol() {
        assertThat(Arrays.stream(TestOutcome.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(Outcome.values()).map(Enum::name).toList());
    }

    /** A database made when the column was the protocol's enum: its rows read back, and nothing needs widening. */
    @Test
    void anOutcomeColumnMadeFromTheProtocolsEnumHoldsEveryOutcome() throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:outcomes" + System.nanoTime(), "sa", "")) {
            String before = Arrays.stream(Outcome.values()).map(o -> "'" + o.name() + "'")
                    .collect(Collectors.joining(","));
            exec(db, "create table test_result (id bigint primary key, outcome enum (" + before + ") not null)");
            exec(db, "insert into test_result values (1, 'PASSED'), (2, 'XFAILED'), (3, 'ERROR')");

            assertThat(EnumColumns.widen(db, "test_result", "outcome", TestOutcome.class)).isFalse();
            assertThat(outcomes(db)).containsExactly(TestOutcome.PASSED, TestOutcome.XFAILED, TestOutcome.ERROR);
            for (TestOutcome o : TestOutcome.values()) {
                exec(db, "insert into test_result values (" + (10 + o.ordinal()) + ", '" + o.name() + "')");
            }
        }
    }

    private static void exec(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<TestOutcome> outcomes(Connection db) throws SQLException {
        List<TestOutcome> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select outcome from test_result order by id")) {
            while (rs.next()) {
                out.add(TestOutcome.valueOf(rs.getString(1)));
            }
        }
        return out;
    }
}
