"""How to cite the book, from CITATION.cff alone: the version in every page footer and on the
PDF title page, and the ready-made citations of the "How to cite" page.

The formatters are pure functions of a :class:`Work` (APA 7, MLA 9, Chicago author-date,
BibTeX). The Sphinx extension (``setup``, listed under ``sphinx.config.extensions`` in
``_config.yml``) reads ``CITATION.cff`` and ``data/datapackage.json`` from the book's source
folder once per build and provides:

- ``Version X, released DATE`` with links to the citation page, the changelog and the PDF
  in the footer of every HTML page, and the same version and date on the PDF title page;
- the directive ``{book-citations}`` with argument ``book``, ``dataset`` or ``chapters``: the
  latter cites every chapter of the _toc.yml part named by ``:part:``, else of the first (only
  its first, as an example, with ``:example:``), whose titles are filled in when every page has
  been read; ``:styles:`` names the styles to give (default: all), so that paper can give
  fewer than the page;
- when the book has a public address (:func:`public_address`), every citation carries its URL
  (a chapter's own page, the data chapter for the dataset) and, where the style wants it, the
  reader's access date: the page holds ``[date of access]``, which static/access-date.js
  replaces with the reader's date;
- the directive ``{book-pdf}``: its content becomes a link to the book's PDF in HTML builds
  when the PDF exists (``make pdf`` writes it to ``_build/latex``; the build copies it into
  the HTML output). Without a PDF, and in the PDF itself, it renders nothing;
- ``SOURCE_DATE_EPOCH`` set to the release date, for reproducible builds;
- the changelog's version headings (``## 2.0.3 (23 November 2026)``) anchored as
  ``#version-2-0-3``, where docutils named them after the date or numbered them (``#id1``).
"""

from __future__ import annotations

import calendar
import html
import json
import os
import re
import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import NamedTuple

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from buildconfig import PDF_NAME

CITATION_FILE = "CITATION.cff"
DATAPACKAGE_FILE = "data/datapackage.json"
CITE_PAGE = "cite"
CHANGELOG_PAGE = "changelog"
DATA_PAGE = "notebooks/data"  # the chapter that describes the data package and offers its files
# The book's public address and its source repository: the environment (the deployment sets
# them), else `url` and `repository-code` in CITATION.cff. Unset: no address appears anywhere.
ADDRESS_VARIABLE = "BOOK_URL"
REPOSITORY_VARIABLE = "BOOK_REPOSITORY"
ACCESS_PLACEHOLDER = "[date of access]"  # replaced in the reader's browser by access-date.js

# Sentence case (APA) keeps these capitalised, besides acronyms and the first word of the
# title and of a subtitle. Titles in this book name no other proper nouns.
PROPER_NOUNS = frozenset(calendar.month_name[1:]) | {"Amazon", "Microsoft"}
# Title case (MLA, Chicago) leaves these in lower case unless they start or end the title.
MINOR_WORDS = frozenset(
    "a an the and but or nor for so yet as at by down for from in into like near of off on "
    "onto out over past to up upon via with".split()
)
BIBTEX_SPECIALS = re.compile(r"([&%$#_])")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Work:
    """What every citation of the book or its dataset needs."""

    title: str
    author: str
    version: str
    released: date
    doi: str | None = None
    url: str | None = None
    accessed: str | None = None  # the access date, for styles that give one with the URL

    @property
    def year(self) -> int:
        return self.released.year

    @property
    def locator(self) -> str | None:
        """The DOI as a link, else the URL, else None."""
        return f"https://doi.org/{self.doi}" if self.doi else self.url


class Citation(NamedTuple):
    """A reference in three parts: only ``title`` is set in italics."""

    before: str
    title: str
    after: str

    @property
    def text(self) -> str:
        return self.before + self.title + self.after


