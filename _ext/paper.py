"""What the printed book shows differently from the HTML (a Sphinx extension; the PDF's front
matter and paper are :mod:`printed` (_ext/printed.py), its type and spacing the LaTeX preamble in
``_config.yml``).

- No code: a cell's input, collapsed or shown in the HTML, is left out of the PDF.
- Figures float (``figure_align`` in ``_config.yml``), so each figure takes its note (the
  source line that the HTML gives under it with the data download) into its float.
- Every table has a caption: the one given to :func:`frbook.tables.show`, else the heading of
  the section that holds the table. The HTML shows neither: its tables sit under their heading
  and the sentence that introduces them.
- The list of figures gives each figure's short title (:func:`short_caption`).
- The bibliography is printed in the chapter of ``bibliography.md``, where the table of contents
  puts it, not after the last chapter.
- A heading is not left at the foot of a page, nor is a label standing for a heading (a bold
  paragraph such as "BibTeX" on the citation page); a short section stays with its first label
  and the text that leads to it ("The data" and the data's citation). The overview's headings
  are set as every other chapter's, not as sphinx-jupyterbook-latex's bold lines.
- Literal blocks (the BibTeX citations) print in black (the ``bw`` Pygments style), each on
  one page when it fits on one, their frame inside the text's width.
- A reference to a chapter, section or figure gives its page without brackets: "Sources and
  method on page 4", "Fig. 6.2 on page 36" (``latex_show_pagerefs`` in ``_config.yml``; a
  reference inside brackets then nests none), except a chapter's title in its citation (but
  for the citing chapter's example: "Example (chapter 1, Sources and method on page 4):"), and
  except on the target's own page: "(Fig. 3.1)" a few lines above the figure. A label set
  before a paragraph (or a list) is anchored in its first line, so its page is the
  paragraph's, not the page before when the paragraph moved on; a heading's is the heading's.
- The contents keep a chapter's line with its first sections' lines.
- A short table (up to MAX_UNBROKEN_ROWS rows, in up to MAX_UNBROKEN_LINES lines) is not broken
  across pages, unless it ends its section: then nothing but it could fill the page where it
  starts, and it breaks there rather than leave up to two fifths of the page white. A longer
  one may break, but starts where its caption, header and first LONG_TABLE_START_ROWS rows fit
  (or fewer, as tall as LONG_TABLE_START_LINES lines, but never fewer than
  LONG_TABLE_FIRST_ROWS), not at a page's foot with one row, nor on the next page when they
  fit; nor does its last page hold one row alone.
- A chapter's last section, when short (up to MAX_KEPT_CHARS characters of paragraphs and
  lists, as the questions for discussion are), is kept on one page: a chapter does not end with
  a page holding its last line or two.
- The back matter (``frbook_back_matter`` in ``_config.yml``: the chapter it starts with, and
  those after it) has unnumbered chapters and sections, listed in the contents.
- Pages for the screen only (``frbook_html_only`` in ``_config.yml``: the changelog) are left
  out of the PDF.
- Table columns are sized (:func:`frbook.tables.latex_column_spec`) from the text the table
  prints, citations as their labels ("National Institute of Standards and Technology, 2019"),
  not from the notebook's estimate. A short table follows the paragraph that introduces it,
  here or at the top of the next page (whether it fits is measured: it is set in a box
  first); only when that would leave more than a fifth of the page white does the text after
  it fill the page, in whole paragraphs: a table never stands inside a sentence.
- No table or figure prints above the words that introduce it (flafter) or past the next
  section's or subsection's heading (a float barrier there): "the table below" is the next
  table. A section that ends before its float fits leaves the rest of its page white only
  when that is under a fifth of the page: else the next section's text fills it and the float
  tops the next page (never later: a float held past one heading stops the text at the
  next).
- A reference to a glossary term gets a footnote with the term's page in the glossary, the
  back matter being far from where the term is used.
- The names of packages (those in ``requirements-lock.txt`` that have a hyphen, such as
  jupyterlab-myst) do not break at their hyphens: a reader could not tell whether the hyphen
  is part of the name. Nor do dates and other short tokens with a digit ("2020-06-10"), nor
  hyphenated names ("France-Presse") and domain names; the words of a date ("19 December 2019")
  and a name's "et al." stay on one line.
- A table's caption runs the width of the text, a long table's in the size of a short one's;
  a total row (bold: frbook.tables.is_total) is ruled off; a column of numbers is set flush
  right; no word breaks in a cell where the columns can be as wide as their words; a
  citation prints whole where the table can afford it, else breaks once, never before its year
  ("Microsoft, 2018"); code in a cell never breaks inside a word (its column is sized for its
  longest word in the PDF's monospace).
- The book's citations (the citing chapter's) are ragged right and not hyphenated, their
  addresses links; a page reference or glossary footnote after words in quotation marks
  follows the closing mark.
- A box kept on one page (a chapter's short last section) spaces its paragraphs and lists as
  the text does.
- A bibliography entry does not end with its last word hyphenated ("re-" / "port."). No
  address breaks after its scheme or its "www." ("https://" / "www.cnet.com").
- A glossary entry with synonyms has one heading: "Face analysis or Facial analysis". A term
  stays with two lines of its definition at least (and a paragraph leaves two lines at least
  on each page it breaks across: _config.yml's widow and club penalties).
- The running foot names a section "5.2 Title", without a full stop after its number.
- A part's title page ("Part I", "The report") is set in the sans face of the chapters'
  openers, with no running foot (rule and page number).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import shutil
import subprocess
from pathlib import Path

from docutils import nodes
from fontTools.ttLib import TTFont
from sphinx.addnodes import glossary as glossary_node
from sphinx.addnodes import start_of_file, tabular_col_spec
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import texescape
from sphinx.writers.latex import LaTeXTranslator

from bibstyle import ADDRESS
from citation import CITATION_CLASSES, EXAMPLE_START
from frbook.tables import (
    CELL_START,
    CODE,
    HEADER,
    LABEL_END,
    LABEL_START,
    MISSING,
    NO_BREAK_SPACE,
    PDF_CHAR_PT,
    PDF_COLUMN_GAP_PT,
    PDF_LINE_PT,
    TEXT,
    citation_limit,
    estimated_width,
    latex_column_spec,
    row_lines,
    tie_labels,
    wrapped_lines,
)

TABLE_CLASS = "book-table"  # tables from frbook.tables.show
CITATION_CLASS = "bibtex-citation"  # an in-text citation (sphinxcontrib-bibtex)
RAGGED_LEFT_CELL = r">{\RaggedLeft\arraybackslash}"  # a column of numbers
NOTE_CLASS = "figure-note"  # frbook.figures.figure_note
PRINT_PYGMENTS_STYLE = "bw"
SHORT_CAPTION_CHARS = 80  # a first sentence longer than this is cut at its first clause
CLAUSE_MIN_CHARS = 20  # a clause shorter than this is no title
# Sphinx's titlesec keeps a section heading out of the bottom fifth of a page
# (nobottomtitles*), which left up to 140 pt empty before headings; four lines keep a heading
# with the start of its text. \frbookkeep{<space>} starts a new page when less than that space
# is left on this one (and some is: a page already full breaks by itself). Unlike
# needspace.sty's macros it adds no \penalty-100, which would draw page breaks to it.
# \frbookafterlabel, after a label, forbids a page break before the first two lines of what
# follows, as LaTeX does after a heading (a paragraph that does not fit whole in the space
# kept would otherwise move on without its label).
KEEP_PREAMBLE = r"""
\makeatletter
\newcommand{\frbookbackmatter}{\setcounter{secnumdepth}{-1}}
\renewcommand{\bottomtitlespace}{4\baselineskip}
\newcommand{\frbookkeep}[1]{\par\begingroup\dimen@=#1\relax
  \dimen@ii=\pagegoal\advance\dimen@ii-\pagetotal
  \ifdim\dimen@>\dimen@ii\ifdim\dimen@ii>\z@\vfil\break\fi\fi\endgroup}
