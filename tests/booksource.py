"""The book's sources as tests read them: the Markdown (or code) of a page or notebook, and the
keys its citation roles cite."""

import json
import re
from pathlib import Path

# {cite}`a`, {cite:p}`a,b`, {cite:t}`a`: the keys in the backticks.
CITE_ROLE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")


def source_text(page: Path, cell_type: str = "markdown") -> str:
    """A page's text: a Markdown file's, or a notebook's cells of ``cell_type`` (Markdown or
    code) joined by newlines."""
    text = page.read_text(encoding="utf-8")
    if page.suffix != ".ipynb":
        return text
    cells = json.loads(text)["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == cell_type)


def cited_keys(markdown: str) -> set[str]:
    return {key.strip() for keys in CITE_ROLE.findall(markdown) for key in keys.split(",")}
