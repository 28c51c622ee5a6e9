"""Static checks of a built HTML site: internal links and anchors (lychee), third-party assets.

Each check returns a list of human-readable problems; an empty list means the site passes.
"""

import html
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

# Tags whose URL attribute makes the browser fetch something when the page loads.
ASSET_ATTRS = {
    "script": "src",
    "link": "href",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "embed": "src",
    "video": "src",
    "audio": "src",
}
# <link> relations that make the browser fetch or contact the target (canonical, alternate and
# the like only name an address).
FETCHED_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "preload",
                     "modulepreload", "prefetch", "prerender", "manifest", "preconnect",
                     "dns-prefetch"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "data", "javascript"}
CSS_REMOTE = re.compile(r"""(?:url\(\s*|@import\s+)['"]?((?:https?:)?//[^'")\s]+)""", re.I)
# lychee (requirements-test.txt) offline: every link to a file of the site, and its #fragment.
# _static/ is left out: the theme copies its Jinja templates there as .html files.
LYCHEE = [str(Path(sys.executable).with_name("lychee")), "--offline", "--include-fragments",
          "--no-progress", "--no-ignore", "--index-files", "index.html", "--exclude-path",
          "_static", "--format", "compact"]
LYCHEE_REPORT = re.compile(r"^\[(?P<page>[^\]]+)\]:$|^\s*(?P<error>\[ERROR\].*)$", re.M)


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    urls: list[tuple[str, str]] = field(default_factory=list)  # (tag, url) of every href/src
    assets: list[tuple[str, str]] = field(default_factory=list)  # (tag, url) fetched on load


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if attr.get("id"):
            self.page.ids.add(attr["id"])
        if tag == "a" and attr.get("name"):
            self.page.ids.add(attr["name"])
        for name in ("href", "src"):
            if attr.get(name):
                self.page.urls.append((tag, attr[name]))
        fetched = tag != "link" or bool(FETCHED_LINK_RELS & set(attr.get("rel", "").split()))
        if ASSET_ATTRS.get(tag) in attr and fetched:
            self.page.assets.append((tag, attr[ASSET_ATTRS[tag]]))


def parse_site(root: Path) -> dict[str, Page]:
    """Parse every page under ``root``; keys are paths relative to it, with slashes.

    ``_static/`` is left out: the theme copies its Jinja templates there as .html files.
    """
    site = {}
    for path in sorted(root.rglob("*.html")):
        if path.relative_to(root).parts[0] == "_static":
            continue
        parser = _PageParser()
        parser.feed(path.read_text(encoding="utf-8"))
        site[path.relative_to(root).as_posix()] = parser.page
    return site


def toc_html_pages(toc: dict) -> list[str]:
    """The HTML page of every `file` in a jb-book table of contents, the root first."""
    files = [toc["root"]]

    def walk(node) -> None:
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return [f"{PurePosixPath(file).with_suffix('')}.html" for file in files]


def is_external(url: str) -> bool:
    """True for links that leave the site (other hosts, mailto:, data: and the like)."""
    parts = urlsplit(url)
    return parts.scheme in EXTERNAL_SCHEMES or bool(parts.netloc)


def is_remote(url: str) -> bool:
    """True for absolute http(s) and protocol-relative (//host/...) URLs."""
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} or (not parts.scheme and bool(parts.netloc))


def broken_links(root: Path, site: dict[str, Page] | None = None) -> list[str]:
    """Internal links to missing files, and #fragments missing from their page (lychee's
    report; ``site`` is not needed and kept for callers that pass it)."""
    result = subprocess.run([*LYCHEE, f"{root}/**/*.html"], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL)
    problems, page = [], ""
    for line in LYCHEE_REPORT.finditer(result.stdout + result.stderr):
        page = line["page"] or page
        if line["error"]:
            problems.append(f"{page}: {line['error']}")
    if result.returncode != 0 and not problems:
        problems = [f"lychee failed ({result.returncode}): {result.stderr or result.stdout}"]
    return problems


def third_party_assets(root: Path, site: dict[str, Page]) -> list[str]:
    """Scripts, stylesheets, fonts and images a page or stylesheet would fetch from another host."""
    problems = [f"{path}: <{tag}> loads {url!r}"
                for path, page in site.items() for tag, url in page.assets if is_remote(url)]
    for css in sorted(root.rglob("*.css")):
        for url in CSS_REMOTE.findall(css.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{css.relative_to(root).as_posix()}: loads {url!r}")
    return problems


CITATION_BLOCK = re.compile(
    r'<(p|div) class="([^"]*\b(?:book|dataset|chapter)-citation\b[^"]*)"[^>]*>(.*?)</\1>', re.S)


def visible(markup: str) -> str:
    """The text of an HTML fragment: no tags, scripts or styles; white space collapsed."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup)))


CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)


def text_outside_code(markup: str) -> str:
    """The visible text of an HTML fragment outside its code (``<pre>`` and ``<code>``)."""
    return visible(CODE.sub(" ", markup))


def citation_blocks(markup: str) -> dict[str, list[str]]:
    """The visible text of the "How to cite" page's citations, by kind: book, dataset, chapter."""
    blocks = CITATION_BLOCK.findall(markup)
    return {kind: [visible(body) for _, classes, body in blocks if f"{kind}-citation" in classes]
            for kind in ("book", "dataset", "chapter")}
