package io.cdnodes.coordinator.results;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Lob;
import java.util.Map;

/**
 * A test's report ({@link TestDetails}) as columns, the same in a result's row and in an earlier attempt's: each
 * null where pytest reported nothing of the kind.
 */
@Embeddable
public class ReportColumns {

    @Column(length = 16)
    private String phase;

    @Lob
    private String reason;

    @Lob
    private String longrepr;

    @Lob
    private String stdout;

    @Lob
    private String stderr;

    @Lob
    private String log;

    /** The recorded properties as a JSON object of strings; null when none. */
    @Lob
    private String propertiesJson;

    protected ReportColumns() {
    }

    ReportColumns(TestDetails details) {
        this.phase = details.phase();
        this.reason = details.reason();
        this.longrepr = details.longrepr();
        this.stdout = details.stdout();
        this.stderr = details.stderr();
        this.log = details.log();
        this.propertiesJson = details.properties().isEmpty() ? null : PropertiesJson.write(details.properties());
    }

    /** The report; {@link TestDetails#NONE} for a row whose columns are all null (which JPA reads as no object). */
    static TestDetails details(ReportColumns c) {
        if (c == null) {
            return TestDetails.NONE;
        }
        return new TestDetails(c.phase, c.reason, c.longrepr, c.stdout, c.stderr, c.log,
                c.propertiesJson == null ? Map.of() : PropertiesJson.read(c.propertiesJson));
    }
}
