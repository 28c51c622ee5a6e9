"""What the HTML pages show differently from the PDF: a Sphinx extension (listed in _config.yml).

- A wide table (frbook.tables.show) reads as a stack of cards on a phone: every row a card
  headed by its first cell, each other cell on a line of its own under its column's header.
  The build marks such tables (``book-table cards``) and gives each body cell its header as
  ``data-label``, which _static/book.css shows as the cell's label at phone widths; the table
  keeps its rows, cells and headers for screen readers (explicit ARIA roles, since a table
  laid out as blocks may lose them), and at 1280 px it is the same table. One whose cells are
  all short (``compact``: dates, names) stays a grid on a phone where it fits (book.js).
- The sidebar lists the overview (the book's root page, whose heading is the book's title) as
  the first entry of the first part, under the name the PDF gives it, besides the book's title
  at the top of the sidebar, which links to it too (:func:`edit_sidebar` lets other extensions
  add entries: _ext/readings.py lists the reading notes).
- The page's download menu says what each entry gives, in a reader's words: the theme's
  ".ipynb" and ".pdf" (which prints the page) become "Notebook (.ipynb)" and "Print this page",
  each with a line that explains it as its tooltip. A page written in Markdown offers no source
  (the theme's ".md"): its MyST source is markup, not the text a reader wants.
- A BibTeX key (the citation page's, "facial2026three_conclusions_questions_discussion") may
  break after an underscore, so that an entry wraps on a phone instead of scrolling sideways; a
  copy is the key as it is.
- A page loads an extension's script or stylesheet only when it has what that works on (the
  copy button's for code blocks, myst-nb's for notebook cells): the search page, which loads
  the whole search index, stays within the page budget with the reading notes in it.
- A search lists every page once: the glossary's terms are not also entered in the search
  index as index entries, which listed the glossary a second time, at the term.
- The book's address without a page (its ``index.html``) sends the reader to the overview as a
  page of its own, with the book's title and icon (the stock redirect is a bare ``meta`` tag,
  whose browser tab then asks for ``/favicon.ico``, which the book does not have), and a link
  for a browser that does not follow it. The icon is inline, so that no request for it is cut
  off by the redirect.
- The HTML keeps no image that no page shows (a chart an earlier build drew and this one
  replaced).
"""

import base64
import html
import re
from pathlib import Path

from bs4 import BeautifulSoup
from docutils import nodes
from sphinx import addnodes

from printed import OVERVIEW_TITLE

CARDS_CLASS = "cards"
# A table becomes cards on a phone when it has this many columns, unless its cells after the
# first are all short (a grid of "Stated" and "Not found" reads best as a grid).
CARD_MIN_COLUMNS = 4
SHORT_CELL_CHARS = 12
# A table of cards none of whose cells is longer than this (dates, names, a word or two) reads
# as a compact grid on a phone instead wherever it fits the screen, as measured there (book.js).
COMPACT_CLASS = "compact"
COMPACT_CELL_CHARS = 60
BOOK_TABLE = re.compile(r'<table\b[^>]*\bclass="[^"]*\bbook-table\b[^"]*"[^>]*>.*?</table>', re.S)
SIDEBAR_LIST = re.compile(r'<ul class="[^"]*\bbd-sidenav\b[^"]*">')
ROLES = {"table": "table", "thead": "rowgroup", "tbody": "rowgroup", "tr": "row",
         "th": "columnheader", "td": "cell"}


def _text(cell) -> str:
    return " ".join(cell.get_text().split())


