package io.cdnodes.coordinator.evaluation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps H2 ENUM columns in step with their Java enums. Hibernate maps {@code @Enumerated(STRING)} to a native
 * H2 ENUM holding the values the enum had when the table was created, and {@code hbm2ddl=update} never
 * changes an existing column: a value added later (a new status) would be refused by a database made
 * before it. Plain JDBC, run at start outside any transaction (H2 commits DDL at once).
 */
public final class EnumColumns {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnumColumns() {
    }

    /**
     * Adds the enum's values the column lacks; values the column has and the enum no longer has are kept, so
     * that no existing row becomes invalid.
     *
     * @return whether the column was changed (false: up to date, not an ENUM, or no such table yet)
     */
    public static boolean widen(Connection c, String table, String column, Class<? extends Enum<?>> type)
            throws SQLException {
        if (!IDENTIFIER.matcher(table).matches() || !IDENTIFIER.matcher(column).matches()) {
            throw new IllegalArgumentException("not a plain identifier: " + table + "." + column);
        }
        Set<String> present = new LinkedHashSet<>();
        try (PreparedStatement q = c.prepareStatement("select e.VALUE_NAME from INFORMATION_SCHEMA.COLUMNS c "
                + "join INFORMATION_SCHEMA.ENUM_VALUES e on e.OBJECT_SCHEMA = c.TABLE_SCHEMA "
                + "and e.OBJECT_NAME = c.TABLE_NAME and e.OBJECT_TYPE = 'TABLE' and e.ENUM_IDENTIFIER = c.DTD_IDENTIFIER "
                + "where c.TABLE_SCHEMA = SCHEMA() and c.TABLE_NAME = ? and c.COLUMN_NAME = ? and c.DATA_TYPE = 'ENUM' "
                + "order by e.VALUE_ORDINAL")) {
            q.setString(1, table.toUpperCase(Locale.ROOT));
            q.setString(2, column.toUpperCase(Locale.ROOT));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        Set<String> wanted = new LinkedHashSet<>(present);
        for (Enum<?> e : type.getEnumConstants()) {
            wanted.add(e.name());
        }
        if (present.isEmpty() || wanted.equals(present)) {
            return false;
        }
        StringBuilder values = new StringBuilder();
        for (String v : wanted) {
            values.append(values.length() == 0 ? "" : ", ").append('\'').append(v.replace("'", "''")).append('\'');
        }
        try (Statement s = c.createStatement()) {
            s.execute("alter table " + table + " alter column " + column + " set data type enum(" + values + ")");
        }
        return true;
    }
}