def work_from_cff(cff: dict) -> Work:
    """The book as CITATION.cff describes it; its one author must be an entity (a team)."""
    authors = cff["authors"]
    if len(authors) != 1 or "name" not in authors[0]:
        raise ValueError("CITATION.cff: expected one author, an entity with a `name`")
    return Work(
        title=cff["title"],
        author=authors[0]["name"],
        version=str(cff["version"]),
        released=date.fromisoformat(str(cff["date-released"])),
        doi=cff.get("doi"),
        url=cff.get("url"),
    )


def work_from_datapackage(package: dict) -> Work:
    """The dataset as data/datapackage.json describes it (author: its contributor in that role)."""
    authors = [c["title"] for c in package.get("contributors", []) if c.get("role") == "author"]
    if len(authors) != 1:
        raise ValueError("datapackage.json: expected one contributor with role `author`")
    return Work(
        title=package["title"],
        author=authors[0],
        version=str(package["version"]),
        released=date.fromisoformat(package["created"][:10]),
        url=package.get("homepage"),
    )


def long_date(day: date) -> str:
    """22 November 2026."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _words(title: str):
    """Each word of ``title`` and whether it starts the title or a subtitle."""
    starts = True
    for word in title.split(" "):
        yield word, starts
        starts = word.endswith((":", "?", "!", "."))


def sentence_case(title: str) -> str:
    """APA capitalisation: "Three companies, four days: The June 2020 retreat"."""
    out = []
    for word, starts in _words(title):
        core = word.strip(",:;.?!\"'()")
        if starts:
            out.append(word[:1].upper() + word[1:])
        elif core in PROPER_NOUNS or (len(core) > 1 and core.isupper()):
            out.append(word)
        else:
            out.append(word.lower())
    return " ".join(out)


def title_case(title: str) -> str:
    """MLA and Chicago capitalisation: "What the Rest of the Industry Said"."""
    pairs = list(_words(title))
    out = []
    for i, (word, starts) in enumerate(pairs):
        core = word.strip(",:;.?!\"'()").lower()
        last = i == len(pairs) - 1
        if core in MINOR_WORDS and not starts and not last:
            out.append(word.lower())
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def _period(text: str) -> str:
    """``text`` ended by a full stop, unless it already ends with one, ? or !."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _with_locator(text: str, work: Work, separator: str = " ") -> str:
    return f"{text}{separator}{work.locator}" if work.locator else text


def apa(work: Work, *, dataset: bool = False, chapter: str | None = None) -> Citation:
    """APA 7. The team is author and publisher, so the publisher is not repeated."""
    before = f"{work.author}. ({work.year}). "
    if chapter:
        before += f"{_period(sentence_case(chapter))} In "
    label = " [Data set]" if dataset else ""
    return Citation(before, sentence_case(work.title),
                    _with_locator(f" (Version {work.version}){label}.", work))


def _stop(title: str) -> str:
    """The full stop after a title, unless the title ends with its own punctuation."""
    return "" if _period(title) == title else "."


def mla(work: Work, *, dataset: bool = False, chapter: str | None = None) -> Citation:
    """MLA 9. An organisation that is author and publisher is named only as publisher."""
    title = title_case(work.title)
    if chapter:
        before, after = f"“{_period(title_case(chapter))}” ", f", version {work.version}"
    else:
        before, after = "", f"{_stop(title)} Version {work.version}"
    after = _with_locator(f"{after}, {work.author}, {work.year}", work, ", ") + "."
    after += " Dataset." if dataset else ""
    if work.url and work.accessed:
        after += f" Accessed {work.accessed}."
    return Citation(before, title, after)


def chicago(work: Work, *, dataset: bool = False, chapter: str | None = None) -> Citation:
    """Chicago author-date (17th edition)."""
    title = title_case(work.title)
    before = f"{work.author}. {work.year}. "
    if chapter:
        before += f"“{_period(title_case(chapter))}” In "
    after = f"{_stop(title)} Version {work.version}." + (" Data set." if dataset else "")
    return Citation(before, title, _with_locator(after, work) + ("." if work.locator else ""))


