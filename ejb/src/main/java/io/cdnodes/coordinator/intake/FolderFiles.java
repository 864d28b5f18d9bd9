package io.cdnodes.coordinator.intake;

import io.cdnodes.protocol.pkg.UnzipLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a folder on disk (a clone) that would go into its package, checked against the same limits
 * as an archive's content: a repository is no more trusted than an upload. Links are not followed and not
 * counted (the package leaves them out); junk folders ({@code .git} among them) are not entered.
 */
final class FolderFiles {

    private FolderFiles() {
    }

    /**
     * @return the files' paths relative to {@code folder}, '/'-separated
     * @throws IntakeException when there are too many files or too many bytes
     */
    static List<String> list(Path folder, UnzipLimits limits) {
        Path root = folder.toAbsolutePath().normalize();
        List<String> files = new ArrayList<>();
        long[] total = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String rel = relative(root, dir);
                    return !rel.isEmpty() && ProjectLayout.junk(rel + "/") ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String rel = relative(root, file);
                    if (!attrs.isRegularFile() || ProjectLayout.junk(rel)) {
                        return FileVisitResult.CONTINUE;
                    }
                    files.add(rel);
                    total[0] += attrs.size();
                    check(rel, attrs.size(), files.size(), total[0], limits);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the files of " + folder, e);
        }
        return files;
    }

    private static void check(String rel, long size, int count, long total, UnzipLimits limits) {
        if (count > limits.maxEntries()) {
            throw new IntakeException(IntakeException.Kind.TOO_LARGE, "the repository has more than "
                    + limits.maxEntries() + " files", rel);
        }
        if (size > limits.maxEntryBytes()) {
            throw new IntakeException(IntakeException.Kind.TOO_LARGE, "file " + rel + " is larger than "
                    + limits.maxEntryBytes() + " bytes", rel);
        }
        if (total > limits.maxTotalBytes()) {
            throw new IntakeException(IntakeException.Kind.TOO_LARGE, "the repository's files add up to more than "
                    + limits.maxTotalBytes() + " bytes (at " + rel + ")", rel);
        }
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }
}
