"""What every build is told, read from where it is set: the Sphinx flags from the Makefile,
the time a notebook cell may take from _config.yml. Scripts and tests import these."""

import re
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
BOOK_CONFIG = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
CELL_TIMEOUT_S = BOOK_CONFIG["execute"]["timeout"]
# Warnings as errors, nitpicky, keep going: `SPHINX_FLAGS := ...` in the Makefile.
MAKEFILE = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
SPHINX_FLAGS = re.search(r"^SPHINX_FLAGS := (.+)$", MAKEFILE, re.M).group(1).split()
