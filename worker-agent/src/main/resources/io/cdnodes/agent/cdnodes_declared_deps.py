"""What a Python project declares for its tests, printed as one JSON object on one line.

Run by the CD Nodes worker agent (``python cdnodes_declared_deps.py PROJECT_DIR``) when an assignment carries
the ``install_deps`` directive. It reads files only; it never imports or runs the project.

Read, in this order:

* requirement files: requirements.txt, requirements-test.txt, requirements-dev.txt, test-requirements.txt,
  requirements/test.txt and their usual spellings (see ``REQUIREMENT_FILES``), following ``-r`` includes that
  stay inside the project;
* pyproject.toml: ``[project] dependencies``, the ``[project.optional-dependencies]`` groups named test,
  tests, testing or dev (an extra naming the project itself, ``name[other]``, is expanded), and the same
  groups of ``[dependency-groups]`` (PEP 735, with ``{include-group = ...}``);
* setup.cfg: ``[options] install_requires`` and the same groups of ``[options.extras_require]``.

Dropped, and listed under "dropped": editable and local-path requirements (``-e .``, ``./lib``, ``file:``),
because the environment is shared by every package that declares the same things and must not hold one
package's own code; and pip options (index URLs, constraints, hashes), because pip runs as the worker's
machine has it configured.

Output: ``{"python": "<version> <sys.prefix>", "inherit": [the worker's site-packages when its Python is a
virtual environment], "requirements": [sorted, unique, normalised], "sources": [where they were found],
"dropped": [what was left out]}``. Exit code 0, or 3 with a message on
standard error when a file cannot be read (pytest would not run on an invalid pyproject.toml either).
"""
import configparser
import json
import os
import re
import sys
import sysconfig

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        tomllib = None

try:
    from packaging.requirements import InvalidRequirement, Requirement
except ModuleNotFoundError:
    try:
        from pip._vendor.packaging.requirements import InvalidRequirement, Requirement
    except ModuleNotFoundError:
        Requirement = None
        InvalidRequirement = ValueError

REQUIREMENT_FILES = (
    "requirements.txt",
    "requirements-test.txt", "requirements_test.txt",
    "requirements-tests.txt", "requirements_tests.txt",
    "requirements-testing.txt", "requirements_testing.txt",
    "requirements-dev.txt", "requirements_dev.txt",
    "test-requirements.txt", "test_requirements.txt",
    "tests-requirements.txt", "tests_requirements.txt",
    "dev-requirements.txt", "dev_requirements.txt",
    "requirements/test.txt", "requirements/tests.txt", "requirements/testing.txt", "requirements/dev.txt",
    "tests/requirements.txt",
)
GROUPS = ("test", "tests", "testing", "dev")
MAX_INCLUDE_DEPTH = 5
LOCAL = re.compile(r"^(\.{1,2}([/\\]|$)|/|file:|[A-Za-z]:[/\\])")


class Failure(Exception):
    pass