def cards(table_html: str, always: bool = False) -> str:
    """A book table's HTML, marked to read as cards on a phone when it is wide enough to need
    it (CARD_MIN_COLUMNS, SHORT_CELL_CHARS) or ``always``; other tables as they are."""
    table = BeautifulSoup(table_html, "html.parser").table
    headers = [_text(th) for th in table.select("thead th")]
    rows = [row.find_all("td") for row in table.select("tbody tr")]
    longest = max((len(_text(cell)) for row in rows for cell in row[1:]), default=0)
    if not always and (len(headers) < CARD_MIN_COLUMNS or longest <= SHORT_CELL_CHARS):
        return table_html
    compact = max((len(_text(cell)) for row in rows for cell in row), default=0) \
        <= COMPACT_CELL_CHARS
    table["class"] = [*table.get("class", []), CARDS_CLASS, *[COMPACT_CLASS] * compact]
    for element in [table, *table.find_all(list(ROLES))]:
        element["role"] = ROLES[element.name]
    for row in rows:
        for header, cell in zip(headers, row, strict=True):
            cell["data-label"] = header
    return str(table)


def with_cards(body: str) -> str:
    """A page's body with each of its wide book tables marked to read as cards on a phone."""
    return BOOK_TABLE.sub(lambda found: cards(found.group(0)), body)


# The download menu's entries (sphinx-book-theme's header buttons, by label): (text, tooltip),
# the source's by its suffix; a source of another kind is not offered.
SOURCE_BUTTON = "download-source-button"
SOURCE_DOWNLOADS = {
    ".ipynb": ("Notebook (.ipynb)", "Download this chapter as a Jupyter notebook (without its "
               "outputs) to rerun it"),
}
# The entry prints the page (the book's own PDF, when built, is linked from every footer): its
# label does not name a PDF, which the page may not offer.
PRINT_DOWNLOAD = ("Print this page",
                  "Print this page, or save it as a PDF with your browser\u2019s print dialog")


def explain_downloads(buttons: list[dict], suffix: str | None) -> None:
    """The theme's download menu among ``buttons`` with its entries in a reader's words, the
    page's source only when SOURCE_DOWNLOADS names its kind (``suffix``)."""
    for group in buttons:
        if group.get("label") != "download-buttons":
            continue
        group["buttons"] = [button for button in group["buttons"]
                            if button.get("label") != SOURCE_BUTTON or suffix in SOURCE_DOWNLOADS]
        for button in group["buttons"]:
            words = {SOURCE_BUTTON: SOURCE_DOWNLOADS.get(suffix),
                     "download-pdf-button": PRINT_DOWNLOAD}.get(button.get("label"))
            if words:
                button["text"], button["tooltip"] = words


# A BibTeX entry's code block, and its key as Pygments marks it up (a name label).
BIBTEX_BLOCK = re.compile(r'<div class="[^"]*\bhighlight-bibtex\b.*?</pre>', re.S)
BIBTEX_KEY = re.compile(r'(<span class="nl">)([^<]*)(</span>)')


def breakable_keys(body: str) -> str:
    """``body`` with a line break allowed after each underscore of its BibTeX keys."""
    def in_block(block):
        return BIBTEX_KEY.sub(
            lambda key: key[1] + key[2].replace("_", "_<wbr>") + key[3], block.group())
    return BIBTEX_BLOCK.sub(in_block, body)


def sidebar_entry(title: str, href: str, current: bool) -> str:
    """An entry of the sidebar's navigation, as the theme writes one (marked when its page, or
    one of its pages, is open)."""
    state = " current active" if current else ""
    return (f'<li class="toctree-l1{state}"><a class="{"current " if current else ""}reference '
            f'internal" href="{html.escape(href)}">{html.escape(title)}</a></li>')


def overview_entry(sidebar: str, href: str, current: bool) -> str:
    """The sidebar's navigation with the overview as the first entry of its first part."""
    entry = sidebar_entry(OVERVIEW_TITLE, href, current)
    return SIDEBAR_LIST.sub(lambda found: found.group(0) + "\n" + entry, sidebar, count=1)


def entry_after(sidebar: str, title: str, entry: str) -> str:
    """The sidebar's navigation with ``entry`` after the entry that reads ``title``."""
    after = re.compile(rf'<li class="toctree-l1[^"]*"><a [^>]*>{re.escape(html.escape(title))}'
                       r"</a></li>")
    return after.sub(lambda found: found.group(0) + "\n" + entry, sidebar, count=1)


