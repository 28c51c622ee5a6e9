"""Tables are shown as MyST list-tables: whole cells, words, dates, dashes, citations; in the
PDF as longtables whose columns are sized from their text."""

import itertools
import re

import pandas as pd
import pytest

from frbook.tables import (
    CELL_START,
    CITATION_LINE_PT,
    CODE,
    LABEL_END,
    LABEL_START,
    MAX_LABEL_LINES,
    NO_BREAK_SPACE,
    PDF_CHAR_PT,
    PDF_COLUMN_GAP_PT,
    PDF_HEADER_CHAR_PT,
    PDF_LINE_PT,
    PDF_STEP_PT,
    PROSE_LINE_WORDS,
    TEXT,
    UNBROKEN_CITATION_PT,
    Columns,
    _printed_words,
    _share,
    _widen,
    citation_limit,
    citation_lines,
    estimated_width,
    is_total,
    latex_column_spec,
    pdf_shares,
    show,
    tie_labels,
    words,
    wrapped_lines,
)


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "access": pd.Categorical(["read_via_copy", "not_read"]),
            "date": pd.to_datetime(["2020-06-08", "2021-05-01"]),
            "precision": ["day", "month"],
            "title": ["A long title that stays whole " * 4, "<script>x</script> *not em*"],
            "days": pd.array([365, None], dtype="Int64"),
            "source_key": ["ibm2020letter", "reuters2021amazon, input2020amazon"],
        },
        index=pd.Index(["editorial_opinion", "IBM"], name="kind"),
    )


COLUMNS = {"access": "Access", "date": "Date", "title": "Title", "days": "Days",
           "source_key": "Source"}


def markdown() -> str:
    return show(frame(), COLUMNS, cite=["source_key"],
                precision={"date": "precision"})._repr_markdown_()


def test_a_list_table_with_one_header_row_and_no_index():
    text = markdown()
    assert "```{list-table}\n:header-rows: 1\n:class: book-table longtable\n" in text
    assert text.count("* - ") == 3  # header and two rows
    assert "editorial" not in text  # the index is not shown


def test_values_read_as_words_dates_at_their_precision_and_a_dash_for_missing():
    text = markdown()
    assert "Read through a copy" in text and "read_via_copy" not in text
    assert "8 June 2020" in text and "May 2021" in text and "1 May" not in text
    assert "  - —" in text and "<NA>" not in text


def test_vocabulary_values_read_in_sentence_case_and_other_text_as_it_is():
    """Values of the schema's vocabularies, with or without an underscore, start with a capital;
    a quotation that starts in lower case keeps its words."""
    assert words("supported") == "Supported" and words("company_statement") == "Company statement"
    assert words("none_with_us_police") == "None with US police"
    assert words("not_read") == "Not read" and words("IBM") == "IBM"
    quotation = "we will not sell facial recognition technology"
    assert words(quotation) == quotation and words("2020") == "2020"
    text = show(pd.DataFrame({"assessment": ["supported"], "excerpt": [quotation]}),
                {"assessment": "Assessment", "excerpt": "Excerpt"})._repr_markdown_()
    assert "* - Supported" in text and f"  - {quotation}" in text


def test_identifier_columns_show_as_code_exactly_as_written():
    """The data chapter's column names read as a program names them (`survey_id`), not as
    words ("survey id"); the PDF sizes the column by the name, not its backticks."""
    fields = pd.DataFrame({"name": ["survey_id", "date"], "description": ["The survey", "When"]})
    text = show(fields, {"name": "Column", "description": "Description"},
                code=["name"])._repr_markdown_()
    assert "* - `survey_id`" in text and "* - `date`" in text and "survey id" not in text
    assert "survey id" in show(fields, {"name": "Column"})._repr_markdown_().lower()
    assert _printed_words("`survey_id`") == [("survey_id", CODE)]
    with pytest.raises(ValueError, match="not an identifier"):
        show(fields.assign(name=["a`b", "c"]), {"name": "Column"}, code=["name"])


