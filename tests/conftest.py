"""Shared fixtures: one from-scratch build of the book per test session, and its parsed HTML.

The session build runs every notebook once, two at a time, into its own execution cache, as
`make book` does (scripts/execute_notebooks.py); jupyter-book then finds them all cached.
Other builds in the session copy that cache, so no notebook runs twice.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from booktree import Started, copy_tree, make_with_venv, start
from browsercheck import audit_book
from buildconfig import SPHINX_FLAGS
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


def html_dir_of(output_dir: Path) -> Path:
    return output_dir / "_build" / "html"


def execution_cache(output_dir: Path) -> Path:
    """The jupyter cache of a build into ``output_dir`` (as _config.yml places it)."""
    return output_dir / "_build" / ".jupyter_cache"


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


# The book's public address and repository (_ext/citation.py); the test builds set them
# explicitly, so a developer's environment cannot change what they check.
ADDRESS_VARIABLES = ("BOOK_URL", "BOOK_REPOSITORY")


def start_build(output_dir: Path, *options: str, env: dict | None = None,
                cache_from: Path | None = None) -> Started:
    """Start ``jupyter-book build`` of the repository into ``output_dir``, warnings as errors;
    the execution cache is copied from the build folder ``cache_from`` when given."""
    if cache_from is not None and execution_cache(cache_from).is_dir():
        shutil.copytree(execution_cache(cache_from), execution_cache(output_dir))
    clean_env = {k: v for k, v in os.environ.items() if k not in ADDRESS_VARIABLES}
    command = [str(JUPYTER_BOOK), "build", str(REPO_ROOT), "--path-output", str(output_dir),
               *SPHINX_FLAGS, *options]
    return start(command, output_dir, {**clean_env, **(env or {})})


def build_book(output_dir: Path, *options: str, env: dict | None = None,
               cache_from: Path | None = None) -> subprocess.CompletedProcess:
    """start_build(), waited for: its output comes back as stdout."""
    return start_build(output_dir, *options, env=env, cache_from=cache_from).result()


# Slow builds and the browser audit, which only some tests need, start in the background so that
# they run while other tests do: each at most once, when a collected test uses the fixture it
# feeds. Each is a Started process or a Future of the audit thread: result() waits for either.
_STARTED: dict[str, Started | Future] = {}
_THREADS = ThreadPoolExecutor(max_workers=1)
BACKGROUND_FIXTURES = ("made_book", "address_html", "audits")


def pytest_collection_modifyitems(items) -> None:
    """Tests that wait for work started in the background run last, so that the quick tests run
    meanwhile (a stable sort: each group keeps its order)."""
    items.sort(key=lambda item: bool(set(BACKGROUND_FIXTURES) & set(item.fixturenames)))


def start_if_needed(request, fixture: str, starter: Callable[[], Started | Future]) -> None:
    if fixture not in _STARTED and any(fixture in item.fixturenames
                                       for item in request.session.items):
        _STARTED[fixture] = starter()
        if isinstance(_STARTED[fixture], Started):
            request.addfinalizer(_STARTED[fixture].stop)


def started(fixture: str, starter: Callable[[], Started | Future]) -> Started | Future:
    """What was started in the background for ``fixture``, or else started now."""
    return _STARTED.pop(fixture, None) or starter()


def audit_in_background(html: Path) -> Future:
    """Every page in every browser mode (tests/test_browser.py), in a thread: Playwright's sync
    API runs in a thread of its own, with its own browser."""
    return _THREADS.submit(audit_book, html, sorted(parse_site(html)))


# The book built at a public address, with a source repository (tests/test_publish.py).
ADDRESS = "https://example.org/three-companies/"
REPOSITORY = "https://github.com/example/three-companies"


def start_address_build(tmp_path_factory, cache_from: Path) -> Started:
    return start_build(tmp_path_factory.mktemp("address").resolve(), cache_from=cache_from,
                       env={"BOOK_URL": ADDRESS, "BOOK_REPOSITORY": REPOSITORY})


# `make book` in a copy of the working tree that is a git checkout of the files this one tracks
# (so its book has the same source archive), with this test run's .venv (tests/test_make_build.py).
MAKE_BOOK = [*make_with_venv(Path(sys.prefix)), "book"]


def start_made_book(tmp_path_factory) -> Started:
    root = copy_tree(REPO_ROOT, tmp_path_factory.mktemp("made") / "book")
    for git in (["init", "-q"], ["add", "-f", "--", *tracked_files(REPO_ROOT)]):
        subprocess.run(["git", "-C", str(root), *git], check=True, capture_output=True)
    return start(MAKE_BOOK, root)


@pytest.fixture(scope="session", autouse=True)
def _start_builds_early(request, tmp_path_factory) -> None:
    """Start `make book` in a copy at once if a test needs it: it runs beside the others."""
    start_if_needed(request, "made_book", lambda: start_made_book(tmp_path_factory))


@pytest.fixture(scope="session")
def book_build(request, tmp_path_factory) -> BookBuild:
    """Run every notebook, then build the book with warnings as errors into a temporary
    folder, execution cache included; no public address or repository is configured.
    Then start the build at an address, which reuses this build's execution cache."""
    output_dir = tmp_path_factory.mktemp("book").resolve()
    before = snapshot(REPO_ROOT)
    execute_notebooks(output_dir, NOTEBOOKS)  # failures: tests/test_notebooks.py
    result = build_book(output_dir)
    after = snapshot(REPO_ROOT)
    changes = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    start_if_needed(request, "address_html",
                    lambda: start_address_build(tmp_path_factory, output_dir))
    if result.returncode == 0:
        start_if_needed(request, "audits", lambda: audit_in_background(html_dir_of(output_dir)))
    return BookBuild(result.returncode, result.stdout, output_dir, changes)


@pytest.fixture(scope="session")
def html_dir(book_build: BookBuild) -> Path:
    if book_build.returncode != 0:
        pytest.fail(f"the book did not build; see test_book_builds_without_warnings:\n"
                    f"{book_build.log_tail(30)}")
    return book_build.html_dir


@pytest.fixture(scope="session")
def site(html_dir: Path) -> dict[str, Page]:
    return parse_site(html_dir)


@pytest.fixture(scope="session")
def toc_pages() -> list[str]:
    return toc_html_pages(yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8")))