def bibtex_key(work: Work, *, dataset: bool = False, chapter: str | None = None) -> str:
    """Google Scholar style, ``facial2026three``: author word, year, title word."""
    def words(text: str) -> list[str]:
        found = re.findall(r"[a-z0-9]+", text.lower())
        return [w for w in found if w not in MINOR_WORDS] or found

    key = f"{words(work.author)[0]}{work.year}{words(work.title)[0]}"
    if dataset:
        key += "data"
    if chapter:
        key += "_" + "_".join(words(chapter)[:3])
    return key


def bibtex(work: Work, *, dataset: bool = False, chapter: str | None = None) -> str:
    """A BibTeX entry (@book, @misc for the dataset, @incollection for a chapter) that classic
    BibTeX and biblatex both read; braces keep the team name and the titles as written. Each
    field is one line: a phone's screen, or the printed page, wraps a long one under its value,
    where a line broken in the entry itself was wrapped again, with odd indents."""
    def escape(text: str) -> str:
        return BIBTEX_SPECIALS.sub(r"\\\1", text)

    fields = [("author", f"{{{escape(work.author)}}}")]
    if chapter:
        entry_type = "incollection"
        fields += [("title", f"{{{escape(chapter)}}}"), ("booktitle", f"{{{escape(work.title)}}}")]
    else:
        entry_type = "misc" if dataset else "book"
        fields.append(("title", f"{{{escape(work.title)}}}"))
    if dataset:
        fields.append(("howpublished", "Data set"))
    fields += [
        ("publisher", f"{{{escape(work.author)}}}"),
        ("year", str(work.year)),
        ("month", calendar.month_abbr[work.released.month].lower()),
        ("note", f"Version {work.version}"),
    ]
    if work.doi:
        fields.append(("doi", work.doi))
    if work.url:
        fields.append(("url", work.url))
        if work.accessed:
            fields.append(("urldate", work.accessed))
    width = max(len(name) for name, _ in fields)
    lines = [f"  {name:<{width}} = " + (value if name == "month" else "{" + value + "}")
             for name, value in fields]
    key = bibtex_key(work, dataset=dataset, chapter=chapter)
    return f"@{entry_type}{{{key},\n" + ",\n".join(lines) + "\n}"


STYLES = {"APA 7": apa, "MLA 9": mla, "Chicago author-date": chicago}


BIBTEX = "BibTeX"


def citations(work: Work, *, dataset: bool = False, chapter: str | None = None,
              styles: list[str] | None = None):
    """Every style's citation as ``(style name, Citation)``, then ``("BibTeX", entry)``; only
    those of ``styles`` (names as in STYLES, or BibTeX) when given."""
    found = [(name, style(work, dataset=dataset, chapter=chapter))
             for name, style in STYLES.items()]
    found += [(BIBTEX, bibtex(work, dataset=dataset, chapter=chapter))]
    return [(name, cited) for name, cited in found if styles is None or name in styles]


def style_names(argument: str) -> list[str]:
    """The ``:styles:`` option: style names separated by commas, each in STYLES or BibTeX."""
    names = [name.strip() for name in argument.split(",") if name.strip()]
    unknown = [name for name in names if name not in [*STYLES, BIBTEX]]
    if unknown or not names:
        raise ValueError(f"unknown citation styles {unknown}: give some of "
                         f"{', '.join([*STYLES, BIBTEX])}")
    return names


# The Sphinx extension.

def read_cff(srcdir: Path) -> dict:
    return yaml.safe_load((srcdir / CITATION_FILE).read_text(encoding="utf-8"))


def read_book(srcdir: Path) -> Work:
    return work_from_cff(read_cff(srcdir))