def test_source_keys_become_citations_and_text_is_escaped():
    text = markdown()
    assert "{cite:alp}`ibm2020letter`" in text
    assert "{cite:alp}`reuters2021amazon,input2020amazon`" in text
    assert ("A long title that stays whole " * 4).strip() in text
    assert r"\<script\>" in text and r"\*not em\*" in text


def test_a_bad_source_key_is_refused():
    bad = frame().assign(source_key=["ibm2020letter`} {evil", "x"])
    with pytest.raises(ValueError, match="not a source key"):
        show(bad, COLUMNS, cite=["source_key"])


def test_the_data_is_not_changed():
    original = frame()
    show(original, COLUMNS)
    assert list(original["access"]) == ["read_via_copy", "not_read"]


# The PDF's columns.

def latex_shares(text: str) -> list[float]:
    spec = re.match(r"```\{tabularcolumns\} (.+)\n```\n\n```\{list-table\}", text).group(1)
    assert len(re.findall(CELL_START.pattern + r"\\X\{", spec)) == spec.count(r"\X{")
    return [int(a) / int(b) for a, b in re.findall(r"\\X\{(\d+)\}\{(\d+)\}", spec)]


def test_the_pdf_gets_one_ragged_right_column_per_column_before_the_table():
    assert len(latex_shares(markdown())) == len(COLUMNS)


def test_given_widths_are_the_htmls_and_the_pdf_sizes_columns_by_their_text():
    table = show(frame(), {"title": "Title", "days": "Days"}, widths=[60, 40])
    assert ":widths: 60 40" in table._repr_markdown_()
    title, days = latex_shares(table._repr_markdown_())
    assert days == pytest.approx(_share(len("Days") * PDF_HEADER_CHAR_PT), abs=0.001)
    assert title + days == pytest.approx(1, abs=0.002)


def printed_lines(columns: list[list[str]], shares: list[float]) -> int:
    """The lines a table takes, each row as tall as its tallest cell (the header in bold)."""
    total = 0
    for row in range(len(columns[0])):
        char = PDF_HEADER_CHAR_PT if row == 0 else PDF_CHAR_PT
        total += max(wrapped_lines([len(word) * char for word in column[row].split()],
                                   share * PDF_LINE_PT - PDF_COLUMN_GAP_PT, char)
                     for column, share in zip(columns, shares, strict=True))
    return total


# Like the claims table: short labels beside two columns of long text.
CLAIMS = [["Kind of claim", "editorial opinion", "factual claim", "editorial opinion"],
          ["Claim", "Frames the lack of a law as the state failing to protect rights. " * 2,
           "Says Microsoft had earlier argued that it should not be banned.", "Praises it."],
          ["Why", "A value judgement; the article cites no legal analysis at all. " * 4,
           "In January 2020 Smith argued against a proposed EU ban; the article does not say "
           "which statement it means. " * 2, "A value judgement; reported as the article's view."]]


def test_columns_make_the_table_as_short_as_they_can():
    shares = pdf_shares(CLAIMS)
    assert sum(shares) == pytest.approx(1)
    even = [1 / 3] * 3
    by_longest_cell = [0.1, 0.3, 0.6]  # roughly what each column's longest cell asks for
    assert printed_lines(CLAIMS, shares) < printed_lines(CLAIMS, even)
    assert printed_lines(CLAIMS, shares) <= printed_lines(CLAIMS, by_longest_cell)
    # the labels get no more than their widest cell (the header), the explanations the most
    assert shares[0] <= _share(len("Kind of claim") * PDF_HEADER_CHAR_PT) + 1e-9
    assert shares[0] < shares[1] < shares[2]


def test_no_column_is_narrower_than_its_longest_word():
    columns = [["Company", "IBM"], ["Principle", "Non-discrimination"], ["Excerpt", "text " * 80]]
    shares = pdf_shares(columns)
    assert shares[0] >= _share(len("Company") * PDF_HEADER_CHAR_PT)
    # a line may break after a hyphen: the longest part of "Non-discrimination" sets its floor
    assert shares[1] >= _share(len("discrimination") * PDF_CHAR_PT)
    assert sum(shares) == pytest.approx(1)
    assert shares[2] == max(shares)  # the long text still gets the most room


