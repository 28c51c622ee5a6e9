"""The reading notes on the HTML site: a Sphinx extension (listed in _config.yml).

The book rests its claims about primary documents on reading notes kept in
``research/readings/<source_key>.md``: which stored copies of a document were read, which parts
they covered and every relevant passage, verbatim. The HTML edition publishes each note as a
page of its own, ``readings/<source_key>.html``, with an index, ``readings/index.html``, that
lists them by their bibliography label; each bibliography entry with a note ends with a link to
it ("Reading note"). The pages are written by the HTML builder only, outside the table of
contents: the PDF and the sidebar do not list them, and they load nothing the other pages do
not. On a phone a note's table of copies reads as cards (:func:`screen.cards`).
"""

import html
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString
from docutils import nodes
from markdown_it import MarkdownIt

from bibstyle import ADDRESS, filing_name
from screen import cards

NOTES = Path("research") / "readings"  # in the book's source folder
PAGES = "readings"  # the notes' folder in the built site
INDEX = f"{PAGES}/index"
INDEX_TITLE = "Reading notes"
NOTE_TITLE = "Reading note: {}"
LINK_TEXT = "Reading note"
# The intro of every note's page and of the index, in a reader's words.
ABOUT = ("The project kept a note for each primary document the book characterises: the "
         "stored copies of it that were read, which parts of the document they covered and "
         "which were not seen, and every passage relevant to the book's questions, word for "
         "word. They are working notes, published as written (some in the first person), with "
         "dates in year-month-day form and each source named by its short key. A claim that a "
         "document does not say something holds only for the parts read.")
UNCITED = "read, not cited"
MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
SKIPPED_TAGS = {"a", "code", "pre"}  # text in which an address is not made a link


def note_files(srcdir: Path) -> list[Path]:
    """Every reading note, by file name (its source key)."""
    return sorted((srcdir / NOTES).glob("*.md"))


def _link_addresses(soup: BeautifulSoup) -> None:
    """Every web address in the text made a link to itself (not in code or a link already)."""
    for text in list(soup.find_all(string=ADDRESS)):
        if not isinstance(text, NavigableString) or any(
                parent.name in SKIPPED_TAGS for parent in text.parents):
            continue
        parts, end = [], 0
        for found in ADDRESS.finditer(text):
            parts.append(NavigableString(text[end:found.start()]))
            link = soup.new_tag("a", href=found.group())
            link["class"] = "reference external"
            link.string = found.group()
            parts.append(link)
            end = found.end()
        parts.append(NavigableString(text[end:]))
        text.replace_with(*parts)


def _book_tables(soup: BeautifulSoup) -> None:
    """Each table in the classes of the book's tables, in the theme's box, read as cards on a
    phone: a note's table of copies has long addresses in narrow columns."""
    for table in soup.find_all("table"):
        table["class"] = ["table", "book-table", "reading-note-table"]
        box = soup.new_tag("div", attrs={"class": "pst-scrollable-table-container"})
        marked = BeautifulSoup(cards(str(table), always=True), "html.parser").table
        table.replace_with(box)
        box.append(marked)


def render_note(markdown: str) -> tuple[str, str]:
    """A note's title (its first heading) and its body as HTML, the title left out."""
    soup = BeautifulSoup(MARKDOWN.render(markdown), "html.parser")
    heading = soup.find("h1")
    title = " ".join(heading.get_text().split()) if heading else ""
    if heading:
        heading.decompose()
    _link_addresses(soup)
    _book_tables(soup)
    return title, str(soup).strip()


def _labels(env) -> dict[str, tuple[str, str]]:
    """Each cited source's key: (its bibliography label, its entry's id on the bibliography's
    page)."""
    domain = env.get_domain("cite")
    return {citation.key: (citation.formatted_entry.label, citation.citation_id)
            for citation in domain.citations}


def _bibliography_docs(env) -> set[str]:
    return {key.docname for key in env.get_domain("cite").bibliographies}


