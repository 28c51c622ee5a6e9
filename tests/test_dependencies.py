"""pyproject.toml declares the third-party packages each part of the project imports, read
from the code itself (ast), and every package it declares is pinned in a requirements file: an
import without its declaration, or a declaration nothing imports, fails."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

import pytest

from booksource import source_text
from frbook.paths import REPO_ROOT

PROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# Each part's files, by the dependency group that declares what they import.
PARTS = {"dependencies": ["frbook/*.py", "notebooks/*.ipynb"], "ext": ["_ext/*.py"],
         "scripts": ["scripts/*.py"], "test": ["tests/*.py"]}
FIRST_PARTY = {"frbook"} | {path.stem for folder in ("_ext", "scripts", "tests")
                            for path in (REPO_ROOT / folder).glob("*.py")}
PINS = ("requirements-lock.txt", "requirements-test.txt", "requirements-test-nodeps.txt")
OWNERS = packages_distributions()  # module name -> the distributions that install it


def normalise(requirement: str) -> str:
    """A distribution's name as pip compares them, without extras or versions."""
    return re.sub(r"[-_.]+", "-", re.split(r"[\[<>=!~; ]", requirement)[0]).lower()


def imported_modules(source: str) -> set[str]:
    """The top-level modules ``source`` imports (absolute imports), and the Sphinx extensions
    it loads by name (``app.setup_extension("...")``)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "setup_extension"
              and isinstance(node.args[0], ast.Constant)):
            found.add(node.args[0].value)
    return {top_level(name) for name in found}


def top_level(module: str) -> str:
    """The importable package that names the distribution: the first part of a dotted name,
    or the first two of a namespace package several distributions share (sphinxcontrib.bibtex
    is installed by sphinxcontrib-bibtex)."""
    parts = module.split(".")
    shared = len({normalise(dist) for dist in OWNERS.get(parts[0], [])}) > 1 and len(parts) > 1
    return ".".join(parts[:2]) if shared else parts[0]


def declared(group: str) -> set[str]:
    listed = PROJECT["dependencies"] if group == "dependencies" else \
        PROJECT["optional-dependencies"][group]
    return {normalise(requirement) for requirement in listed}


def mismatches(declared: set[str], sources: list[str]) -> dict[str, set[str]]:
    """Third-party distributions ``sources`` import but ``declared`` lacks, and the reverse."""
    modules = set().union(*map(imported_modules, sources)) - FIRST_PARTY
    modules -= set(sys.stdlib_module_names)
    owners = OWNERS
    imported = {normalise(dist) for module in modules
                for dist in owners.get(module, [module.replace(".", "-")])}
    found = {"imported, not declared": imported - declared,
             "declared, not imported": declared - imported}
    return {problem: names for problem, names in found.items() if names}


@pytest.mark.parametrize("group", PARTS)
def test_each_part_declares_exactly_the_packages_it_imports(group):
    files = [path for pattern in PARTS[group] for path in REPO_ROOT.glob(pattern)]
    assert not mismatches(declared(group), [source_text(path, "code") for path in files])


def test_every_declared_package_is_pinned():
    pinned = {normalise(line) for name in PINS
              for line in (REPO_ROOT / name).read_text(encoding="utf-8").splitlines()
              if "==" in line and not line.startswith("#")}
    groups = ["dependencies", *PROJECT["optional-dependencies"]]
    unpinned = set().union(*map(declared, groups)) - pinned
    assert not unpinned, f"declared in pyproject.toml, pinned nowhere: {unpinned}"


def test_the_import_reader_sees_every_form_and_the_check_can_fail():
    source = ("import a.b, c\nfrom d.e import f\nfrom . import g\n"
              "def setup(app):\n    app.setup_extension('h.i')\n")
    assert imported_modules(source) == {"a", "c", "d", "h"}
    assert normalise("Fonttools[woff]>=4") == "fonttools"
    assert mismatches({"pandas", "nosuchpackage"}, ["import pandas, yaml, json, frbook.data"]) == {
        "imported, not declared": {"pyyaml"}, "declared, not imported": {"nosuchpackage"}}
