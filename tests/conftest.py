"""Shared fixtures: one from-scratch build of the book per test session, and its parsed HTML."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from frbook.paths import REPO_ROOT
from htmlcheck import Page, parse_site, toc_html_pages

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
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
        return self.output_dir / "_build" / "html"

    def log_tail(self, lines: int = 80) -> str:
        return "\n".join(self.log.splitlines()[-lines:])


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``root`` outside UNTRACKED_DIRS."""
    files = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in UNTRACKED_DIRS and not d.endswith(".egg-info")]
        for name in names:
            stat = (Path(folder) / name).stat()
            files[os.path.relpath(Path(folder) / name, root)] = (stat.st_size, stat.st_mtime_ns)
    return files


@pytest.fixture(scope="session")
def book_build(tmp_path_factory) -> BookBuild:
    """Build the book with warnings as errors into a temporary folder, execution cache included."""
    output_dir = tmp_path_factory.mktemp("book").resolve()
    before = snapshot(REPO_ROOT)
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(REPO_ROOT), "--path-output", str(output_dir),
         "--warningiserror", "--nitpick", "--keep-going"],
        cwd=output_dir, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=BUILD_TIMEOUT_S, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    after = snapshot(REPO_ROOT)
    changes = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    return BookBuild(result.returncode, result.stdout + result.stderr, output_dir, changes)


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