def _page(title: str, body: str) -> dict:
    return {"title": html.escape(title), "body": body, "display_toc": False}


def _intro(*sentences: str) -> str:
    return f'<p class="reading-note-about">{" ".join(sentences)}</p>'


def collect_pages(app):
    """Sphinx's html-collect-pages: a page for each note, then their index."""
    if app.builder.format != "html":
        return
    labels = _labels(app.env)
    bibliography = sorted(_bibliography_docs(app.env))
    listed = []
    for path in note_files(Path(app.srcdir)):
        key = path.stem
        pagename = f"{PAGES}/{key}"
        title, body = render_note(path.read_text(encoding="utf-8"))
        index_href = app.builder.get_relative_uri(pagename, INDEX)
        cited = ""
        if key in labels and bibliography:
            label, citation_id = labels[key]
            entry_href = app.builder.get_relative_uri(pagename, bibliography[0])
            cited = (f'Its entry in the bibliography: <a href="{html.escape(entry_href)}#'
                     f'{html.escape(citation_id)}">[{html.escape(label)}]</a>.')
        heading = NOTE_TITLE.format(title)
        intro = _intro(html.escape(ABOUT), cited,
                       f'<a href="{html.escape(index_href)}">All the reading notes</a>.')
        page = f"<h1>{html.escape(heading)}</h1>\n{intro}\n{body}"
        listed.append((labels.get(key, (None,))[0], title, key))
        yield pagename, _page(heading, page), "page.html"
    yield INDEX, _page(INDEX_TITLE, index_page(listed)), "page.html"


def index_page(notes: list[tuple[str | None, str, str]]) -> str:
    """The index: every note, by its source's bibliography label (the uncited last), with the
    document's title."""
    items = []
    for label, title, key in sorted(notes, key=lambda n: (n[0] is None, filing_name(n[0] or ""),
                                                            n[1])):
        cited = f"[{html.escape(label)}] " if label else ""
        uncited = "" if label else f" ({UNCITED})"
        items.append(f'<li>{cited}<a href="{html.escape(key)}.html">{html.escape(title)}</a>'
                     f"{uncited}</li>")
    return (f"<h1>{INDEX_TITLE}</h1>\n"
            + _intro(html.escape(ABOUT), "Each bibliography entry of a document with a note "
                     "links to it.")
            + '\n<ul class="reading-notes">\n' + "\n".join(items) + "\n</ul>")


def link_entries(app, doctree, docname) -> None:
    """Sphinx's doctree-resolved: in the HTML, each bibliography entry whose source has a note
    ends with a link to it."""
    if app.builder.format != "html" or docname not in _bibliography_docs(app.env):
        return
    keys = {citation.citation_id: citation.key
            for citation in app.env.get_domain("cite").citations}
    notes = {path.stem for path in note_files(Path(app.srcdir))}
    for citation in doctree.findall(nodes.citation):
        key = keys.get(citation["ids"][0] if citation["ids"] else None)
        paragraph = next(iter(citation.findall(nodes.paragraph)), None)
        if key in notes and paragraph is not None:
            href = app.builder.get_relative_uri(docname, f"{PAGES}/{key}")
            paragraph += [nodes.Text(" "),
                          nodes.reference("", LINK_TEXT, refuri=href, internal=True,
                                          classes=["reading-note-link"]),
                          nodes.Text(".")]


def _outdated(app, env, added, changed, removed) -> list[str]:
    """The bibliography's page is written again when notes are added or removed (its links)."""
    names = [path.name for path in note_files(Path(app.srcdir))]
    if getattr(env, "frbook_reading_notes", None) == names:
        return []
    env.frbook_reading_notes = names
    return sorted(_bibliography_docs(env))


def setup(app):
    app.connect("html-collect-pages", collect_pages)
    app.connect("doctree-resolved", link_entries)
    app.connect("env-get-outdated", _outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
