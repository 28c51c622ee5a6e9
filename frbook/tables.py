"""How the book shows tables: as MyST list-tables, so that HTML and PDF get real tables and
source keys become author–year citations linked to the bibliography.

`show(frame, {"column": "Header", ...}, cite=["source_key"])` returns an object that Jupyter
displays as Markdown; the book renders that Markdown as MyST (`nb_render_markdown_format: myst`
in _config.yml). Every cell is shown in full, vocabulary values (the schema's enums) as words in
sentence case, dates at their precision, a missing value as a dash, identifiers a reader types
(`code=`: the data chapter's column names) as code; there is no index column. The data is not
changed.

In the PDF every table is a captioned booktabs longtable (`latex_table_style` in _config.yml):
it breaks across pages with its header repeated, and its text wraps ragged-right inside columns
sized by :func:`pdf_shares` to make the table as short as they can, given to LaTeX alone by a
`{tabularcolumns}` directive (HTML ignores it). Here words are sized by their characters
(:func:`estimated_width`); the PDF build sizes them again from the text as printed, measured in
the PDF's fonts (_ext/paper.py).
"""

from __future__ import annotations

import functools
import itertools
import re

import pandas as pd

from frbook.data import schema, table_names
from frbook.text import format_date

MISSING = "—"
VOCABULARY_VALUE = re.compile(r"^[a-z]+(_[a-z]+)+$")
# CommonMark lets a backslash escape any ASCII punctuation, which then reads literally.
MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
SOURCE_KEY = re.compile(r"^[a-z0-9]+$")
# A table cites in the text's parenthetical form without its brackets: "Toulas, 2020; Bird,
# 2022" (sphinxcontrib-bibtex's cite:alp), as the figures' source lines do (frbook.figures).
CITATION_ROLE = re.compile(r"\{cite:alp\}`([^`]*)`")
CODE_SPAN = re.compile(r"(?<![}`])`([^`]+)`")
MARKDOWN_ESCAPE = re.compile(r"\\(.)")
HYPHEN_BREAK = re.compile(r"(?<=\w-)(?=\w)")

# Column sizes in the PDF: the A4 text column (1 inch margins) is about 450 pt; each column
# loses 8 pt to the space between columns (\tabcolsep is 4 pt in _config.yml's preamble).
# Without the PDF's fonts a word is estimated from its characters: table text (9 pt serif)
# averages under 4.5 pt a character, the header (9 pt sans) under 6 pt.
RAGGED_CELL = r">{\RaggedRight\arraybackslash}"
# A table whose columns are each as wide as their longest word breaks no word, neither
# hyphenated ("classifica-" / "tion": TeX did so to fill a ragged line beside columns with
# room) nor at a hyphen of its own ("Non-" / "discrimination"). Only when the words alone are
# wider than the line do they break (RAGGED_CELL).
WHOLE_WORDS_CELL = r">{\RaggedRight\arraybackslash\hyphenpenalty=10000 \exhyphenpenalty=10000 }"
CELL_START = re.compile(r">\{\\RaggedRight[^{}]*\}")
PDF_LINE_PT = 450
PDF_CHAR_PT = 4.5
PDF_HEADER_CHAR_PT = 6.0
PDF_COLUMN_GAP_PT = 8
PDF_STEP_PT = 2  # columns widen in steps this wide
MAX_TRADE_STEPS = 16  # width moves between columns up to this many steps at once
# The table's height counts each row's tallest cell; the lines of all cells count this much too,
# so that a column whose widening shortens cells that are not the tallest still gains.
CELL_LINES_WEIGHT = 0.1
# A label ("What would end it", an outlet's name) reads as one when it takes at most this many
# lines: one more counts as a line of the table ("What / would end / it" beside cells of two).
LABEL_LINES = 2
CITATION_WORDS = ["x" * 10, "x" * 7]  # as long as the words of "Washington, 2020b"
# A citation in a table is printed whole on one line when its label is no wider than
# CITATION_LINE_PT (a quarter of the line: "The Hindu BusinessLine, 2022") and the table can
# afford it, that is when keeping such labels whole makes the table at most MAX_TALLER taller
# than breaking them once; a label no wider than UNBROKEN_CITATION_PT ("Security Today, 2019")
# breaks only sooner than starve prose columns (see citation_limit), and a wider label breaks
# once, into two lines ("National Institute of" / "Standards and Technology, 2019"), never
# three.
CITATION_LINE_PT = PDF_LINE_PT / 4
UNBROKEN_CITATION_PT = PDF_LINE_PT / 5
MAX_TALLER = 0.1
MAX_LABEL_LINES = 3  # when two lines of a label would starve a table's prose columns
SHORTER_PT = 0.01  # a limit this much under a label's width breaks the label
# A column of running text (its cells below the header average PROSE_CELL_WORDS words or more)
# is at least as wide as its lines need to average PROSE_LINE_WORDS words: a column wrapping
# every two words is hard to read, however short it keeps the table. A label wider than
# UNBROKEN_CITATION_PT breaks (once, or twice: MAX_LABEL_LINES) sooner than it starves such a
# column; when even then the columns do not fit, the prose columns share what the line leaves
# them so that their lines hold as many words as each other's (Columns.minimums): no prose
# column wraps every word or two beside others of three or four. From there one gives width
# to another only while that shortens the table and leaves it STARVED_LINE_WORDS a line.
PROSE_CELL_WORDS = 8
PROSE_LINE_WORDS = 4
STARVED_LINE_WORDS = 2
# Where a label may break: not before its year, nor inside "et al." (they stay with the name).
LABEL_SPACE = re.compile(r" (?!\d{4}[a-z]?\b|et al\.|al\.)")
# A citation's label in a cell's printed text, between these marks (see :func:`tie_labels`).
LABEL_START, LABEL_END = "\x01", "\x02"
MARKED_LABEL = re.compile(LABEL_START + "(.*?)" + LABEL_END)
NO_BREAK_SPACE = "\u00a0"
# What a word is set in: a cell's text, the header's, code (an identifier, monospaced).
TEXT, HEADER, CODE = "text", "header", "code"


