"""Folders of the repository, found from this file so they work from any working directory."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
READINGS_DIR = REPO_ROOT / "research" / "readings"  # a reading note per document read
