package io.cdnodes.coordinator.results;

/**
 * What a finished evaluation's result files hold ({@link ResultFiles}). The read side implements it, so that
 * results need not know how an evaluation is shown.
 */
public interface ResultDocuments {

    /** The evaluation as {@code GET /evaluation/{id}?tests=true} answers it, as JSON. */
    String json(long evaluationId);

    /** The evaluation's results as JUnit XML. */
    String junitXml(long evaluationId);
}