# Vocabulary values whose words alone would not read as a phrase; the others lose their
# underscores (company_statement → Company statement).
VOCABULARY_PHRASES = {
    "read_via_copy": "read through a copy",
    "exit_general_purpose": "exit from general-purpose products",
    "time_limited_moratorium": "moratorium with an end date",
    "refusal_until_law": "refusal until a national law is in place",
    "letter_to_congress": "letter to Congress",
    "none_with_us_police": "none with US police",
    "seed_article": "the text of the two articles",
    "reading_note": "the reading note of the document",
    "research_dossier": "research notes with excerpts, compiled before the book was written",
    "project_research": "the project's excerpts verified in stored copies",
}


@functools.cache
def vocabulary() -> frozenset[str]:
    """Every value of every controlled vocabulary (enum) in the data package's schema."""
    return frozenset(value for table in table_names() for field in schema(table)
                     for value in field.get("constraints", {}).get("enum", []))


def is_vocabulary(value) -> bool:
    """True for a value of a controlled vocabulary (or that looks like one: snake_case)."""
    text = str(value)
    return text in vocabulary() or bool(VOCABULARY_VALUE.match(text))


def words(value) -> str:
    """A vocabulary value as words in sentence case (read_via_copy → Read through a copy,
    supported → Supported); other values, such as quotations, as they are."""
    text = str(value)
    if not is_vocabulary(text):
        return text
    phrase = VOCABULARY_PHRASES.get(text, text.replace("_", " "))
    return phrase[:1].upper() + phrase[1:]


def code_span(value) -> str:
    """An identifier as inline code (`survey_id`), exactly as a program names it."""
    text = str(value)
    if "`" in text or not text.strip():
        raise ValueError(f"not an identifier to show as code: {text!r}")
    return f"`{text}`"


def markdown_text(text: str) -> str:
    """``text`` on one line, its Markdown punctuation escaped so that it reads literally."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def _citation(keys: str) -> str:
    """`{cite:alp}` for one or more comma-separated source keys: "Toulas, 2020; Bird, 2022"."""
    keys = ",".join(k.strip() for k in str(keys).split(","))
    if not all(SOURCE_KEY.match(k) for k in keys.split(",")):
        raise ValueError(f"not a source key: {keys!r}")
    return "{cite:alp}`" + keys + "`"


def _cell(value, cite: bool, precision: str | None, as_code: bool = False) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if cite:
        return _citation(value)
    if as_code:
        return code_span(value)
    if isinstance(value, pd.Timestamp):
        return format_date(value, precision or "day")
    return markdown_text(words(value))


def estimated_width(word: str, kind: str) -> float:
    """How wide ``word`` prints, in points, estimated from its characters (``kind``: TEXT,
    HEADER or CODE); the PDF build measures it in the PDF's fonts instead (_ext/paper.py)."""
    return len(word) * (PDF_HEADER_CHAR_PT if kind == HEADER else PDF_CHAR_PT)


