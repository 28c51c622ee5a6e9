"""The builds a test session needs, started in the background as soon as it begins.

The notebooks run once, two at a time, into the session build's execution cache, as `make book`
does (scripts/execute_notebooks.py). Then, side by side, each with a copy of that cache: the
session's HTML build (no public address), the publishing build (the PDF, then the HTML at a
public address with a source repository), the PDF with no address and `make book` in a git
copy of the working tree; the browser audit follows the HTML build. Only what the collected
tests use is started; quick tests run meanwhile, and the tests that wait for a build run last.
"""

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from booktree import Started, copy_tree, make_with_venv, start
from browsercheck import MODES, audit_book
from buildconfig import PDF_NAME, SPHINX_FLAGS
from frbook.paths import REPO_ROOT
from htmlcheck import Page, parse_site, toc_html_pages
from rerun import tracked_files

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
RUNNER = REPO_ROOT / "scripts" / "execute_notebooks.py"
# Every notebook, the chapter template (outside the table of contents) included.
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
BUILD_TIMEOUT_S = 900
# Folders a build may legitimately leave behind in the repository (caches, the venv).
UNTRACKED_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache",
                  ".ipynb_checkpoints"}
# The public address and repository (_ext/citation.py): the test builds set them explicitly,
# so a developer's environment cannot change what they check.
ADDRESS_VARIABLES = ("BOOK_URL", "BOOK_REPOSITORY")
ADDRESS = "https://example.org/three-companies/"
REPOSITORY = "https://github.com/example/three-companies"
# `make book` with this test run's .venv, never reinstalled (tests/test_make_build.py).
MAKE_BOOK = [*make_with_venv(Path(sys.prefix)), "book"]


def html_dir_of(output_dir: Path) -> Path:
    return output_dir / "_build" / "html"


def execution_cache(output_dir: Path) -> Path:
    """The jupyter cache of a build into ``output_dir`` (as _config.yml places it)."""
    return output_dir / "_build" / ".jupyter_cache"


@dataclass(frozen=True)
class BookBuild:
    returncode: int
    log: str
    output_dir: Path
    repo_changes: list[str]

    @property
    def html_dir(self) -> Path:
        return html_dir_of(self.output_dir)

    @property
    def cache_dir(self) -> Path:
        return execution_cache(self.output_dir)

    def log_tail(self, lines: int = 80) -> str:
        return "\n".join(self.log.splitlines()[-lines:])


@dataclass(frozen=True)
class PdfBuild:
    """The PDF built into ``output_dir`` (jupyter-book's pdflatex builder), and its LaTeX."""

    pdf_returncode: int
    log: str
    output_dir: Path

    @property
    def pdf(self) -> Path:
        return self.output_dir / "_build" / "latex" / PDF_NAME

    @property
    def tex(self) -> str:
        return self.pdf.with_suffix(".tex").read_text(encoding="utf-8")

    @property
    def latex_log(self) -> str:
        return self.pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class Publish(PdfBuild):
    """The publishing build: the PDF, then the HTML that links to it and serves a copy."""

    html_returncode: int

    @property
    def html_dir(self) -> Path:
        return html_dir_of(self.output_dir)


def execute_notebooks(output_dir: Path, notebooks: list[Path]) -> subprocess.CompletedProcess:
    """Run ``notebooks`` two at a time into the execution cache of ``output_dir``, as
    `make book` does; a notebook that fails is left uncached, its traceback recorded."""
    return subprocess.run([sys.executable, str(RUNNER), *map(str, notebooks)], cwd=output_dir,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT_S)


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``root`` outside UNTRACKED_DIRS."""
    files = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in UNTRACKED_DIRS and not d.endswith(".egg-info")]
        for name in names:
            stat = (Path(folder) / name).stat()
            files[os.path.relpath(Path(folder) / name, root)] = (stat.st_size, stat.st_mtime_ns)
    return files


def restore_cache(output_dir: Path, cache_from: Path) -> None:
    """Copy the execution cache of the build folder ``cache_from`` into ``output_dir``."""
    shutil.copytree(execution_cache(cache_from), execution_cache(output_dir))


def build_book(output_dir: Path, *options: str, env: dict | None = None, nice: int = 0
               ) -> subprocess.CompletedProcess:
    """``jupyter-book build`` of the repository into ``output_dir``, warnings as errors, its
    output as stdout; no address unless ``env`` gives one."""
    clean_env = {k: v for k, v in os.environ.items() if k not in ADDRESS_VARIABLES}
    command = [str(JUPYTER_BOOK), "build", str(REPO_ROOT), "--path-output", str(output_dir),
               *SPHINX_FLAGS, *options]
    return run(start(command, output_dir, {**clean_env, **(env or {})}, nice))


# Work in the background: each step at most once per session, in a thread of its own that waits
# for the steps it needs and for its processes, which the session's end stops if still running.
# The builds off the longest path (notebooks, HTML, browser audit) run at a lower priority:
# the publishing build and `make book` in a copy.
LOW = 10
_POOL = ThreadPoolExecutor(max_workers=8)
_STEPS: dict[str, Future] = {}
_RUNNING: list[Started] = []
_LOCK = threading.Lock()


def run(started: Started) -> subprocess.CompletedProcess:
    _RUNNING.append(started)
    return started.result()


def background(name: str) -> Future:
    with _LOCK:
        if name not in _STEPS:
            _STEPS[name] = _POOL.submit(STEPS[name])
        return _STEPS[name]


def _book_dir() -> Path:
    return background("executed").result()


def _execute() -> Path:
    output_dir = Path(_FACTORY.mktemp("book")).resolve()
    _BEFORE.update(snapshot(REPO_ROOT))
    execute_notebooks(output_dir, NOTEBOOKS)  # failures: tests/test_notebooks.py
    return output_dir


def _book_build() -> BookBuild:
    output_dir = _book_dir()
    result = build_book(output_dir)
    after = snapshot(REPO_ROOT)
    changes = sorted(p for p in _BEFORE.keys() | after.keys() if _BEFORE.get(p) != after.get(p))
    return BookBuild(result.returncode, result.stdout, output_dir, changes)


def _build_pdf(name: str, env: dict | None = None) -> PdfBuild:
    output_dir = Path(_FACTORY.mktemp(name)).resolve()
    restore_cache(output_dir, _book_dir())
    pdf = build_book(output_dir, "--all", "--builder", "pdflatex", env=env, nice=LOW)
    return PdfBuild(pdf.returncode, pdf.stdout, output_dir)


def _publish() -> Publish:
    """`make publish` as the workflow runs it, at an address with a repository: the PDF, then
    the HTML that links to it (tests/test_pdf.py, tests/test_publish.py)."""
    env = {"BOOK_URL": ADDRESS, "BOOK_REPOSITORY": REPOSITORY}
    pdf = _build_pdf("publish", env)
    html = (build_book(pdf.output_dir, "--all", env=env, nice=LOW) if pdf.pdf_returncode == 0
            else None)
    log = pdf.log + (html.stdout if html else "")
    return Publish(pdf.pdf_returncode, log, pdf.output_dir,
                   html.returncode if html else pdf.pdf_returncode)


def _pdf_without_address() -> PdfBuild:
    """`make pdf` with no address, its default (tests/test_pdf.py): citations without a link,
    so other page breaks."""
    return _build_pdf("pdf")


def _made_book() -> tuple[Path, subprocess.CompletedProcess]:
    """`make book` in a git checkout of the files this working tree tracks (so its book has the
    same source archive), starting from the session build's execution cache, as CI does."""
    root = copy_tree(REPO_ROOT, Path(_FACTORY.mktemp("made")) / "book")
    for git in (["init", "-q"], ["add", "-f", "--", *tracked_files(REPO_ROOT)]):
        subprocess.run(["git", "-C", str(root), *git], check=True, capture_output=True)
    restore_cache(root, _book_dir())
    (root / "_build" / ".exec-inputs").touch()  # the cache is up to date: make keeps it
    return root, run(start(MAKE_BOOK, root, nice=LOW))


