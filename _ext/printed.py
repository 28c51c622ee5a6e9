"""The printed book: what `make pdf` adds to Sphinx's LaTeX output (a Sphinx extension, listed
after ``citation`` in ``_config.yml``, whose citation metadata it uses).

- The back of the title page: the recommended citation (APA, with the book's address when one
  is configured), the licence, and a short note on this edition: all from CITATION.cff and
  data/datapackage.json through :mod:`citation`, nothing typed twice.
- A list of figures after the contents.
- The paper: A4, or US Letter when ``BOOK_PAPER=letter`` (``make pdf PAPER=letter``).

The rest of the PDF's settings (tables, figures, link colours, long addresses) are plain
Sphinx options under ``latex_elements`` in ``_config.yml``.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.util import texescape

from citation import DATA_PAGE, Work, apa, long_date, read_cff

PAPER_VARIABLE = "BOOK_PAPER"
PAPER_SIZES = {"a4": "a4paper", "letter": "letterpaper"}
DEFAULT_PAPER = "a4"
# Full names and deeds of the SPDX licence identifiers CITATION.cff may give.
LICENCES = {
    "CC-BY-4.0": ("the Creative Commons Attribution 4.0 International licence",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "MIT": ("the MIT licence", "https://opensource.org/license/mit"),
}
# The list of figures follows the contents; the overview page after them gets no running mark.
CONTENTS = r"""\makeatletter
\pagenumbering{roman}
\begingroup\parskip\z@skip\sphinxtableofcontentshook\tableofcontents\listoffigures\endgroup
\if@openright\cleardoublepage\else\clearpage\fi
\pagenumbering{arabic}\markboth{}{}
\makeatother"""


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


def url(address: str) -> str:
    r"""A web address for LaTeX: \url breaks it anywhere (xurl) and links it."""
    return r"\url{" + address.replace("%", r"\%").replace("#", r"\#") + "}"


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


def licence_latex(cff: dict) -> str:
    """What CITATION.cff says of the licence: its note, then the licence's full name (or, for
    a licence not in LICENCES, its SPDX identifier)."""
    spdx = cff["license"]
    note = cff.get("preferred-citation", {}).get("notes")
    words = f"{escape(note)} " if note else ""
    if spdx not in LICENCES:
        return words + f"SPDX licence identifier: {escape(spdx)}."
    name, deed = LICENCES[spdx]
    return words + f"{escape(spdx)} is {escape(name)}, {url(deed)}."


def edition_latex(book: Work, dataset: Work) -> str:
    """This edition: what it is, which version it is built from, where the HTML and data are."""
    data_chapter = r"\detokenize{" + DATA_PAGE + "::doc}"
    words = (f"This PDF is the printed edition of version {escape(book.version)} of the book, "
             f"released {long_date(book.released)}. It is built from the same sources as the "
             "HTML edition: its chapters are notebooks, run afresh for every build, and every "
             f"table and chart comes from the data package ({escape(dataset.title)}, version "
             f"{escape(dataset.version)}), which chapter~\\ref{{{data_chapter}}} describes.")
    if book.url:
        words += f" The HTML edition is at {url(book.url)}"
        if dataset.url:
            words += f"; the data package's files are at {url(dataset.url)}"
        words += "."
    else:
        words += (" This build names no public address: the HTML edition is built from the same "
                  "sources, whose folder data/ holds the data package.")
    return words


def running_title(book: Work) -> str:
    """The title without its subtitle, for the page headers: "Three Companies, Four Days"."""
    return book.title.split(":")[0]


def back_of_title_page(book: Work, dataset: Work, cff: dict) -> str:
    r"""``\sphinxbackoftitlepage``, which Sphinx's title page calls: the imprint page. It then
    shortens the title that the page headers repeat, so that a header fits on one line."""
    sections = [("Recommended citation", citation_latex(book))]
    if book.url:
        sections.append(("Address", url(book.url)))
    sections += [("Licence", licence_latex(cff)), ("About this edition",
                                                    edition_latex(book, dataset))]
    body = "\n".join(f"\\textbf{{{title}}}\\par\n{text}\\par" for title, text in sections)
    return ("\\newcommand{\\sphinxbackoftitlepage}{%\n"
            "\\begingroup\\small\\RaggedRight\\parindent=0pt\\parskip=0.8\\baselineskip\n"
            f"\\vspace*{{\\fill}}\n{body}\n\\endgroup\n"
            f"\\expandafter\\gdef\\csname @title\\endcsname{{{escape(running_title(book))}}}}}\n")


def _config_inited(app, config) -> None:
    elements = config.latex_elements
    elements["papersize"] = paper_size()
    elements["tableofcontents"] = CONTENTS
    elements["preamble"] = elements.get("preamble", "") + back_of_title_page(
        config.frbook_book, config.frbook_dataset, read_cff(Path(app.srcdir)))


def setup(app):
    app.connect("config-inited", _config_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
