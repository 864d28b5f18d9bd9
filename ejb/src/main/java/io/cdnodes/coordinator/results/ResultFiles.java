package io.cdnodes.coordinator.results;

import io.cdnodes.coordinator.config.CoordinatorSettings;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
 * What the files hold comes from {@link ResultDocuments}, which the read side provides: results do not depend
 * on how an evaluation is shown.
 */
@ApplicationScoped
public class ResultFiles {

    private static final System.Logger LOG = System.getLogger(ResultFiles.class.getName());

    @Resource
    private ManagedExecutorService executor;

    @Inject
    private ResultDocuments documents;

    @Inject
    private CoordinatorSettings settings;

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
            atomically(files.get(0), documents.json(evaluationId));
            atomically(files.get(1), documents.junitXml(evaluationId));
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
}
