package io.cdnodes.coordinator.results;

import io.cdnodes.coordinator.config.CoordinatorSettings;
import io.cdnodes.coordinator.evaluation.EvaluationQueries;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes a finished evaluation's results under {@code CDNODES_DATA_DIR/test_results/}: {@code
 * evaluation-<id>.json} (what {@code GET /evaluation/{id}?tests=true} answers) and {@code
 * evaluation-<id>.junit.xml}. Written off the dispatcher's thread, atomically (temporary file, then rename).
 */
@ApplicationScoped
public class ResultFiles {

    private static final System.Logger LOG = System.getLogger(ResultFiles.class.getName());

    @Resource
    private ManagedExecutorService executor;

    @EJB
    private EvaluationQueries queries;

    @Inject
    private CoordinatorSettings settings;

    private final Jsonb json = JsonbBuilder.create(new JsonbConfig().withFormatting(true));

    public void writeSoon(long evaluationId) {
        try {
            executor.execute(() -> write(evaluationId));
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "evaluation={0}: result files not written: {1}", evaluationId,
                    e.getMessage());
        }
    }

    /** Writes both files now. */
    public void write(long evaluationId) {
        try {
            Path dir = settings.resultsDir();
            Files.createDirectories(dir);
            List<Path> files = files(dir, evaluationId);
            atomically(files.get(0), json.toJson(queries.get(evaluationId, true)));
            atomically(files.get(1), JunitXml.write(queries.find(evaluationId), queries.results(evaluationId)));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "evaluation=" + evaluationId + ": writing result files failed", e);
        }
    }

    /** The evaluation's result files in {@code dir}: its JSON, then its JUnit XML. */
    public static List<Path> files(Path dir, long evaluationId) {
        return List.of(dir.resolve("evaluation-" + evaluationId + ".json"),
                dir.resolve("evaluation-" + evaluationId + ".junit.xml"));
    }

    private static void atomically(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
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
