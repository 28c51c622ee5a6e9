"""The reading notes on the HTML site (_ext/readings.py): a page for each note, an index, and a
link from each bibliography entry with a note to it; the index in the sidebar and the notes in
the search; none of it in the PDF."""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
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
    assert title == "A Company\u2019s Statement"
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
        "Copy", "Address", "What it covered"]
    assert [th.get_text() for th in table.select("thead th")] == [
        "Copy", "Address", "What it covered"]
    assert table.select_one("tbody td").get_text() == "Original"  # the card's heading
    assert table.select("tbody td")[1].get_text() == "https://example.org/statement/"


def test_a_notes_title_and_the_intro_set_apostrophes_as_the_bibliography_does():
    title, _ = readings.render_note(NOTE)
    assert readings.note_heading(title) == "Reading note: A Company\u2019s Statement"
    assert "'" not in readings.ABOUT and "a few reports the book leans on" in readings.ABOUT


# What the project's machinery left in notes once: its name for the two supplied articles ("seed
# 002"), a local path, row ids of its data, the search tool's ids, its file kinds and a copy's
# format and feed id, and a summary's file name (BILLSUM) and agency (CRS) unexplained.
MACHINERY = re.compile(r"\bseeds?\b|/work/|\bevidence R\d+|\bstored ids?\b|\bcsv\b|\bdossier\b"
                       r"|\bJSON\b|\bguid\b|\bBILLSUM\b|\bCRS\b", re.IGNORECASE)


def machinery(text: str) -> list[str]:
    """The machinery words in a page's visible text, its web addresses left out (a copy's
    address is given as it is)."""
    return [found.group() for found in MACHINERY.finditer(readings.ADDRESS.sub(" ", text))]


def test_machinery_is_found_as_whole_words_outside_addresses():
    assert machinery("Seed 002 at /work/shared/seeds/002.txt (evidence R184; stored id 14; "
                     "facts csv; the dossier; WordPress JSON; guid; BILLSUM; CRS)") == [
        "Seed", "/work/", "seeds", "evidence R184", "stored id", "csv", "dossier", "JSON", "guid",
        "BILLSUM", "CRS"]
    assert machinery("the transcript; seedling; evidence of it; "
                     "https://www.govinfo.gov/bulkdata/BILLSUM/116/s/BILLSUM-116s4084.xml") == []


def test_no_note_shows_the_projects_machinery():
    """A note names a copy as a reader can find it, never by the project's own labels."""
    problems = {}
    for key in NOTES:
        title, body = readings.render_note(
            (REPO_ROOT / readings.NOTES / f"{key}.md").read_text(encoding="utf-8"))
        found = machinery(f"{title} {BeautifulSoup(body, 'html.parser').get_text(' ')}")
        if found:
            problems[f"{readings.NOTES}/{key}.md"] = found
    assert not problems, f"machinery in reading notes: {problems}"


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


def pending_doc(target: str, refdoc: str) -> dict:
    """What link_to_index reads of a pending cross-reference (a docutils node reads the same)."""
    return {"reftype": "doc", "reftarget": target, "refdoc": refdoc}


def test_a_chapters_link_to_the_index_is_a_link_in_html_and_words_on_paper():
    """``{doc}`reading notes <../readings/index>``` from a chapter: the index is no source
    document, so Sphinx cannot resolve the link itself."""
    def app(format_):
        builder = SimpleNamespace(format=format_, get_target_uri=lambda doc: f"{doc}.html")
        return SimpleNamespace(builder=builder)

    words = nodes.inline("", "reading notes")
    html = readings.link_to_index(app("html"), None,
                                  pending_doc("../readings/index", "notebooks/overview"), words)
    assert html["refuri"] == "../readings/index.html" and html.astext() == "reading notes"
    assert readings.link_to_index(app("html"), None, pending_doc("readings/index", "cite"),
                                  words)["refuri"] == "readings/index.html"
    assert readings.link_to_index(app("latex"), None, pending_doc("/readings/index", "cite"),
                                  words) is words
    assert readings.link_to_index(app("html"), None, pending_doc("glossary", "cite"),
                                  words) is None


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
    assert "sphinxthebibliography" in tex, "no bibliography in the PDF: the check saw nothing"
    assert not re.search(rf"{readings.PAGES}/[\w-]+\.html", tex)
    assert f"{{{readings.LINK_TEXT}}}" not in tex  # a link's text


def note_pages(html_dir: Path) -> dict[str, BeautifulSoup]:
    """Every page under readings/ in the built site (the notes and their index)."""
    return {f"{readings.PAGES}/{path.name}": BeautifulSoup(path.read_text("utf-8"), "html.parser")
            for path in sorted((html_dir / readings.PAGES).glob("*.html"))}


