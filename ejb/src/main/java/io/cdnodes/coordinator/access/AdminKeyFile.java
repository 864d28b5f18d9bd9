package io.cdnodes.coordinator.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * The admin key made on first start when {@code CDNODES_ADMIN_KEY} is not set: {@code <data folder>/admin.key},
 * one line, readable by its owner only (0600), where {@code ./cdnodes} and {@code scripts/client.py} find it. The
 * file is created with those permissions (never widened then narrowed), and one whose permissions let others read
 * it is narrowed to 0600 before it is used.
 */
public final class AdminKeyFile {

    public static final String NAME = "admin.key";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** What {@link #readOrCreate} found: the key, and whether it was made just now or had to be narrowed. */
    public record Loaded(String key, boolean created, boolean narrowed) {
        @Override
        public String toString() {
            return "Loaded[created=" + created + ", narrowed=" + narrowed + "]";
        }
    }

    private AdminKeyFile() {
    }

    /**
     * Reads the key from {@code file}, or makes a new one there if there is none.
     *
     * @throws IOException when the file cannot be read or written, or holds no acceptable key
     */
    public static Loaded readOrCreate(Path file, SecureRandom random) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            String key = "cdn_admin_" + KeySecrets.randomSecret(random);
            try {
                create(file, key);
                return new Loaded(key, true, false);
            } catch (FileAlreadyExistsException e) {
                // another process made it first: read that one
            }
        }
        boolean narrowed = narrow(file);
        String key = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            AdminKey.check(key);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not hold an acceptable admin key: " + e.getMessage()
                    + "; delete it to have a new one made", e);
        }
        return new Loaded(key, false, narrowed);
    }

    private static void create(Path file, String key) throws IOException {
        FileAttribute<?>[] attrs = posix(file.toAbsolutePath().getParent())
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        Path made = Files.createFile(file, attrs);
        try {
            Files.writeString(made, key + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(made);
            throw e;
        }
    }

    private static boolean narrow(Path file) throws IOException {
        if (!posix(file)) {
            return false;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream().noneMatch(OTHERS::contains)) {
            return false;
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        return true;
    }

    private static boolean posix(Path p) {
        return Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class) != null;
    }
}
