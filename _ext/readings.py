"""The reading notes on the HTML site: a Sphinx extension (listed in _config.yml).

The book rests its claims about primary documents on reading notes kept in
``research/readings/<source_key>.md``: which stored copies of a document were read, which parts
they covered and every relevant passage, verbatim. The HTML edition publishes each note as a
page of its own, ``readings/<source_key>.html``, with an index, ``readings/index.html``, that
lists them by their bibliography label; each bibliography entry with a note ends with a link to
it ("Reading note"), and each note's page ends with links back to that entry and to the index.
The pages are written by the HTML builder only, outside the table of contents (the PDF does not
have them, and they load nothing the other pages do not); the sidebar lists the index under
the bibliography, marked while a note is open, and the search finds words in the notes. On a
phone a note's table of copies reads as cards (:func:`screen.cards`), headed by the table's
column names as a reader writes labels ("What it covered"). A note's page is headed by its
source's bibliography label ("Reading note: Krishna, 2020"), the document's title under it, then
one line that sends a reader to the index for how to read a note (the index's introduction,
repeated on every note, filled a phone's first screen); its title in the browser and the search
is its heading, so that a note has one name. In the previous/next links at the foot of pages,
the index comes between the bibliography and the page after it; the notes have none.

A chapter links to the index with ``{doc}`reading notes <../readings/index>```: the HTML gets a
link, the PDF, which has no notes, the words alone (:func:`link_to_index`).
"""

import html
import os
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString
from docutils import nodes
from docutils.utils import new_document
from markdown_it import MarkdownIt
from sphinx.util.osutil import relative_uri

from bibstyle import ADDRESS, cited_labels, filing_name, typographic
from screen import cards, edit_sidebar, entry_after, sidebar_entry

NOTES = Path("research") / "readings"  # in the book's source folder
PAGES = "readings"  # the notes' folder in the built site
INDEX = f"{PAGES}/index"
INDEX_TITLE = "Reading notes"
NOTE_TITLE = "Reading note: {}"
LINK_TEXT = "Reading note"
# The intro of the index, in a reader's words; a note's page has one line, linking to it.
ABOUT = typographic(
    "The project kept a note for each primary document the book characterises and for a few "
    "reports the book leans on. Each note gives the stored copies of the document that were "
    "read, which parts of it they covered and which were not seen, and every passage relevant "
    "to the book's questions, word for word. They are working notes, published as written "
    "(some in the first person), with dates in year-month-day form; a source they mention is "
    "named as the book cites it and linked to its note or its bibliography entry. A claim "
    "that a document does not say something holds only for the parts read. Each note says "
    "what each copy was used for; a reworded copy, a machine translation or a link post is a "
    "weak witness. OCR is text read by a machine from a scanned page; a standfirst is the "
    "summary under a headline.")
NOTE_ABOUT = "A working note on what was read of this document; {} says how to read it."
ABOUT_LINK = "the index of reading notes"
# The links at the foot of a note's page.
BACK_TO_ENTRY = "Back to its entry in the bibliography"
LETTER_ANCHOR = "entries-from-"  # the bibliography's first entry under a letter
ALL_NOTES = "All reading notes"
UNCITED = "read, not cited"
MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
SKIPPED_TAGS = {"a", "code", "pre"}  # text in which an address is not made a link


def note_files(srcdir: Path) -> list[Path]:
    """Every reading note, by file name (its source key)."""
    return sorted((srcdir / NOTES).glob("*.md"))


def _link_matches(soup: BeautifulSoup, pattern: re.Pattern, link_for) -> None:
    """Every match of `pattern` in the text (not in code or a link already) replaced by the link
    that ``link_for(match)`` gives as (its address, its words, its classes)."""
    for text in list(soup.find_all(string=pattern)):
        if not isinstance(text, NavigableString) or any(
                parent.name in SKIPPED_TAGS for parent in text.parents):
            continue
        parts, end = [], 0
        for found in pattern.finditer(text):
            href, words, classes = link_for(found)
            parts.append(NavigableString(text[end:found.start()]))
            link = soup.new_tag("a", href=href)
            if classes:
                link["class"] = classes
            link.string = words
            parts.append(link)
            end = found.end()
        parts.append(NavigableString(text[end:]))
        text.replace_with(*parts)


