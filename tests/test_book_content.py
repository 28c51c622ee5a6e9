"""What a reader sees in the built pages: no unresolved roles, glued values rendered as values,
and every chart a numbered figure with a caption (its alt text: tests/test_browser.py)."""

import base64
import csv
import html
import io
import re
from pathlib import Path

import pytest

from buildconfig import BOOK_CONFIG
from frbook.datafile import FORMULA_PREFIXES
from htmlcheck import text_outside_code, visible
from quotations import quoted_passages, repeated_quotations

pytestmark = pytest.mark.slow  # the built book

# Text that only appears when a reference, citation, glue or role failed to resolve.
UNRESOLVED = ["??", "{cite", "{glue", "{numref", "{ref}", "{download"]
FIGURE = re.compile(r"<figure\b.*?</figure>", re.S)
MAIN = re.compile(r'<main\b.*?</main>', re.S)
PASTED_TEXT = re.compile(r'<span class="(?:output text_plain|pasted-text)">(.*?)</span>', re.S)


def main_content(path: Path) -> str:
    found = MAIN.search(path.read_text(encoding="utf-8"))
    return found.group(0) if found else ""


@pytest.fixture(scope="session")
def chapter_pages(html_dir: Path, toc_pages) -> dict[str, str]:
    return {page: main_content(html_dir / page) for page in toc_pages}


def test_no_unresolved_references_citations_or_glue(chapter_pages):
    problems = [f"{page}: {token!r}" for page, markup in chapter_pages.items()
                for token in UNRESOLVED if token in visible(markup)]
    assert not problems, "\n".join(problems)


# Words that mark unfinished text: a to-do, filler, or a name in capitals joined by
# underscores standing where text should be ("PRINTED_EDITION_2_0_3" reached a changelog).
PLACEHOLDER = re.compile(r"\b(?:TODO|FIXME|TBD|XXX|[Ll]orem ipsum|[A-Z][A-Z0-9]*_[A-Z0-9_]*)\b")


def placeholders(markup: str) -> list[str]:
    """Placeholder words in a page's text outside its code."""
    return PLACEHOLDER.findall(text_outside_code(markup))


def test_placeholder_check_flags_what_it_should():
    assert placeholders("<p>The printed edition. PRINTED_EDITION_2_0_3</p>") == [
        "PRINTED_EDITION_2_0_3"]
    assert placeholders("<p>TODO: lorem ipsum</p>") == ["TODO", "lorem ipsum"]
    assert placeholders("<p>Set <code>SOURCE_DATE_EPOCH</code> in AI and ACLU text.</p>") == []


def test_no_page_carries_a_placeholder(html_dir: Path):
    pages = [page for page in html_dir.rglob("*.html") if "_static" not in page.parts]
    problems = [f"{page.relative_to(html_dir)}: {found}" for page in pages
                for found in placeholders(main_content(page))]
    assert len(pages) > 40 and not problems, "\n".join(problems)


def test_quotation_check_flags_a_repeat_across_pages_only():
    quote = "<main><p>She said “We will not sell it to police” [Smith, 2020].</p></main>"
    assert repeated_quotations({"a.html": quote, "b.html": "<p>So we will NOT sell it to "
                                "police.</p>", "c.html": "<p>Nothing here.</p>"}) == [
        "“we will not sell it to police” quoted on a.html; also on b.html"]
    assert repeated_quotations({"a.html": quote, "b.html": quote}) == [
        "“we will not sell it to police” quoted on a.html, b.html"]
    # Four words are a phrase, not a quotation; a page may repeat its own quotation.
    assert repeated_quotations({"a.html": "<p>“not sell to police”</p>",
                                "b.html": "<p>“not sell to police”</p>"}) == []
    assert repeated_quotations({"a.html": quote + quote, "b.html": "<p>Elsewhere.</p>"}) == []
    # Code is not prose; a longer passage holding the quotation's words is a repeat too.
    assert repeated_quotations({"a.html": quote, "b.html": "<code>we will not sell it to "
                                "police</code>"}) == []
    assert repeated_quotations({"a.html": quote, "b.html": "<p>“So we will not sell it to "
                                "police.”</p>"})