@pytest.mark.slow
def test_no_note_page_has_an_empty_heading(html_dir):
    """The theme heads a printed page with its title (``pagetitle``), which a generated page
    must give: left out, every note and the index began with an empty <h1>."""
    pages = note_pages(html_dir)
    assert len(pages) == len(NOTES) + 1, sorted(pages)
    empty = [name for name, soup in pages.items()
             if not soup.find_all("h1") or any(not h1.get_text(strip=True)
                                               for h1 in soup.find_all("h1"))]
    assert not empty, empty


@pytest.mark.slow
def test_each_note_ends_with_links_to_its_entry_and_to_every_note(html_dir):
    entries = {href: entry for entry, hrefs in entry_links(html_dir).items() for href in hrefs}
    problems = []
    for name, soup in note_pages(html_dir).items():
        if name.endswith("/index.html"):
            continue
        foot = soup.select("article .reading-note-foot")
        links = {a.get_text(): a["href"] for a in foot[-1].find_all("a")} if foot else {}
        last = soup.select_one("article").find_all(["p", "ul", "table", "blockquote", "div"])
        expected = {readings.ALL_NOTES: "index.html"}
        if name in entries:
            expected[readings.BACK_TO_ENTRY] = f"../bibliography.html#{entries[name]}"
        if links != expected or not foot or last[-1] is not foot[-1]:
            problems.append(f"{name}: foot links {links}, expected {expected}")
    assert not problems, "\n".join(problems)


def sidebar_entries(soup: BeautifulSoup) -> list[tuple[str, str, bool]]:
    """The sidebar's "Data and references" part: (text, href, marked current) of each entry."""
    caption = soup.find("span", class_="caption-text", string="Data and references")
    entries = caption.find_parent("p").find_next_sibling("ul").find_all("li", recursive=False)
    return [(li.a.get_text(strip=True), li.a["href"], "current" in li["class"]) for li in entries]


@pytest.mark.slow
def test_the_sidebar_lists_the_notes_after_the_bibliography(site, html_dir):
    """Every page's sidebar lists "Reading notes" (the index) after the bibliography, marked as
    the open page's entry on the index and on every note."""
    problems = []
    for name in site:
        path = (html_dir / name).resolve()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if not soup.select_one("nav.bd-docs-nav"):
            continue
        entries = sidebar_entries(soup)
        texts = [text for text, _, _ in entries]
        in_notes = name.startswith(f"{readings.PAGES}/")
        found = [entry for entry in entries if entry[0] == readings.INDEX_TITLE]
        target = (path.parent / found[0][1]).resolve() if found and found[0][1] != "#" else path
        if (not found or texts.index(readings.INDEX_TITLE) != texts.index("Bibliography") + 1
                or target != (html_dir / readings.PAGES / "index.html").resolve()
                or found[0][2] != in_notes or (in_notes and sum(e[2] for e in entries) != 1)):
            problems.append(f"{name}: {entries}")
    assert len(site) > len(NOTES), "too few pages: the check saw nothing"
    assert not problems, "\n".join(problems)


def search_index(html_dir: Path) -> dict:
    text = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def words_only_notes_use(html_dir: Path, pages: list[str]) -> dict[str, list[str]]:
    """Each note's words (six letters or more, its web addresses left out, as in the search
    index) that none of ``pages``, the book's other pages, uses."""
    book_words = set()
    for name in pages:
        soup = BeautifulSoup((html_dir / name).read_text("utf-8"), "html.parser")
        book_words |= set(re.findall(r"[a-z]{6,}", soup.get_text().lower()))
    words = {}
    for key in NOTES:
        title, body = readings.render_note((REPO_ROOT / readings.NOTES / f"{key}.md").read_text(
            encoding="utf-8"))
        text = readings.ADDRESS.sub(" ", f"{title} {BeautifulSoup(body, 'html.parser').get_text()}")
        words[key] = sorted(set(re.findall(r"[a-z]{6,}", text.lower())) - book_words)
    return words


@pytest.mark.slow
def test_every_note_is_in_the_search_index(html_dir):
    """The notes and their index are in the search index under their titles (Sphinx writes it
    from the source documents only); tests/test_browser.py searches for a word only they use."""
    index = search_index(html_dir)
    titles = dict(zip(index["docnames"], index["titles"], strict=True))
    pages = {name.removesuffix(".html"): soup.title.get_text().split(" \u2014 ")[0]
             for name, soup in note_pages(html_dir).items()}
    missing = {name: title for name, title in pages.items() if titles.get(name) != title}
    assert not missing, f"not in the search index as titled: {missing}"


