package io.cdnodes.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeyFileTest {

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    @Test
    void aKeyIsMadeOnceReadableByItsOwnerOnlyAndReadAfterwards() throws IOException {
        Path file = dir.resolve("data/admin.key");

        AdminKeyFile.Loaded made = AdminKeyFile.readOrCreate(file, random);

        assertThat(made.created()).isTrue();
        assertThat(made.key()).matches("cdn_admin_[A-Za-z0-9_-]{43}");
        assertThat(Files.readString(file)).isEqualTo(made.key() + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        AdminKey.of(made.key(), random); // acceptable as an admin key

        AdminKeyFile.Loaded again = AdminKeyFile.readOrCreate(file, random);
        assertThat(again.created()).isFalse();
        assertThat(again.narrowed()).isFalse();
        assertThat(again.key()).isEqualTo(made.key());
    }

    @Test
    void aKeyFileOthersCanReadIsNarrowedBeforeUse() throws IOException {
        Path file = dir.resolve("admin.key");
        Files.writeString(file, "  my-own-admin-key-of-enough-length \n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        AdminKeyFile.Loaded loaded = AdminKeyFile.readOrCreate(file, random);

        assertThat(loaded.key()).isEqualTo("my-own-admin-key-of-enough-length");
        assertThat(loaded.narrowed()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aFileWithoutAnAcceptableKeyStopsTheStart() throws IOException {
        Path file = dir.resolve("admin.key");
        Files.writeString(file, "short\n");

        assertThatThrownBy(() -> AdminKeyFile.readOrCreate(file, random)).isInstanceOf(IOException.class)
                .hasMessageContaining("delete it");
        assertThat(Files.readString(file)).as("left as it was").isEqualTo("short\n");
    }

    @Test
    void printingWhatWasLoadedShowsNoKey() throws IOException {
        AdminKeyFile.Loaded loaded = AdminKeyFile.readOrCreate(dir.resolve("admin.key"), random);
        assertThat(loaded.toString()).doesNotContain(loaded.key());
    }
}
