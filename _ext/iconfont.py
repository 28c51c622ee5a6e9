"""The theme's icon font cut down to the icons the built pages can draw.

sphinx-book-theme draws its icons (menu, download, dark mode, search...) from Font Awesome's
solid font, which pydata-sphinx-theme ships whole: about 1,400 icons, 150 KB, half of what a
reader downloads for a page. This Sphinx extension (listed under ``sphinx.config.extensions``
in ``_config.yml``) replaces the copied font files, when the HTML build has finished, with a
subset holding only the glyphs that some built page can show:

- icon classes (``fa-bars``) on the page's elements or in the scripts it loads (the theme's
  script adds a few icons itself), and
- the other icon rules of the page's stylesheets (download links, admonitions, external
  links...) whose selector matches an element of the page.

The subset is derived from the built pages on every build, so a page that gains an icon gets
its glyph; tests/test_browser.py checks in Chromium that every icon drawn is in the font.
fontTools' subsetter writes the fonts (WOFF2 needs brotli); both are pinned in requirements.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

import soupsieve
from bs4 import BeautifulSoup
from fontTools import subset
from sphinx.util import logging

# The solid icon font under the HTML output's _static/, as pydata-sphinx-theme ships it: the
# WOFF2 every current browser loads and the TrueType fallback its @font-face also names.
FONT_FILES = ("vendor/fontawesome/webfonts/fa-solid-900.woff2",
              "vendor/fontawesome/webfonts/fa-solid-900.ttf")
PRIVATE_USE = range(0xE000, 0xF900)  # where Font Awesome puts its icons

RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
CUSTOM_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;]+)")
CONTENT = re.compile(r"(?<![\w-])content\s*:\s*([^;]+)")
CSS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
ICON_CLASS = re.compile(r"fa-[a-z0-9-]+")
# A selector that is one icon class and its ::before (".fa-bars:before").
CLASS_SELECTOR = re.compile(r"\.(fa-[a-z0-9-]+)::?before")
# What a selector can only match in a running browser: pseudo-elements and states.
DYNAMIC = re.compile(r"::?(before|after|marker|placeholder|hover|focus-visible|focus-within|"
                     r"focus|active|visited)\b")

# Classes a selector requires (not those under :not(), nor dots in attribute values): a cheap
# test before soupsieve's, which reads the whole page for each selector that matches nothing.
NOT_REQUIRED = re.compile(r":not\([^()]*\)|\[[^\]]*\]")
SELECTOR_CLASS = re.compile(r"\.([\w-]+)")

logger = logging.getLogger(__name__)


def css_text(value: str) -> str:
    """The characters of the CSS string literals in ``value`` (``"\\f0c9"`` -> U+F0C9)."""
    def unescape(match: re.Match) -> str:
        return chr(int(match[1], 16)) if match[1] else match[2]
    return "".join(CSS_ESCAPE.sub(unescape, a or b) for a, b in CSS_STRING.findall(value))


@functools.cache
def icon_rules(css: str) -> tuple[tuple[str, str], ...]:
    """(selector list, characters) of every rule whose ``content`` draws something.

    ``content: var(--x)`` is resolved through every definition of ``--x`` in ``css`` (a
    property defined in several places, say per colour mode, yields all its values).
    """
    rules = RULE.findall(css)
    properties: dict[str, set[str]] = {}
    for _, body in rules:
        for name, value in CUSTOM_PROPERTY.findall(body):
            properties.setdefault(name, set()).add(value)

    def resolve(value: str, seen: frozenset = frozenset()) -> str:
        names = [n for n in VAR.findall(value) if n not in seen]
        return css_text(value) + "".join(resolve(v, seen | {n})
                                         for n in names for v in properties.get(n, ()))

    found = []
    for selectors, body in rules:
        text = "".join(resolve(value) for value in CONTENT.findall(body))
        if text:
            found.append((selectors.strip(), text))
    return tuple(found)


def glyphs_used(soup: BeautifulSoup, stylesheets: Iterable[str],
                scripts: Iterable[str]) -> set[int]:
    """Code points of the icons a parsed page can show with these stylesheets and scripts.

    An icon-class rule counts when the page or a script names the class; any other rule counts
    when its selector, less pseudo-elements and states, matches an element of the page (an
    unparsable selector counts too: better a glyph too many than a missing icon).
    """
    classes = {c for tag in soup.find_all(class_=True) for c in tag["class"]}
    classes |= {name for script in scripts for name in ICON_CLASS.findall(script)}
    used = set()
    for css in stylesheets:
        for selectors, text in icon_rules(css):
            for selector in selectors.split(","):
                simple = CLASS_SELECTOR.fullmatch(selector.strip())
                if simple:
                    hit = simple[1] in classes
                elif not any(ord(c) in PRIVATE_USE for c in text):
                    continue  # bullets, quotes, counters: not icons
                elif not set(SELECTOR_CLASS.findall(NOT_REQUIRED.sub("", selector))) <= classes:
                    hit = False
                else:
                    try:
                        hit = soup.select_one(DYNAMIC.sub("", selector) or "*") is not None
                    except soupsieve.SelectorSyntaxError:
                        hit = True
                if hit:
                    used.update(ord(c) for c in text)
                    break
    return used


def subset_font(source: Path, target: Path, codepoints: Iterable[int]) -> None:
    """Write to ``target`` the glyphs of ``source`` for ``codepoints``, in ``target``'s format."""
    options = subset.Options()
    options.flavor = {".woff2": "woff2", ".woff": "woff"}.get(target.suffix)
    options.layout_features = []  # icons need no ligatures or kerning
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def book_pages(outdir: Path) -> list[Path]:
    """Every HTML page of the output (template copies under _static/ left out)."""
    return sorted(p for p in outdir.rglob("*.html")
                  if p.relative_to(outdir).parts[0] != "_static")


def linked_files(page: Path, soup: BeautifulSoup, outdir: Path) -> tuple[list[str], list[str]]:
    """The texts of the output's own stylesheets and scripts that ``page`` loads."""
    def read(ref: str | None) -> list[str]:
        if not ref or "://" in ref:
            return []
        path = (page.parent / ref.split("?")[0]).resolve()
        return [path.read_text(encoding="utf-8")] if path.is_relative_to(outdir.resolve()) \
            and path.is_file() else []
    css = [t for link in soup.find_all("link", rel="stylesheet") for t in read(link.get("href"))]
    js = [t for script in soup.find_all("script", src=True) for t in read(script["src"])]
    return css, js


def site_glyphs(outdir: Path) -> set[int]:
    """Code points of every icon any page of the built HTML in ``outdir`` can show."""
    used: set[int] = set()
    for page in book_pages(outdir):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        used |= glyphs_used(soup, *linked_files(page, soup, outdir))
    return used


def theme_file(app, relative: str) -> Path:
    """The theme's own copy of a static file (the output's may already be a subset)."""
    for folder in app.builder.theme.get_theme_dirs():
        candidate = Path(folder) / "static" / relative
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no theme ships static/{relative}")


def _build_finished(app, exception) -> None:
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    glyphs = site_glyphs(outdir)
    for relative in FONT_FILES:
        target = outdir / "_static" / relative
        if target.is_file():
            subset_font(theme_file(app, relative), target, glyphs)
    logger.info(f"icon font: kept {len(glyphs)} glyphs "
                f"({' '.join(f'U+{c:04X}' for c in sorted(glyphs))})")


def setup(app):
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