def test_words_wrap_greedily():
    assert wrapped_lines([10, 10, 10], 34, 2) == 1  # 10 + 2 + 10 + 2 + 10
    assert wrapped_lines([10, 10, 10], 33, 2) == 2
    assert wrapped_lines([10, 10, 10], 21, 2) == 3
    assert wrapped_lines([50], 10, 2) == 1  # a word wider than the line still takes one line


def test_a_table_of_short_cells_is_as_narrow_as_its_text():
    shares = pdf_shares([["Kind", "news report"], ["Read", "47"]])
    assert shares == [_share(len("news report") * PDF_CHAR_PT),
                      _share(len("Read") * PDF_HEADER_CHAR_PT)]  # bold header is wider
    assert sum(shares) < 0.5


def test_a_citation_counts_as_its_printed_label_not_its_key():
    cited = pdf_shares([["Source", "{cite:alp}`averyveryverylongsourcekey2020`"], ["x", "y"]])
    assert cited[0] < _share(len("averyveryverylongsourcekey2020") * PDF_CHAR_PT)


def test_words_wider_than_the_page_share_it_by_their_length():
    long_word = "x" * int(PDF_LINE_PT / PDF_CHAR_PT * 0.6)  # two of them cannot both fit
    shares = pdf_shares([[long_word], [long_word + "x" * 10]])
    assert sum(shares) == pytest.approx(1) and shares[0] < shares[1]


def lengths(cell: str) -> list[int]:
    return [len(word) for word, _ in _printed_words(cell)]


def test_a_hyphenated_word_may_break_after_its_hyphen():
    assert lengths("NIST demographic-effects study") == [4, 12, 7, 5]
    assert lengths("one-to-many") == [4, 3, 4]
    assert lengths("a - b") == [1, 1, 1]
    assert lengths("`one-to-many` x") == [11, 1]  # code breaks nowhere


def test_an_identifier_column_is_as_wide_as_its_longest_identifier():
    """Sized in the font code prints in (monospace, wider than the text's), so that no
    identifier breaks ("contacted_" over "description")."""
    def measure(word: str, kind: str) -> float:
        return len(word) * (6 if kind == CODE else 4)

    columns = [["Column", "`survey_id`", "`contacted_description`"],
               ["Description", "The survey. " * 30, "Who was contacted. " * 30]]
    shares = pdf_shares(columns, measure)
    assert shares[0] * PDF_LINE_PT - PDF_COLUMN_GAP_PT >= len("contacted_description") * 6
    assert sum(shares) == pytest.approx(1)


def printed_labels(labels: list[str], most: int = 2) -> str:
    """A cell of citations as a table prints it: each label broken only where one of its lines
    ends (a break elsewhere written "~", as the PDF build sizes columns)."""
    text = "; ".join(LABEL_START + label + LABEL_END for label in labels)
    return tie_labels(text, limit=UNBROKEN_CITATION_PT, most=most).replace("\u00a0", "~")


# Table 2.1 as the PDF prints it (citations as their labels): its Sources column took 53 pt, so
# "National Institute of Standards and Technology, 2019" ran down ten lines.
EVIDENCE = [
    ["Study", "Gender Shades audit", "NIST demographic-effects study"],
    ["Published", "February 2018", "19 December 2019"],
    ["What was tested", "Gender classification: commercial systems from IBM, Microsoft and "
     "Face++ labelling faces male or female, on a benchmark balanced by gender and skin type",
     "Identity matching: 189 algorithms, one-to-one (verification) and one-to-many (searching "
     "a photo database)"],
    ["What it found", "Most errors for darker-skinned women, fewest for lighter-skinned men",
     "Differences between demographic groups in the majority of algorithms"],
    ["Who answered, and how", "All three audited companies released new versions that "
     "narrowed the gaps, as the follow-up audit found", "Amazon had submitted no algorithm; "
     "NIST itself warned against generalising across algorithms"],
    ["Sources", *[printed_labels(labels, most=MAX_LABEL_LINES) for labels in (
        ["Buolamwini and Gebru, 2018", "Raji and Buolamwini, 2019"],
        ["Grother et al., 2019", "National Institute of Standards and Technology, 2019",
         "Security Today, 2019"])]],
]