def normalise_name(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def canonical(requirement):
    """One spelling per requirement, so that the same declarations always give the same environment."""
    text = " ".join(requirement.split())
    if Requirement is None:
        return text
    try:
        return str(Requirement(text))
    except InvalidRequirement:
        return text  # pip will say what is wrong with it


class Declarations:
    def __init__(self, root):
        self.root = os.path.realpath(root)
        self.requirements = set()
        self.sources = []
        self.dropped = []

    def add(self, requirement, source):
        requirement = requirement.strip()
        if not requirement:
            return
        if LOCAL.match(requirement) or requirement.startswith("-"):
            self.dropped.append(f"{source}: {requirement}")
            return
        self.requirements.add(canonical(requirement))

    def relative(self, path):
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    def inside(self, path):
        real = os.path.realpath(path)
        return real == self.root or real.startswith(self.root + os.sep)

    def requirement_file(self, path, depth=0):
        name = self.relative(path)
        if name in self.sources:
            return
        self.sources.append(name)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for line in text.replace("\\\n", " ").splitlines():
            line = re.sub(r"(^|\s)#.*$", "", line).strip()
            if not line:
                continue
            include = re.match(r"^(-r|--requirement)(\s+|=)?(\S+)$", line)
            if include:
                target = os.path.join(os.path.dirname(path), include.group(3))
                if depth < MAX_INCLUDE_DEPTH and self.inside(target) and os.path.isfile(target):
                    self.requirement_file(target, depth + 1)
                else:
                    self.dropped.append(f"{name}: {line}")
                continue
            # options after a requirement (--hash=..., --config-settings ...) are pip's business
            requirement = re.split(r"\s--?[A-Za-z]", " " + line, maxsplit=1)[0].strip()
            self.add(requirement if requirement else line, name)

    def pyproject(self, path):
        if tomllib is None:
            raise Failure("reading pyproject.toml needs Python 3.11 (tomllib) or the tomli package")
        try:
            with open(path, "rb") as f:
                data = tomllib.load(f)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise Failure(f"pyproject.toml is not valid TOML: {e}")
        project = data.get("project") or {}
        own = normalise_name(str(project.get("name", "")))
        extras = {normalise_name(k): v for k, v in (project.get("optional-dependencies") or {}).items()}
        self.strings(project.get("dependencies"), "pyproject.toml [project] dependencies", own, extras)
        for group in GROUPS:
            if group in extras:
                self.strings(extras[group], f"pyproject.toml [project.optional-dependencies] {group}", own, extras)
        groups = {normalise_name(k): v for k, v in (data.get("dependency-groups") or {}).items()}
        for group in GROUPS:
            if group in groups:
                self.dependency_group(groups, group, f"pyproject.toml [dependency-groups] {group}", set())

    def strings(self, values, source, own=None, extras=None, seen=None):
        if not isinstance(values, list) or not values:
            return
        seen = set() if seen is None else seen
        if source not in self.sources:
            self.sources.append(source)
        for value in values:
            if not isinstance(value, str):
                continue
            self_reference = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*\[([^\]]*)\]\s*$", value)
            if own and extras is not None and self_reference and normalise_name(self_reference.group(1)) == own:
                for extra in (normalise_name(e) for e in self_reference.group(2).split(",") if e.strip()):
                    if extra in extras and extra not in seen:
                        seen.add(extra)
                        self.strings(extras[extra], source, own, extras, seen)
                continue
            self.add(value, source)

    def dependency_group(self, groups, group, source, seen):
        if group in seen:
            return
        seen.add(group)
        if source not in self.sources:
            self.sources.append(source)
        for value in groups.get(group) or []:
            if isinstance(value, str):
                self.add(value, source)
            elif isinstance(value, dict) and "include-group" in value:
                self.dependency_group(groups, normalise_name(str(value["include-group"])), source, seen)

    def setup_cfg(self, path):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except configparser.Error as e:
            raise Failure(f"setup.cfg cannot be read: {e}")
        if parser.has_option("options", "install_requires"):
            self.lines(parser.get("options", "install_requires"), "setup.cfg [options] install_requires")
        if parser.has_section("options.extras_require"):
            for key, value in parser.items("options.extras_require"):
                if normalise_name(key) in GROUPS:
                    self.lines(value, f"setup.cfg [options.extras_require] {key}")

    def lines(self, text, source):
        if not text.strip():
            return
        self.sources.append(source)
        for line in text.splitlines():
            self.add(re.sub(r"(^|\s)#.*$", "", line), source)


def inherited_site_packages():
    """The worker's own site-packages when its Python is itself a virtual environment.

    ``python -m venv --system-site-packages`` run from a virtual environment sees the base installation's
    packages, not those of the environment it was run from; the agent adds these paths to the new
    environment (a .pth file) so that the pytest the worker was started with stays importable.
    """
    if sys.prefix == getattr(sys, "base_prefix", sys.prefix):
        return []
    paths = sysconfig.get_paths()
    return sorted({p for p in (paths["purelib"], paths["platlib"]) if os.path.isdir(p)})


def scan(root):
    d = Declarations(root)
    for name in REQUIREMENT_FILES:
        path = os.path.join(d.root, name)
        if os.path.isfile(path) and d.inside(path):
            d.requirement_file(path)
    pyproject = os.path.join(d.root, "pyproject.toml")
    if os.path.isfile(pyproject):
        d.pyproject(pyproject)
    setup_cfg = os.path.join(d.root, "setup.cfg")
    if os.path.isfile(setup_cfg):
        d.setup_cfg(setup_cfg)
    return {
        "python": f"{sys.version.split()[0]} {sys.prefix}",
        "inherit": inherited_site_packages(),
        "requirements": sorted(d.requirements),
        "sources": d.sources,
        "dropped": d.dropped,
    }


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        sys.stderr.write("usage: cdnodes_declared_deps.py PROJECT_DIR\n")
        return 2
    try:
        result = scan(argv[1])
    except (Failure, OSError) as e:
        sys.stderr.write(f"{e}\n")
        return 3
    sys.stdout.write(json.dumps(result, sort_keys=True, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