def _printed_words(cell: str, kind: str = TEXT, pieces: bool = True) -> list[tuple[str, str]]:
    """The words a Markdown cell prints, each with what it is set in (``kind`` for text, CODE
    for code), a word's parts after its hyphens apart (``pieces``) or whole; a citation as
    words as long as a label's."""
    citations = CITATION_ROLE.findall(cell)
    text = CITATION_ROLE.sub("", cell)
    found = []
    for index, part in enumerate(CODE_SPAN.split(text)):
        if index % 2:  # inside a code span: an identifier breaks nowhere
            found += [(word, CODE) for word in part.split()]
            continue
        # A line may break after a word's hyphen ("demographic-effects"): its parts count apart.
        found += [(piece, kind) for word in MARKDOWN_ESCAPE.sub(r"\1", part).split()
                  for piece in (HYPHEN_BREAK.split(word) if pieces else [word])]
    for keys in citations:
        found += [(word, kind) for word in CITATION_WORDS * len(keys.split(","))]
    return found or [("", kind)]


def citation_lines(label: str, measure=estimated_width, limit: float = CITATION_LINE_PT,
                   most: int = 2) -> list[str]:
    """The lines a citation's label ("Washington Post Live, 2020b") may take in a table: the
    label whole when it is one word and its year or no wider than ``limit``, else two lines,
    split at the space that makes the wider one narrowest; with ``most`` three, three lines
    when two would leave one wider than UNBROKEN_CITATION_PT ("National Institute / of
    Standards and / Technology, 2019"). The year always stays with the word before it. A
    column is as wide as the widest of these lines; the label breaks only where one of them
    ends, and only when it does not fit on its line whole."""
    words = LABEL_SPACE.split(" ".join(label.split()))
    whole = " ".join(words)
    if len(words) == 1 or measure(whole, TEXT) <= limit:
        return [whole]

    def widest(lines: list[str]) -> float:
        return max(measure(line, TEXT) for line in lines)

    lines = []
    for count in range(2, min(most, len(words)) + 1):
        splits = ([" ".join(words[start:end]) for start, end
                   in itertools.pairwise((0, *cuts, len(words)))]
                  for cuts in itertools.combinations(range(1, len(words)), count - 1))
        lines = min(splits, key=widest)
        if widest(lines) <= UNBROKEN_CITATION_PT:
            break
    return lines


def tie_labels(text: str, measure=estimated_width, limit: float = CITATION_LINE_PT,
               most: int = 2) -> str:
    """``text`` with each label marked in it (LABEL_START, label, LABEL_END) unmarked, its
    spaces unbreakable except where one of its :func:`citation_lines` ends."""
    return MARKED_LABEL.sub(
        lambda found: " ".join(line.replace(" ", NO_BREAK_SPACE)
                               for line in citation_lines(found.group(1), measure, limit, most)),
        text)


def citation_limit(columns: list[list[str]], measure=estimated_width, prepare=lambda text: text
                   ) -> tuple[float, int]:
    """How wide a label in this table may be and still print whole (see CITATION_LINE_PT), and
    in how many lines at most a wider one prints, for cells whose labels are marked (see
    :func:`tie_labels`), each cell then as ``prepare`` makes it: CITATION_LINE_PT, or the width
    of the widest label that keeps the table no more than MAX_TALLER taller than breaking every
    label wider than UNBROKEN_CITATION_PT and leaves its prose columns the width they need (see
    PROSE_LINE_WORDS); failing that, UNBROKEN_CITATION_PT, with two lines at most, or three
    (for a label whose two lines would still be wider than UNBROKEN_CITATION_PT) sooner than
    starve the prose columns; and when even that starves them, a limit just under the widest
    label that then leaves them their width: labels up to UNBROKEN_CITATION_PT break too."""
    labels = {measure(label, TEXT) for column in columns for cell in column[1:]
              for label in MARKED_LABEL.findall(cell)}
    limits = sorted({CITATION_LINE_PT} | {width for width in labels
                                          if UNBROKEN_CITATION_PT < width <= CITATION_LINE_PT},
                    reverse=True)

    @functools.cache
    def tied(limit: float, most: int = 2) -> Columns:
        return Columns([[prepare(tie_labels(cell, measure, limit, most)) for cell in column]
                        for column in columns], measure)

    def height(limit: float) -> int:
        return _body_height(tied(limit))

    def starves_prose(limit: float, most: int = 2) -> bool:
        return tied(limit, most).starves_prose()

    allowed = height(UNBROKEN_CITATION_PT) * (1 + MAX_TALLER)
    limit = next((limit for limit in limits
                  if height(limit) <= allowed and not starves_prose(limit)), None)
    if limit is not None:
        return limit, 2
    if not starves_prose(UNBROKEN_CITATION_PT):
        return UNBROKEN_CITATION_PT, 2
    # Even a label up to UNBROKEN_CITATION_PT breaks, the widest first, sooner than starve the
    # prose columns (Table 5.3's "Associated Press, 2020a" held its column half empty beside
    # excerpts and readings of four words a line).
    for width in sorted((width for width in labels if width <= UNBROKEN_CITATION_PT),
                        reverse=True):
        if not starves_prose(width - SHORTER_PT, MAX_LABEL_LINES):
            return width - SHORTER_PT, MAX_LABEL_LINES
    return UNBROKEN_CITATION_PT, MAX_LABEL_LINES


