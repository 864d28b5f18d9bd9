package io.cdnodes.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bubblewrap command line, argument by argument: no process is started here. */
class BubblewrapTest {

    private static final Path PY = Path.of("/opt/py/3.11");
    private static final Bubblewrap.Layout USER = layout(null);
    private static final Bubblewrap.Layout ROOT = layout(Bubblewrap.Identity.NOBODY);
    private static final SandboxLimits LIMITS = new SandboxLimits(100, 200, 300, 400);
    private static final Path RUN = Path.of("/srv/worker/runs/s7");
    private static final SandboxSpec SPEC = SandboxSpec.forRun(RUN,
            new SandboxSpec.Shape(List.of(Path.of("/srv/worker/plugin")), false));

    private static Bubblewrap.Layout layout(Bubblewrap.Identity runAs) {
        return new Bubblewrap.Layout(Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/prlimit"), Path.of("/usr/bin/env"),
                Path.of("/usr/bin/setpriv"), List.of(Path.of("/usr"), Path.of("/etc")),
                Map.of(Path.of("/lib"), "usr/lib", Path.of("/bin"), "usr/bin"), List.of(PY), runAs);
    }

    private static List<String> command(Bubblewrap.Layout layout, SandboxSpec spec) {
        return new Bubblewrap(layout, LIMITS).command(List.of("python3", "-m", "pytest", "-q"), RUN.resolve("project"),
                spec);
    }

    @Test
    void anOrdinaryUserGetsEveryNamespaceNoCapabilityAndNoNestedUserNamespaces() {
        List<String> args = command(USER, SPEC);

        assertThat(args.get(0)).isEqualTo("/usr/bin/bwrap");
        assertThat(args).contains("--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid",
                "--unshare-uts", "--unshare-cgroup-try", "--unshare-net", "--unshare-user", "--disable-userns");
        assertThat(options(args)).containsSequence("--cap-drop", "ALL").doesNotContain("--cap-add", "--share-net");
        assertThat(afterOptions(args)).containsExactly("/usr/bin/prlimit", "--nproc=100", "--nofile=200",
                "--fsize=300", "--as=400", "--core=0", "--", "python3", "-m", "pytest", "-q");
    }

    @Test
    void rootKeepsOnlyWhatChangingUserNeedsAndSetprivDropsItBeforeAnythingRuns() {
        List<String> args = command(ROOT, SPEC);

        assertThat(options(args)).doesNotContain("--unshare-user", "--disable-userns")
                .containsSequence("--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID");
        assertThat(afterOptions(args)).startsWith("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--", "/usr/bin/prlimit");
    }

    @Test
    void theNetworkIsSharedOnlyWhenTheSpecSaysSo() {
        SandboxSpec withNetwork = SandboxSpec.forRun(RUN, new SandboxSpec.Shape(List.of(), true));

        assertThat(options(command(USER, withNetwork))).doesNotContain("--unshare-net");
        assertThat(options(command(USER, SPEC))).contains("--unshare-net");
    }

    @Test
    void theSystemThePythonTheSpecsFoldersAndAFreshTmpAndHomeAreAllThereIs() {
        List<String> args = options(command(USER, SPEC));

        assertThat(args).containsSequence("--ro-bind", "/usr", "/usr").containsSequence("--ro-bind", "/etc", "/etc")
                .containsSequence("--symlink", "usr/bin", "/bin").containsSequence("--symlink", "usr/lib", "/lib")
                .containsSequence("--ro-bind", "/opt/py/3.11", "/opt/py/3.11")
                .containsSequence("--ro-bind", "/srv/worker/plugin", "/srv/worker/plugin")
                .containsSequence("--bind", RUN.toString(), RUN.toString())
                .containsSequence("--bind", RUN + "/tmp", "/tmp")
                .containsSequence("--bind", RUN + "/home", Bubblewrap.HOME)
                .containsSequence("--proc", "/proc").containsSequence("--dev", "/dev",
                        "--bind", RUN + "/shm", "/dev/shm")
                .containsSequence("--remount-ro", "/")
                .containsSequence("--chdir", RUN + "/project")
                .containsSequence("--setenv", "HOME", Bubblewrap.HOME).containsSequence("--setenv", "TMPDIR", "/tmp")
                .containsSequence("--unsetenv", "XDG_RUNTIME_DIR");
        assertThat(args.indexOf("--remount-ro")).as("the root made read-only once everything is mounted on it")
                .isGreaterThan(args.lastIndexOf("--bind")).isGreaterThan(args.lastIndexOf("--ro-bind"))
                .isGreaterThan(args.lastIndexOf("--dir"));
        assertThat(binds(args)).as("nothing else of the host").containsExactlyInAnyOrder("/usr", "/etc", "/opt/py/3.11",
                "/srv/worker/plugin", RUN.toString(), "/tmp", Bubblewrap.HOME, "/dev/shm");
        assertThat(args).as("the folders above the run's are made empty, never bound")
                .containsSequence("--dir", "/srv/worker/runs").doesNotContain("/srv/worker/venvs");
    }

