package io.cdnodes.coordinator.fetchpolicy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders whose git repositories {@code file://} URLs may name ({@code CDNODES_FETCH_FILE_ROOTS}, a
 * list separated like {@code PATH}); none by default, so that no submitter can have the coordinator read its
 * own disk. A repository is inside a root when its real path is (after {@code ..} and every symbolic link
 * are resolved), and so are the places its git folder points to: a {@code .git} file's {@code gitdir:}, a
 * {@code commondir}, its {@code objects} folder and the {@code objects/info/alternates} it borrows objects
 * from. A requested path that is not under a root as written is refused without touching the disk.
 *
 * @param roots absolute, normalized paths as configured
 */
public record FileRoots(List<Path> roots) {

    /** No root: every file:// URL is refused. */
    public static final FileRoots NONE = new FileRoots(List.of());

    private static final int MAX_ALTERNATE_DEPTH = 5;

    public FileRoots {
        roots = List.copyOf(roots);
    }

    /**
     * @param text the variable's value, paths separated by {@link File#pathSeparator}; null or blank: none
     * @throws IllegalArgumentException when a path is not absolute
     */
    public static FileRoots parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Path> roots = new ArrayList<>();
        for (String item : text.split(File.pathSeparator)) {
            String p = item.strip();
            if (p.isEmpty()) {
                continue;
            }
            Path path;
            try {
                path = Path.of(p);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("CDNODES_FETCH_FILE_ROOTS: '" + p + "' is not a path", e);
            }
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("CDNODES_FETCH_FILE_ROOTS: '" + p + "' is not an absolute path");
            }
            roots.add(path.normalize());
        }
        return new FileRoots(roots);
    }

    /**
     * The git folder (or bundle file) a {@code file://} URL's path names, checked to lie inside a root with
     * everything it points to.
     *
     * @param requested the URL's path, absolute
     * @throws FetchPolicy.Refused when it does not, cannot be read, or does not exist (all alike to the submitter)
     */
    public Path repository(Path requested) throws FetchPolicy.Refused {
        if (roots.isEmpty()) {
            throw new FetchPolicy.Refused("file:// URLs are not allowed (CDNODES_FETCH_FILE_ROOTS is empty)");
        }
        Path path = requested.toAbsolutePath().normalize();
        List<Path> real = realRoots();
        if (roots.stream().noneMatch(path::startsWith) && real.stream().noneMatch(path::startsWith)) {
            throw new FetchPolicy.Refused(path + " is outside the allowed roots " + roots);
        }
        Path repo = inside(path, real, "the repository");
        if (!Files.isDirectory(repo)) {
            return repo; // a bundle file, which JGit reads as one
        }
        Path dotGit = repo.resolve(".git");
        Path gitDir;
        if (Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            gitDir = inside(pointer(dotGit, "gitdir:", repo), real, "its .git file's gitdir");
        } else if (Files.exists(dotGit)) {
            gitDir = inside(dotGit, real, "its .git folder");
        } else {
            gitDir = repo;
        }
        checkGitDir(gitDir, real, 0);
        return gitDir;
    }

    private void checkGitDir(Path gitDir, List<Path> real, int depth) throws FetchPolicy.Refused {
        if (depth > MAX_ALTERNATE_DEPTH) {
            throw new FetchPolicy.Refused(gitDir + " borrows objects through more than " + MAX_ALTERNATE_DEPTH
                    + " alternates");
        }
        Path common = gitDir;
        Path commondir = gitDir.resolve("commondir");
        if (Files.exists(commondir, LinkOption.NOFOLLOW_LINKS)) {
            Path file = inside(commondir, real, "its commondir file");
            common = inside(pointer(file, "", gitDir), real, "its commondir");
        }
        Path objects = common.resolve("objects");
        if (!Files.exists(objects, LinkOption.NOFOLLOW_LINKS)) {
            return; // not a repository: cloning says so
        }
        objects = inside(objects, real, "its objects folder");
        Path alternates = objects.resolve("info/alternates");
        if (!Files.exists(alternates, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (String line : lines(inside(alternates, real, "its alternates file"))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Path alternate = inside(objects.resolve(l).normalize(), real, "an alternate object folder");
            checkGitDir(alternate.getParent(), real, depth + 1);
        }
    }

    /** The real path, if it lies under one of the roots' real paths. */
    private static Path inside(Path p, List<Path> realRoots, String what) throws FetchPolicy.Refused {
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException | SecurityException e) {
            throw new FetchPolicy.Refused(what + " " + p + " cannot be read: " + e);
        }
        for (Path root : realRoots) {
            if (real.startsWith(root)) {
                return real;
            }
        }
        throw new FetchPolicy.Refused(what + " " + p + " resolves to " + real + ", outside the allowed roots");
    }

    /** A git pointer file's target ("gitdir: ../x"), relative to {@code base}. */
    private static Path pointer(Path file, String prefix, Path base) throws FetchPolicy.Refused {
        List<String> lines = lines(file);
        String first = lines.isEmpty() ? "" : lines.get(0).strip();
        if (!first.startsWith(prefix) || first.length() == prefix.length()) {
            throw new FetchPolicy.Refused(file + " is not a git pointer file");
        }
        try {
            return base.resolve(first.substring(prefix.length()).strip()).normalize();
        } catch (InvalidPathException e) {
            throw new FetchPolicy.Refused(file + " points to a malformed path");
        }
    }

    private static List<String> lines(Path file) throws FetchPolicy.Refused {
        try {
            if (Files.size(file) > 64 * 1024) {
                throw new FetchPolicy.Refused(file + " is too large for a git pointer file");
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FetchPolicy.Refused(file + " cannot be read: " + e);
        }
    }

    private List<Path> realRoots() {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            try {
                out.add(root.toRealPath());
            } catch (IOException | SecurityException e) {
                // a root that does not exist (yet) holds nothing
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return roots.isEmpty() ? "none" : roots.toString();
    }
}