def _share(points: float) -> float:
    """The share of the PDF's text column that a cell ``points`` wide needs, gaps included."""
    return (points + PDF_COLUMN_GAP_PT) / PDF_LINE_PT


def wrapped_lines(words: list[float], width: float, space: float) -> int:
    """The lines that words this wide (points) fill when wrapped into ``width`` points, a
    ``space`` between words on a line, each line as full as it can be."""
    lines, line = 1, 0.0
    for word in words:
        if line and line + space + word > width + 1e-9:  # a word just as wide fits
            lines, line = lines + 1, word
        else:
            line = line + space + word if line else word
    return lines


class Columns:
    """A table's columns as widths of printed words (header first), and the lines each cell
    takes at a column width: what :func:`pdf_shares` weighs."""

    def __init__(self, columns: list[list[str]], measure=estimated_width):
        kinds = [HEADER] + [TEXT] * (len(columns[0]) - 1)
        self.spaces = [measure(" ", kind) for kind in kinds]

        def widths(pieces: bool) -> list[list[list[float]]]:
            return [[[measure(word, kind) for word, kind
                      in _printed_words(cell, kinds[row], pieces)]
                     for row, cell in enumerate(column)] for column in columns]

        def floors(words: list[list[list[float]]]) -> list[float]:
            return [max(max(cell) for cell in column) + PDF_COLUMN_GAP_PT for column in words]

        # Where the line has room for every word whole, no word breaks in a cell: neither at a
        # hyphen of its own ("Non-" / "discrimination") nor hyphenated (WHOLE_WORDS_CELL);
        # else a word may break after its hyphens.
        self.words = widths(pieces=False)
        self.whole_words = sum(floors(self.words)) <= PDF_LINE_PT
        if not self.whole_words:
            self.words = widths(pieces=True)
        self.floors = floors(self.words)
        self.naturals = [max(sum(cell) + self.spaces[row] * (len(cell) - 1)
                             for row, cell in enumerate(column)) + PDF_COLUMN_GAP_PT
                         for column in self.words]
        self._lines: dict[tuple[int, float], list[int]] = {}

    def lines(self, column: int, width: float) -> list[int]:
        """The lines of each cell of ``column`` at ``width`` points (gaps included)."""
        if (column, width) not in self._lines:
            self._lines[column, width] = [
                wrapped_lines(cell, width - PDF_COLUMN_GAP_PT, self.spaces[row])
                for row, cell in enumerate(self.words[column])]
        return self._lines[column, width]

    def height(self, widths: list[float]) -> float:
        """The table's lines, each row as tall as its tallest cell, and CELL_LINES_WEIGHT for
        every line of every cell below the header; a label (a cell of a column of other text
        than prose) wrapped past LABEL_LINES lines counts its extra lines as the table's."""
        columns = [self.lines(i, w) for i, w in enumerate(widths)]
        rows = list(zip(*columns, strict=True))
        wrapped = sum(max(lines - LABEL_LINES, 0) for i, column in enumerate(columns)
                      if not self.is_prose(i) for lines in column[1:])
        return (sum(map(max, rows)) + CELL_LINES_WEIGHT * sum(map(sum, rows[1:]))
                + wrapped)

    def text(self, column: int) -> float:
        """How much text the column's cells (below the header) hold, in points."""
        return sum(map(sum, self.words[column][1:]))

    def is_prose(self, column: int) -> bool:
        """Whether the column's cells are running text (PROSE_CELL_WORDS words on average)."""
        cells = self.words[column][1:]
        return bool(cells) and sum(map(len, cells)) / len(cells) >= PROSE_CELL_WORDS

    def words_per_line(self, column: int, width: float) -> float:
        """The words of the column's cells (below the header) per line at ``width`` points."""
        cells = self.words[column][1:]
        return sum(map(len, cells)) / sum(self.lines(column, width)[1:])

    def prose_width(self, column: int, words: int = PROSE_LINE_WORDS) -> float:
        """The narrowest width (a step above its floor) at which a prose column's lines
        average ``words`` words, or its natural width; a column of other text needs only its
        floor."""
        width = self.floors[column]
        if self.is_prose(column):
            while (width < self.naturals[column]
                   and self.words_per_line(column, width) < words):
                width = min(width + PDF_STEP_PT, self.naturals[column])
        return width

    @functools.cached_property
    def tradable(self) -> list[float]:
        """How narrow width traded away may leave a column (see :func:`_trade`): its
        :attr:`minimums`, but a prose column that has its :meth:`prose_width` may give up its
        lines' last word for what shortens the table (a label wrapped to three lines, "What /
        would end / it", beside prose of four words a line); when the prose columns cannot all
        have theirs, one may give up width down to STARVED_LINE_WORDS words a line for what
        shortens the table (Table 2.1's findings, short cells never the tallest of their
        rows, held a column half empty beside descriptions in eight lines)."""
        if self.starves_prose():
            return [min(least, self.prose_width(i, STARVED_LINE_WORDS))
                    for i, least in enumerate(self.minimums)]
        return [self.prose_width(i, PROSE_LINE_WORDS - 1) for i in range(len(self.words))]

    def starves_prose(self) -> bool:
        """Whether the prose columns cannot all have their :meth:`prose_width`."""
        return sum(map(self.prose_width, range(len(self.words)))) > PDF_LINE_PT

    @functools.cached_property
    def minimums(self) -> list[float]:
        """Each column's least width: its floor, and for a prose column its
        :meth:`prose_width`; when they do not all fit, the prose columns share the width the
        others leave so that their lines hold as many words as each other's: a step at a time
        to the one with the fewest words a line, none above its prose width (in proportion to
        their text, Table 2.1's findings, short cells of long words, ran 1.7 words a line
        beside descriptions of three)."""
        wanted = [self.prose_width(i) for i in range(len(self.words))]
        if sum(wanted) <= PDF_LINE_PT:
            return wanted
        widths = list(self.floors)
        room = PDF_LINE_PT - sum(widths)
        while room > 0:
            sharing = [i for i in range(len(widths)) if widths[i] < wanted[i] and self.text(i)]
            if not sharing:
                break
            column = min(sharing, key=lambda i: (self.words_per_line(i, widths[i]),
                                                 -self.text(i)))
            step = min(PDF_STEP_PT, room, wanted[column] - widths[column])
            widths[column] += step
            room -= step
        return widths


