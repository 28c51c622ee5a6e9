"""`make publish` in a temporary folder: the whole book as one PDF (jupyter-book's pdflatex
builder, xelatex from Debian TeX Live), then the HTML, which links to the PDF and serves it.

The chapters are read from _toc.yml and the notebooks' figure metadata, so a new chapter is
checked without editing this file. TeX Live and poppler-utils come from `make test` (`make tex`).
"""

import json
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_file

from conftest import build_book
from frbook.bibstyle import Style
from frbook.citation import long_date, read_book
from frbook.paths import REPO_ROOT
from htmlcheck import broken_links, parse_site

pytestmark = [pytest.mark.slow, pytest.mark.pdf]

CITE_ROLE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")
MAX_PAGES = 500
ENTRY_PREFIX_CHARS = 40  # of a bibliography entry: its author and the start of its title


@dataclass(frozen=True)
class Publish:
    pdf_returncode: int
    html_returncode: int
    log: str
    output_dir: Path

    @property
    def pdf(self) -> Path:
        return self.output_dir / "_build" / "latex" / pdf_name()

    @property
    def html_dir(self) -> Path:
        return self.output_dir / "_build" / "html"


def pdf_name() -> str:
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    return Path(config["latex"]["latex_documents"]["targetname"]).with_suffix(".pdf").name


@pytest.fixture(scope="session")
def publish(tmp_path_factory, book_build) -> Publish:
    """PDF, then HTML, into one folder; notebooks come from the HTML test build's cache."""
    output_dir = tmp_path_factory.mktemp("publish").resolve()
    pdf = build_book(output_dir, "--all", "--builder", "pdflatex", cache_from=book_build.output_dir)
    html = build_book(output_dir, "--all") if pdf.returncode == 0 else pdf
    log = pdf.stdout + pdf.stderr + (html.stdout + html.stderr if html is not pdf else "")
    return Publish(pdf.returncode, html.returncode, log, output_dir)


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: `make test` installs poppler-utils (see `make tex`)")
    return found


@pytest.fixture(scope="session")
def pdf(publish) -> Path:
    if publish.pdf_returncode != 0 or not publish.pdf.is_file():
        pytest.fail("the PDF did not build:\n" + "\n".join(publish.log.splitlines()[-40:]))
    return publish.pdf


@pytest.fixture(scope="session")
def pdf_pages(pdf) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    text = subprocess.run([tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")


def squash(text: str) -> str:
    """Lower-case letters and digits only: immune to line breaks, hyphenation and quotes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]", "", ascii_text.lower())


def source_of(page: str) -> Path:
    """The source file of a table-of-contents HTML page (notebook or Markdown)."""
    stem = REPO_ROOT / Path(page).with_suffix("")
    for suffix in (".ipynb", ".md"):
        if stem.with_suffix(suffix).is_file():
            return stem.with_suffix(suffix)
    raise FileNotFoundError(f"no source for {page}")


def markdown_and_figures(path: Path) -> tuple[str, list[str]]:
    """A page's Markdown text and the captions in its cells' `mystnb.figure` metadata."""
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8"), []
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    captions = [c["metadata"]["mystnb"]["figure"]["caption"] for c in cells
                if c["cell_type"] == "code"
                and "caption" in c["metadata"].get("mystnb", {}).get("figure", {})]
    return markdown, captions


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


@pytest.fixture(scope="session")
def chapters(toc_pages) -> dict[str, tuple[str, list[str], set[str]]]:
    """Every page of the table of contents: title, figure captions and cited keys."""
    found = {}
    for page in toc_pages:
        markdown, captions = markdown_and_figures(source_of(page))
        keys = {key.strip() for keys in CITE_ROLE.findall(markdown) for key in keys.split(",")}
        found[page] = (plain(first_heading(markdown)), [plain(c) for c in captions], keys)
    return found


def test_pdf_builds(pdf):
    assert pdf.stat().st_size > 0


def test_pdf_has_a_plausible_page_count(pdf, chapters):
    info = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    # Each chapter opens on a right-hand page, so a book takes at least two pages a chapter.
    assert 2 * len(chapters) <= pages <= MAX_PAGES, f"{pages} pages"


def test_title_page_shows_title_version_and_release_date(pdf_pages):
    book = read_book(REPO_ROOT)
    title_page = squash(pdf_pages[0])
    for expected in (book.title, f"Version {book.version}", long_date(book.released)):
        assert squash(expected) in title_page, f"{expected!r} not on the title page"


def test_pdf_contains_every_chapter_title(pdf_pages, chapters):
    text = squash("".join(pdf_pages))
    missing = [title for title, _, _ in chapters.values() if squash(title) not in text]
    assert not missing, f"chapter titles missing from the PDF: {missing}"


def test_pdf_contains_a_figure_caption_from_each_chapter(pdf, pdf_pages, chapters):
    text = squash("".join(pdf_pages))
    with_figures = {page: captions for page, (_, captions, _) in chapters.items() if captions}
    assert with_figures, "no chapter has a captioned figure"
    missing = [page for page, captions in with_figures.items()
               if not any(squash(c) in text for c in captions)]
    assert not missing, f"no figure caption in the PDF from: {missing}"
    images = subprocess.run([tool("pdfimages"), "-list", str(pdf)], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    drawn = [line for line in images if line.split()[2] == "image"]
    figures = sum(len(captions) for captions in with_figures.values())
    assert len(drawn) >= figures, f"{len(drawn)} images in the PDF for {figures} figures"


def test_pdf_bibliography_has_an_entry_for_each_chapters_citations(pdf_pages, chapters):
    entries = {e.key: e.text.render_as("text")
               for e in Style().format_entries(parse_file(REPO_ROOT / "references.bib")
                                               .entries.values())}
    text = squash("".join(pdf_pages))
    cited = {page: keys for page, (_, _, keys) in chapters.items() if keys}
    assert cited, "no chapter cites anything"
    missing = [page for page, keys in cited.items()
               if not any(squash(entries[k])[:ENTRY_PREFIX_CHARS] in text
                          for k in keys if k in entries)]
    assert not missing, f"no bibliography entry in the PDF for the citations of: {missing}"


def test_html_links_to_the_pdf_and_serves_it(publish, pdf):
    assert publish.html_returncode == 0, publish.log[-3000:]
    served = publish.html_dir / pdf.name
    assert served.read_bytes() == pdf.read_bytes()
    site = parse_site(publish.html_dir)
    for page in ("cite.html", "notebooks/overview.html", "notebooks/data.html"):
        hrefs = [url for _, url in site[page].urls if url.endswith(pdf.name)]
        assert hrefs, f"{page} does not link to the PDF"
    assert not broken_links(publish.html_dir, site)


# The helpers, on small inputs.

def test_squash_ignores_line_breaks_hyphenation_and_quotes():
    typeset = "Microsoft’s “general-\npurpose” Café"
    assert squash(typeset) == squash("Microsoft's general-purpose Cafe")
    assert squash("Three announcements") != squash("Three announcement")


def test_first_heading_and_plain_text():
    assert first_heading("(label)=\n# The *data* chapter\n\n## Sub") == "The *data* chapter"
    assert plain("See {ref}`the data <chapter-data>` and [x](y.md), *z*") == "See the data and x, z"
    with pytest.raises(ValueError):
        first_heading("## Only a section")
