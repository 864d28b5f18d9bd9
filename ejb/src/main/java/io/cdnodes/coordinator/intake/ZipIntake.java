package io.cdnodes.coordinator.intake;

import io.cdnodes.protocol.pkg.PackageBuilder;
import io.cdnodes.protocol.pkg.SafeUnzip;
import io.cdnodes.protocol.pkg.UnsafeArchiveException;
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
 * Accepts an uploaded zip: checks every entry, finds the projects in it, and stores each project as a
 * deterministic package. Nothing is stored unless the whole archive is acceptable. Fetched repositories go
 * through the same checks and packing, one project at a time ({@link #acceptArchive}, {@link #acceptFolder}).
 */
public final class ZipIntake {

    /** One project found in an upload. */
    public record Accepted(String name, String packageId, long bytes, int files, boolean hasTests) {
    }

    private final PackageStore store;
    private final UnzipLimits limits;
    private final SafeUnzip unzip;

    public ZipIntake(PackageStore store, UnzipLimits limits) {
        this.store = store;
        this.limits = limits;
        this.unzip = new SafeUnzip(limits);
    }

    /**
     * @param upload     the uploaded file
     * @param uploadName the name the client gave it, for naming a root project
     * @param doctests   the run asks pytest for doctests, which widens what counts as a test file
     * @return the projects, in name order; at least one of them has tests
     * @throws IntakeException when the archive is refused
     */
    public List<Accepted> accept(Path upload, String uploadName, boolean doctests) {
        List<String> entries = list(upload);
        List<ProjectLayout.Found> found = ProjectLayout.find(entries, rootName(uploadName));
        if (found.isEmpty()) {
            throw new IntakeException(IntakeException.Kind.EMPTY_ZIP, "the zip archive holds no files");
        }
        if (found.size() > ProjectLayout.MAX_PROJECTS) {
            throw new IntakeException(IntakeException.Kind.TOO_MANY_PROJECTS, "the zip archive holds " + found.size()
                    + " projects (top-level folders); at most " + ProjectLayout.MAX_PROJECTS
                    + " are accepted in one submission");
        }
        List<Boolean> withTests = new ArrayList<>();
        for (ProjectLayout.Found f : found) {
            withTests.add(hasTests(entries.stream().filter(e -> e.startsWith(f.prefix())).toList(), doctests));
        }
        if (!withTests.contains(true)) {
            throw new IntakeException(IntakeException.Kind.NO_TESTS, "no test files (test_*.py or *_test.py) in "
                    + (found.size() == 1 ? "the project" : "any of the " + found.size() + " projects"));
        }
        // every project is packed before any is stored: a refusal in the last one must leave nothing behind
        List<Packed> packed = new ArrayList<>();
        try {
            for (int i = 0; i < found.size(); i++) {
                packed.add(pack(upload, found.get(i), withTests.get(i)));
            }
            List<Accepted> out = new ArrayList<>();
            for (Packed p : packed) {
                out.add(store(p));
            }
            return out;
        } finally {
            packed.forEach(p -> deleteQuietly(p.scratch()));
        }
    }

    /**
     * Accepts a repository archive as one project: a GitHub zipball, whose files sit in one top folder
     * ({@code owner-repo-sha/}), which is left out; an archive without a single top folder is taken whole.
     *
     * @throws IntakeException when the archive is refused or holds no test files
     */
    public Accepted acceptArchive(Path archive, String name, boolean doctests) {
        List<String> entries = list(archive);
        String prefix = topFolder(entries);
        List<String> inside = entries.stream().filter(e -> e.startsWith(prefix)).toList();
        if (!hasTests(inside, doctests)) {
            throw new IntakeException(IntakeException.Kind.NO_TESTS, NO_TESTS_IN_REPOSITORY);
        }
        Packed p = pack(archive, new ProjectLayout.Found(name, prefix), true);
        try {
            return store(p);
        } finally {
            deleteQuietly(p.scratch());
        }
    }

    /**
     * Accepts a folder on disk (a clone) as one project. Junk ({@code .git} among it) and links are left out;
     * the same limits as for an archive's content apply.
     *
     * @param doctests the run asks pytest for doctests, which widens what counts as a test file
     * @throws IntakeException when the folder is over a limit or holds no test files
     */
    public Accepted acceptFolder(Path folder, String name, boolean doctests) {
        List<String> files = FolderFiles.list(folder, limits);
        if (!hasTests(files, doctests)) {
            throw new IntakeException(IntakeException.Kind.NO_TESTS, NO_TESTS_IN_REPOSITORY);
        }
        Path scratch = null;
        try {
            scratch = store.scratch("intake");
            Path zip = scratch.resolve("package.zip");
            int count = PackageBuilder.build(folder, zip, ProjectLayout::junk);
            return store(new Packed(new ProjectLayout.Found(name, ""), scratch, zip, count, true));
        } catch (IOException e) {
            throw new UncheckedIOException("packing project " + name + " failed", e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    private static final String NO_TESTS_IN_REPOSITORY = "no test files (test_*.py or *_test.py) in this repository";

    /** Whether any of these file names (junk aside) is a test file, or may hold doctests the run asks for. */
    private static boolean hasTests(List<String> names, boolean doctests) {
        return names.stream().anyMatch(e -> !e.endsWith("/") && !ProjectLayout.junk(e)
                && (TestFiles.isTestFile(e) || doctests && TestFiles.mayHoldDoctests(e)));
    }

    /** "top/" when every entry is inside one folder, "" otherwise. */
    static String topFolder(List<String> entries) {
        String top = null;
        for (String e : entries) {
            int slash = e.indexOf('/');
            if (slash <= 0) {
                return "";
            }
            String first = e.substring(0, slash + 1);
            if (top == null) {
                top = first;
            } else if (!top.equals(first)) {
                return "";
            }
        }
        return top == null ? "" : top;
    }

    /** A project packed into a scratch folder, not yet stored. */
    private record Packed(ProjectLayout.Found project, Path scratch, Path zip, int files, boolean hasTests) {
    }

    private List<String> list(Path upload) {
        try {
            return unzip.list(upload);
        } catch (UnsafeArchiveException e) {
            throw refusal(e);
        } catch (IOException e) {
            throw new IntakeException(IntakeException.Kind.NOT_A_ZIP, "the upload cannot be read as a zip: " + e.getMessage());
        }
    }

    private Packed pack(Path upload, ProjectLayout.Found project, boolean hasTests) {
        Path scratch = null;
        boolean packed = false;
        try {
            scratch = store.scratch("intake");
            Path dir = Files.createDirectory(scratch.resolve("p"));
            int files = unzip.extract(upload, project.prefix(), dir, ProjectLayout::junk);
            Path zip = scratch.resolve("package.zip");
            PackageBuilder.build(dir, zip, ProjectLayout::junk);
            deleteQuietly(dir);
            packed = true;
            return new Packed(project, scratch, zip, files, hasTests);
        } catch (UnsafeArchiveException e) {
            throw refusal(e);
        } catch (IOException e) {
            throw new UncheckedIOException("packing project " + project.name() + " failed", e);
        } finally {
            if (!packed) {
                deleteQuietly(scratch);
            }
        }
    }

    private Accepted store(Packed p) {
        try {
            PackageStore.Stored stored = store.put(p.zip());
            return new Accepted(p.project().name(), stored.packageId(), stored.bytes(), p.files(), p.hasTests());
        } catch (IOException e) {
            throw new UncheckedIOException("storing project " + p.project().name() + " failed", e);
        }
    }

    static IntakeException refusal(UnsafeArchiveException e) {
        IntakeException.Kind kind = switch (e.rule()) {
            case NOT_A_ZIP -> IntakeException.Kind.NOT_A_ZIP;
            case TOO_MANY_ENTRIES, ENTRY_TOO_LARGE, TOTAL_TOO_LARGE, RATIO -> IntakeException.Kind.TOO_LARGE;
            case UNSAFE_PATH, LINK, DUPLICATE -> IntakeException.Kind.UNSAFE_ENTRY;
        };
        return new IntakeException(kind, e.getMessage(), e.entry());
    }

    static String rootName(String uploadName) {
        String n = uploadName == null ? "" : uploadName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1);
        if (n.toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
            n = n.substring(0, n.length() - 4);
        }
        return n.isBlank() ? "project" : n;
    }

    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // a leftover scratch folder is harmless
        }
    }
}