def _link_addresses(soup: BeautifulSoup) -> None:
    """Every web address in the text made a link to itself."""
    _link_matches(soup, ADDRESS,
                  lambda found: (found.group(), found.group(), "reference external"))


def _capitalised(cell) -> None:
    """A table cell's first letter a capital, where its text starts with a lower-case word
    ("stored copy": a label in a reader's words, "Stored copy"); a link or code as it is."""
    first = next((text for text in cell.find_all(string=True) if text.strip()), None)
    if first is None or any(parent.name in SKIPPED_TAGS for parent in first.parents):
        return
    stripped = first.lstrip()
    if stripped[:1].islower():
        first.replace_with(first[:len(first) - len(stripped)] + stripped[0].upper()
                           + stripped[1:])


def _book_tables(soup: BeautifulSoup) -> None:
    """Each table in the classes of the book's tables, in the theme's box, read as cards on a
    phone: a note's table of copies has long addresses in narrow columns. Its column names and
    the names of its rows (the first column, each card's heading) start with a capital."""
    for table in soup.find_all("table"):
        table["class"] = ["table", "book-table", "reading-note-table"]
        for cell in [*table.select("thead th"), *table.select("tbody tr > :first-child")]:
            _capitalised(cell)
        box = soup.new_tag("div", attrs={"class": "pst-scrollable-table-container"})
        marked = BeautifulSoup(cards(str(table), always=True), "html.parser").table
        table.replace_with(box)
        box.append(marked)


def _cite_keys(soup: BeautifulSoup, cited: dict[str, tuple[str, str]]) -> None:
    """Every source key the notes write ("see bird2022responsible") replaced by a link named as
    the book cites the source: ``cited`` maps a key to (its label, the link's address)."""
    if not cited:
        return
    keys = re.compile(r"\b(" + "|".join(map(re.escape, sorted(cited, key=len, reverse=True)))
                      + r")\b")
    _link_matches(soup, keys, lambda found: (cited[found.group()][1],
                                            cited[found.group()][0], None))


def render_note(markdown: str, cited: dict[str, tuple[str, str]] | None = None
                ) -> tuple[str, str]:
    """A note's title (its first heading, apostrophes typographic) and its body as HTML, the
    title left out; the sources named by key in ``cited`` (key: label, address) as links."""
    soup = BeautifulSoup(MARKDOWN.render(markdown), "html.parser")
    heading = soup.find("h1")
    title = typographic(" ".join(heading.get_text().split())) if heading else ""
    if heading:
        heading.decompose()
    _link_addresses(soup)
    _cite_keys(soup, cited or {})
    _book_tables(soup)
    return title, str(soup).strip()


def _bibliography_docs(env) -> set[str]:
    return {key.docname for key in env.get_domain("cite").bibliographies}


def _page(title: str, body: str) -> dict:
    """A page's context: its title also as the theme's ``pagetitle``, which heads the printed
    page (left empty, it wrote an empty main heading into every note)."""
    return {"title": html.escape(title), "pagetitle": html.escape(title), "body": body,
            "display_toc": False}


def _intro(*sentences: str) -> str:
    return f'<p class="reading-note-about">{" ".join(sentences)}</p>'


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def note_heading(title: str) -> str:
    return NOTE_TITLE.format(title)


def page_heading(key: str, title: str, labels: dict, bibliography) -> str:
    """A note's heading, also its title in the browser and the search: its source's label as
    the book cites it (``labels``: key to label and entry id); uncited, or with no bibliography,
    the document's ``title``."""
    return note_heading(labels[key][0] if key in labels and bibliography else title)


