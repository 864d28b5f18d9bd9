package io.cdnodes.coordinator.intake;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which projects a zip holds, from its entry names alone: the zip's root is one project when it
 * looks like a Python project (see {@link #ROOT_MARKERS}); otherwise each top-level folder is a project.
 * Junk that archivers add ({@code __MACOSX/}, {@code .DS_Store}) is ignored throughout.
 */
public final class ProjectLayout {

    /** Projects in one submission at most: top-level folders of an upload, or repository URLs. */
    public static final int MAX_PROJECTS = 500;

    /** Files whose presence at the root makes the root a project. */
    public static final Set<String> ROOT_MARKERS = Set.of("pyproject.toml", "setup.cfg", "tox.ini", "pytest.ini",
            "conftest.py", "setup.py");

    /** One project: its name and the entry prefix its files have ("" for the root). */
    public record Found(String name, String prefix) {
    }

    private ProjectLayout() {
    }

    public static boolean junk(String relativePath) {
        for (String seg : relativePath.split("/")) {
            if (seg.equals("__MACOSX") || seg.equals(".DS_Store") || seg.equals("__pycache__")
                    || seg.equals(".pytest_cache") || seg.equals(".git") || seg.equals(".hg") || seg.equals(".svn")
                    || seg.equals(".tox") || seg.equals(".venv") || seg.equals(".mypy_cache")) {
                return true;
            }
        }
        String lower = relativePath.toLowerCase(Locale.ROOT);
        return lower.endsWith(".pyc") || lower.endsWith(".pyo");
    }

    /**
     * @param entries normalised entry names (folders end with '/')
     * @param rootName the name for a root project (the upload's file name without ".zip")
     */
    public static List<Found> find(List<String> entries, String rootName) {
        List<String> files = entries.stream().filter(e -> !e.endsWith("/") && !junk(e)).toList();
        if (files.isEmpty()) {
            return List.of();
        }
        if (rootIsProject(files)) {
            return List.of(new Found(rootName, ""));
        }
        Set<String> folders = new LinkedHashSet<>();
        for (String f : files) {
            int slash = f.indexOf('/');
            if (slash > 0) {
                folders.add(f.substring(0, slash));
            }
        }
        List<Found> out = new ArrayList<>();
        folders.stream().sorted().forEach(d -> out.add(new Found(d, d + "/")));
        return out;
    }

    private static boolean rootIsProject(List<String> files) {
        for (String f : files) {
            if (!f.contains("/")) {
                if (ROOT_MARKERS.contains(f) || TestFiles.isTestFile(f)) {
                    return true;
                }
            } else if (f.startsWith("tests/") || f.startsWith("test/")) {
                return true;
            }
        }
        return false;
    }
}
