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
 */
public final class PytestOracle {

    private static final Pattern LINE = Pattern.compile("^(\\S+::\\S*) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)(?:\\s|$)");

    private PytestOracle() {
    }

    /** Node id → outcome (passed, failed, error, skipped, xfailed, xpassed), sorted by node id. */
    public static Map<String, String> outcomes(Path project, List<String> args, Map<String, String> env) {
        Path copy = Paths.work("oracle-").resolve("project");
        copy(project, copy);
        List<String> cmd = new ArrayList<>(List.of(Python.executable(), "-m", "pytest", "-v", "-p", "no:cacheprovider"));
        cmd.addAll(args);
        String out;
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, String> outcomes = parse(out);
        if (outcomes.isEmpty()) {
            throw new IllegalStateException("plain pytest reported no test:\n" + out);
        }
        return outcomes;
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
        return out;
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