def _widen(table: Columns, widths: list[float]) -> list[float]:
    """From the columns' floors, the room left goes, a step at a time, to the column whose
    widening takes the most lines off the table, until no step shortens it."""
    widths = list(widths)
    while (room := PDF_LINE_PT - sum(widths)) > 0:
        now, best = table.height(widths), None  # best: (lines saved per point, column, points)
        for i, width in enumerate(widths):
            limit, step = min(room, table.naturals[i] - width), 0.0
            while step < limit:  # the narrowest widening of this column that saves a line
                step = min(step + PDF_STEP_PT, limit)
                saved = now - table.height(widths[:i] + [width + step] + widths[i + 1:])
                if saved > 0:
                    if best is None or saved / step > best[0]:
                        best = (saved / step, i, step)
                    break
        if best is None:
            return widths
        widths[best[1]] += best[2]
    return widths


def _trade(table: Columns, widths: list[float]) -> list[float]:
    """Widths moved from column to column while that shortens the table: widening one column
    at a time cannot see that three narrow columns of long text each need room that a wide one
    holds (Table 2.1's descriptions in lines of one or two words beside half-empty columns).
    A move takes width from one column, or from two at once, for one other: a column may need
    more than either of two others can spare to take a line off its rows (Table 1.7's outlets
    in three lines beside topics and reading notes with a few points each to spare). A prose
    column gives another no width below its :meth:`Columns.prose_width` that would leave it
    fewer words a line than the other: Table 1.5's claims wrapped every three words to take a
    line off the reasons beside them, at five a line."""
    widths = list(widths)
    now = table.height(widths)
    steps = [PDF_STEP_PT * n for n in range(1, MAX_TRADE_STEPS + 1)]

    def allowed(trial: list[float], giver: int, taker: int) -> bool:
        if trial[giver] < table.tradable[giver]:
            return False
        # A prose column keeps its measure beside a roomier one.
        return not (table.is_prose(giver) and table.is_prose(taker)
                    and trial[giver] < table.prose_width(giver)
                    and table.words_per_line(giver, trial[giver])
                    < table.words_per_line(taker, trial[taker]))

    def moves():
        columns = range(len(widths))
        for giver, taker in itertools.permutations(columns, 2):
            for step in steps:
                yield ((giver, step),), taker
        for taker in columns:
            for first, second in itertools.combinations([c for c in columns if c != taker], 2):
                for one, two in itertools.product(steps, repeat=2):
                    yield ((first, one), (second, two)), taker

    improved = True
    while improved:
        improved = False
        for gives, taker in moves():
            trial = list(widths)
            for giver, step in gives:
                trial[giver] -= step
                trial[taker] += step
            if not all(allowed(trial, giver, taker) for giver, _ in gives):
                continue
            if (height := table.height(trial)) < now - 1e-9:
                widths, now, improved = trial, height, True
                break
    return widths