def test_quotation_parts_are_normalised_and_split_at_gaps():
    # An ellipsis or a bracketed insertion breaks a quotation; each part counts on its own.
    assert quoted_passages("“[W]e won’t  Sell it to you … to the police in the United States,” "
                           'he said, and "one two three four five".') == {
        "won't sell it to you", "to the police in the united states",
        "one two three four five"}


def test_no_quotation_is_repeated_across_chapters(chapter_pages, report_pages):
    """A passage quoted on one page of the report (the overview and the chapters of "The
    report") is not quoted, nor told in the same words, on another: say it once and point."""
    problems = repeated_quotations({page: chapter_pages[page] for page in report_pages})
    assert not problems, "\n".join(problems)


def test_glued_values_render_as_values_not_python_reprs(chapter_pages):
    problems = [f"{page}: {value!r}" for page, markup in chapter_pages.items()
                for value in PASTED_TEXT.findall(markup)
                if re.match(r"""\s*['"]|\s*(np\.|numpy|Timestamp|<)""", html.unescape(value))]
    assert not problems, "glue a Markdown object and use {glue:md}:\n" + "\n".join(problems)


def test_every_chart_is_a_numbered_figure_with_a_caption(chapter_pages):
    problems = []
    for page, markup in chapter_pages.items():
        figures = FIGURE.findall(markup)
        outside = FIGURE.sub("", markup)
        if re.search(r"<img\b", outside):
            problems.append(f"{page}: an image outside a numbered figure")
        for figure in figures:
            caption = re.search(r"<figcaption\b.*?</figcaption>", figure, re.S)
            if not caption or not visible(caption.group(0)).strip():
                problems.append(f"{page}: a figure without a caption")
    assert not problems, "\n".join(problems)


FIGURE_NOTE = re.compile(
    r'<p class="figure-note">(.*?)<a class="figure-data" '
    r'href="data:text/csv;charset=utf-8;base64,([^"]+)" download="([^"]+)"', re.S)


def test_every_figure_is_followed_by_its_source_line_and_data_download(chapter_pages):
    problems, notes_seen = [], 0
    for page, markup in chapter_pages.items():
        pieces = FIGURE.split(markup)
        for figure, after in zip(FIGURE.findall(markup), pieces[1:], strict=True):
            note = FIGURE_NOTE.search(after[:200_000])
            if not note or note.start() > after.find("<figure") > -1:
                problems.append(f"{page}: a figure without a note and CSV link after it")
                continue
            notes_seen += 1
            name = re.search(r'id="([^"]+)"', figure)
            rows = list(csv.reader(io.StringIO(base64.b64decode(note.group(2)).decode())))
            if not visible(note.group(1)).strip().startswith("Source:"):
                problems.append(f"{page}: figure note without a source line")
            if len(rows) < 2 or not all(rows[0]):
                problems.append(f"{page}: the CSV of {note.group(3)} has no header or rows")
            formulas = [cell for row in rows for cell in row if cell.startswith(FORMULA_PREFIXES)]
            if formulas:  # data/README.md: no download holds a cell a spreadsheet would run
                problems.append(f"{page}: {note.group(3)} has formula-like cells: {formulas[:3]}")
            if name and note.group(3) != f"{name.group(1)}.csv":
                problems.append(f"{page}: {note.group(3)} is not named after {name.group(1)}")
    assert notes_seen and not problems, "\n".join(problems)


BIBLIOGRAPHY_LABEL = re.compile(r'<span class="label"><span class="fn-bracket">\[</span>'
                                r'(.*?)<span class="fn-bracket">\]</span>')
# A work a source line cites, as printed (frbook.figures): "Bird, 2022".
SOURCE_LINE_CITATION = re.compile(r"[^;:\[\]]+?, \d{4}[a-z]?(?=[;.\]]|$)")


