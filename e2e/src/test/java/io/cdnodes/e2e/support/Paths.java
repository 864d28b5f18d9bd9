package io.cdnodes.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the artifacts under test and the fixtures are (set by failsafe from the build). */
public final class Paths {

    private Paths() {
    }

    public static Path payaraJar() {
        return existing("cdnodes.payaraJar");
    }

    public static Path rar() {
        return existing("cdnodes.rar");
    }

    public static Path war() {
        return existing("cdnodes.war");
    }

    /**
     * The coordinator's Payara Micro post-boot commands (the database pool, the connector's threads), as ./cdnodes
     * passes them.
     */
    public static Path postBootCommands() {
        return existing("cdnodes.postBootCommands");
    }

    /** The EAR, for Payara Server. */
    public static Path ear() {
        return existing("cdnodes.ear");
    }

    /** The domain resources an operator makes on Payara Server before deploying the EAR. */
    public static Path domainResources() {
        return existing("cdnodes.domainResources");
    }

    /** Payara Server as unpacked by the build (its {@code payara6} folder). */
    public static Path payaraServer() {
        return existing("cdnodes.payaraServer");
    }

    public static Path workerJar() {
        return existing("cdnodes.workerJar");
    }

    public static Path fixture(String name) {
        return existing("cdnodes.fixtures").resolve(name);
    }

    /** A fresh folder under target/e2e-work. */
    public static Path work(String prefix) {
        try {
            Path root = Path.of(System.getProperty("cdnodes.work", "target/e2e-work")).toAbsolutePath();
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The folder the shared coordinator allows {@code file://} repositories in ({@code CDNODES_FETCH_FILE_ROOTS}):
     * tests make the repositories they submit by file:// URL under it.
     */
    public static Path repositories() {
        try {
            return Files.createDirectories(Path.of(System.getProperty("cdnodes.work", "target/e2e-work"))
                    .toAbsolutePath().resolve("repositories"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path existing(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set: run through Maven (./mvnw verify)");
        }
        Path p = Path.of(v).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " does not exist: build first (./mvnw verify builds it)");
        }
        return p;
    }
}