def test_a_column_of_citations_gets_room_for_them():
    shares = pdf_shares(EVIDENCE)
    cell = EVIDENCE[-1][2]
    width = shares[-1] * PDF_LINE_PT - PDF_COLUMN_GAP_PT
    assert all(estimated_width(line, TEXT) <= width for line in cell.split())
    assert wrapped_lines([estimated_width(line, TEXT) for line in cell.split()], width,
                         PDF_CHAR_PT) <= 7
    assert shares[0] < shares[2]  # the short study names give room to the long descriptions
    assert latex_column_spec(EVIDENCE).count(r"\X{") == len(EVIDENCE)


def test_width_moves_to_where_it_shortens_the_table():
    """Widening one column at a time stops where no single column's widening saves a line;
    trading width between columns shortens Table 2.1 further (its descriptions were cells of
    a word or two a line beside half-empty columns), until no step of width helps."""
    table = Columns(EVIDENCE)
    widths = [share * PDF_LINE_PT for share in pdf_shares(EVIDENCE)]
    assert table.height(widths) <= table.height(_widen(table, table.minimums))
    for giver, taker in itertools.permutations(range(len(widths)), 2):
        if widths[giver] - PDF_STEP_PT >= table.minimums[giver]:
            moved = list(widths)
            moved[giver] -= PDF_STEP_PT
            moved[taker] += PDF_STEP_PT
            assert table.height(moved) >= table.height(widths) - 1e-9


def test_a_citation_breaks_twice_only_when_two_lines_are_wide():
    """"National Institute of Standards / and Technology, 2019" held Table 2.1's Sources
    column at a quarter of the line while its descriptions ran ten lines: where two lines
    would starve the prose, a label breaks twice when one of its two lines would be wider than
    a label that never breaks; a shorter one still breaks once."""
    long_name = "National Institute of Standards and Technology, 2019"
    lines = citation_lines(long_name, most=MAX_LABEL_LINES)
    assert len(lines) == 3 and " ".join(lines) == long_name
    assert max(estimated_width(line, TEXT) for line in lines) <= UNBROKEN_CITATION_PT
    assert citation_lines("Washington Post Live, 2020b", most=MAX_LABEL_LINES) == [
        "Washington Post", "Live, 2020b"]


def test_a_citation_breaks_once_where_its_lines_are_most_even():
    """"Washington / Post / Live, 2020b" took three lines of a narrow column: a label no wider
    than its limit prints whole; a wider one breaks once, at the space that makes its wider
    line narrowest, never before its year nor inside "et al.", however long its name."""
    assert citation_lines("Washington Post Live, 2020b") == ["Washington Post", "Live, 2020b"]
    assert citation_lines("Microsoft, 2018") == ["Microsoft, 2018"]
    assert citation_lines("Grother et al., 2019") == ["Grother et al., 2019"]
    assert citation_lines("Security Today, 2019") == ["Security Today, 2019"]
    assert citation_lines("Security Today, 2019", limit=50) == ["Security", "Today, 2019"]
    long_name = "National Institute of Standards and Technology, 2019"
    assert citation_lines(long_name) == ["National Institute of", "Standards and Technology, 2019"]


def cited(label: str) -> str:
    return LABEL_START + label + LABEL_END


def test_labels_are_tied_but_where_their_lines_end():
    text = f"{cited('Washington Post Live, 2020b')}; {cited('Foley, 2020')}"
    assert tie_labels(text) == "Washington\u00a0Post Live,\u00a02020b; Foley,\u00a02020"
    assert tie_labels(text, limit=CITATION_LINE_PT * 2).count(" ") == 1  # after the ";"


def test_a_label_prints_whole_where_the_table_can_afford_it():
    """A label up to a quarter of the line prints whole unless that makes the table more than
    MAX_TALLER taller than breaking it; a label up to a fifth of the line always does."""
    roomy = [["Source", cited("Washington Post Live, 2020b")], ["Note", "Short."]]
    assert citation_limit(roomy) == (CITATION_LINE_PT, 2)
    # Beside seven columns of long words, the label's own line costs the table its lines.
    crowded = [["Source", cited("Washington Post Live, 2020b")],
               *[[f"C{n}", "wordy " * 40] for n in range(7)]]
    limit, most = citation_limit(crowded)
    assert UNBROKEN_CITATION_PT <= limit < estimated_width("Washington Post Live, 2020b", TEXT)


