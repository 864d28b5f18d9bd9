package io.cdnodes.coordinator.report;

import io.cdnodes.coordinator.results.ResultDocuments;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

/** The result files' content, from the read models: the evaluation in full as JSON, and its JUnit XML. */
@ApplicationScoped
public class EvaluationDocuments implements ResultDocuments {

    private static final System.Logger LOG = System.getLogger(EvaluationDocuments.class.getName());

    @EJB
    private EvaluationQueries queries;

    private final Jsonb json = JsonbBuilder.create(new JsonbConfig().withFormatting(true));

    @Override
    public String json(long evaluationId) {
        return json.toJson(queries.get(evaluationId, true));
    }

    @Override
    public String junitXml(long evaluationId) {
        return queries.junitXml(evaluationId);
    }

    @PreDestroy
    void close() {
        try {
            json.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing JSON-B", e);
        }
    }
}
