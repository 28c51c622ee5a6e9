"""Copies of the project to run `make` in, builds run in the background, and byte-for-byte
comparison of built folders.

Used by the tests and scripts/bench.py. A copy holds the working tree as it is (uncommitted
edits included) less caches, the venv and build output; `make` in it can reuse an existing venv
without reinstalling it.
"""

import hashlib
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

IGNORED = shutil.ignore_patterns(".git", ".venv", "_build", "node_modules", "__pycache__",
                                 ".pytest_cache", ".ruff_cache", "*.egg-info", ".ipynb_checkpoints")
READER_STAMP = ".installed-reader"  # the Makefile's install target, inside its VENV
MAKE_TIMEOUT_S = 1800


def copy_tree(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest, ignore=IGNORED, symlinks=True)
    return dest


def make_with_venv(venv: Path) -> list[str]:
    """`make` told to use ``venv`` as it is: never to reinstall it (-o: its stamp is up to date)."""
    return ["make", f"VENV={venv}", "-o", str(venv / READER_STAMP)]


@dataclass
class Started:
    """A command running in the background in ``cwd``, its output going to ``log``."""

    process: subprocess.Popen
    cwd: Path
    log: Path

    def result(self) -> subprocess.CompletedProcess:
        """Wait for the command; its output comes back as stdout."""
        try:
            returncode = self.process.wait(timeout=MAKE_TIMEOUT_S)
        finally:
            self.stop()
        return subprocess.CompletedProcess(self.process.args, returncode,
                                           self.log.read_text(encoding="utf-8"), "")

    def stop(self) -> None:
        """End the command and everything it started, if still running."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def start(command: list[str], cwd: Path, env: dict | None = None, nice: int = 0) -> Started:
    """Start ``command`` in ``cwd`` in a process group of its own, ``nice`` lower in priority;
    output to a log beside cwd."""
    log = cwd.parent / f"{cwd.name}.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, text=True, start_new_session=True,
                                   preexec_fn=lambda: os.nice(nice),
                                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
                                        **(env or {})})
    return Started(process, cwd, log)


def run_make(command: list[str], cwd: Path, env: dict | None = None
             ) -> subprocess.CompletedProcess:
    return start(command, cwd, env).result()


def digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``, by path relative to it."""
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def differing_files(first: dict[str, str], second: dict[str, str]) -> list[str]:
    """Paths present in only one of two digest maps, or with different contents."""
    return sorted(p for p in first.keys() | second.keys() if first.get(p) != second.get(p))