def use_release_date_as_build_date(srcdir: Path) -> None:
    """Set ``SOURCE_DATE_EPOCH`` (unless already set) to the release date in CITATION.cff, at
    midnight UTC: Sphinx, matplotlib, TeX and the notebook kernels started from this process then
    write that date instead of the time of the build, so two builds are byte-identical."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(release_epoch(srcdir)))


def release_epoch(srcdir: Path) -> int:
    """The release date in CITATION.cff, midnight UTC, in seconds since 1970."""
    return calendar.timegm(read_book(srcdir).released.timetuple())


def _address(variable: str, cff_key: str, srcdir: Path) -> str | None:
    found = os.environ.get(variable, "").strip() or read_cff(srcdir).get(cff_key) or None
    if found and not re.match(r"https?://[^/\s]+", found):
        raise ValueError(f"{variable} or `{cff_key}` in {CITATION_FILE}: not a web address: "
                         f"{found!r}")
    return found


def public_address(srcdir: Path) -> str | None:
    """Where the book is published, ending with a slash ($BOOK_URL, else `url` in CITATION.cff)."""
    found = _address(ADDRESS_VARIABLE, "url", srcdir)
    return found and found.rstrip("/") + "/"


def repository_address(srcdir: Path) -> str | None:
    """The source repository ($BOOK_REPOSITORY, else `repository-code` in CITATION.cff)."""
    found = _address(REPOSITORY_VARIABLE, "repository-code", srcdir)
    return found and found.rstrip("/")


def read_dataset(srcdir: Path) -> Work:
    return work_from_datapackage(json.loads((srcdir / DATAPACKAGE_FILE).read_text("utf-8")))


def built_pdf(app) -> Path | None:
    """The PDF that ``make pdf`` left beside this HTML build (``_build/latex``), if any."""
    if app.builder.format != "html":
        return None
    pdf = Path(app.outdir).parent / "latex" / PDF_NAME
    return pdf if pdf.is_file() else None


# Before the title of the chapter whose citation stands as an example (``:example:``, the
# first chapter's).
EXAMPLE_START = "Example (chapter 1, "


class PendingCitations(nodes.General, nodes.Element):
    """Stands for chapters' citations until every page title is known."""


class PendingPdfLink(nodes.General, nodes.Element):
    """Stands for a link to the PDF until the builder says whether there is one."""


# The classes of the citations' paragraphs (:func:`citation_nodes`): the book's, its data's and
# each chapter's.
BOOK_CITATION, DATASET_CITATION, CHAPTER_CITATION = CITATION_CLASSES = (
    "book-citation", "dataset-citation", "chapter-citation")


def citation_nodes(entries, classes: str) -> list[nodes.Node]:
    """A labelled paragraph per style (title in italics) and a literal block for BibTeX."""
    out = []
    for name, cited in entries:
        out.append(nodes.paragraph("", "", nodes.strong(text=name)))
        if isinstance(cited, Citation):
            out.append(nodes.paragraph(
                "", "", nodes.Text(cited.before), nodes.emphasis(text=cited.title),
                nodes.Text(cited.after), classes=[classes]))
        else:
            out.append(nodes.literal_block(cited, cited, language="bibtex", classes=[classes]))
    return out


def toc_chapters(toc: dict, part: str | None = None) -> list[str]:
    """Every chapter of the part captioned ``part`` (None: of the first part, the book's
    chapters), in order. The root document is left out: its title is the book's, so the book's
    own citation serves for it."""
    for found in toc.get("parts", [])[:1] if part is None else toc.get("parts", []):
        if part is None or found.get("caption") == part:
            files = [entry["file"] for entry in found.get("chapters", [])]
            return [str(Path(file).with_suffix("")) for file in files]
    raise ValueError(f"no part captioned {part!r} in the table of contents")


