package io.cdnodes.agent.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cdnodes.agent.TestPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helper script run by real python3 on project folders: what counts as declared, and the key. */
class DeclarationScannerTest {

    @TempDir
    Path tmp;

    private DeclarationScanner scanner;
    private Path project;

    @BeforeEach
    void setUp() throws Exception {
        scanner = new DeclarationScanner("python3", TestPlugin.install(tmp.resolve("plugin"))
                .resolve(DeclarationScanner.HELPER));
        project = Files.createDirectories(tmp.resolve("project"));
    }

    private void file(String relative, String content) throws Exception {
        Path p = project.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private DeclaredDeps scan() throws InstallException {
        return scanner.scan(project, System.nanoTime() + TimeUnit.SECONDS.toNanos(60), () -> false);
    }

    @Test
    void readsRequirementFilesPyprojectAndSetupCfgAndLeavesOutLocalPathsAndPipOptions() throws Exception {
        file("requirements.txt", "requests >= 2.0   # runtime\n\n");
        file("requirements-test.txt", """
                # for the tests
                -r requirements/base.txt
                -e .
                --index-url https://example.invalid/simple
                pytest-mock==3.14.0 --hash=sha256:0123 \\
                    --hash=sha256:4567
                ./vendored/lib
                -r ../outside.txt
                """);
        file("requirements/base.txt", "attrs\n");
        Files.writeString(tmp.resolve("outside.txt"), "never-read-from-outside\n");
        file("pyproject.toml", """
                [project]
                name = "My_Project"
                dependencies = ["click>=8"]

                [project.optional-dependencies]
                test = ["my-project[fixtures]", "hypothesis"]
                fixtures = ["freezegun"]
                docs = ["sphinx"]

                [dependency-groups]
                dev = ["ruff", {include-group = "lint"}]
                lint = ["flake8"]
                """);
        file("setup.cfg", "[options]\ninstall_requires =\n    six\n[options.extras_require]\ntesting = coverage\ndocs = furo\n");

        DeclaredDeps d = scan();

        assertThat(d.requirements()).containsExactly("attrs", "click>=8", "coverage", "flake8", "freezegun",
                "hypothesis", "pytest-mock==3.14.0", "requests>=2.0", "ruff", "six");
        assertThat(d.sources()).containsExactly("requirements.txt", "requirements-test.txt", "requirements/base.txt",
                "pyproject.toml [project] dependencies", "pyproject.toml [project.optional-dependencies] test",
                "pyproject.toml [dependency-groups] dev", "setup.cfg [options] install_requires",
                "setup.cfg [options.extras_require] testing");
        assertThat(d.dropped()).containsExactly("requirements-test.txt: -e .",
                "requirements-test.txt: --index-url https://example.invalid/simple",
                "requirements-test.txt: ./vendored/lib", "requirements-test.txt: -r ../outside.txt");
        assertThat(d.inherit()).isEmpty();
        assertThat(d.python()).matches("3\\.\\d+\\.\\d+\\S* /.+");
    }

    @Test
    void theKeyIsTheSha256OfInterpreterAndRequirementsWhereverAndHoweverTheyAreWritten() throws Exception {
        file("requirements-dev.txt", "toolz\ntabulate  >=0.9\ntoolz\n");
        DeclaredDeps first = scan();
        Files.delete(project.resolve("requirements-dev.txt"));
        file("pyproject.toml", "[project]\nname = \"x\"\n[project.optional-dependencies]\ntests = [\"tabulate>=0.9\", \"toolz\"]\n");
        DeclaredDeps second = scan();
        file("pyproject.toml", "[project]\nname = \"x\"\n[project.optional-dependencies]\ntests = [\"tabulate>=0.8\", \"toolz\"]\n");
        DeclaredDeps other = scan();

        String canonical = "{\"python\":\"" + first.python() + "\",\"requirements\":[\"tabulate>=0.9\",\"toolz\"]}";
        assertThat(first.canonical()).isEqualTo(canonical);
        assertThat(first.key()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8))));
        assertThat(second.sources()).containsExactly("pyproject.toml [project.optional-dependencies] tests");
        assertThat(second.key()).isEqualTo(first.key());
        assertThat(other.key()).isNotEqualTo(first.key()).hasSize(64);
    }

    @Test
    void aProjectDeclaringNothingForItsTestsIsEmpty() throws Exception {
        file("pyproject.toml", "[project]\nname = \"x\"\ndependencies = []\n[project.optional-dependencies]\ndocs = [\"sphinx\"]\n");
        file("tests/test_x.py", "def test_x():\n    pass\n");

        DeclaredDeps d = scan();

        assertThat(d.isEmpty()).isTrue();
        assertThat(d.requirements()).isEmpty();
        assertThat(d.sources()).isEmpty();
    }

    @Test
    void anInvalidPyprojectIsAnErrorThatSaysSo() throws Exception {
        file("pyproject.toml", "[project\nname = \"x\"\n");

        InstallException e = catchThrowableOfType(InstallException.class, this::scan);

        assertThat(e.getMessage()).startsWith("cannot read the project's test dependencies: pyproject.toml is not "
                + "valid TOML: ");
        assertThat(e.cancelled()).isFalse();
    }

    @Test
    void aMissingInterpreterIsAnErrorThatNamesIt() {
        DeclarationScanner broken = new DeclarationScanner("/no/such/python3", tmp.resolve("helper.py"));

        InstallException e = catchThrowableOfType(InstallException.class,
                () -> broken.scan(project, System.nanoTime() + TimeUnit.SECONDS.toNanos(10), () -> false));

        assertThat(e.getMessage()).startsWith("cannot start /no/such/python3 to read the project's test dependencies: ");
    }

    @Test
    void sourcesListIncludedFilesOnce() throws Exception {
        file("requirements-dev.txt", "-r requirements.txt\npytest-cov\n");
        file("requirements.txt", "numpy\n");

        DeclaredDeps d = scan();

        assertThat(d.sources()).isEqualTo(List.of("requirements.txt", "requirements-dev.txt"));
        assertThat(d.requirements()).containsExactly("numpy", "pytest-cov");
    }
}