def _spread(table: Columns) -> list[float]:
    """From the columns' :attr:`Columns.minimums`, the room left shared in proportion to what
    each column lacks of its natural width: a second start for :func:`_trade`, whose moves
    from the first (:func:`_widen`'s, one column widened at a time) can stop where no single
    move shortens the table though another share of the line is shorter (Table 1.7's
    outlets in three lines)."""
    minimums = table.minimums
    lacking = [max(natural - minimum, 0) for natural, minimum in zip(table.naturals, minimums,
                                                                      strict=True)]
    room = PDF_LINE_PT - sum(minimums)
    if room <= 0 or not sum(lacking):
        return list(minimums)
    return [minimum + room * lack / sum(lacking) for minimum, lack in zip(minimums, lacking,
                                                                          strict=True)]


def pdf_shares(columns: list[list[str]], measure=estimated_width) -> list[float]:
    """Each column's share of the PDF's text column, for cells in Markdown (header first),
    their words as wide as ``measure`` (word, kind) says.

    The shares that make the table shortest: every column starts as wide as its longest word
    (no word is broken, an identifier whole), a column of running text as wide as its lines
    need to hold PROSE_LINE_WORDS words on average (:attr:`Columns.minimums`), then the room
    left goes, a step at a time, to the column whose widening takes the most lines off the
    table, rows counted by their tallest cell; then width moves between columns while that
    shortens the table; what is left when nothing shortens it goes to the columns by the
    length of their text. A table whose cells all fit on one line is as narrow as they are.
    The HTML's relative widths (``show(..., widths=)``) are the HTML's: on paper the text
    decides.
    """
    return _shares(Columns(columns, measure))


def _shares(table: Columns) -> list[float]:
    """:func:`pdf_shares` for a table already measured."""
    if sum(table.naturals) <= PDF_LINE_PT:
        return [n / PDF_LINE_PT for n in table.naturals]
    if sum(table.floors) >= PDF_LINE_PT:  # the words alone are wider than the page
        return [floor / sum(table.floors) for floor in table.floors]
    starts = [_widen(table, table.minimums), _spread(table)]
    widths = min((_trade(table, start) for start in starts), key=table.height)
    room = PDF_LINE_PT - sum(widths)
    text = [table.text(i) if widths[i] < table.naturals[i] else 0 for i in range(len(widths))]
    if room > 0 and sum(text):
        widths = [w + room * t / sum(text) for w, t in zip(widths, text, strict=True)]
    return [w / PDF_LINE_PT for w in widths]


def _row_lines(table: Columns, widths: list[float]) -> list[int]:
    return [max(row) for row in zip(*(table.lines(i, w) for i, w in enumerate(widths)),
                                    strict=True)]


