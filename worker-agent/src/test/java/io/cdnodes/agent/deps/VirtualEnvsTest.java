package io.cdnodes.agent.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cdnodes.agent.TestPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real python3 -m venv and real pip, as the machine has it configured. One package is installed once for the
 * whole test JVM ({@link TestVenvs}, declared the way PytestRunDepsTest's project declares it, so the two share
 * the environment); the failures here stop before pip has anything to fetch.
 */
class VirtualEnvsTest {

    private static final long MINUTES_5 = TimeUnit.MINUTES.toNanos(5);

    @TempDir
    Path tmp;

    private static DeclaredDeps declaring(String... requirements) {
        return new DeclaredDeps(python3(), List.of(), List.of(requirements), List.of("requirements.txt"), List.of());
    }

    /** An interpreter name no real scan gives, so that these environments are never those of other tests. */
    private static String python3() {
        return "0.0.0 /for/failure/tests";
    }

    @Test
    void twoSlotsWantingTheSameEnvironmentGetOneInstallationWithThePackageAndTheMachinesPytest() throws Exception {
        VirtualEnvs envs = new VirtualEnvs("python3", TestVenvs.root(), 256 * 1024);
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("requirements-test.txt"), TestVenvs.REQUIREMENT + "\n");
        DeclaredDeps deps = new DeclarationScanner("python3", TestPlugin.install(tmp.resolve("plugin"))
                .resolve(DeclarationScanner.HELPER)).scan(project, System.nanoTime() + MINUTES_5, () -> false);
        Callable<Path> want = () -> envs.python(deps, System.nanoTime() + MINUTES_5, () -> false);

        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<Path> a = two.submit(want);
            Future<Path> b = two.submit(want);
            Path python = a.get(5, TimeUnit.MINUTES);
            assertThat(b.get(5, TimeUnit.MINUTES)).isEqualTo(python);
            assertThat(python).isEqualTo(TestVenvs.root().resolve(deps.key()).resolve("bin/python"));
        } finally {
            two.shutdownNow();
        }
        Path dir = envs.folder(deps);
        assertThat(Files.readString(dir.resolve(VirtualEnvs.READY), StandardCharsets.UTF_8))
                .isEqualTo(deps.canonical() + "\n");
        assertThat(Files.readAllLines(dir.resolve(VirtualEnvs.REQUIREMENTS))).containsExactly("tabulate");
        assertThat(run(dir.resolve("bin/python").toString(), "-c",
                "import sys, tabulate, pytest; print(tabulate.__file__.startswith(sys.prefix), pytest.__version__)"))
                .matches("True \\d+\\.\\d+.*");
        assertThat(run("python3", "-c", "import importlib.util; print(importlib.util.find_spec('tabulate'))"))
                .as("the machine's Python is left as it was").isEqualTo("None");

        // a ready environment is used as it is: nothing deletes or remakes it
        Path mark = Files.writeString(dir.resolve("kept.txt"), "still here");
        assertThat(envs.python(deps, System.nanoTime() + MINUTES_5, () -> false)).isEqualTo(dir.resolve("bin/python"));
        assertThat(mark).hasContent("still here");
        assertThat(envs.ready()).contains(dir);
    }

    @Test
    void anEnvironmentNotMadeInTimeIsDeletedAndSaysWhichStepWasStopped() throws Exception {
        VirtualEnvs envs = new VirtualEnvs("python3", tmp, 64 * 1024);
        DeclaredDeps deps = declaring("toolz");

        InstallException e = catchThrowableOfType(InstallException.class,
                () -> envs.python(deps, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300), () -> false));

        assertThat(e.getMessage()).startsWith("installing the test dependencies was stopped at the assignment's time "
                + "limit during python -m venv");
        assertThat(e.cancelled()).isFalse();
        assertThat(envs.folder(deps)).doesNotExist();
        assertThat(envs.ready()).isEmpty();
    }

    @Test
    void aCancelledInstallationIsDeletedAndReportedAsCancelled() throws Exception {
        VirtualEnvs envs = new VirtualEnvs("python3", tmp, 64 * 1024);
        DeclaredDeps deps = declaring("toolz");
        long start = System.nanoTime();

        InstallException e = catchThrowableOfType(InstallException.class,
                () -> envs.python(deps, start + MINUTES_5, () -> System.nanoTime() - start > 200_000_000L));

        assertThat(e.getMessage()).isEqualTo("cancelled during python -m venv");
        assertThat(e.cancelled()).isTrue();
        assertThat(envs.folder(deps)).doesNotExist();
        assertThat(ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive)).isTrue();
    }

    @Test
    void aHalfMadeEnvironmentLeftByADeadWorkerIsNotTakenForReady() throws Exception {
        VirtualEnvs envs = new VirtualEnvs("/no/such/python3", tmp, 64 * 1024);
        DeclaredDeps deps = declaring("toolz");
        Path dir = Files.createDirectories(envs.folder(deps).resolve("bin"));
        Files.writeString(dir.resolve("python"), "not a python");

        InstallException e = catchThrowableOfType(InstallException.class,
                () -> envs.python(deps, System.nanoTime() + MINUTES_5, () -> false));

        assertThat(e.getMessage()).startsWith("cannot make a virtual environment in " + envs.folder(deps) + ": ")
                .contains("/no/such/python3");
        assertThat(envs.folder(deps)).doesNotExist();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