@pytest.mark.slow
def test_a_notes_title_is_its_heading(html_dir):
    """A note has one name: its title in the browser (and so in the search's results, which
    test_every_note_is_in_the_search_index ties to it) is its heading, "Reading note: Krishna,
    2020", not the document's title that the heading stands over."""
    problems = []
    for name, soup in note_pages(html_dir).items():
        title = soup.title.get_text().split(" \u2014 ")[0]
        heading = " ".join(soup.select_one("article h1").get_text().split())
        if title != heading:
            problems.append(f"{name}: titled {title!r}, headed {heading!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_no_note_page_shows_the_projects_machinery(html_dir):
    """The built pages too: their headings, the line under them and the links at their foot."""
    problems = {name: found for name, soup in note_pages(html_dir).items()
                if (found := machinery(soup.select_one("article").get_text(" ")))}
    assert not problems, f"machinery on reading-note pages: {problems}"


@pytest.mark.slow
def test_a_note_opens_with_one_line_that_points_to_the_index(html_dir):
    """The index's introduction, on every note, filled a phone's first screen: a note has one
    line, which links to the index, where the introduction stays."""
    problems = []
    for name, soup in note_pages(html_dir).items():
        intro = soup.select("article .reading-note-about")
        text = " ".join(p.get_text(" ", strip=True) for p in intro)
        if name.endswith("/index.html"):
            if readings.ABOUT not in text:
                problems.append(f"{name}: the introduction is missing")
        elif (len(intro) != 1 or len(text.split()) > 25 or readings.ABOUT[:40] in text
              or [a["href"] for a in intro[0].find_all("a")] != ["index.html"]):
            problems.append(f"{name}: {text!r}")
    assert not problems, "\n".join(problems)


def sequence(html_dir: Path, name: str) -> tuple[str | None, str | None]:
    """A page's previous and next links at its foot, as addresses from the site's root."""
    soup = BeautifulSoup((html_dir / name).read_text("utf-8"), "html.parser")
    area = soup.select_one(".prev-next-area")

    def target(kind: str) -> str | None:
        link = area.select_one(f"a.{kind}") if area else None
        return ((html_dir / name).parent / link["href"]).resolve().relative_to(
            html_dir.resolve()).as_posix() if link else None
    return target("left-prev"), target("right-next")


@pytest.mark.slow
def test_the_index_comes_between_the_bibliography_and_the_changelog(html_dir):
    index = f"{readings.INDEX}.html"
    assert sequence(html_dir, "bibliography.html")[1] == index
    assert sequence(html_dir, index) == ("bibliography.html", "changelog.html")
    assert sequence(html_dir, "changelog.html")[0] == index
    assert sequence(html_dir, f"{readings.PAGES}/ibm2020letter.html") == (None, None)


def letter_problems(markup: str) -> list[str]:
    """The bibliography's letters against its entries: each letter a link to the first entry
    filed under it, every entry's letter offered, in the entries' order."""
    soup = BeautifulSoup(markup, "html.parser")
    bar = soup.find("p", class_="bibliography-letters")
    if bar is None:
        return ["no letters above the entries"]
    labels = [entry.find("span", class_="label").get_text().strip("[]")
              for entry in soup.find_all("div", class_="citation")]
    filed = [readings.entry_letter(label) for label in labels]
    firsts = list(dict.fromkeys(filed))
    links = bar.find_all("a")
    problems = [] if [a.get_text() for a in links] == firsts else [
        f"letters {[a.get_text() for a in links]}, entries' letters {firsts}"]
    for link in links:
        target = soup.find(id=link["href"].removeprefix("#"))
        entry = target.find_parent("div", class_="citation") if target else None
        if entry is None:
            problems.append(f"{link.get_text()}: {link['href']} is no entry")
        elif (label := entry.find("span", class_="label").get_text().strip("[]")) != \
                labels[filed.index(link.get_text())]:
            problems.append(f"{link.get_text()}: goes to {label}, not the letter's first entry")
    return problems


def test_letter_check_flags_what_it_should():
    entries = ''.join(f'<div class="citation"><span id="e{n}"></span><span class="label">'
                      f'[{label}]</span></div>'
                      for n, label in enumerate(["116th Congress", "Amazon", "ACLU", "The Verge"]))
    good = ('<p class="bibliography-letters"><a href="#e0">0–9</a><a href="#e1">A</a>'
            '<a href="#e3">V</a></p>' + entries)
    assert letter_problems(good) == []
    assert letter_problems(entries) == ["no letters above the entries"]
    assert letter_problems(good.replace("#e1", "#e2")) == [
        "A: goes to ACLU, not the letter's first entry"]


@pytest.mark.slow
def test_the_bibliography_opens_with_links_to_its_letters(html_dir):
    """121 entries were 30,000 px of scrolling on a phone with nothing to jump by."""
    assert letter_problems((html_dir / "bibliography.html").read_text(encoding="utf-8")) == []
