"""Rerun a chapter from the book alone (_ext/rerun.py): the built book offers the source of
exactly this version as one archive, and a chapter runs from that archive unpacked elsewhere."""

import os
import re
import tarfile
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from buildconfig import CELL_TIMEOUT_S
from citation import read_book, release_epoch
from frbook.paths import REPO_ROOT
from rerun import (
    ARCHIVE_SUFFIX,
    HOWTO_ANCHOR,
    archive_name,
    publish_archive,
    rerun_hint,
    tracked_files,
    write_archive,
)

MAX_HINT_WORDS = 15  # one short line
WHERE_FROM = "import frbook, frbook.paths\nprint(frbook.__file__)\nprint(frbook.paths.DATA_DIR)"


@pytest.fixture(scope="session")
def archive(html_dir) -> Path:
    found = sorted(html_dir.glob(f"*{ARCHIVE_SUFFIX}"))
    assert len(found) == 1, f"expected one source archive in the built book, found {found}"
    return found[0]


def folder_of(archive: Path) -> str:
    return archive.name.removesuffix(ARCHIVE_SUFFIX)


def build_epoch() -> int:
    """The files' time in the archive: the release date, unless the environment sets another."""
    return int(os.environ.get("SOURCE_DATE_EPOCH", release_epoch(REPO_ROOT)))


TOC = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
# The book's first page (the overview), where the note on every other chapter points.
ROOT_PAGE = f"{TOC['root']}.html"


def toc_notebooks() -> list[str]:
    """The table of contents' notebook pages, as paths relative to the repository."""
    files = [TOC["root"]] + [c["file"] for part in TOC["parts"] for c in part["chapters"]]
    return [f"{f}.ipynb" for f in files if (REPO_ROOT / f"{f}.ipynb").is_file()]


@pytest.mark.slow
def test_archive_holds_exactly_the_tracked_files(archive):
    tracked = tracked_files(REPO_ROOT)
    assert tracked and "Makefile" in tracked and "requirements-lock.txt" in tracked
    folder = folder_of(archive)
    assert folder == f"three-companies-four-days-{read_book(REPO_ROOT).version}"
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == [f"{folder}/{name}" for name in tracked]
        for member in members:
            name = member.name.removeprefix(f"{folder}/")
            assert tar.extractfile(member).read() == (REPO_ROOT / name).read_bytes(), name
            assert (member.uid, member.gid, member.uname) == (0, 0, ""), name
            assert member.mtime == build_epoch(), name
    for untracked in (".venv", "_build", "tests/browser/node_modules"):
        assert untracked not in tracked


@pytest.mark.slow
def test_archive_is_byte_reproducible(archive, tmp_path):
    again = tmp_path / archive.name
    write_archive(REPO_ROOT, tracked_files(REPO_ROOT), again, folder_of(archive), build_epoch())
    assert again.read_bytes() == archive.read_bytes()


@pytest.mark.slow
def test_every_page_links_the_archive_and_every_chapter_notebook_says_how_to_rerun(
        archive, html_dir, toc_pages):
    notebooks = {f"{Path(nb).with_suffix('')}.html" for nb in toc_notebooks()}
    assert notebooks
    for page in toc_pages:
        markup = (html_dir / page).read_text(encoding="utf-8")
        href = os.path.relpath(archive, (html_dir / page).parent)
        assert f'<p class="book-source"><a href="{href}">' in markup, page
        has_hint = '<aside class="rerun-hint">' in markup
        assert has_hint == (page in notebooks and page != ROOT_PAGE), page
        if has_hint:
            howto = os.path.relpath(html_dir / ROOT_PAGE, (html_dir / page).parent)
            assert f'href="{howto}#{HOWTO_ANCHOR}"' in markup, page
    overview = (html_dir / ROOT_PAGE).read_text(encoding="utf-8")
    assert f'id="{HOWTO_ANCHOR}"' in overview
    assert "jupyterlab-myst" in overview and ".venv/bin/jupyter" in overview


@pytest.mark.slow
def test_a_chapter_runs_from_the_unpacked_archive(archive, tmp_path, monkeypatch):
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path, filter="data")
    book = tmp_path / folder_of(archive)
    notebook = book / toc_notebooks()[0]
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(WHERE_FROM))
    # The reused .venv has the repository's frbook installed; the unpacked one must be used.
    monkeypatch.setenv("PYTHONPATH", str(book))
    NotebookClient(nb, timeout=CELL_TIMEOUT_S,
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs).split()
    assert printed == [str(book / "frbook" / "__init__.py"), str(book / "data")], printed


def test_a_new_version_replaces_the_last_versions_archive(tmp_path):
    """An incremental build of a new version kept the last version's archive beside the new
    one, and the published book offered both."""
    (tmp_path / "a.txt").write_text("a")
    out = tmp_path / "html"
    out.mkdir()
    (out / archive_name("1.0.0")).write_bytes(b"old")
    written = publish_archive(tmp_path, ["a.txt"], out, "1.0.1", 0)
    assert sorted(out.iterdir()) == [written] and written.name == archive_name("1.0.1")


def test_outside_a_checkout_there_is_no_archive(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    assert tracked_files(tmp_path) is None


def test_a_chapter_ends_with_one_short_line_pointing_to_the_overview():
    """The note under every chapter is one short line linking the overview's section on
    rerunning (where the download and the steps are), in a reader's words: no file names."""
    hint = rerun_hint("overview.html#rerunning-the-book")
    text = re.sub(r"<[^>]+>", "", hint)
    assert 'href="overview.html#rerunning-the-book"' in hint
    assert len(text.split()) <= MAX_HINT_WORDS, text
    assert not re.search(r"\.(tar|gz|ipynb|zip)\b", text), text
