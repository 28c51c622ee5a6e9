"""`make book` in a copy of the project: a clean build writes the same bytes as the session's
test build, a failed build leaves the last good book in place, and editing a Sphinx extension
runs no notebook.

The copy (conftest._made_book) reuses this test run's .venv, is a git checkout of the same
files, so it also writes the source archive, and starts from the session build's execution cache,
as CI restores it, so no notebook runs twice: the two books agree only if building the pages
gives the same bytes wherever and however it happens. (That running a notebook writes the same
outputs at any build date is tests/test_style.py's check.)
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from booktree import differing_files, digests, run_make
from conftest import MAKE_BOOK, background

pytestmark = pytest.mark.slow

MISSING_KEY = "no-such-source2099"
PAGE = "changelog.md"


@dataclass(frozen=True)
class MadeBook:
    root: Path
    returncode: int
    log: str
    html: dict[str, str]  # digests of _build/html right after the build

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.splitlines()[-lines:])


def made(root: Path, result) -> MadeBook:
    html = root / "_build" / "html"
    return MadeBook(root, result.returncode, result.stdout, digests(html) if html.is_dir() else {})


@pytest.fixture(scope="session")
def made_book() -> MadeBook:
    return made(*background("made_book").result())


def test_make_book_builds(made_book):
    assert made_book.returncode == 0, made_book.log_tail()
    assert "index.html" in made_book.html


def test_a_clean_build_is_byte_identical_to_the_test_build(made_book, html_dir):
    assert made_book.returncode == 0, made_book.log_tail()
    changed = differing_files(digests(html_dir), made_book.html)
    assert not changed, f"{len(changed)} files differ between two clean builds: {changed[:10]}"


@pytest.fixture(scope="session")
def failed_rebuild(made_book) -> MadeBook:
    """`make book` again after a page gained a citation of a missing key."""
    if made_book.returncode != 0:
        pytest.fail("the first build failed; see test_make_book_builds")
    page = made_book.root / PAGE
    page.write_text(page.read_text(encoding="utf-8") + f"\nSee {{cite:p}}`{MISSING_KEY}`.\n",
                    encoding="utf-8")
    return made(made_book.root, run_make(MAKE_BOOK, made_book.root))


def test_a_failed_build_keeps_the_last_good_book(made_book, failed_rebuild):
    failed = failed_rebuild
    assert failed.returncode != 0, "make book succeeded with a citation key missing"
    assert MISSING_KEY in failed.log, f"the error does not name {MISSING_KEY}:\n{failed.log_tail()}"
    assert "still holds the last good book" in failed.log
    changed = differing_files(made_book.html, failed.html)
    assert not changed, f"the failed build changed _build/html: {changed[:10]}"
    # The failure is remembered, so the next build re-reads every page.
    assert (made_book.root / "_build" / ".failed").is_file()
    assert not (made_book.root / "_build" / "html.new").exists()


def planned(root: Path, edited: str) -> str:
    """The commands `make book` would run (make -n) once ``edited`` has changed."""
    (root / edited).touch()
    return subprocess.run([*MAKE_BOOK, "-n"], cwd=root, capture_output=True, text=True).stdout


def test_editing_a_sphinx_extension_runs_no_notebook(failed_rebuild):
    """The extensions are inputs of the pages only; what notebooks read empties the execution
    cache and runs them all (the control)."""
    root, rerun = failed_rebuild.root, ("rm -rf _build/.jupyter_cache", "execute_notebooks.py")
    extension = planned(root, "_ext/citation.py")
    assert "jupyter-book build" in extension
    assert not any(command in extension for command in rerun), extension
    assert all(command in planned(root, "frbook/figures.py") for command in rerun)
