package io.cdnodes.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What plain pytest says: runs {@code python -m pytest -v <args>} in a fresh copy of a project, in its root,
 * and reads each node's outcome from the verbose lines. A test reported twice (its call passed, its
 * teardown errored) counts as error unless its call failed, which is the rule CD Nodes documents.
 * Subtests: a test with a {@code SUBFAILED} line (in the progress lines, or in the short summary, where
 * pytest 9 shows those of unittest tests, whose progress lines it captures) is failed, whatever its own line
 * says. A collection error ({@code ERROR path} in the short summary, no progress line) is an error result
 * under that path. A module skipped as it is collected ({@code pytest.importorskip}) has no progress line either:
 * a {@code SKIPPED [1] path:line: reason} summary line ({@code -rs}) for a file that no progress line names is a
 * skipped result under that path, as pytest counts it.
 */
public final class PytestOracle {

    private static final Pattern LINE = Pattern.compile("^(\\S+::\\S*) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)(?:\\s|$)");
    private static final Pattern SUBFAILED_LINE = Pattern.compile("^(\\S+::\\S*) SUBFAILED");
    private static final Pattern SUMMARY_ERROR = Pattern.compile("^ERROR (\\S+)(?: - .*)?$");
    private static final Pattern SUMMARY_SKIPPED = Pattern.compile("^SKIPPED \\[\\d+\\] ([^:\\s]+):\\d+: ");

    /** What a plain pytest run printed, and its exit code. */
    public record Run(int exitCode, String output) {
    }

    private PytestOracle() {
    }

    /** Node id → outcome (passed, failed, error, skipped, xfailed, xpassed), sorted by node id. */
    public static Map<String, String> outcomes(Path project, List<String> args, Map<String, String> env) {
        return outcomes(project, args, env, Python.executable());
    }

    /** The same, with another Python (one with the project's test dependencies installed, say). */
    public static Map<String, String> outcomes(Path project, List<String> args, Map<String, String> env,
                                               String python) {
        Run run = run(project, args, env, python);
        Map<String, String> outcomes = parse(run.output());
        if (outcomes.isEmpty()) {
            throw new IllegalStateException("plain pytest reported no test:\n" + run.output());
        }
        return outcomes;
    }

    /**
     * Runs {@code python -m pytest -v -rfEs <args>} in a fresh copy of the project ({@code -rfE}, pytest's
     * default, is given so that a project's own {@code -r} cannot hide the summary lines read here; {@code s} names
     * the skipped modules).
     */
    public static Run run(Path project, List<String> args, Map<String, String> env, String python) {
        Path copy = Paths.work("oracle-").resolve("project");
        copy(project, copy);
        List<String> cmd = new ArrayList<>(List.of(python, "-m", "pytest", "-v", "-rfEs", "-p", "no:cacheprovider"));
        cmd.addAll(args);
        String out;
        int exit;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(copy.toFile()).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("CDNODES_"));
            pb.environment().putAll(env);
            Process p = pb.start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("plain pytest did not finish");
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Run(exit, out);
    }

    static Map<String, String> parse(String output) {
        Map<String, String> out = new TreeMap<>();
        for (String line : output.split("\\R")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String id = m.group(1);
            String outcome = switch (m.group(2)) {
                case "PASSED" -> "passed";
                case "FAILED" -> "failed";
                case "ERROR" -> "error";
                case "SKIPPED" -> "skipped";
                case "XFAIL" -> "xfailed";
                default -> "xpassed";
            };
            String before = out.get(id);
            if (before == null || outcome.equals("error") && !before.equals("failed")) {
                out.put(id, outcome);
            }
        }
        subtestFailures(output, out);
        collectionErrors(output, out);
        skippedModules(output, out);
        return out;
    }

    private static void skippedModules(String output, Map<String, String> out) {
        for (String line : output.split("\\R")) {
            Matcher m = SUMMARY_SKIPPED.matcher(line);
            if (m.find() && out.keySet().stream().noneMatch(id -> id.equals(m.group(1))
                    || id.startsWith(m.group(1) + "::"))) {
                out.put(m.group(1), "skipped");
            }
        }
    }

    private static void subtestFailures(String output, Map<String, String> out) {
        for (String line : output.split("\\R")) {
            Matcher m = SUBFAILED_LINE.matcher(line);
            if (m.find() && out.containsKey(m.group(1))) {
                out.put(m.group(1), "failed");
            } else if (line.startsWith("SUBFAILED")) {
                // short summary: "SUBFAILED<description> <nodeid>[ - <message>]"; the description is free text,
                // so the node id is found among those the progress lines named
                for (String id : out.keySet()) {
                    if (line.contains(" " + id + " - ") || line.endsWith(" " + id)) {
                        out.put(id, "failed");
                        break;
                    }
                }
            }
        }
    }

    private static void collectionErrors(String output, Map<String, String> out) {
        for (String line : output.split("\\R")) {
            Matcher m = SUMMARY_ERROR.matcher(line);
            if (m.find() && !out.containsKey(m.group(1))) {
                out.put(m.group(1), "error");
            }
        }
    }

    static void copy(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file).toString()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
