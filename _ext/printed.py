"""The printed book: what `make pdf` adds to Sphinx's LaTeX output (a Sphinx extension, listed
after ``citation`` in ``_config.yml``, whose citation metadata it uses).

- The title page: the title broken after its colon, the subtitle in smaller type.
- The back of the title page: the recommended citation (APA, with the book's address when one
  is configured; without one, or without a DOI, it says so and what to cite instead), the
  licence by its name, and a short note on this edition (its version and date; where the HTML
  edition and the data are, when the book has an address; always the source archive that
  holds the data and the notebooks, with its address when the HTML edition serves it, and the
  source repository when one is configured; the version history in a sentence, from
  changelog.md's headings, the changelog itself being left out of the PDF): all from
  CITATION.cff, data/datapackage.json and changelog.md, nothing typed twice.
- Lists of figures and of tables after the contents, then the overview as an unnumbered
  chapter.
- The paper: A4, or US Letter when ``BOOK_PAPER=letter`` (``make pdf PAPER=letter``).

The rest of the PDF's settings (tables, figures, link colours, long addresses) are plain
Sphinx options under ``latex_elements`` in ``_config.yml``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from sphinx.util import texescape

from citation import CHANGELOG_PAGE, Work, apa, long_date, read_cff, repository_address
from rerun import archive_name, tracked_files

PAPER_VARIABLE = "BOOK_PAPER"
CHANGELOG_FILE = f"{CHANGELOG_PAGE}.md"
PAPER_SIZES = {"a4": "a4paper", "letter": "letterpaper"}
DEFAULT_PAPER = "a4"
# Short names (as CITATION.cff's note writes them), full names and deeds of the SPDX licence
# identifiers CITATION.cff may give: paper names a licence, never its identifier.
LICENCES = {
    "CC-BY-4.0": ("CC BY 4.0", "the Creative Commons Attribution 4.0 International licence",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "MIT": ("MIT", "the MIT licence", "https://opensource.org/license/mit"),
}
# The lists of figures and of tables follow the contents. The book's root document, the
# overview, follows them untitled (its heading is the book's title, which the title page
# shows): on paper it is an unnumbered chapter of this title, listed in the contents and named
# in the running head.
OVERVIEW_TITLE = "Overview"
CONTENTS = r"""\makeatletter
\pagenumbering{roman}
\begingroup\parskip\z@skip\sphinxtableofcontentshook\tableofcontents\listoffigures\listoftables
\endgroup
\if@openright\cleardoublepage\else\clearpage\fi
\pagenumbering{arabic}
\chapter*{OVERVIEW}\addcontentsline{toc}{chapter}{OVERVIEW}\markboth{OVERVIEW}{}
\makeatother""".replace("OVERVIEW", OVERVIEW_TITLE)


class Source(NamedTuple):
    """Where the book's source is online: its archive's address and its repository."""

    archive_url: str | None = None
    repository: str | None = None


def paper_size(environ=os.environ) -> str:
    """The LaTeX paper option for ``BOOK_PAPER`` (a4 or letter; unset or empty: a4)."""
    paper = environ.get(PAPER_VARIABLE, "").strip().lower() or DEFAULT_PAPER
    if paper not in PAPER_SIZES:
        raise ValueError(f"{PAPER_VARIABLE}={paper!r}: give one of {', '.join(PAPER_SIZES)}")
    return PAPER_SIZES[paper]


def escape(text: str) -> str:
    """``text`` for xelatex: TeX's special characters escaped, other Unicode kept."""
    texescape.init()  # the escape tables, which the LaTeX builder fills only once it starts
    return texescape.escape(text, "xelatex")


def date_latex(day: str) -> str:
    """A date ("22 November 2026") for LaTeX, on one line: its spaces unbreakable, as the
    chapters' dates are (_ext/paper.py)."""
    return escape(day).replace(" ", "~")


def url(address: str) -> str:
    r"""A web address for LaTeX: \url breaks it anywhere (xurl) and links it."""
    return r"\url{" + address.replace("%", r"\%").replace("#", r"\#") + "}"


def file_name_latex(name: str) -> str:
    r"""A file name, whole on one line (it moves to the next when it does not fit: broken at
    a hyphen, "-source.tar.gz" opened a line and read as part of the name or not), set solid
    in the text's face (the monospace spread "1.0.0" out as "1 . 0 . 0")."""
    return r"\mbox{" + escape(name) + "}"


def text_with_address(text: str, address: str | None) -> str:
    """``text`` escaped for LaTeX, with ``address`` (where it appears in it) as a link."""
    if address and address in text:
        before, _, after = text.partition(address)
        return escape(before) + url(address) + escape(after)
    return escape(text)


def citation_latex(book: Work) -> str:
    """The book's APA citation, its title in italics and its address linked."""
    cited = apa(book)
    return (escape(cited.before) + r"\emph{" + escape(cited.title) + "}"
            + text_with_address(cited.after, book.locator))


def citing_note(book: Work) -> str:
    """What the citation cannot give, said plainly, and what to cite instead: the book names no
    person as author (its author is the project), and, unless configured, it has no permanent
    address or DOI. Nothing is invented in their place."""
    words = (f"The book names no individual authors: its author is {escape(book.author)}, as "
             "above.")
    missing = [name for name, value in (("permanent web address", book.url), ("DOI", book.doi))
               if not value]
    if missing:
        words += (f" It has no {' and no '.join(missing)}. Cite this edition by its title, "
                  f"version ({escape(book.version)}) and release date "
                  f"({date_latex(long_date(book.released))})")
        words += (", and add the address where you obtained your copy." if not book.url
                  else ", with the address above.")
    return words


