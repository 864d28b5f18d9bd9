package io.cdnodes.coordinator.intake;

import io.cdnodes.protocol.transfer.PackageDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Packages on disk, named by their SHA-256: {@code <root>/<id>.zip}. Storing the same content twice keeps
 * one file. Writes are atomic (temporary file, then rename), so a crash never leaves a half package under
 * its final name. A file's modification time is when its content was last stored (retention keeps recently
 * stored packages). Thread-safe.
 */
public final class PackageStore {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    /** Storing and retention's deleting exclude each other: a package reused is never deleted under its user. */
    private final Object lock = new Object();

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

    /**
     * Moves {@code file} into the store under its digest and returns its id. When the same content is stored
     * already, that file's modification time is set to now: retention reads it as "last stored".
     */
    public Stored put(Path file) throws IOException {
        String id = PackageDigest.of(file);
        long size = Files.size(file);
        Path target = path(id);
        synchronized (lock) {
            if (Files.exists(target)) {
                Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
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
            // a moved file keeps the time it was written; say when it was stored
            Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
        }
        return new Stored(id, size);
    }

    /** When the package was last stored or reused; empty when it is not in the store. */
    public Optional<Instant> lastStored(String packageId) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(path(packageId)).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the package unless it was stored or reused at or after {@code since}: checked and deleted under the
     * same lock as {@link #put}, so that a submission storing the same content meanwhile keeps it.
     *
     * @return whether it was deleted
     */
    public boolean deleteUnlessStoredSince(String packageId, Instant since) throws IOException {
        Path p = path(packageId);
        synchronized (lock) {
            Optional<Instant> stored = lastStored(packageId);
            if (stored.isEmpty() || !stored.get().isBefore(since)) {
                return false;
            }
            Files.delete(p);
            return true;
        }
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