class BookCitations(SphinxDirective):
    """``{book-citations} book|dataset|chapters``, for chapters with ``:part: <caption>`` (else
    the first part's) and ``:example:`` for the first chapter only, and ``:styles:`` for fewer
    styles than all."""

    required_arguments = 1
    option_spec = {"part": directives.unchanged_required, "example": directives.flag,
                   "styles": style_names}

    def run(self) -> list[nodes.Node]:
        what, styles = self.arguments[0], self.options.get("styles")
        book = self.config.frbook_book
        if what == "book":
            return citation_nodes(citations(book, styles=styles), BOOK_CITATION)
        if what == "dataset":
            return citation_nodes(citations(self.config.frbook_dataset, dataset=True,
                                            styles=styles), DATASET_CITATION)
        if what == "chapters":
            toc_file = Path(self.env.srcdir) / self.config.external_toc_path
            self.env.note_dependency(str(toc_file))
            toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
            try:
                docnames = toc_chapters(toc, self.options.get("part"))
            except ValueError as error:
                raise self.error(f"book-citations: {error}") from error
            example = "example" in self.options
            if example:
                docnames = docnames[:1]
            return [PendingCitations(docnames=docnames, styles=styles, example=example)]
        raise self.error("book-citations: give `book`, `dataset` or `chapters`")