    @Test
    void foldersAboveAMountAreMadeReadableSoThatAnotherUserCanPassThrough() {
        List<String> args = options(command(ROOT, SPEC));

        for (String dir : List.of("/opt", "/opt/py", "/srv", "/srv/worker", "/srv/worker/runs", "/home")) {
            assertThat(args).as(dir).containsSequence("--perms", "0755", "--dir", dir);
            assertThat(args.indexOf(dir)).as("%s made before what is inside it", dir)
                    .isLessThan(lastIndexOfDest(args, dir.equals("/home") ? Bubblewrap.HOME : dir + "/"));
        }
        assertThat(args).as("provided by a mount, not made").doesNotContain("/usr/bin", "/opt/py/3.11/lib");
    }

    @Test
    void shallowerMountsComeFirstSoThatAReadOnlyFolderInsideAWritableOneStaysReadOnly() {
        Path venv = RUN.resolve("venv");
        SandboxSpec nested = new SandboxSpec(List.of(RUN), List.of(venv), RUN, false);

        List<String> args = options(command(USER, nested));

        assertThat(args.indexOf(venv.toString())).isGreaterThan(args.indexOf(RUN.toString()));
        assertThat(args).containsSequence("--ro-bind", venv.toString(), venv.toString());
    }

    @Test
    void aRunFolderUnderTmpIsMountedAfterTheFreshTmpWithItsFoldersMadeInIt() {
        Path run = Path.of("/tmp/junit1/runs/a1-1");
        List<String> args = options(command(USER, SandboxSpec.forRun(run, new SandboxSpec.Shape(List.of(), false))));

        int tmp = args.indexOf("/tmp");
        assertThat(args).containsSequence("--perms", "0755", "--dir", "/tmp/junit1")
                .containsSequence("--bind", run.toString(), run.toString());
        assertThat(args.indexOf("/tmp/junit1")).isGreaterThan(tmp);
        assertThat(args).doesNotContainSequence("--dir", "/tmp");
    }

    @Test
    void aLimitOfZeroIsNoLimit() {
        List<String> args = new Bubblewrap(USER, new SandboxLimits(0, 64, 0, 0)).command(List.of("true"),
                RUN, SPEC);

        assertThat(afterOptions(args)).containsExactly("/usr/bin/prlimit", "--nofile=64", "--core=0", "--", "true");
    }

    @Test
    void aFolderNamedTwiceIsMountedOnce() {
        SandboxSpec twice = new SandboxSpec(List.of(RUN), List.of(PY, Path.of("/srv/worker/plugin"),
                Path.of("/srv/worker/plugin")), RUN, false);

        assertThat(binds(options(command(USER, twice)))).containsOnlyOnce("/opt/py/3.11", "/srv/worker/plugin");
    }

    /** The arguments to bwrap itself, before the first "--". */
    private static List<String> options(List<String> args) {
        return args.subList(0, args.indexOf("--"));
    }

    private static List<String> afterOptions(List<String> args) {
        return args.subList(args.indexOf("--") + 1, args.size());
    }

    private static List<String> binds(List<String> options) {
        List<String> dests = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).equals("--bind") || options.get(i).equals("--ro-bind")) {
                dests.add(options.get(i + 2));
            }
        }
        return dests;
    }

    private static int lastIndexOfDest(List<String> args, String prefix) {
        int last = -1;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith(prefix)) {
                last = i;
            }
        }
        return last;
    }

    @Test
    void loaderVariablesReachTheCommandAloneAfterTheLimitsAreSet() {
        List<String> args = new Bubblewrap(ROOT, LIMITS).command(List.of("python3", "-m", "pytest"),
                RUN.resolve("project"), SPEC, Map.of("LD_PRELOAD", "project/evil.so", "GCONV_PATH", "/x"));

        int prlimit = args.indexOf("/usr/bin/prlimit");
        int env = args.indexOf("/usr/bin/env");
        assertThat(prlimit).isPositive();
        assertThat(env).as("env runs after setpriv and prlimit").isGreaterThan(prlimit);
        assertThat(args.subList(env, args.size())).containsExactly("/usr/bin/env", "GCONV_PATH=/x",
                "LD_PRELOAD=project/evil.so", "python3", "-m", "pytest");
        assertThat(args.subList(0, env)).noneMatch(a -> a.contains("evil.so"));
    }

    @Test
    void noEnvIsRunWithoutLoaderVariables() {
        assertThat(command(USER, SPEC)).doesNotContain("/usr/bin/env");
    }
}