# Extensions' assets a page loads only when it has what they work on (a file name's start, and
# what the page's body then holds): the copy button's script for code blocks, myst-nb's
# stylesheet for notebook cells and glued values. The search page, which loads the whole search
# index, and the pages of prose are lighter without them.
PAGE_ASSETS = {"copybutton": ("<pre",), "clipboard.min": ("<pre",),
               "mystnb.": ('class="cell', "pasted-")}


def used_assets(assets: list, body: str) -> list:
    """``assets`` (a page's script or stylesheet files) less those the page has no use for."""
    def used(asset) -> bool:
        name = str(getattr(asset, "filename", asset)).rsplit("/", 1)[-1]
        return all(any(mark in body for mark in marks)
                   for start, marks in PAGE_ASSETS.items() if name.startswith(start))
    return [asset for asset in assets if used(asset)]


def _html_page_context(app, pagename, templatename, context, doctree) -> None:
    if doctree is not None and "body" in context:
        context["body"] = breakable_keys(with_cards(context["body"]))
    for assets in ("script_files", "css_files"):
        if assets in context:
            context[assets] = used_assets(context[assets], context.get("body", ""))
    explain_downloads(context.get("header_buttons", []), context.get("page_source_suffix"))
    root = app.config.root_doc
    current = pagename == root
    href = "#" if current else context["pathto"](root)
    edit_sidebar(context, lambda sidebar: overview_entry(sidebar, href, current))


def edit_sidebar(context: dict, edit) -> None:
    """The page's sidebar navigation, as the theme's templates ask for it, passed through
    ``edit`` (its HTML in, its HTML out); after the theme's html-page-context handlers."""
    toctree_html = context.get("generate_toctree_html")
    if toctree_html is None:
        return

    def edited(kind, *args, **kwargs):
        generated = toctree_html(kind, *args, **kwargs)
        # The theme's HTML, as a string or as a parsed tree.
        return edit(str(generated)) if kind == "sidebar" else generated

    context["generate_toctree_html"] = edited


def _leave_glossary_terms_out_of_search(app, doctree, docname) -> None:
    """The glossary's terms come with index entries, which the search lists as results of their
    own; the glossary's text already matches, so they go (the HTML draws nothing for them)."""
    if app.builder.format != "html":
        return
    for index in list(doctree.findall(addnodes.index)):
        if isinstance(index.parent, nodes.term):
            index.parent.remove(index)


REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={target}">
<title>{title}</title>
<link rel="icon" href="{icon}">
</head>
<body><p><a href="{target}">{title}</a></p></body>
</html>
"""


def _write_root_redirect(app, exception) -> None:
    """The book's index.html, when its root page is another (written before
    sphinx-external-toc's build-finished handler, which then leaves it be)."""
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    # The icon inline: a file would be asked for, and the request cut off by the redirect.
    svg = (Path(app.outdir) / "_static" / Path(app.config.html_favicon).name).read_bytes()
    icon = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    page = REDIRECT_PAGE.format(target=html.escape(app.builder.get_target_uri(app.config.root_doc)),
                                title=html.escape(app.config.html_title), icon=icon)
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")


def unused_images(outdir: Path) -> list[Path]:
    """Files in the HTML's _images that no page names: charts an earlier incremental build
    drew and this one replaced (Sphinx leaves them), which would only add to the download."""
    pages = "\n".join(page.read_text(encoding="utf-8") for page in outdir.rglob("*.html"))
    return sorted(image for image in (outdir / "_images").glob("*")
                  if image.is_file() and image.name not in pages)


def _remove_unused_images(app, exception) -> None:
    if exception is None and app.builder.name == "html":
        for image in unused_images(Path(app.outdir)):
            image.unlink()


def setup(app):
    app.connect("build-finished", _write_root_redirect, priority=400)
    app.connect("build-finished", _remove_unused_images)
    # After the theme's handlers, which put generate_toctree_html in the context.
    app.connect("html-page-context", _html_page_context, priority=600)
    app.connect("doctree-resolved", _leave_glossary_terms_out_of_search)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
