package io.cdnodes.protocol.pkg;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a package from a folder: regular files only, sorted by path, with fixed timestamps, so that the
 * same content always gives the same bytes and therefore the same package id.
 */
public final class PackageBuilder {

    /**
     * The time every entry carries, as a zone-free DOS date. Not 1980-01-01 00:00: the JDK takes that for its
     * "before 1980" marker and adds an extended-timestamp field, and a {@code FileTime} is converted through
     * the default time zone, so the bytes would depend on the machine's zone.
     */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 2, 1, 0, 0);

    private PackageBuilder() {
    }

    /**
     * Zips the regular files under {@code folder} into {@code out}.
     *
     * @param skip relative paths ('/'-separated) to leave out; a skipped folder is not entered
     * @return the number of files packed
     */
    public static int build(Path folder, Path out, Predicate<String> skip) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        List<String> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String rel = relative(root, dir);
                return !rel.isEmpty() && skip.test(rel + "/") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = relative(root, file);
                if (attrs.isRegularFile() && !Files.isSymbolicLink(file) && !skip.test(rel)) {
                    files.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        try (OutputStream os = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.setLevel(6);
            for (String rel : files) {
                ZipEntry e = new ZipEntry(rel);
                e.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(e);
                Path f = root.resolve(rel);
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(f, zip);
                }
                zip.closeEntry();
            }
        }
        return files.size();
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }
}