def test_a_short_label_breaks_sooner_than_starve_the_prose():
    """Table 5.3's "Associated Press, 2020a", under a fifth of the line, held its column half
    empty beside excerpts of four words a line: a label up to UNBROKEN_CITATION_PT prints
    whole unless the table's prose columns need its room, and then it breaks once."""
    label = "Security Today, 2019"

    def one_word(text: str) -> str:  # as the PDF build measures a tied label: one word
        return text.replace(NO_BREAK_SPACE, "~")

    def table(prose_columns: int) -> list[list[str]]:
        return [["Source", *[cited(label)] * 3],
                *[[f"C{n}", *["word " * 12] * 3] for n in range(prose_columns)]]

    assert citation_limit(table(3), prepare=one_word)[0] >= estimated_width(label, TEXT)
    limit, most = citation_limit(table(4), prepare=one_word)
    assert limit < estimated_width(label, TEXT) <= UNBROKEN_CITATION_PT
    assert tie_labels(cited(label), limit=limit, most=most) == "Security Today,\u00a02019"
    assert not Columns([[one_word(tie_labels(cell, limit=limit, most=most)) for cell in column]
                        for column in table(4)]).starves_prose()


def test_prose_columns_share_the_line_by_their_words_a_line():
    """When the line cannot give every column of running text the width at which its lines
    hold PROSE_LINE_WORDS words, they share what the other columns leave so that their lines
    hold as many words as each other's: shared in proportion to their text, Table 2.1's
    findings, short cells of long words, ran 1.7 words a line beside descriptions of 3.3."""
    table = Columns(EVIDENCE)
    prose = [i for i in range(len(EVIDENCE)) if table.is_prose(i)]
    assert [EVIDENCE[i][0] for i in prose] == ["What was tested", "What it found",
                                              "Who answered, and how"]
    widths = [share * PDF_LINE_PT for share in pdf_shares(EVIDENCE)]
    assert table.starves_prose() and widths == pytest.approx(table.minimums)
    assert all(widths[i] >= table.floors[i] - 1e-6 for i in range(len(widths)))
    words = [table.words_per_line(i, widths[i]) for i in prose]
    assert max(words) - min(words) < 0.5
    room = PDF_LINE_PT - sum(width for i, width in enumerate(widths) if i not in prose)
    text = sum(map(table.text, prose))
    by_text = [table.words_per_line(i, room * table.text(i) / text) for i in prose]
    assert min(words) > min(by_text) + 0.2


def test_a_prose_column_holds_its_words_a_line_where_there_is_room():
    claim = ["Claim", *[" ".join(["word"] * 12)] * 3]
    name = ["Name", *["Washington"] * 3]
    table = Columns([name, claim])
    widths = [share * PDF_LINE_PT for share in pdf_shares([name, claim])]
    assert not table.starves_prose()
    assert table.words_per_line(1, widths[1]) >= PROSE_LINE_WORDS
    assert widths[0] == pytest.approx(table.naturals[0])  # a short column: what it needs


def test_a_last_row_that_sums_the_rows_above_is_a_total_in_bold():
    """Table 1.4's "All sources" read as one more kind of source: a last row whose numbers are
    the sums of those above it is a total, set in bold (and ruled off on paper)."""
    counts = pd.DataFrame({"kind": ["News", "Opinion", "All sources"], "read": [7, 3, 10],
                           "primary": [2, 0, 2]})
    assert is_total(counts)
    assert not is_total(counts.iloc[:2])  # a sum of one row is no total
    assert not is_total(counts.assign(read=[7, 3, 11]))
    assert not is_total(counts[["kind"]])
    markdown = show(counts, {"kind": "Kind", "read": "Read", "primary": "Primary"}
                    )._repr_markdown_()
    assert "* - **All sources**\n  - **10**\n  - **2**" in markdown
    assert "* - News\n" in markdown
