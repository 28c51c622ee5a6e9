"""The book's sources as tests read them: the Markdown (or code) of a page or notebook, its
figures' metadata, its title, the keys its citation roles cite, and a function a notebook
defines."""

import ast
import json
import re
from pathlib import Path

from frbook.paths import REPO_ROOT

# {cite}`a`, {cite:p}`a,b`, {cite:t}`a`: the keys in the backticks.
CITE_ROLE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")


def _cells(page: Path) -> list[dict]:
    return json.loads(page.read_text(encoding="utf-8"))["cells"]


def source_text(page: Path, cell_type: str = "markdown") -> str:
    """A page's text: a Markdown file's, or a notebook's cells of ``cell_type`` (Markdown or
    code) joined by newlines."""
    if page.suffix != ".ipynb":
        return page.read_text(encoding="utf-8")
    return "\n".join("".join(c["source"]) for c in _cells(page) if c["cell_type"] == cell_type)


def figures(page: Path) -> list[dict]:
    """The figures of a page: each code cell's ``mystnb.figure`` metadata (caption, name)."""
    if page.suffix != ".ipynb":
        return []
    return [c["metadata"]["mystnb"]["figure"] for c in _cells(page)
            if c["cell_type"] == "code" and "figure" in c["metadata"].get("mystnb", {})]


def notebook_function(page: Path, name: str):
    """The function `name` as a notebook's code cell defines it, to test the code a chapter runs
    (it may use only builtins and the frame methods of what it is given)."""
    for cell in _cells(page):
        if cell["cell_type"] != "code":
            continue
        for node in ast.parse("".join(cell["source"])).body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                namespace: dict = {}
                exec(compile(ast.Module([node], []), str(page), "exec"), namespace)
                return namespace[name]
    raise LookupError(f"{page.name} defines no function {name}")


def source_of(page: str) -> Path:
    """The source file of an HTML page of the book (notebook or Markdown)."""
    stem = REPO_ROOT / Path(page).with_suffix("")
    for suffix in (".ipynb", ".md"):
        if stem.with_suffix(suffix).is_file():
            return stem.with_suffix(suffix)
    raise FileNotFoundError(f"no source for {page}")


def first_heading(markdown: str) -> str:
    found = re.search(r"^# +(.+?)\s*$", markdown, re.M)
    if not found:
        raise ValueError("no level-1 heading")
    return found.group(1)


def plain(markdown: str) -> str:
    """Markdown inline text without roles, links and emphasis marks."""
    text = re.sub(r"\{[\w:-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.replace("*", "").replace("`", "")


def cited_keys(markdown: str) -> set[str]:
    return {key.strip() for keys in CITE_ROLE.findall(markdown) for key in keys.split(",")}