def test_figure_source_lines_cite_entries_of_the_bibliography(chapter_pages, html_dir):
    """A source line is typed in its notebook ("Bird (2022); Associated Press (2021b, 2021c)")
    and printed as a table cites ("Bird, 2022; Associated Press, 2021b; ..."); each author and
    year in it must be a label of the bibliography, or it points nowhere."""
    labels = {html.unescape(label) for label in BIBLIOGRAPHY_LABEL.findall(
        (html_dir / "bibliography.html").read_text(encoding="utf-8"))}
    assert labels, "no labels found in the bibliography"
    unknown, cited = [], 0
    for page, markup in chapter_pages.items():
        for note in FIGURE_NOTE.finditer(markup):
            line = html.unescape(visible(note.group(1))).removeprefix("Source:").strip()
            for work in SOURCE_LINE_CITATION.findall(line):
                cited += 1
                if work.strip() not in labels:
                    unknown.append(f"{page}: {work.strip()}")
    assert cited and not unknown, f"figure source lines cite no bibliography entry: {unknown}"


def test_every_chapter_page_has_figures_or_tables_and_citations(chapter_pages):
    chapters = {p: m for p, m in chapter_pages.items() if p.startswith("notebooks/")}
    assert chapters
    uncited = [page for page, markup in chapters.items() if 'class="reference internal"' not in
               markup or "bibliography.html#id" not in markup]
    assert not uncited, f"chapters citing nothing: {uncited}"


def test_checker_flags_what_it_should():
    bad = '<main><p>See ?? and {cite:p}`x`</p><figure><img src="a.svg" alt=""></figure></main>'
    assert any(t in visible(bad) for t in UNRESOLVED)
    assert FIGURE.findall(bad) and not re.search(r"<figcaption", FIGURE.findall(bad)[0])


# The machinery's words, which belong in the data chapter and the README, not on the pages a
# reader cites from.
MACHINERY = re.compile(r"CITATION\.cff|datapackage|Frictionless|frbook|kernel|offline assets"
                       r"|\.tar\.gz|\.ipynb")
PLAIN_WORD_PAGES = ["cite.html", "changelog.html"]
PRE = re.compile(r"<pre\b.*?</pre>", re.S)


def plain_words_problems(markup: str) -> list[str]:
    """A page's machinery words, its words in typewriter type (code) outside the BibTeX
    entries, and a mention of a PDF that the page does not link to."""
    prose = PRE.sub(" ", MAIN.search(markup).group(0))
    text = visible(prose)
    problems = [f"names the machinery: {found.group(0)!r}" for found in MACHINERY.finditer(text)]
    problems += [f"typewriter type: {visible(code)!r}"
                 for code in re.findall(r"<code\b.*?</code>", prose, re.S)]
    if "PDF" in text and not re.search(r'href="[^"]*\.pdf"', prose):
        problems.append("mentions a PDF it does not link to")
    return problems


def test_the_citing_page_and_the_changelog_speak_to_readers(html_dir: Path):
    """No file, package or tool names and no typewriter type (the BibTeX entries aside), and a
    PDF named only where the page links to it (a book built without one offers none)."""
    assert plain_words_problems(
        "<main><p>See <code>CITATION.cff</code> and the PDF.</p><pre>@book{k,}</pre></main>") == [
        "names the machinery: 'CITATION.cff'", "typewriter type: 'CITATION.cff'",
        "mentions a PDF it does not link to"]
    problems = [f"{page}: {problem}" for page in PLAIN_WORD_PAGES
                for problem in plain_words_problems((html_dir / page).read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


def test_the_books_address_sends_readers_to_the_overview_with_its_title_and_icon(html_dir: Path):
    """index.html, the page a browser opens at the book's address, is a page of its own: the
    book's title in its tab, the book's icon (without one the tab asks for /favicon.ico, which
    the book does not have), and a link as well as the redirect to the overview."""
    page = (html_dir / "index.html").read_text(encoding="utf-8")
    redirect = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)"\s*/?>', page, re.I)
    assert redirect, f"index.html does not redirect:\n{page}"
    target = html.unescape(redirect.group(1))
    assert target == "notebooks/overview.html" and (html_dir / target).is_file()
    assert f'<a href="{redirect.group(1)}">' in page, f"index.html has no link:\n{page}"
    title = re.search(r"<title>(.*?)</title>", page)
    assert title and html.unescape(title.group(1)) == BOOK_CONFIG["title"], page
    icon = re.search(r'<link rel="icon" href="data:image/svg\+xml;base64,([^"]+)">', page)
    assert icon, f"index.html declares no inline icon (a file's request is cut off):\n{page}"
    assert base64.b64decode(icon.group(1)) == (html_dir / "_static" / "favicon.svg").read_bytes()