class BookAddress(SphinxDirective):
    """``{book-address}`` with ``:with:`` and ``:without:`` texts: the one that is true of this
    build, which either has the book's web address or has none."""

    option_spec = {"with": directives.unchanged_required,
                   "without": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        text = self.options["with" if self.config.frbook_book.url else "without"]
        paragraph = nodes.paragraph()
        paragraph += self.parse_text_to_nodes(text)[0].children
        return [paragraph]


class BookPdf(SphinxDirective):
    """``{book-pdf}``: its content is the text of a link to the PDF, when there is one."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        return [PendingPdfLink(text=" ".join(self.content).strip())]


class ResolvePending(SphinxPostTransform):
    """Fills in chapter citations (all titles are known now) and the PDF link (or drops it)."""

    default_priority = 100

    def run(self, **kwargs) -> None:
        book = self.config.frbook_book
        for node in list(self.document.findall(PendingCitations)):
            out = []
            for docname in node["docnames"]:
                if docname not in self.env.titles:
                    logger.warning("book-citations: no document %r", docname, location=node)
                    continue
                chapter = self.env.titles[docname].astext()
                uri = self.app.builder.get_relative_uri(self.env.docname, docname)
                title = [nodes.reference("", chapter, internal=True, refuri=uri)]
                if node.get("example"):  # a run-in label, not a lone line like a heading
                    title = [nodes.Text(EXAMPLE_START), nodes.reference(
                        "", "", nodes.emphasis(text=chapter), internal=True, refuri=uri),
                        nodes.Text("):")]
                out.append(nodes.paragraph("", "", *title, classes=["chapter-title"]))
                work = replace(book, url=page_url(book.url, docname)) if book.url else book
                out += citation_nodes(citations(work, chapter=chapter, styles=node["styles"]),
                                      CHAPTER_CITATION)
            node.replace_self(out)
        pdf = built_pdf(self.app)
        for node in list(self.document.findall(PendingPdfLink)):
            if pdf is None:
                node.replace_self([])
                continue
            uri = relative_uri(self.app.builder.get_target_uri(self.env.docname), pdf.name)
            node.replace_self(nodes.paragraph("", "", nodes.reference(
                "", node["text"] or pdf.name, refuri=uri, classes=["book-pdf"])))


# A changelog heading that starts with a version number: "2.0.3 (23 November 2026)".
VERSION_HEADING = re.compile(r"(\d+(?:\.\d+)+)\b")


def version_anchor(version: str) -> str:
    """The changelog's anchor of a version: "version-2-0-3" for 2.0.3."""
    return "version-" + version.replace(".", "-")


class ChangelogVersionAnchors(SphinxTransform):
    """Gives each version section of the changelog the id :func:`version_anchor`, in place of
    the one docutils made from its heading, before the page's contents, its ¶ links and the
    MyST heading slugs are taken from the ids (other ids, labels, stay)."""

    default_priority = 700  # before Sphinx's doctree-read (880) collects the page's contents

    def apply(self) -> None:
        if self.env.docname != CHANGELOG_PAGE:
            return
        slugs = getattr(self.document, "myst_slugs", {})
        for section in self.document.findall(nodes.section):
            version = VERSION_HEADING.match(section[0].astext())
            if not version:
                continue
            old, new = section["ids"][0], version_anchor(version[1])
            if new in self.document.ids:
                logger.warning(f"the changelog gives version {version[1]} twice", location=section)
                continue
            section["ids"][0] = new
            self.document.ids[new] = self.document.ids.pop(old)
            for name in section["names"]:
                if self.document.nameids.get(name) == old:
                    self.document.nameids[name] = new
            for slug, (line, target, text) in slugs.items():
                if target == old:
                    slugs[slug] = (line, new, text)


def footer_html(book: Work, links: list[tuple[str, str]]) -> str:
    """``Version X, released DATE`` and the given (text, href) links, as the HTML footer line."""
    parts = [f"Version {html.escape(book.version)}, released {long_date(book.released)}"]
    parts += [f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for text, href in links]
    return f'<p class="book-version">{" · ".join(parts)}</p>'


def page_url(address: str, docname: str) -> str:
    """The public address of a page of the book."""
    return f"{address}{docname}.html"


def _config_inited(app, config) -> None:
    srcdir = Path(app.srcdir)
    use_release_date_as_build_date(srcdir)
    book, dataset = read_book(srcdir), read_dataset(srcdir)
    address = public_address(srcdir)
    if address:
        book = replace(book, url=address, accessed=ACCESS_PLACEHOLDER)
        dataset = replace(dataset, url=dataset.url or page_url(address, DATA_PAGE),
                          accessed=ACCESS_PLACEHOLDER)
    config.frbook_book, config.frbook_dataset = book, dataset
    config.version = config.release = book.version
    config.today = long_date(book.released)  # the date on the PDF title page
    config.latex_elements["releasename"] = "Version"


def _builder_inited(app) -> None:
    if app.builder.name == "latex":
        # jupyter-book's LaTeX class loads bbm.sty (from texlive-fonts-extra, ~500 MB) for
        # blackboard-bold macros this book never uses; a stand-in keeps TeX Live small.
        Path(app.outdir, "bbm.sty").write_text(
            "\\ProvidesPackage{bbm}[2026/11/22 frbook stand-in, blackboard bold from amssymb]\n"
            "\\providecommand{\\mathbbm}[1]{\\mathbb{#1}}\n", encoding="utf-8")


def _html_page_context(app, pagename, templatename, context, doctree) -> None:
    pathto = context["pathto"]
    links = [(text, pathto(page)) for text, page in
             (("How to cite", CITE_PAGE), ("Changelog", CHANGELOG_PAGE))
             if page in app.env.all_docs]
    pdf = built_pdf(app)
    if pdf:
        links.append(("PDF", pathto(pdf.name, resource=True)))
    context["theme_extra_footer"] = (context.get("theme_extra_footer") or "") + footer_html(
        app.config.frbook_book, links)


def _build_finished(app, exception) -> None:
    pdf = built_pdf(app) if exception is None else None
    if pdf:
        shutil.copyfile(pdf, Path(app.outdir) / pdf.name)


def setup(app):
    app.add_config_value("frbook_book", None, "env")
    app.add_config_value("frbook_dataset", None, "env")
    app.add_node(PendingCitations)
    app.add_node(PendingPdfLink)
    app.add_directive("book-citations", BookCitations)
    app.add_directive("book-pdf", BookPdf)
    app.add_directive("book-address", BookAddress)
    app.add_post_transform(ResolvePending)
    app.add_transform(ChangelogVersionAnchors)
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _html_page_context)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