def collect_pages(app):
    """Sphinx's html-collect-pages: a page for each note, then their index."""
    if app.builder.format != "html":
        return
    labels = cited_labels(app.env)
    bibliography = sorted(_bibliography_docs(app.env))
    listed = []
    noted = {path.stem for path in note_files(Path(app.srcdir))}
    for path in note_files(Path(app.srcdir)):
        key = path.stem
        pagename = f"{PAGES}/{key}"
        entries = (f"{app.builder.get_relative_uri(pagename, bibliography[0])}#"
                   if bibliography else None)
        cited = {other: (label, f"{other}.html" if other in noted and other != key
                          else f"{entries}{entry_id}")
                 for other, (label, entry_id) in labels.items()
                 if (other in noted and other != key) or entries}
        title, body = render_note(path.read_text(encoding="utf-8"), cited)
        index_href = app.builder.get_relative_uri(pagename, INDEX)
        foot = [_link(index_href, ALL_NOTES)]
        # Headed by the source's label as the book cites it, the document's title under it (a
        # title of 190 characters took ten lines of a phone as the heading); uncited, by its title.
        heading, subtitle = page_heading(key, title, labels, bibliography), ""
        if key in labels and bibliography:
            citation_id = labels[key][1]
            entry_href = f"{app.builder.get_relative_uri(pagename, bibliography[0])}#{citation_id}"
            foot.insert(0, _link(entry_href, BACK_TO_ENTRY))
            subtitle = f'<p class="reading-note-title">{html.escape(title)}</p>\n'
        intro = _intro(NOTE_ABOUT.format(_link(index_href, ABOUT_LINK)))
        page = (f"<h1>{html.escape(heading)}</h1>\n{subtitle}{intro}\n"
                f'<div class="reading-note">{body}</div>\n'
                f'<p class="reading-note-foot">{" · ".join(foot)}</p>')
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
                     f"links to it; a note marked “{UNCITED}” is on a document read for context "
                     "while checking the book, which no sentence of the book cites.")
            + '\n<ul class="reading-notes">\n' + "\n".join(items) + "\n</ul>")


def link_entries(app, doctree, docname) -> None:
    """Sphinx's doctree-resolved: in the HTML, each bibliography entry whose source has a note
    ends with a link to it."""
    if app.builder.format != "html" or docname not in _bibliography_docs(app.env):
        return
    keys = {citation_id: key for key, (_, citation_id) in cited_labels(app.env).items()}
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


def entry_letter(label: str) -> str:
    """The letter a bibliography entry is filed under: its label's first, a leading "The"
    ignored as the sort ignores it; "0–9" for a label that starts with a number."""
    first = label.removeprefix("The ")[:1].upper()
    return first if first.isalpha() else "0–9"


def index_letters(app, doctree, docname) -> None:
    """Sphinx's doctree-resolved: in the HTML, the bibliography opens with its entries' first
    letters, each a link to the first entry filed under it (121 entries were 30,000 px of
    scrolling on a phone)."""
    if app.builder.format != "html" or docname not in _bibliography_docs(app.env):
        return
    firsts = {}
    for citation in doctree.findall(nodes.citation):
        label = next(iter(citation.findall(nodes.label)), None)
        letter = entry_letter(label.astext()) if label is not None else None
        if letter and letter not in firsts:  # the anchor in the entry (an entry writes one id)
            anchor = f"{LETTER_ANCHOR}{len(firsts)}"
            citation.insert(0, nodes.inline("", "", ids=[anchor]))
            firsts[letter] = (anchor, citation)
    if not firsts:
        return
    bar = nodes.paragraph(classes=["bibliography-letters"])
    bar += nodes.Text("Entries by first letter: ")
    for number, (letter, (anchor, _)) in enumerate(firsts.items()):
        bar += [nodes.Text(" ")] if number else []
        bar += nodes.reference("", letter, refuri=f"#{anchor}", internal=True)
    first_entry = next(iter(firsts.values()))[1]
    holder = first_entry.parent
    holder.parent.insert(holder.parent.index(holder), bar)


def list_in_sidebar(app, pagename, templatename, context, doctree) -> None:
    """Sphinx's html-page-context: the sidebar lists the index after the bibliography, marked
    as the open page's entry on the index and on every note."""
    bibliography = sorted(_bibliography_docs(app.env))
    if app.builder.format != "html" or not bibliography:
        return
    current = pagename.startswith(f"{PAGES}/")
    href = "#" if pagename == INDEX else app.builder.get_relative_uri(pagename, INDEX)
    entry = sidebar_entry(INDEX_TITLE, href, current)
    after = app.env.titles[bibliography[0]].astext()
    edit_sidebar(context, lambda sidebar: entry_after(sidebar, after, entry))


