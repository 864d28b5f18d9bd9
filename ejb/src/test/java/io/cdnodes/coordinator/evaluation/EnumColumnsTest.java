package io.cdnodes.coordinator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A database made before FETCHING existed accepts it after widening, and keeps its rows and constraints. */
class EnumColumnsTest {

    private Connection db;

    @BeforeEach
    void open() throws SQLException {
        db = DriverManager.getConnection("jdbc:h2:mem:enums" + System.nanoTime(), "sa", "");
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    @Test
    void anOldStatusColumnLearnsTheNewValues() throws SQLException {
        exec("create table project (id bigint primary key, status enum ('CANCELLED','COLLECTING','DONE','FAILED',"
                + "'QUEUED','RUNNING','RETIRED') not null)");
        exec("insert into project values (1, 'DONE'), (2, 'RETIRED')");
        assertThatThrownBy(() -> exec("insert into project values (3, 'FETCHING')")).isInstanceOf(SQLException.class);

        assertThat(EnumColumns.widen(db, "project", "status", ProjectStatus.class)).isTrue();

        exec("insert into project values (3, 'FETCHING')");
        assertThat(statuses()).containsExactly("DONE", "RETIRED", "FETCHING");
        assertThatThrownBy(() -> exec("insert into project values (4, null)")).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> exec("insert into project values (4, 'NONSENSE')")).isInstanceOf(SQLException.class);
        assertThat(EnumColumns.widen(db, "project", "status", ProjectStatus.class)).as("already up to date").isFalse();
    }

    @Test
    void nothingToDoWithoutTheTableOrForAnotherType() throws SQLException {
        assertThat(EnumColumns.widen(db, "project", "status", ProjectStatus.class)).isFalse();
        exec("create table project (id bigint primary key, status varchar(16))");
        assertThat(EnumColumns.widen(db, "project", "status", ProjectStatus.class)).isFalse();
        assertThatThrownBy(() -> EnumColumns.widen(db, "project; drop table x", "status", ProjectStatus.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> statuses() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select status from project order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
