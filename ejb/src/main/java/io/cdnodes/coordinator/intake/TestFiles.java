package io.cdnodes.coordinator.intake;

/**
 * pytest's default test file patterns ({@code test_*.py}, {@code *_test.py}), used at intake only to tell
 * a zip with no tests at all from one worth running. What actually runs is what pytest collects.
 */
public final class TestFiles {

    private TestFiles() {
    }

    public static boolean isTestFile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.endsWith(".py") && (name.startsWith("test_") || name.endsWith("_test.py"));
    }

    /** Files that may hold doctests when the options enable them. */
    public static boolean mayHoldDoctests(String path) {
        return path.endsWith(".py") || path.endsWith(".txt") || path.endsWith(".rst") || path.endsWith(".md");
    }
}
