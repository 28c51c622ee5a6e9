"""What every build is told, read from where it is set: the Sphinx flags from the Makefile; the
time a notebook cell may take, the PDF's file name and the pages it leaves out from _config.yml.
The Sphinx extensions, scripts and tests import these; the Makefile asks for the PDF's name
(``python _ext/buildconfig.py PDF_NAME`` prints it)."""

import re
import sys
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
BOOK_CONFIG = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
CELL_TIMEOUT_S = BOOK_CONFIG["execute"]["timeout"]
# jupyter-book's pdflatex builder names the PDF after the LaTeX target.
PDF_NAME = Path(BOOK_CONFIG["latex"]["latex_documents"]["targetname"]).with_suffix(".pdf").name
# Pages of the HTML that the PDF leaves out (_ext/paper.py), as document names.
HTML_ONLY_PAGES = BOOK_CONFIG["sphinx"]["config"].get("frbook_html_only", [])
# Warnings as errors, nitpicky, keep going: `SPHINX_FLAGS := ...` in the Makefile.
MAKEFILE = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
SPHINX_FLAGS = re.search(r"^SPHINX_FLAGS := (.+)$", MAKEFILE, re.M).group(1).split()

if __name__ == "__main__":
    print(globals()[sys.argv[1]])
