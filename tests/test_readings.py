"""The reading notes on the HTML site (_ext/readings.py): a page for each note, an index, and a
link from each bibliography entry with a note to it; none of it in the PDF."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_file

import readings
from frbook.paths import REPO_ROOT
from screen import cards

NOTE = """# A Company's Statement

- Source key: example2020

## Copies read
| copy | address | what it covered |
|---|---|---|
| original | https://example.org/statement/ | all of it, to "the end." |

## Passages
> We will stop selling it, as [our principles](https://example.org/principles) say.

(copy: original; see https://example.org/other. The note's `file.md` and <b>markup</b>.)
"""


def test_a_note_renders_with_its_title_apart_and_its_addresses_linked():
    title, body = readings.render_note(NOTE)
    assert title == "A Company's Statement"
    soup = BeautifulSoup(body, "html.parser")
    assert not soup.find("h1"), "the page sets the title itself"
    assert [h.get_text() for h in soup.find_all("h2")] == ["Copies read", "Passages"]
    links = {a["href"]: a.get_text() for a in soup.find_all("a")}
    assert links == {"https://example.org/statement/": "https://example.org/statement/",
                     "https://example.org/principles": "our principles",
                     "https://example.org/other": "https://example.org/other"}
    assert soup.find("blockquote") and soup.find("code").get_text() == "file.md"
    assert "<b>" not in body and "&lt;b&gt;markup&lt;/b&gt;" in body  # no raw HTML from a note


def test_a_notes_table_reads_as_cards_on_a_phone_in_the_theme_box():
    _, body = readings.render_note(NOTE)
    table = BeautifulSoup(body, "html.parser").table
    assert {"book-table", "cards", "reading-note-table"} <= set(table["class"])
    assert "pst-scrollable-table-container" in table.parent["class"]
    assert [td["data-label"] for td in table.select("tbody td")] == [
        "copy", "address", "what it covered"]


def test_cards_are_only_for_wide_tables_unless_asked():
    narrow = "<table class='book-table'><thead><tr><th>a</th><th>b</th></tr></thead>" \
             "<tbody><tr><td>one long cell of text</td><td>another long cell</td></tr></tbody>" \
             "</table>"
    assert "cards" not in cards(narrow)
    assert "cards" in BeautifulSoup(cards(narrow, always=True), "html.parser").table["class"]


def test_the_index_files_notes_as_the_bibliography_does_the_uncited_last():
    page = readings.index_page([(None, "Uncited framework", "uncited"),
                                ("The Verge, 2020", "IBM will no longer offer", "verge"),
                                ("Krishna, 2020", "IBM CEO's Letter", "ibm"),
                                ("Washington Post Live, 2020", "Transcript", "wapo")])
    items = [li.get_text() for li in BeautifulSoup(page, "html.parser").select("li")]
    assert items == ["[Krishna, 2020] IBM CEO's Letter", "[The Verge, 2020] IBM will no longer "
                     "offer", "[Washington Post Live, 2020] Transcript",
                     "Uncited framework (read, not cited)"]
    assert 'href="ibm.html"' in page


# The built book.

NOTES = sorted(path.stem for path in (REPO_ROOT / readings.NOTES).glob("*.md"))
BIB_KEYS = set(parse_file(REPO_ROOT / "references.bib").entries.keys())


def entry_links(html_dir: Path) -> dict[str, list[str]]:
    """Each bibliography entry's id: the reading notes it links to."""
    soup = BeautifulSoup((html_dir / "bibliography.html").read_text(encoding="utf-8"),
                         "html.parser")
    return {entry["id"]: [a["href"] for a in entry.find_all("a", string=readings.LINK_TEXT)]
            for entry in soup.select("div.citation")}


@pytest.mark.slow
def test_every_note_is_a_page_reached_from_its_bibliography_entry(html_dir):
    assert NOTES, "no reading notes in the repository"
    linked = {href: entry for entry, hrefs in entry_links(html_dir).items() for href in hrefs}
    problems = []
    for key in NOTES:
        page = html_dir / readings.PAGES / f"{key}.html"
        if not page.is_file():
            problems.append(f"{key}: no page")
            continue
        back = re.search(r'href="\.\./bibliography\.html#([^"]+)"', page.read_text("utf-8"))
        href = f"{readings.PAGES}/{key}.html"
        if key in BIB_KEYS and (href not in linked or not back or back[1] != linked[href]):
            problems.append(f"{key}: entry {linked.get(href)} links to it, it links back to "
                            f"{back and back[1]}")
    index = (html_dir / readings.PAGES / "index.html").read_text(encoding="utf-8")
    problems += [f"{key}: not in the index" for key in NOTES if f'href="{key}.html"' not in index]
    assert not problems, "\n".join(problems)
    assert len(linked) == len(set(NOTES) & BIB_KEYS)


@pytest.mark.slow
def test_the_bibliography_page_points_to_the_notes(html_dir):
    page = (html_dir / "bibliography.html").read_text(encoding="utf-8")
    assert f'href="{readings.PAGES}/index.html"' in page


@pytest.mark.slow
@pytest.mark.pdf
def test_the_pdf_has_no_reading_note_links(pdf_without_address):
    tex = pdf_without_address.tex
    assert "Copy read" in tex, "no bibliography in the PDF: the check saw nothing"
    assert not re.search(rf"{readings.PAGES}/[\w-]+\.html", tex)
    assert f"{{{readings.LINK_TEXT}}}" not in tex  # a link's text