\newcommand{\frbookafterlabel}{\par\nobreak\@afterheading}
% The running foot names a section "5.2 Title": no full stop after its number.
\def\frbooksectionmark#1{\markright{\ifnum\c@secnumdepth>\z@\thesection\quad\fi #1}}
\AtBeginDocument{\g@addto@macro\ps@normal{\let\sectionmark\frbooksectionmark}}
% A table's caption runs the width of the text (Sphinx wraps it at 4 in, \LTcapwidth), a long
% table's in the size of a short one's, not in its cells' small type.
\AtBeginDocument{\setlength{\LTcapwidth}{\textwidth}%
  \patchcmd{\LT@makecaption}{\reset@font}{\reset@font\normalsize}{}{}}
% A part's title page in the sans face of the chapters' openers and the headings, not serif,
% with no running foot (rule and folio): a page of its own, as a book's part pages are.
\usepackage{etoolbox}
% (hyperref and nameref keep the class's \@part as \NR@part).
\AtBeginDocument{\patchcmd{\NR@part}{\normalfont}{\normalfont\sffamily}{}{}%
  \patchcmd{\@spart}{\normalfont}{\normalfont\sffamily}{}{}%
  \pretocmd{\NR@part}{\thispagestyle{empty}}{}{}\pretocmd{\@spart}{\thispagestyle{empty}}{}{}}
% A table or figure stays where the text puts it: never above the words that introduce it
% (flafter), never past the next heading (a float barrier at each section and subsection),
% except where its section ends with more than \frbookheldroom of the page left with a figure
% held: the next section's text fills the page and the figure tops the next one. Only once: at
% the heading after that, any float still held stops the text (\iffrbookheld). A table held
% always stops the text at the heading (\iffrbooktableheld): the next section's text may
% introduce a table of its own ("the table below ...:"), which would then come second.
\usepackage{flafter}
\newif\iffrbookheld
\newif\iffrbooktableheld
\newdimen\frbookheldroom
\AtBeginDocument{\frbookheldroom=0.2\textheight}
\newcommand{\frbookheadingbarrier}{\par
  \begingroup\let\@elt\relax\edef\@tempa{\@botlist\@deferlist}%
  \dimen@=\pagegoal\advance\dimen@-\pagetotal
  \global\let\frbook@barrier\FloatBarrier
  \ifx\@tempa\@empty\global\frbookheldfalse
  \else\iffrbookheld\global\frbookheldfalse
  \else\iffrbooktableheld
  \else\ifdim\dimen@<\frbookheldroom\else
    \global\frbookheldtrue\global\let\frbook@barrier\relax\fi\fi\fi\fi
  \endgroup\global\frbooktableheldfalse\frbook@barrier}
% A glossary term (a definition list's, \sphinxlineitem: its first line) stays with two lines
% of its definition at least: no page break after the term's line or the next.
\pretocmd{\sphinxlineitem}{\clubpenalties 3 \@M\space\@M\space 0 }{}{}
% A bibliography entry's last word is not hyphenated ("re-" / "port."), as TeX would.
\AtBeginEnvironment{sphinxthebibliography}{\finalhyphendemerits=10000000 }
\AtBeginDocument{\let\frbooksection\section\def\section{\frbookheadingbarrier\frbooksection}%
  \let\frbooksubsection\subsection\def\subsection{\frbookheadingbarrier\frbooksubsection}}
% The contents keep a part's line and a chapter's with the lines that follow it (a chapter's
% first sections): no page of the contents ends with a chapter whose sections start overleaf.
\pretocmd{\l@part}{\frbookkeep{7\baselineskip}}{}{}
\pretocmd{\l@chapter}{\frbookkeep{4\baselineskip}}{}{}
% A short table (_ext/paper.py) stays after the paragraph that introduces it: here when it
% fits, else at the top of the next page, the text after it following it, when that leaves
% less than \frbookheldroom of this page white; only otherwise does it float, the text after
% it filling the page before it in whole paragraphs (none breaks across that page), so that it
% does not stand inside a sentence. Whether it fits is measured: the table is set in a box
% first (\frbookbegintable ... \frbookendtable), whose height decides where it goes.
\def\frbook@placehere{H}\def\frbook@placefloat{!htp}
\newbox\frbook@tablebox
\newcount\frbook@interlinepenalty
\AtBeginDocument{\frbook@interlinepenalty=\interlinepenalty}
\AddToHook{shipout/before}{\global\interlinepenalty=\frbook@interlinepenalty}
\newcommand{\frbookbegintable}{\par\setbox\frbook@tablebox\vbox\bgroup
  \hsize\columnwidth\linewidth\columnwidth\@parboxrestore\@floatboxreset}
\newcommand{\frbookendtable}{\par\egroup
  \begingroup\dimen@=\ht\frbook@tablebox\advance\dimen@\dp\frbook@tablebox
  \advance\dimen@\intextsep
  \dimen@ii=\pagegoal\advance\dimen@ii-\pagetotal
  \global\let\frbook@placement\frbook@placehere
  \ifdim\dimen@>\dimen@ii\ifdim\dimen@ii<\frbookheldroom\else
    \global\let\frbook@placement\frbook@placefloat\fi\fi\endgroup
  \edef\@tempa{\noexpand\begin{table}[\frbook@placement]}\@tempa
  \unvbox\frbook@tablebox\end{table}%
  \ifx\frbook@placement\frbook@placefloat\global\interlinepenalty=\@M
    \global\frbooktableheldtrue\fi}
% " on page 12" after a reference (its label the argument), but not on page 12 itself.
\usepackage{refcount}
\newcounter{frbookreference}
\newcommand{\frbookonpage}[1]{\stepcounter{frbookreference}%
  \edef\frbook@here{frbook.reference.\the\c@frbookreference}\label{\frbook@here}%
  \edef\frbook@a{\getpagerefnumber{#1}}\edef\frbook@b{\getpagerefnumber{\frbook@here}}%
  \ifx\frbook@a\frbook@b\else\space on \autopageref*{#1}\fi}
% A long table starts where its first rows fit (\frbooklongtablekeep{<the height of its first
% two rows>}{<of the rows it starts with where they fit>}): the second height up to a third of
% the page, the first whatever it is.
\newdimen\frbooklongtableroom
\AtBeginDocument{\frbooklongtableroom=0.35\textheight}
\newcommand{\frbooklongtablekeep}[2]{\begingroup\dimen@=#2\relax
  \ifdim\dimen@>\frbooklongtableroom\dimen@=\frbooklongtableroom\fi
  \dimen@ii=#1\relax\ifdim\dimen@ii>\dimen@\dimen@=\dimen@ii\fi
  \frbookkeep{\dimen@}\endgroup}
% Paragraphs in a box kept on one page (ONE_PAGE_START) are spaced as the text's.
\newskip\frbookparskip
\AtBeginDocument{\frbookparskip=\parskip}
% A literal block's frame (a border and padding, \sphinxsetup's pre_border-width and
% pre_padding) lies inside the text's width (CODE_START).
\newdimen\frbookcodeinset
\AtBeginDocument{\frbookcodeinset=\dimexpr\spx@pre@border@left+\spx@pre@padding@left\relax}
% The continued table's caption: "Table 1.3 – continued", one space after "Table" (Sphinx's
% \tablename ends with a space, and its template adds one), in the captions' serif face, not
% Sphinx's sans (the headers' face).
\protected\def\sphinxtablecontinued#1{{\normalfont\small
  \let\frbook@tablename\tablename\def\tablename{\frbook@tablename\unskip}#1}}
\makeatother
"""
AFTER_LABEL = r"\frbookafterlabel"
KEEP_LINES = 4
HEADING_LINES = 4  # a section's heading and the space around it, in lines of text
LINE_CHARS = 90  # characters in a line of text, about, for how many lines a paragraph takes
# The overview's headings, which sphinx-jupyterbook-latex sets as bold lines in large type, are
# set as every other chapter's are: unnumbered sections and subsections.
ROOT_HEADINGS = {2: r"\section*", 3: r"\subsection*"}
BACK_MATTER = r"\frbookbackmatter"
# A table of up to this many rows, if it takes up to about this many lines (about half an A4
# or Letter page of small type), is kept on one page: a taller one may break across pages.
MAX_UNBROKEN_ROWS = 12
MAX_UNBROKEN_LINES = 36
ROW_LINES = 0.3  # the space between two rows, in lines
# A long table starts on a page with room for its caption, header and this many rows, or for
# as many as take LONG_TABLE_START_LINES lines (up to \frbooklongtableroom, KEEP_PREAMBLE),
# else on the next: not a header and one line, nor a page left a third empty before a table
# whose first rows are tall (Table 1.3: eight lines each). Its first page holds at least
# LONG_TABLE_FIRST_ROWS rows, however tall: one row alone at a page's foot ("continues on next
# page" after Table 1.3's first document) reads as a table cut short.
LONG_TABLE_START_ROWS = 3
LONG_TABLE_START_LINES = 6
LONG_TABLE_FIRST_ROWS = 2
ON_PAGE = r"\frbookonpage"  # " on page 12", unless on page 12 (see page_suffix)
MAX_UNBROKEN_CODE_LINES = 40  # a literal block of up to this many lines stays on one page
MAX_KEPT_CHARS = 2000  # about 20 lines of text
# A short table (a tabulary: see ShortTablesWhole) stands after the paragraph introducing it,
# else tops the next page, the text after it following it; only when that would leave more
# than a fifth of the page white does it float (\frbookendtable in KEEP_PREAMBLE): then at
# the top of the next page or on a page of floats, never at the foot of a page, and never
# past a long table later in its chapter (its flag and placeins: _config.yml's preamble).
SHORT_TABLE_TEMPLATE = "tabulary.tex.jinja"
FLOAT_START = "\\global\\frbookfloatingtabletrue\\frbookbegintable\n"
FLOAT_END = "\\frbookendtable\n"
LOCK_FILE = "requirements-lock.txt"  # the package names the text may name
SYNONYM_SEPARATOR = " or "  # between a glossary term and its synonyms, on paper
OPEN_QUOTE, CLOSE_QUOTE = "\u201c", "\u201d"
# The book's citations (the citing chapter's): ragged right, their addresses links that break
# as the bibliography's do, not justified with wide gaps and split at a hyphen.
RAGGED_START = r"\begingroup\RaggedRight\hyphenpenalty=10000 "  # and not hyphenated
RAGGED_END = r"\par\endgroup"
# Raw LaTeX around what must stay on one page: a box as wide as the text, its paragraphs and
# lists spaced as the text's (\frbookparskip, KEEP_PREAMBLE: a minipage has no \parskip).
ONE_PAGE_START = r"\par\noindent\begin{minipage}{\linewidth}\parskip=\frbookparskip"
ONE_PAGE_END = r"\end{minipage}\par"
# A literal block (BibTeX) on one page: its frame and padding inside the text's width, not in
# the margin (\frbookcodeinset, KEEP_PREAMBLE).
CODE_START = (r"\par\noindent\hspace*{\frbookcodeinset}"
              r"\begin{minipage}{\dimexpr\linewidth-2\frbookcodeinset\relax}")


def in_quotation(node: nodes.Node) -> bool:
    """Whether ``node`` stands inside quoted words: before it, its paragraph (or other block of
    text) opens more quotations than it closes."""
    block = node.parent
    while block is not None and (not isinstance(block, nodes.TextElement)
                                 or isinstance(block, nodes.Inline)):
        block = block.parent
    if block is None:
        return False
    inside = {id(text) for text in node.findall(nodes.Text)}
    before = []
    for text in block.findall(nodes.Text):
        if id(text) in inside:
            break
        before.append(str(text))
    words = "".join(before)
    return words.count(OPEN_QUOTE) > words.count(CLOSE_QUOTE)


LABEL_PREFIXES = (r"\phantomsection\label{", r"\label{")
# What a label before them anchors in: their first paragraph (a list's first item's).
PARAGRAPH_HOLDERS = (nodes.bullet_list, nodes.enumerated_list, nodes.list_item,
                     nodes.block_quote, nodes.definition_list, nodes.definition_list_item,
                     nodes.definition, nodes.compound, nodes.container)


def labelled_paragraph(target: nodes.Element) -> nodes.paragraph | None:
    """The paragraph that a target (a label) set before it opens: the next block after the
    target and the targets following it, when a paragraph, or the first block inside a list or
    quotation that opens with one; None before a heading, table, figure or anything else."""
    block = target.next_node(descend=False, siblings=True, ascend=False)
    while isinstance(block, nodes.target):
        block = block.next_node(descend=False, siblings=True, ascend=False)
    while isinstance(block, PARAGRAPH_HOLDERS) and block.children:
        block = block.children[0]
    return block if isinstance(block, nodes.paragraph) else None


# An address as Sphinx prints one (\sphinxurl), and its start that no line break splits: the
# scheme, "www." and the first word of the host ("https://www.cnet", then ".com/news/...").
SPHINX_URL = re.compile(r"\\sphinxurl\{(.*)\}", re.S)
ADDRESS_START = re.compile(r"[a-z]+://(?:www\.)?[^./]*")


def address_latex(latex: str) -> str:
    r"""An address (``\sphinxurl{...}``) linked as before, its start (:data:`ADDRESS_START`) in
    an unbreakable box: a line no longer ends with "https://" or "https://www.", which read as
    an address cut short. Other LaTeX is returned as it is."""
    address = SPHINX_URL.fullmatch(latex)
    start = ADDRESS_START.match(address.group(1)) if address else None
    if not start or start.end() == len(address.group(1)):
        return latex
    return (r"\sphinxhref{" + address.group(1) + r"}{\mbox{\sphinxnolinkurl{" + start.group()
            + r"}}\sphinxnolinkurl{" + address.group(1)[start.end():] + "}}")


def page_suffix(page_reference: str) -> str:
    r"""What follows a reference to a section or a figure on paper: " on page 12", no
    brackets, so that a reference inside brackets ("(see Limitations on page 12)") does not
    nest a second pair; nothing when the reference stands on that page itself (the figure a
    few lines below). ``page_reference`` is Sphinx's (\autopageref*{label})."""
    label = re.fullmatch(r"\\autopageref\*\{(.*)\}", page_reference, re.S)
    return ON_PAGE + "{" + label.group(1) + "}" if label else " on " + page_reference


def glossary_footnote(page_reference: str) -> str:
    """The footnote after a glossary term: where the glossary defines it."""
    return r"\footnote{\sphinxAtStartPar Defined in the glossary, " + page_reference + ".}"


TOTAL_RULE = "\\sphinxmidrule\n"
ROW_END, ROW_END_KEPT = "\\\\\n", "\\\\*\n"  # a row's end; one with no page break after it


def is_total_row(row: nodes.Element) -> bool:
    """Whether ``row`` is the last of a table's body with every cell in bold (a total, as
    frbook.tables.show sets one)."""
    if not isinstance(row.parent, nodes.tbody) or row is not row.parent.children[-1]:
        return False
    cells = [[child for child in paragraph.children if child.astext().strip()]
             for paragraph in row.findall(nodes.paragraph)]
    return bool(cells) and all(len(cell) == 1 and isinstance(cell[0], nodes.strong)
                               for cell in cells if cell)


def keep_with_next(lines: int) -> str:
    """LaTeX that starts a new page unless ``lines`` lines are left on this one."""
    return rf"\frbookkeep{{{lines}\baselineskip}}"


def short_caption(caption: str) -> str:
    """The title of a figure for the list of figures: the caption's first sentence; when that
    is longer than SHORT_CAPTION_CHARS, its longest start that ends at a clause (before a colon,
    semicolon or comma) and fits, so that a list in the title is not cut after its first item
    ("Congress, states and cities, and wrongful arrests and their outcomes", not "Congress,
    states and cities"); failing that, its first clause. No final full stop."""
    text = " ".join(caption.split())
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9“‘\"'])", text, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= SHORT_CAPTION_CHARS:
        return sentence
    ends = [found.start() for found in re.finditer(r"[:;,]\s", sentence)
            if found.start() >= CLAUSE_MIN_CHARS]
    fitting = [end for end in ends if end <= SHORT_CAPTION_CHARS]
    if fitting:
        return sentence[:fitting[-1]]
    return sentence[:ends[0]] if ends else sentence


def _classes(node: nodes.Node) -> list[str]:
    return node.get("classes", []) if isinstance(node, nodes.Element) else []


def _cell(node: nodes.Node) -> nodes.Element | None:
    """The notebook cell (myst-nb's container of class ``cell``) that holds ``node``."""
    while node is not None and "cell" not in _classes(node):
        node = node.parent
    return node


class LeaveOutCode(SphinxPostTransform):
    """Drops every cell's input; a cell left with nothing to show goes too."""

    default_priority = 390  # before sphinx-jupyterbook-latex wraps inputs and outputs
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(nodes.container)):
            if "cell_input" in _classes(node):
                cell = node.parent
                node.parent.remove(node)
                if cell is not None and "cell" in _classes(cell) and not cell.astext().strip():
                    cell.parent.remove(cell)


class NotesIntoFigures(SphinxPostTransform):
    """Moves the note in the cell after a figure's into the figure, under its caption."""

    default_priority = 395
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for figure in list(self.document.findall(nodes.figure)):
            cell = _cell(figure)
            following = cell.next_node(descend=False, siblings=True) if cell else None
            if following is None or "cell" not in _classes(following):
                continue
            notes = [n for n in following.findall(nodes.Element) if NOTE_CLASS in _classes(n)]
            if not notes:
                continue
            for note in notes:
                note.parent.remove(note)
            figure += nodes.container("", *notes, classes=[NOTE_CLASS])
            if not following.astext().strip():
                following.parent.remove(following)


class TableCaptions(SphinxPostTransform):
    """Captions every table in the PDF (its own, else its section's heading); the HTML shows
    no table captions (see :class:`NoTableCaptions`)."""

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for table in self.document.findall(nodes.table):
            if isinstance(table[0], nodes.title):
                continue
            section = table.parent
            while section is not None and not isinstance(section, nodes.section):
                section = section.parent
            if section is not None and isinstance(section[0], nodes.title):
                table.insert(0, nodes.title("", "", *[c.deepcopy() for c in section[0]]))


class NoTableCaptions(SphinxPostTransform):
    """In the HTML, a table from :func:`frbook.tables.show` shows no caption: its caption is
    the printed book's."""

    default_priority = 400

    def run(self, **kwargs) -> None:
        if self.app.builder.format == "latex":
            return
        for table in self.document.findall(nodes.table):
            if TABLE_CLASS in _classes(table) and isinstance(table[0], nodes.title):
                table.remove(table[0])


class BibliographyPlace(nodes.General, nodes.Element):
    """Where the bibliography directive put its entries, until LaTeX's list of them exists."""


class MarkBibliography(SphinxPostTransform):
    default_priority = 749  # Sphinx gathers the entries at the end of the book at 750
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        first = self.document.next_node(nodes.citation)
        if first is not None:
            first.parent.insert(first.parent.index(first), BibliographyPlace())


class PlaceBibliography(SphinxPostTransform):
    """Puts the list of entries where the bibliography directive was."""

    default_priority = 751
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        places = list(self.document.findall(BibliographyPlace))
        entries = self.document.next_node(thebibliography)
        for place in places:
            if entries is not None and place is places[0]:
                entries.parent.remove(entries)
                place.replace_self(entries)
            else:
                place.parent.remove(place)


class KeepLabelsWithNext(SphinxPostTransform):
    """A page does not end with a label that heads what follows it: a paragraph that is only
    bold text or only a link (the citation page's styles and chapter titles). Before the first
    label of a run of them, a keep (room for it, the labels right after it and the start of its
    text); after it, no page break before its text's first lines."""

    default_priority = 760
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        labels = [node for node in self.document.findall(nodes.Element) if self._is_label(node)]
        keeps = {id(node): KEEP_LINES + self.labels_after(node) for node in labels}
        # A label right after another one gets no keep of its own: the first one's keep holds
        # room for both, and a second keep could break the page between them.
        followers = {id(self._next_block(node)) for node in labels}
        for node in labels:
            if id(node) not in followers:
                node.parent.insert(node.parent.index(node),
                                   nodes.raw("", keep_with_next(keeps[id(node)]), format="latex"))
                self.keep_heading(node, keeps[id(node)])
            node.parent.insert(node.parent.index(node) + 1,
                               nodes.raw("", AFTER_LABEL, format="latex"))

    @staticmethod
    def keep_heading(label: nodes.Element, lines: int) -> None:
        """Keeps the heading of a short section with its first label ("The data", its sentence
        and its citation): a keep before the heading, for its lines, the text between it and
        the label, and what the label keeps (``lines``), so the page does not break between the
        text and the citation it introduces."""
        section = label.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        if section is None or section.parent is None or not isinstance(section[0], nodes.title):
            return
        label_texts = set(map(id, label.findall(nodes.Text)))
        before = "".join(str(found) for found in itertools.takewhile(
            lambda found: id(found) not in label_texts, section.findall(nodes.Text)))
        before = before[len(section[0].astext()):]
        if len(before) > MAX_KEPT_CHARS:
            return
        paragraphs = sum(1 for _ in itertools.takewhile(lambda paragraph: paragraph is not label,
                                                         section.findall(nodes.paragraph)))
        # Each paragraph before the label: its lines and the space after it, about a line.
        kept = HEADING_LINES + math.ceil(len(before) / LINE_CHARS) + paragraphs + lines
        section.parent.insert(section.parent.index(section),
                              nodes.raw("", keep_with_next(kept), format="latex"))

    @classmethod
    def labels_after(cls, node: nodes.Element) -> int:
        """How many labels follow ``node`` one after another (on the citation page, a chapter's
        title, then "APA 7"): the space kept for the text under the last label grows by a line
        for each, or the first would stay at the foot of the page when the next one's keep
        breaks it."""
        count, following = 0, cls._next_block(node)
        while following is not None and cls._is_label(following):
            count, following = count + 1, cls._next_block(following)
        return count

    @classmethod
    def _next_block(cls, node: nodes.Element) -> nodes.Element | None:
        """The first label or block of text (paragraph, literal block, title) after ``node``."""
        def is_block(candidate: nodes.Node) -> bool:
            return cls._is_label(candidate) or (isinstance(candidate, nodes.TextElement)
                                                and not isinstance(candidate, nodes.Inline))
        for after in node.findall(include_self=False, descend=False, siblings=True, ascend=True):
            block = after.next_node(is_block, include_self=True)
            if block is not None:
                return block
        return None

    @staticmethod
    def _is_label(node: nodes.Element) -> bool:
        if not isinstance(node, nodes.paragraph) or isinstance(node.parent, nodes.entry):
            return False
        children = [c for c in node.children if c.astext().strip()]
        if len(children) != 1 and "chapter-title" not in _classes(node):
            return False
        return isinstance(children[0], nodes.strong) or "chapter-title" in _classes(node)


class OverviewHeadingsAsSections(SphinxPostTransform):
    """The overview's headings, which sphinx-jupyterbook-latex sets as bold lines in large
    serif type (its RootHeader), are set as unnumbered sections and subsections: in the blue
    bold sans of every other chapter's headings."""

    default_priority = 750  # after sphinx-jupyterbook-latex made them (700)
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(nodes.Element)):
            if type(node).__name__ == "RootHeader":
                command = ROOT_HEADINGS.get(node["level"], ROOT_HEADINGS[3])
                title = texescape.escape(node.astext(), "xelatex")
                node.replace_self(nodes.raw("", f"{command}{{{title}}}\n", format="latex"))


class KeepChapterEndsWhole(SphinxPostTransform):
    """A chapter's last section, when it is short and holds only paragraphs and lists (the
    questions for discussion), is set in one box: the page before it may end early, but the
    chapter never ends with a page holding one or two of its lines."""

    default_priority = 770  # after the keeps of KeepLabelsWithNext
    formats = ("latex",)
    KEPT = (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list, nodes.raw, nodes.target)

    def run(self, **kwargs) -> None:
        for chapter in self.document.findall(nodes.section):
            if isinstance(chapter.parent, nodes.section):
                continue
            last = chapter.children[-1] if chapter.children else None
            if not isinstance(last, nodes.section) or len(last.children) < 2:
                continue
            body = last.children[1:]
            if (all(isinstance(child, self.KEPT) for child in body)
                    and sum(len(child.astext()) for child in body) <= MAX_KEPT_CHARS):
                last.insert(1, nodes.raw("", ONE_PAGE_START, format="latex"))
                last.append(nodes.raw("", ONE_PAGE_END, format="latex"))


# The fonts a table's words print in (jupyter-book's xelatex font set: FreeSerif, FreeSans for
# the header, \\sphinxstyletheadfamily, FreeMono for code), at \\small in a 10 pt book.
TABLE_FONTS = {TEXT: "FreeSerif.otf", HEADER: "FreeSans.otf", CODE: "FreeMono.otf"}
TABLE_FONT_PT = 9


@functools.cache
def _advances(kind: str) -> tuple[dict[int, float], float] | None:
    """The advance widths of the font ``kind`` prints in, in points at TABLE_FONT_PT, by code
    point, and the width of an "x" (for characters it lacks); None when TeX cannot find it."""
    found = subprocess.run(["kpsewhich", TABLE_FONTS[kind]], capture_output=True, text=True,
                           check=False).stdout.strip() if shutil.which("kpsewhich") else ""
    if not found:
        return None
    font = TTFont(found, lazy=True)
    metrics, scale = font["hmtx"], TABLE_FONT_PT / font["head"].unitsPerEm
    widths = {code: metrics[glyph][0] * scale for code, glyph in font.getBestCmap().items()}
    return widths, widths[ord("x")]


def printed_width(word: str, kind: str) -> float:
    """How wide ``word`` prints in a table, in points, measured in the PDF's fonts (an
    unbreakable space, or "~" as :func:`as_one_word` writes one, as a space); estimated from
    its characters when TeX's fonts are missing."""
    advances = _advances(kind)
    if advances is None:
        return estimated_width(word, kind)
    widths, fallback = advances
    return sum(widths.get(ord(char), fallback)
               for char in word.replace("~", " ").replace(NO_BREAK_SPACE, " "))


def printed_cell(entry: nodes.Element) -> str:
    """A table cell's text as printed, code in backticks (as frbook.tables reads it)."""
    return "".join(f"`{text}`" if isinstance(text.parent, nodes.literal) else str(text)
                   for text in entry.findall(nodes.Text))


def column_shares(spec: str) -> list[float]:
    r"""Each column's share of the line in a ``{tabularcolumns}`` spec of \X{n}{d} columns."""
    return [int(n) / int(d) for n, d in re.findall(r"\\X\{(\d+)\}\{(\d+)\}", spec)]


def table_lines(rows: list[list[str]], shares: list[float]) -> int:
    """About how many lines of small type a table of these rows (cell texts, header first) takes
    on paper, caption included: each row as tall as its tallest cell, wrapped in columns of
    these shares of the line as frbook.tables estimates them."""
    lines = 2 + ROW_LINES  # the caption
    for row in rows:
        lines += ROW_LINES + max(
            wrapped_lines([len(word) * PDF_CHAR_PT for word in cell.split()],
                          share * PDF_LINE_PT - PDF_COLUMN_GAP_PT, PDF_CHAR_PT)
            for cell, share in zip(row, shares, strict=False))
    return round(lines)


def printed_lines(rows: list[list[str]], shares: list[float]) -> int:
    """How many lines a table's caption and these rows (cell texts as printed, the header
    first) take, their words measured in the PDF's fonts, rounded up."""
    heights = row_lines([list(column) for column in zip(*rows, strict=True)],
                        [share * PDF_LINE_PT for share in shares], printed_width)
    return math.ceil(2 + ROW_LINES + sum(ROW_LINES + lines for lines in heights))


def start_rows(rows: list[list[str]], shares: list[float]) -> int:
    """How many rows a long table (rows of cell texts as printed, the header first) starts
    with where they fit: LONG_TABLE_START_ROWS, or fewer that take LONG_TABLE_START_LINES
    lines, but no fewer than LONG_TABLE_FIRST_ROWS."""
    heights = row_lines([list(column) for column in zip(*rows, strict=True)],
                        [share * PDF_LINE_PT for share in shares], printed_width)[1:]
    lines = itertools.accumulate(heights[:LONG_TABLE_START_ROWS])
    return next((count for count, total in enumerate(lines, 1)
                 if count >= LONG_TABLE_FIRST_ROWS and total >= LONG_TABLE_START_LINES),
                min(len(heights), LONG_TABLE_START_ROWS))


def is_short(rows: list[list[str]], shares: list[float]) -> bool:
    """Whether a table (rows of cell texts, the header first) is kept on one page."""
    return len(rows) - 1 <= MAX_UNBROKEN_ROWS and table_lines(rows, shares) <= MAX_UNBROKEN_LINES


def ends_its_section(node: nodes.Node) -> bool:
    """Whether no text follows ``node`` in its section: the next heading (or the chapter's
    end) comes next, so no paragraph of its section could fill a page before it."""
    for after in node.findall(include_self=False, descend=False, siblings=True, ascend=True):
        if isinstance(after, nodes.section):
            return True
        if after.next_node(nodes.paragraph, include_self=True) is not None:
            return False
    return True


def breaks_where_it_ends_its_section(table: nodes.Element, rows: list[list[str]]) -> bool:
    """Whether a short table (rows of cell texts, the header first) is set as a long one, which
    may break across pages: when it ends its section, so that nothing but it can fill the page
    it starts on (floating, it stopped at the next heading and left up to two fifths of the
    page white), and has rows enough for LONG_TABLE_FIRST_ROWS on each page."""
    return len(rows) - 1 >= 2 * LONG_TABLE_FIRST_ROWS and ends_its_section(table)


class ShortTablesWhole(SphinxPostTransform):
    r"""A short table (see MAX_UNBROKEN_ROWS) is set as a tabulary, which LaTeX keeps on one
    page (moving it whole to the next when it does not fit: its height is measured there,
    \frbookendtable), not as a longtable: longtable can forbid breaks between rows, but a table
    that then moves whole leaves its caption and a "continues on next page" behind. A short
    table that ends its section is a long one (:func:`breaks_where_it_ends_its_section`).
    Before a long one, a keep: it starts where its caption, header and first rows fit
    (:func:`start_rows`), not at a page's foot with one row: its first LONG_TABLE_FIRST_ROWS
    rows always, the others up to a third of the page."""

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for table in list(self.document.findall(nodes.table)):
            spec = table.previous_sibling()
            if "longtable" not in _classes(table) or not isinstance(spec, tabular_col_spec):
                continue
            shares = column_shares(spec["spec"])
            rows = [[entry.astext() for entry in row.findall(nodes.entry)]
                    for row in table.findall(nodes.row)]
            if is_short(rows, shares) and not breaks_where_it_ends_its_section(table, rows):
                table["classes"].remove("longtable")
                continue
            least = printed_lines(rows[:LONG_TABLE_FIRST_ROWS + 1], shares)
            lines = printed_lines(rows[:start_rows(rows, shares) + 1], shares)
            room = rf"\frbooklongtablekeep{{{least}\baselineskip}}{{{lines}\baselineskip}}"
            spec.parent.insert(spec.parent.index(spec), nodes.raw("", room, format="latex"))


def kept_with_next_row(row: nodes.Element) -> bool:
    """Whether no page break may follow this body row of a long table: its first
    LONG_TABLE_FIRST_ROWS rows stay together, and so do its last (Table 5.3, of five rows,
    carried one over to a page of its own), when it has rows enough for both."""
    body = row.parent
    if not isinstance(body, nodes.tbody) or len(body.children) < 2 * LONG_TABLE_FIRST_ROWS:
        return False
    index, count = body.index(row), len(body.children)
    return index < LONG_TABLE_FIRST_ROWS - 1 or count - LONG_TABLE_FIRST_ROWS <= index < count - 1


class LeaveOutHtmlOnlyPages(SphinxPostTransform):
    """Drops the pages listed in ``frbook_html_only`` from the PDF (the changelog: the back of
    the title page gives the version history in a sentence)."""

    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for page in list(self.document.findall(start_of_file)):
            if page["docname"] in (self.config.frbook_html_only or []):
                page.parent.remove(page)


class TableColumnsFromPrintedText(SphinxPostTransform):
    """Sizes each book table's columns from the text it prints: the notebook sized them from
    its Markdown, where a citation is a key of unknown length, so that a column of citations
    came out too narrow ("National Institute of Standards and Technology [2019]" in ten
    lines)."""

    default_priority = 399  # citations are resolved; ShortTablesWhole reads the new shares
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        unbroken = unbroken_pattern(Path(self.env.srcdir))
        for table in self.document.findall(nodes.table):
            spec = table.previous_sibling()
            if TABLE_CLASS not in _classes(table) or not isinstance(spec, tabular_col_spec):
                continue
            rows = [[as_one_word(printed_cell(entry), unbroken)
                     for entry in row.findall(nodes.entry)] for row in table.findall(nodes.row)]
            columns = [list(column) for column in zip(*rows, strict=True)]
            spec["spec"] = numbers_right(latex_column_spec(columns, printed_width), columns)


NUMBER = re.compile(r"[-+\u2212]?\d[\d,.]*%?")


def numbers_right(spec: str, columns: list[list[str]]) -> str:
    """``spec`` (ragged-right columns, as :func:`frbook.tables.latex_column_spec` writes them)
    with each column whose cells below the header are all numbers (or missing: a dash) set
    flush right, so that their digits line up."""
    starts, widths = CELL_START.findall(spec), CELL_START.split(spec)[1:]
    return "".join((RAGGED_LEFT_CELL if is_number_column(column) else start) + width
                   for start, width, column in zip(starts, widths, columns, strict=True))


def is_number_column(column: list[str]) -> bool:
    """Whether a column's cells below the header are numbers, but for missing values."""
    values = [cell.strip() for cell in column[1:] if cell.strip() != MISSING]
    return bool(values) and all(NUMBER.fullmatch(value) for value in values)


LABEL_SEPARATOR = "; "  # between the labels of a citation: "Toulas, 2020; Bird, 2022"


class CitationsBreakOnceInTables(SphinxPostTransform):
    """A citation in a book table prints whole when the table can afford it, else it breaks
    once at most ("Washington Post / Live, 2020b", not "Washington / Post / Live, 2020b"),
    never before its year nor inside "et al." (:func:`frbook.tables.citation_limit`): its
    label's spaces are unbreakable except where :func:`frbook.tables.citation_lines` ends a
    line, and the column is sized for those lines (each a word to
    TableColumnsFromPrintedText)."""

    default_priority = 398  # before TableColumnsFromPrintedText sizes the columns
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        unbroken = unbroken_pattern(Path(self.env.srcdir))
        for table in self.document.findall(nodes.table):
            if TABLE_CLASS not in _classes(table):
                continue
            rows = [[marked_cell(entry) for entry in row.findall(nodes.entry)]
                    for row in table.findall(nodes.row)]
            limit, most = citation_limit([list(column) for column in zip(*rows, strict=True)],
                                         printed_width, lambda text: as_one_word(text, unbroken))
            for citation in table.findall(nodes.inline):
                if CITATION_CLASS not in _classes(citation):
                    continue
                texts = list(citation.findall(nodes.Text))  # names, years, separators
                words = "".join(texts)
                tied = tie_labels(marked_labels(words), printed_width, limit, most)
                if len(tied) != len(words):
                    continue  # spaces not single: left as they are
                start = 0
                for text in texts:  # the same characters, spaces tied, node by node
                    text.parent.replace(text, nodes.Text(tied[start:start + len(text)]))
                    start += len(text)


def marked_labels(citation: str) -> str:
    """A citation's text ("Toulas, 2020; Bird, 2022") with each label marked (LABEL_START,
    label, LABEL_END), as :func:`frbook.tables.tie_labels` reads it."""
    return LABEL_SEPARATOR.join(LABEL_START + label + LABEL_END
                                for label in citation.split(LABEL_SEPARATOR))


def marked_cell(node: nodes.Node) -> str:
    """A table cell's text as :func:`printed_cell` gives it, each citation's labels marked."""
    if isinstance(node, nodes.inline) and CITATION_CLASS in _classes(node):
        return marked_labels(node.astext())
    if isinstance(node, nodes.Text):
        return f"`{node}`" if isinstance(node.parent, nodes.literal) else str(node)
    return "".join(marked_cell(child) for child in node.children)


def package_names(lock: str) -> list[str]:
    """The names in a pip lock file that have a hyphen (the ones a line could break at)."""
    names = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", lock, re.M)
    return sorted({name for name in names if "-" in name}, key=len, reverse=True)


# A short token with a digit and a hyphen: a date ("2020-06-10", "2020-06"), "COVID-19".
MAX_UNBROKEN_CHARS = 24  # a longer token may break
DIGIT_TOKEN = r"[\w.]*\d[\w.]*(?:-[\w.]+)+|[\w.]+(?:-[\w.]+)*-[\w.]*\d[\w.]*"
# A name of capitalised words joined by hyphens ("France-Presse") and a domain name in the text
# ("inputmag.com"), which TeX would break at the hyphen or hyphenate as a word.
NAME_TOKEN = r"[A-Z][\w.]*(?:-[A-Z][\w.]*)+"
DOMAIN_TOKEN = r"[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*\.[a-z]{2,6}"
# Words that a line does not split: a date ("19 December 2019", "December 2019", "8 Jun 2020"),
# a name and its "et al.": their spaces become unbreakable.
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November"
          "|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
DATE_WORDS = rf"\d{{1,2}} (?:{MONTHS})\.?(?: \d{{4}})?|(?:{MONTHS}) \d{{4}}"
ET_AL_WORDS = r"[\w-]+ et al\."


def unbroken_pattern(srcdir: Path) -> re.Pattern:
    """What a line must not split (see :class:`UnbrokenPackageNames`), the package names read
    from the lock file in ``srcdir``."""
    lock = srcdir / LOCK_FILE
    names = package_names(lock.read_text(encoding="utf-8")) if lock.is_file() else []
    packages = "(?i:" + "|".join(map(re.escape, names)) + ")" if names else None
    alternatives = [DATE_WORDS, ET_AL_WORDS, *filter(None, [packages]), DIGIT_TOKEN, NAME_TOKEN,
                    DOMAIN_TOKEN]
    return re.compile(r"(?<![\w.-])(" + "|".join(alternatives) + r")(?![\w-])")


def as_one_word(text: str, pattern: re.Pattern) -> str:
    """``text`` with what ``pattern`` keeps together written as one word ("19~December~2019"),
    as a table's columns are sized: no column narrower than a date it prints."""
    text = text.replace(NO_BREAK_SPACE, "~")
    return pattern.sub(lambda found: re.sub(r"[\s-]", "~", found.group())
                       if len(found.group()) <= MAX_UNBROKEN_CHARS else found.group(), text)


def unbroken_latex(token: str) -> str:
    """``token`` as LaTeX that a line does not split: its spaces unbreakable, any word with a
    hyphen (or a dot: a domain name) in a box."""
    return "~".join(r"\mbox{" + texescape.escape(word, "xelatex") + "}"
                    if re.search(r"[-.]\w", word) else texescape.escape(word, "xelatex")
                    for word in token.split(" "))


class UnbrokenPackageNames(SphinxPostTransform):
    """Keeps together what a line must not split: each package name (see
    :func:`package_names`), each short token with a digit and a hyphen (:data:`DIGIT_TOKEN`: a
    date), a hyphenated name and a domain name in an unbreakable box, so that "jupyterlab-myst"
    is not printed as "jupyterlab-" and "myst" on two lines, nor a date in a table's narrow
    column as "2020-" and "06-10"; and the words of a date ("19 December 2019") and a name's
    "et al." joined by unbreakable spaces. Text in code and in addresses is left alone."""

    default_priority = 500
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        pattern = unbroken_pattern(Path(self.env.srcdir))
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if (parent is None
                    or isinstance(parent, (nodes.FixedTextElement, nodes.literal, nodes.label))
                    or parent.get("refuri", "").startswith(("http:", "https:"))
                    or not pattern.search(text)):
                continue
            parts, end = [], 0
            for found in pattern.finditer(text):
                if len(found.group()) > MAX_UNBROKEN_CHARS:
                    continue
                parts += [nodes.Text(text[end:found.start()]),
                          nodes.raw("", unbroken_latex(found.group()), format="latex")]
                end = found.end()
            parent.replace(text, [*parts, nodes.Text(text[end:])])


class CitationAddressesAsLinks(SphinxPostTransform):
    """The web address in a citation of the book (the citing chapter's) is a link on paper,
    which breaks after a slash or before a hyphen as the bibliography's addresses do, not at
    its hyphens as a word would ("three-" / "companies"). The HTML shows it as text to copy."""

    default_priority = 490  # before UnbrokenPackageNames, which leaves links alone
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for paragraph in self.document.findall(nodes.paragraph):
            if not set(_classes(paragraph)) & set(CITATION_CLASSES):
                continue
            for text in list(paragraph.findall(nodes.Text)):
                if not ADDRESS.search(text) or isinstance(text.parent, nodes.reference):
                    continue
                parts, end = [], 0
                for found in ADDRESS.finditer(text):
                    parts += [nodes.Text(text[end:found.start()]),
                              nodes.reference(found.group(), found.group(),
                                              refuri=found.group())]
                    end = found.end()
                text.parent.replace(text, [*parts, nodes.Text(text[end:])])


class GlossarySynonymsInOneHeading(SphinxPostTransform):
    """A glossary entry with synonyms ("Face analysis", "Facial analysis") has one heading on
    paper, "Face analysis or Facial analysis", not a heading per term (which read as a doubled
    line); every term's anchor stays, so references to either still find it."""

    default_priority = 500
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for glossary in self.document.findall(glossary_node):
            for item in glossary.findall(nodes.definition_list_item):
                terms = [child for child in item.children if isinstance(child, nodes.term)]
                for synonym in terms[1:]:
                    terms[0] += nodes.Text(SYNONYM_SEPARATOR)
                    terms[0] += synonym.children
                    terms[0]["ids"] += synonym["ids"]
                    item.remove(synonym)


class PaperTranslator(LaTeXTranslator):
    """Sphinx's LaTeX writer, with a figure's short title for the list of figures, literal
    blocks kept on one page, the back matter unnumbered, no page reference after a chapter's
    title in its citation, a footnote giving a glossary term's page, and short tables
    floating."""

    def render(self, template_name: str, variables: dict) -> str:
        latex = super().render(template_name, variables)
        if template_name == SHORT_TABLE_TEMPLATE and len(self.tables) == 1:
            return FLOAT_START + latex + FLOAT_END
        return latex

    def visit_caption(self, node: nodes.Element) -> None:
        super().visit_caption(node)
        if isinstance(node.parent, nodes.figure) and self.body[-1] == r"\caption{":
            self.body[-1] = r"\caption[{" + self.encode(short_caption(node.astext())) + "}]{"

    def visit_start_of_file(self, node: nodes.Element) -> None:
        super().visit_start_of_file(node)
        if node["docname"] == self.config.frbook_back_matter:
            self.body.append(BACK_MATTER + "\n")

    def __init__(self, document, builder, theme) -> None:
        super().__init__(document, builder, theme)
        self.after_quotation: list[str] = []  # LaTeX for after the next closing quotation mark
        # Labels of targets set before a paragraph, by the paragraph (id) they anchor in.
        self.paragraph_labels: dict[int, list[str]] = {}

    def visit_target(self, node: nodes.Element) -> None:
        """A label set before a paragraph (or a list, or a quotation: before its first
        paragraph) is set in that paragraph's first line, not between paragraphs, where a page
        break after it left it, and "on page N", on the page before the passage."""
        start = len(self.body)
        super().visit_target(node)
        paragraph = labelled_paragraph(node)
        if paragraph is None:
            return
        labels = [part for part in self.body[start:] if part.startswith(LABEL_PREFIXES)]
        if labels:
            self.body[start:] = [part for part in self.body[start:] if part not in labels]
            self.paragraph_labels.setdefault(id(paragraph), []).extend(labels)

    def visit_reference(self, node: nodes.Element) -> None:
        try:
            super().visit_reference(node)
        except nodes.SkipNode:
            self.body[-1] = address_latex(self.body[-1])
            raise
        closing = self.context[-1] if self.context else ""
        page = re.fullmatch(r"\}\}\} \((.*)\)", closing) if isinstance(closing, str) else None
        after = ""  # what the reference is followed by: its page, a glossary footnote
        if page:
            self.context[-1] = "}}}"
            title = node.parent
            if not (isinstance(title, nodes.paragraph) and "chapter-title" in _classes(title)
                    and not title.astext().startswith(EXAMPLE_START)):
                after = page_suffix(page.group(1))  # not for a citation's title, but the example's
        uri = node.get("refuri", "")
        if self.body[-1] == r"\sphinxtermref{" and uri.startswith("%"):
            # A glossary term (Sphinx gives it no page), in another document: its label's id
            # as Sphinx forms it for a reference to a label in another document.
            target = uri[1:].replace("#", ":")
            if target.split(":")[0] != self.curfilestack[-1]:
                after += glossary_footnote(self.hyperpageref(target))
        if after and in_quotation(node):
            # Not inside quoted words: "the chapter “The data” on page 46".
            self.after_quotation.append(after)
        else:
            self.context[-1] += after

    def visit_Text(self, node: nodes.Text) -> None:
        if self.after_quotation and CLOSE_QUOTE in node:
            end = node.index(CLOSE_QUOTE) + 1
            self.body.append(self.encode(node[:end]) + "".join(self.after_quotation)
                             + self.encode(node[end:]))
            self.after_quotation.clear()
            return
        super().visit_Text(node)

    def visit_paragraph(self, node: nodes.Element) -> None:
        if set(_classes(node)) & set(CITATION_CLASSES):
            self.body.append("\n" + RAGGED_START)
        super().visit_paragraph(node)
        # After \sphinxAtStartPar (\leavevmode): in the paragraph's first line.
        self.body += self.paragraph_labels.pop(id(node), [])

    def depart_paragraph(self, node: nodes.Element) -> None:
        self.body += self.after_quotation  # a quotation left open: after the paragraph's text
        self.after_quotation.clear()
        super().depart_paragraph(node)
        if set(_classes(node)) & set(CITATION_CLASSES):
            self.body.append(RAGGED_END + "\n")

    def visit_literal(self, node: nodes.Element) -> None:
        """Code in a table cell (a column name) never breaks inside a word, neither hyphenated
        nor after an underscore ("contacted_" / "description" read as two words): its column
        is as wide as its longest word (frbook.tables.pdf_shares)."""
        if not self.table or self.in_title or "kbd" in _classes(node) or node.get("language"):
            super().visit_literal(node)
            return
        words = [r"\mbox{" + self.encode(word) + "}" for word in node.astext().split(" ")]
        self.body.append(r"\sphinxcode{\sphinxupquote{" + " ".join(words) + "}}")
        raise nodes.SkipNode

    def visit_number_reference(self, node: nodes.Element) -> None:
        """"Fig. 6.2 on page 40": a figure's number and, as for a section, its page."""
        if node.get("refid"):
            target = self.curfilestack[-1] + ":" + node["refid"]
        else:
            target = node.get("refuri", "")[1:].replace("#", ":")
        try:
            super().visit_number_reference(node)
        except nodes.SkipNode:
            self.body.append(page_suffix(self.hyperpageref(target)))
            raise

    def visit_row(self, node: nodes.Element) -> None:
        """A total row (frbook.tables.is_total: its cells in bold) is ruled off from the rows
        it sums."""
        if is_total_row(node):
            self.body.append(TOTAL_RULE)
        super().visit_row(node)

    def depart_row(self, node: nodes.Element) -> None:
        """A long table keeps its first rows together, and its last (:func:`kept_with_next_row`):
        no page holds one of its rows alone."""
        end = len(self.body)
        super().depart_row(node)
        if self.table.is_longtable() and kept_with_next_row(node) and self.body[end] == ROW_END:
            self.body[end] = ROW_END_KEPT

    def visit_literal_block(self, node: nodes.Element) -> None:
        if self.table or len(node.astext().splitlines()) > MAX_UNBROKEN_CODE_LINES:
            super().visit_literal_block(node)
            return
        self.body.append("\n" + CODE_START)
        try:
            super().visit_literal_block(node)
        except nodes.SkipNode:
            self.body.append(ONE_PAGE_END + "\n")
            raise


def _config_inited(app, config) -> None:
    config.latex_elements["preamble"] = config.latex_elements.get("preamble", "") + KEEP_PREAMBLE


def _builder_inited(app) -> None:
    if app.builder.format == "latex":
        app.config.pygments_style = PRINT_PYGMENTS_STYLE
        # Registered for the LaTeX build only: pydata-sphinx-theme gives the HTML builder its
        # own translator only when no other translator is registered.
        app.set_translator("latex", PaperTranslator, override=True)


def setup(app):
    app.add_node(BibliographyPlace)
    app.add_config_value("frbook_back_matter", None, "env")
    app.add_config_value("frbook_html_only", [], "env")
    for transform in (LeaveOutCode, NotesIntoFigures, TableCaptions, NoTableCaptions,
                      MarkBibliography, PlaceBibliography, OverviewHeadingsAsSections,
                      KeepLabelsWithNext,
                      KeepChapterEndsWhole, TableColumnsFromPrintedText, ShortTablesWhole,
                      LeaveOutHtmlOnlyPages, UnbrokenPackageNames, CitationAddressesAsLinks,
                      CitationsBreakOnceInTables,
                      GlossarySynonymsInOneHeading):
        app.add_post_transform(transform)
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
