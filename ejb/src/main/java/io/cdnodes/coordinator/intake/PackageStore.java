package io.cdnodes.coordinator.intake;

import io.cdnodes.protocol.transfer.PackageDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Packages on disk, named by their SHA-256: {@code <root>/<id>.zip}. Storing the same content twice keeps
 * one file. Writes are atomic (temporary file, then rename), so a crash never leaves a half package under
 * its final name. Thread-safe.
 */
public final class PackageStore {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public PackageStore(Path root) {
        this.root = root.toAbsolutePath();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the package store " + root, e);
        }
    }

    /** A stored package: its id and size. */
    public record Stored(String packageId, long bytes) {
    }

    /** Moves {@code file} into the store under its digest and returns its id. */
    public Stored put(Path file) throws IOException {
        String id = PackageDigest.of(file);
        long size = Files.size(file);
        Path target = path(id);
        if (Files.exists(target)) {
            Files.delete(file);
            return new Stored(id, size);
        }
        Path tmp = Files.createTempFile(root, id, ".tmp");
        Files.move(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Stored(id, size);
    }

    /** Where the package with this id is (or would be). */
    public Path path(String packageId) {
        if (!ID.matcher(packageId).matches()) {
            throw new IllegalArgumentException("not a package id: " + packageId);
        }
        return root.resolve(packageId + ".zip");
    }

    public boolean contains(String packageId) {
        return Files.isRegularFile(path(packageId));
    }

    /** Deletes a scratch folder and what is in it; a leftover is harmless, so failures are ignored. */
    public void discard(Path scratch) {
        ZipIntake.deleteQuietly(scratch);
    }

    /** A scratch folder inside the store's file system, so that moves into the store are renames. */
    public Path scratch(String prefix) throws IOException {
        Path dir = root.resolve("tmp");
        Files.createDirectories(dir);
        return Files.createTempDirectory(dir, prefix);
    }
}
