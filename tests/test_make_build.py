"""`make book` in copies of the project: two clean builds write byte-identical books, and a
failed build leaves the last good book in place.

The copies reuse this test run's .venv (make is told never to reinstall it). The first starts
with the session build's execution cache, as CI restores one; the second starts without
_build/, so it runs every notebook itself: the two books agree only if running the notebooks,
as well as building the pages, gives the same bytes wherever it happens.
"""

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pybtex.database import parse_file

from booktree import copy_tree, differing_files, digests, make_with_venv, run_make
from conftest import execution_cache
from frbook.paths import REPO_ROOT

pytestmark = pytest.mark.slow

VENV = Path(sys.prefix)
MAKE_BOOK = [*make_with_venv(VENV), "book"]
EXEC_STAMP = "_build/.exec-inputs"  # the Makefile's: newer than what notebooks read, cache kept
CITE_ROLE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")


@dataclass(frozen=True)
class MadeBook:
    root: Path
    returncode: int
    log: str
    html: dict[str, str]  # digests of _build/html right after the build

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.splitlines()[-lines:])


def make_book(root: Path) -> MadeBook:
    result = run_make(MAKE_BOOK, root)
    html = root / "_build" / "html"
    return MadeBook(root, result.returncode, result.stdout + result.stderr,
                    digests(html) if html.is_dir() else {})


@pytest.fixture(scope="session")
def first_clean_build(tmp_path_factory, book_build) -> MadeBook:
    """A clean build with the session build's execution cache restored."""
    root = copy_tree(REPO_ROOT, tmp_path_factory.mktemp("made") / "one")
    shutil.copytree(book_build.cache_dir, execution_cache(root))
    (root / EXEC_STAMP).touch()
    return make_book(root)


@pytest.fixture(scope="session")
def second_clean_build(tmp_path_factory) -> MadeBook:
    """Another clean build, in another folder: the book may not depend on where it is built."""
    return make_book(copy_tree(REPO_ROOT, tmp_path_factory.mktemp("made-again") / "two"))


def cited_key(root: Path) -> str:
    """A key of references.bib that some page of the book cites."""
    known = set(parse_file(root / "references.bib").entries.keys())
    for page in sorted(root.glob("*.md")) + sorted((root / "notebooks").glob("*.ipynb")):
        for keys in CITE_ROLE.findall(page.read_text(encoding="utf-8")):
            for key in (k.strip() for k in keys.split(",")):
                if key in known:
                    return key
    raise AssertionError("no page cites a key of references.bib")


def without_entry(bib: str, key: str) -> str:
    """``bib`` less the entry ``key`` (from its @type{ up to the next entry or the end)."""
    entry = re.compile(r"@\w+\{" + re.escape(key) + r",.*?(?=^@|\Z)", re.S | re.M)
    shorter, count = entry.subn("", bib)
    assert count == 1, f"entry {key} not found exactly once"
    return shorter


def test_make_book_builds(first_clean_build):
    assert first_clean_build.returncode == 0, first_clean_build.log_tail()
    assert "index.html" in first_clean_build.html


def test_two_clean_builds_are_byte_identical(first_clean_build, second_clean_build):
    for build in (first_clean_build, second_clean_build):
        assert build.returncode == 0, build.log_tail()
    changed = differing_files(first_clean_build.html, second_clean_build.html)
    assert not changed, f"{len(changed)} files differ between two clean builds: {changed[:10]}"


def test_a_failed_build_keeps_the_last_good_book(first_clean_build):
    if first_clean_build.returncode != 0:
        pytest.fail("the first build failed; see test_make_book_builds")
    root = first_clean_build.root
    key = cited_key(root)
    bib = root / "references.bib"
    bib.write_text(without_entry(bib.read_text(encoding="utf-8"), key), encoding="utf-8")

    failed = make_book(root)

    assert failed.returncode != 0, "make book succeeded with a citation key missing"
    assert key in failed.log, f"the error does not name the missing key {key}:\n{failed.log_tail()}"
    assert "still holds the last good book" in failed.log
    changed = differing_files(first_clean_build.html, failed.html)
    assert not changed, f"the failed build changed _build/html: {changed[:10]}"
    # The failure is remembered, so the next build re-reads every page.
    assert (root / "_build" / ".failed").is_file()
    assert not (root / "_build" / "html.new").exists()


def test_without_entry_removes_only_that_entry():
    bib = "@book{a,\n  title={A}\n}\n\n@misc{b,\n  title={B}\n}\n@book{ab,\n title={AB}\n}\n"
    assert without_entry(bib, "b") == "@book{a,\n  title={A}\n}\n\n@book{ab,\n title={AB}\n}\n"
    with pytest.raises(AssertionError):
        without_entry(bib, "c")
