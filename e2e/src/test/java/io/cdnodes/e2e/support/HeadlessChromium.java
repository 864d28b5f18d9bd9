package io.cdnodes.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} without a display: the page a browser would show, as a PNG ({@link #screenshot}) or as
 * its DOM once its scripts ran ({@link #dom}). {@code .ci/run} installs the package where it is missing.
 */
public final class HeadlessChromium {

    private static final Duration SCRIPTS = Duration.ofSeconds(15);

    private HeadlessChromium() {
    }

    /** The folder the build keeps screenshots in: {@code e2e/target/screenshots}. */
    public static Path screenshots() {
        try {
            return Files.createDirectories(Path.of(System.getProperty("cdnodes.work", "target/e2e-work"))
                    .toAbsolutePath().getParent().resolve("screenshots"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes what {@code url} shows, 1366×900, to {@code png}. */
    public static Path screenshot(String url, Path png) {
        run(List.of("--hide-scrollbars", "--window-size=1366,900", "--screenshot=" + png), url);
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium wrote no screenshot of " + url);
        }
        return png;
    }

    /** The page's DOM after its scripts ran. */
    public static String dom(String url) {
        return run(List.of("--dump-dom"), url);
    }

    private static String run(List<String> options, String url) {
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--virtual-time-budget=" + SCRIPTS.toMillis()));
        cmd.addAll(options);
        cmd.add(url);
        try {
            Path out = Files.createTempFile(Paths.work("chromium-"), "out", ".html");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not end for " + url);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run chromium (Debian: apt-get install chromium; .ci/run installs it)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