def row_lines(columns: list[list[str]], widths: list[float], measure=estimated_width
              ) -> list[int]:
    """The lines each row of a table takes (the header first), as tall as its tallest cell, in
    columns these widths (points) wide."""
    return _row_lines(Columns(columns, measure), widths)


def _body_height(table: Columns) -> int:
    """The lines of a table's rows below its header in columns of :func:`pdf_shares`."""
    return sum(_row_lines(table, [share * PDF_LINE_PT for share in _shares(table)])[1:])


def latex_column_spec(columns: list[list[str]], measure=estimated_width) -> str:
    """The LaTeX column specification for these columns (cell texts, header first):
    ragged-right paragraphs (ragged2e) at :func:`pdf_shares`, hyphenated only when the words
    alone are wider than the line (WHOLE_WORDS_CELL);
    \\arraybackslash keeps the row ends working. The notebook gives it for the Markdown (a
    citation estimated from CITATION_WORDS); the PDF build gives it again for the text as
    printed, citations as their labels, measured in the PDF's fonts (_ext/paper.py)."""
    table = Columns(columns, measure)
    cell = WHOLE_WORDS_CELL if table.whole_words else RAGGED_CELL
    return "".join(f"{cell}\\X{{{round(share * 1000)}}}{{1000}}" for share in _shares(table))


class Table:
    """A table for the page; Jupyter shows it as Markdown, plain text elsewhere."""

    def __init__(self, header: list[str], rows: list[list[str]], widths: list[int] | None,
                 caption: str | None = None):
        self.header, self.rows, self.widths, self.caption = header, rows, widths, caption

    def _markdown_rows(self) -> list[list[str]]:
        return [[markdown_text(h) for h in self.header], *self.rows]

    def latex_columns(self) -> str:
        """The LaTeX column specification of :func:`latex_column_spec` for this table."""
        return latex_column_spec([list(column) for column in zip(*self._markdown_rows(),
                                                                 strict=True)])

    def _repr_markdown_(self) -> str:
        options = [":header-rows: 1", ":class: book-table longtable"]
        if self.widths:
            options.append(":widths: " + " ".join(str(w) for w in self.widths))
        lines = ["```{tabularcolumns} " + self.latex_columns(), "```", "",
                 "```{list-table}" + (f" {markdown_text(self.caption)}" if self.caption else ""),
                 *options, ""]
        for row in self._markdown_rows():
            lines.append(f"* - {row[0]}")
            lines += [f"  - {cell}" for cell in row[1:]]
        lines.append("```")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "\n".join(" | ".join(row) for row in [self.header, *self.rows])


def show(
    frame: pd.DataFrame,
    columns: dict[str, str],
    cite: list[str] = (),
    precision: dict[str, str] | None = None,
    widths: list[int] | None = None,
    caption: str | None = None,
    code: list[str] = (),
) -> Table:
    """`frame`'s `columns` (data name → header, in that order) as a table for the page.

    `cite` names columns of source keys, shown as author–year citations ("Toulas, 2020");
    `precision` maps a date column to the column holding its precision (day, month or year);
    `widths` are relative column widths in the HTML. `caption` is printed above the table in
    the PDF (the HTML shows the table under its heading and the sentence introducing it);
    without one, the PDF takes the heading of the table's section (_ext/paper.py). `code`
    names columns of identifiers (column names in the data chapter), shown as code exactly as
    written.
    """
    precision = precision or {}
    rows = []
    total = is_total(frame[list(columns)])
    for _, record in frame.iterrows():
        row = []
        for column in columns:
            level = precision.get(column)
            row.append(_cell(record[column], column in cite,
                             str(record[level]) if level else None, column in code))
        rows.append(row)
    if total:  # set in bold: a total, not one more kind of source (_ext/paper.py rules it off)
        rows[-1] = [cell if cell == MISSING else f"**{cell}**" for cell in rows[-1]]
    return Table(list(columns.values()), rows, widths, caption)


def is_total(frame: pd.DataFrame) -> bool:
    """Whether the last row of ``frame`` is a total ("All sources"): below at least two rows,
    a name in its first column and in each other column the sum of the numbers above it, all
    of them numbers."""
    numbers = frame.iloc[:, 1:]
    if len(frame) < 3 or numbers.empty or not all(
            pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
            for dtype in numbers.dtypes):
        return False
    return bool((numbers.iloc[:-1].sum() == numbers.iloc[-1]).all())
