package io.cdnodes.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zips built in memory: of a folder, or of given entries (bad ones included). */
public final class Zips {

    private Zips() {
    }

    /**
     * The folder's files, under {@code prefix} ("" for the zip's root; otherwise a folder name ending in "/",
     * whose entry comes first, as in GitHub's zipballs).
     */
    public static byte[] of(Path dir, String prefix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.walk(dir)) {
            if (!prefix.isEmpty()) {
                zip.putNextEntry(new ZipEntry(prefix));
                zip.closeEntry();
            }
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                if (rel.contains("__pycache__") || rel.contains(".pytest_cache")) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(prefix + rel));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A zip of several folders, each as a top-level folder named by the map's key. */
    public static byte[] ofProjects(Map<String, Path> projects) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, Path> p : projects.entrySet()) {
                try (Stream<Path> files = Files.walk(p.getValue())) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        String rel = p.getValue().relativize(f).toString().replace('\\', '/');
                        if (rel.contains("__pycache__") || rel.contains(".pytest_cache")) {
                            continue;
                        }
                        zip.putNextEntry(new ZipEntry(p.getKey() + "/" + rel));
                        Files.copy(f, zip);
                        zip.closeEntry();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A zip with exactly these entries (name → content), in order. */
    public static byte[] entries(List<Map.Entry<String, String>> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : entries) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