def licence_latex(cff: dict) -> str:
    """What CITATION.cff says of the licence: its note, then the licence's full name (or, for
    a licence not in LICENCES, its SPDX identifier)."""
    spdx = cff["license"]
    note = cff.get("preferred-citation", {}).get("notes")
    words = f"{escape(note)} " if note else ""
    if spdx not in LICENCES:
        return words + f"SPDX licence identifier: {escape(spdx)}."
    short, name, deed = LICENCES[spdx]
    return words + f"{escape(short)} is {escape(name)}, {url(deed)}."


def version_history(changelog: str) -> str:
    """The changelog in one sentence, from its ``## <version> (<date>)`` headings: on paper a
    reader needs this version and the first, not the list of changes (nor of every version,
    which would lengthen the front matter with each release)."""
    versions = re.findall(r"^## (\S+) \(([^)]*)\)", changelog, re.M)
    if not versions:
        return ""
    (latest, released), (first, first_released) = versions[0], versions[-1]
    if len(versions) == 1:
        return f"Version history: {escape(first)}, {date_latex(first_released)} (first release)."
    return (f"Version history: {escape(latest)}, {date_latex(released)}; first release "
            f"{escape(first)}, {date_latex(first_released)}. The source archive’s"
            f" {file_name_latex(CHANGELOG_FILE)} lists every version and its changes.")


def edition_latex(book: Work, dataset: Work, history: str = "", source: Source | None = None
                  ) -> str:
    """This edition, briefly: what it is, its version and date, where the HTML edition and the
    data are (when the book has an address), the source archive that holds the data and the
    notebooks (always: the chapters send a printed reader to it), and the version history. How
    the book is built is the README's, not the reader's, business."""
    source = source or Source()
    words = (f"This is the printed edition of version {escape(book.version)} of the book, "
             f"released {date_latex(long_date(book.released))}.")
    if book.url:
        words += f" The HTML edition is at {url(book.url)}"
        if dataset.url:
            words += f"; the data are at {url(dataset.url)}"
        words += "."
    else:
        words += (" This copy names no web address for the book: to point others to it, give "
                  "this edition and the address where you obtained the copy.")
    archive = archive_name(book.version)
    where = (f"at {url(source.archive_url)}" if source.archive_url
             else "distributed with this edition")
    words += (" The data and the notebooks that draw every table and chart are not printed: "
              f"they come in the book’s source archive, {file_name_latex(archive)}, {where}.")
    if source.repository:
        words += f" The book’s source repository is {url(source.repository)}."
    return f"{words} {history}".strip()


def title_latex(book: Work) -> str:
    r"""The title for the title page: a title with a subtitle ("Main: Sub") breaks after the
    colon, the subtitle in smaller type; the PDF's metadata keep it on one line."""
    main, colon, subtitle = book.title.partition(": ")
    if not colon:
        return escape(book.title)
    return (r"\texorpdfstring{" + escape(main) + r":\\[0.6ex]{\LARGE " + escape(subtitle)
            + "}}{" + escape(book.title) + "}")


def title_page(book: Work) -> str:
    r"""The ``maketitle`` element: Sphinx's title page with :func:`title_latex` as its title."""
    return (r"\begingroup\expandafter\def\csname @title\endcsname{" + title_latex(book)
            + r"}\sphinxmaketitle\endgroup")


def running_title(book: Work) -> str:
    """The title without its subtitle, for the page headers: "Three Companies, Four Days"."""
    return book.title.split(":")[0]


def back_of_title_page(book: Work, dataset: Work, cff: dict, changelog: str = "",
                       source: Source | None = None) -> str:
    r"""``\sphinxbackoftitlepage``, which Sphinx's title page calls: the imprint page. It then
    shortens the title that the page headers repeat, so that a header fits on one line."""
    # The citation, meant to be copied, keeps its words whole (no hyphenation).
    sections = [("Recommended citation", f"{{\\hyphenpenalty=10000 {citation_latex(book)}\\par}}"
                 f"\n{citing_note(book)}")]
    if book.url:
        sections.append(("Address", url(book.url)))
    sections += [("Licence", licence_latex(cff)),
                 ("About this edition",
                  edition_latex(book, dataset, version_history(changelog), source))]
    body = "\n".join(f"\\textbf{{{title}}}\\par\n{text}\\par" for title, text in sections)
    return ("\\newcommand{\\sphinxbackoftitlepage}{%\n"
            "\\begingroup\\small\\RaggedRight\\parindent=0pt\\parskip=0.8\\baselineskip\n"
            f"\\vspace*{{\\fill}}\n{body}\n\\endgroup\n"
            f"\\expandafter\\gdef\\csname @title\\endcsname{{{escape(running_title(book))}}}}}\n")


def book_source(srcdir: Path, book: Work) -> Source:
    """Where the book's source is online: the archive that the HTML build writes beside the
    pages at the book's address (only a git checkout writes one: see rerun.py), and the
    repository, each when there is one."""
    archive_url = (book.url + archive_name(book.version)
                   if book.url and tracked_files(srcdir) is not None else None)
    return Source(archive_url, repository_address(srcdir))


def _config_inited(app, config) -> None:
    elements = config.latex_elements
    elements["papersize"] = paper_size()
    elements["tableofcontents"] = CONTENTS
    elements["maketitle"] = title_page(config.frbook_book)
    elements["preamble"] = elements.get("preamble", "") + back_of_title_page(
        config.frbook_book, config.frbook_dataset, read_cff(Path(app.srcdir)),
        (Path(app.srcdir) / CHANGELOG_FILE).read_text(encoding="utf-8"),
        book_source(Path(app.srcdir), config.frbook_book))


def setup(app):
    app.connect("config-inited", _config_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