def _sequence_link(app, pagename: str, docname: str, title: str | None = None) -> dict:
    """A previous/next link as the theme's template reads it: its address and its title (HTML)."""
    title = title or app.env.titles[docname].astext()
    return {"link": app.builder.get_relative_uri(pagename, docname), "title": html.escape(title)}


def place_index_in_sequence(app, pagename, templatename, context, doctree) -> None:
    """Sphinx's html-page-context: the index between the bibliography and the page after it in
    the previous/next links (Sphinx links only the table of contents' pages)."""
    bibliography = sorted(_bibliography_docs(app.env))
    if app.builder.format != "html" or not bibliography:
        return
    after = app.env.collect_relations().get(bibliography[0], (None, None, None))[2]
    if pagename == bibliography[0]:
        context["next"] = _sequence_link(app, pagename, INDEX, INDEX_TITLE)
    elif pagename == after:
        context["prev"] = _sequence_link(app, pagename, INDEX, INDEX_TITLE)
    elif pagename == INDEX:
        context["prev"] = _sequence_link(app, pagename, bibliography[0])
        context["next"] = _sequence_link(app, pagename, after) if after else None


def link_to_index(app, env, node, contnode):
    """Sphinx's missing-reference: a document link to the index (``{doc}`reading notes
    <../readings/index>``` in a chapter), which is no source document, is a link in the HTML
    and the link's words alone elsewhere (the PDF has no notes)."""
    if node.get("reftype") != "doc":
        return None
    target = node["reftarget"]
    target = target[1:] if target.startswith("/") else os.path.join(
        os.path.dirname(node.get("refdoc", "")), target)
    target = os.path.normpath(target).replace(os.sep, "/")
    if target != INDEX:
        return None
    if app.builder.format != "html":
        return contnode
    reference = nodes.reference("", "", internal=True,
                                refuri=relative_uri(app.builder.get_target_uri(node["refdoc"]),
                                                    app.builder.get_target_uri(INDEX)))
    reference += contnode
    return reference


def _search_document(title: str, body: str) -> nodes.document:
    """A page's words as a document for Sphinx's search index: its title, then its text less
    its web addresses (whose pieces no reader searches for, and which would make the index,
    loaded whole by the search page, heavier)."""
    document = new_document("")
    section = nodes.section(ids=[])
    section += nodes.title(text=title)
    text = ADDRESS.sub(" ", BeautifulSoup(body, "html.parser").get_text(" "))
    section += nodes.paragraph(text=text)
    document += section
    return document


def index_for_search(app, exception) -> None:
    """Sphinx's build-finished: the notes and their index go into the search index, which Sphinx
    writes from the source documents alone (it drops any other page), and it is written again."""
    builder = app.builder
    if exception or builder.format != "html" or getattr(builder, "indexer", None) is None:
        return
    labels, bibliography = cited_labels(app.env), _bibliography_docs(app.env)
    notes = []
    for path in note_files(Path(app.srcdir)):
        title, body = render_note(path.read_text(encoding="utf-8"))
        notes.append((f"{PAGES}/{path.stem}", page_heading(path.stem, title, labels, bibliography),
                      body))
    notes.append((INDEX, INDEX_TITLE, ABOUT))
    for pagename, title, body in notes:
        builder.indexer.feed(pagename, f"{pagename}.html", title, _search_document(title, body))
    index_file = Path(builder.outdir) / builder.searchindex_filename
    written = index_file.with_name(index_file.name + ".tmp")
    with open(written, "w", encoding="utf-8") as stream:
        builder.indexer.dump(stream, builder.indexer_format)
    written.replace(index_file)


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
    app.connect("doctree-resolved", index_letters)
    app.connect("env-get-outdated", _outdated)
    # After _ext/screen.py's, which lists the overview.
    app.connect("html-page-context", list_in_sidebar, priority=700)
    app.connect("html-page-context", place_index_in_sequence)
    app.connect("missing-reference", link_to_index)
    app.connect("build-finished", index_for_search)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