def _audits() -> dict[str, tuple[str, dict]]:
    """Every page in every browser mode (tests/test_browser.py), once the HTML is built: half
    the modes in each of two browsers, side by side."""
    build = background("book_build").result()
    if build.returncode != 0:
        pytest.fail("the book did not build; see test_book_builds_without_warnings")
    pages, modes = sorted(parse_site(build.html_dir)), list(MODES)
    halves = [_POOL.submit(audit_book, build.html_dir, pages, half)
              for half in (modes[::2], modes[1::2])]
    return {mode: found for half in halves for mode, found in half.result().items()}


STEPS: dict[str, Callable] = {"executed": _execute, "book_build": _book_build,
                              "publish": _publish, "pdf_without_address": _pdf_without_address,
                              "made_book": _made_book, "audits": _audits}
# Fixtures fed by a step, in the order their tests run: the earliest ready first.
BACKGROUND_FIXTURES = ("book_build", "made_book", "audits", "pdf_without_address", "publish")
_FACTORY = None
_BEFORE: dict[str, tuple[int, int]] = {}


def pytest_collection_modifyitems(items) -> None:
    """Quick tests first, while the builds run; then the tests that wait for each build, in
    the order the builds finish (a stable sort: each group keeps its order)."""
    def waits_for(item) -> int:
        used = [i for i, name in enumerate(BACKGROUND_FIXTURES, 1) if name in item.fixturenames]
        return max(used, default=0)
    items.sort(key=waits_for)


@pytest.fixture(scope="session", autouse=True)
def _start_in_background(request, tmp_path_factory):
    """Start at once every step that a collected test needs; stop what still runs at the end."""
    global _FACTORY
    _FACTORY = tmp_path_factory
    tmp_path_factory.getbasetemp()  # made here, once: threads creating it at once make two
    used = {name for item in request.session.items for name in item.fixturenames}
    for name in BACKGROUND_FIXTURES:
        if name in used:
            background(name)
    yield
    for started in _RUNNING:
        started.stop()
    _POOL.shutdown(cancel_futures=True)


@pytest.fixture(scope="session")
def book_build() -> BookBuild:
    """Every notebook run, then the book built with warnings as errors into a temporary folder,
    execution cache included; no public address or repository is configured."""
    return background("book_build").result()


@pytest.fixture(scope="session")
def publish() -> Publish:
    return background("publish").result()


@pytest.fixture(scope="session")
def pdf_without_address() -> PdfBuild:
    return background("pdf_without_address").result()


@pytest.fixture(scope="session")
def html_dir(book_build: BookBuild) -> Path:
    if book_build.returncode != 0:
        pytest.fail(f"the book did not build; see test_book_builds_without_warnings:\n"
                    f"{book_build.log_tail(30)}")
    return book_build.html_dir


@pytest.fixture(scope="session")
def site(html_dir: Path) -> dict[str, Page]:
    return parse_site(html_dir)


def _toc() -> dict:
    return yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def toc_pages() -> list[str]:
    return toc_html_pages(_toc())


@pytest.fixture(scope="session")
def report_pages() -> list[str]:
    """The root page (the overview) and the chapters of the first part, "The report"."""
    toc = _toc()
    return toc_html_pages({**toc, "parts": toc["parts"][:1]})
