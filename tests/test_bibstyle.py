"""The bibliography style: author-year labels, order by author, titles as published."""

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

import bibstyle
from bibstyle import Style

BIB = r"""
@misc{wapo, author = {{Washington Post Live}}, year = {2020},
       title = {Transcript with {Microsoft} President Brad Smith}}
@misc{ibm, author = {Krishna, Arvind}, title = {IBM CEO's Letter to Congress}, year = {2020}}
@misc{amzn_b, author = {{Amazon}}, title = {Second Statement}, year = {2020}}
@misc{amzn_a, author = {{Amazon}}, title = {A First Statement}, year = {2020}}
@misc{tn, author = {{Technocracy News \& Trends}}, title = {Repost}, year = {2020}}
@misc{three, author = {Smith, A. and Jones, B. and Lee, C.}, title = {Survey}, year = {2019}}
"""


def labelled_entries():
    style = Style()
    entries = style.sort(parse_string(BIB, "bibtex").entries.values())
    return style, entries, list(style.format_labels(entries))


def test_the_extension_registers_the_style_with_pybtex():
    bibstyle.setup(None)
    assert find_plugin("pybtex.style.formatting", "frbook") is Style


def test_entries_sort_by_author_ignoring_braces_then_title():
    _, entries, _ = labelled_entries()
    assert [e.key for e in entries] == ["amzn_a", "amzn_b", "ibm", "three", "tn", "wapo"]


def test_labels_are_author_year_with_letters_for_repeats():
    _, _, labels = labelled_entries()
    assert labels == ["Amazon, 2020a", "Amazon, 2020b", "Krishna, 2020", "Smith et al., 2019",
                      "Technocracy News & Trends, 2020", "Washington Post Live, 2020"]


def test_titles_keep_their_capitalisation():
    style, entries, labels = labelled_entries()
    wapo = entries[-1]
    text = style.format_entry(labels[-1], wapo).text.render_as("text")
    assert "Transcript with Microsoft President Brad Smith" in text


def test_entries_give_the_full_date_where_the_day_is_known():
    from pybtex.database import Entry, Person

    dated = Entry("misc", fields={"title": "T", "year": "2020", "month": "June", "day": "8"},
                  persons={"author": [Person("Krishna, Arvind")]})
    undated = Entry("misc", fields={"title": "T", "year": "2020", "month": "June"},
                    persons={"author": [Person("Krishna, Arvind")]})
    dated.key, undated.key = "dated", "undated"
    formatted = list(Style().format_entries([dated, undated]))
    assert [e.key for e in formatted] == ["dated", "undated"]  # the bibliography links by key
    texts = [e.text.render_as("text") for e in formatted]
    assert "8 June 2020" in texts[0] and "8 June" not in texts[1] and "June 2020" in texts[1]


def test_the_day_a_copy_was_read_is_written_in_words():
    from pybtex.database import Entry

    entry = Entry("misc", fields={"title": "T", "year": "2020", "url": "https://example.org/a",
                                  "urldate": "2026-11-22"})
    entry.key = "read"
    text = next(Style().format_entries([entry])).text.render_as("text")
    assert text.endswith("URL: https://example.org/a. Copy read 22 November 2026.")
    assert "2026-11-22" not in text and "archived" not in text


def test_every_entry_closes_with_the_day_its_copy_was_read_in_one_form():
    """An entry read in another copy ("Read via …") says which in its note; the day that copy
    was read closes it as it closes every other entry, and no entry says "archived copy",
    since none gives an archive's address."""
    from pybtex.database import Entry

    fields = {"title": "T", "year": "2020", "url": "https://example.org/a",
              "urldate": "2026-11-22"}
    entries = [Entry("misc", fields={**fields, "note": "Read via https://mirror.example/a"}),
               Entry("misc", fields=fields), Entry("misc", fields={**fields, "url": ""})]
    for number, entry in enumerate(entries):
        entry.key = f"e{number}"
    texts = [e.text.render_as("text") for e in Style().format_entries(entries)]
    assert texts[0].endswith("Read via https://mirror.example/a. URL: https://example.org/a. "
                             "Copy read 22 November 2026.")
    assert all(text.endswith(". Copy read 22 November 2026.") for text in texts), texts
    assert not any("archived" in text or "; copy read" in text for text in texts)


def test_the_day_most_copies_were_read_is_left_to_the_preface(monkeypatch):
    """The preface gives the day most copies were read, once; only an entry read on another day
    closes with its own ("Copy read 1 December 2026")."""
    from pybtex.database import Entry

    def read(day, key):
        entry = Entry("misc", fields={"title": "T", "year": "2020", "url": f"https://x.org/{key}",
                                      "urldate": day})
        entry.key = key
        return entry

    entries = [read("2026-11-22", "a"), read("2026-12-01", "b"), read("2026-11-22", "c")]
    assert bibstyle.shared_copy_read(entries) == "2026-11-22"
    monkeypatch.setattr(Style, "shared_copy_read", "2026-11-22")
    texts = [e.text.render_as("text") for e in Style().format_entries(entries)]
    assert texts[0].endswith("URL: https://x.org/a.") and "Copy read" not in texts[2]
    assert texts[1].endswith("URL: https://x.org/b. Copy read 1 December 2026.")
    assert bibstyle.copy_read_day(entries) == (
        "on 22 November 2026, unless its entry gives another day (\u201cCopy read \u2026\u201d)")
    assert bibstyle.copy_read_day(entries[::2]) == "on 22 November 2026"
    assert bibstyle.copy_read_day([]) == ""


@pytest.mark.slow
def test_the_built_bibliography_gives_the_shared_day_once(html_dir):
    """Every copy was read on one day: the preface says which, and no entry repeats it (120
    entries ended "Copy read 22 November 2026")."""
    from pybtex.database import parse_file

    from frbook.paths import REPO_ROOT

    entries = list(parse_file(REPO_ROOT / "references.bib").entries.values())
    shared_iso = bibstyle.shared_copy_read(entries)
    shared = bibstyle.read_day(shared_iso)
    soup = BeautifulSoup((html_dir / "bibliography.html").read_text(encoding="utf-8"),
                         "html.parser")
    prefaces = [" ".join(p.get_text().split()) for p in soup.select("article section > p")]
    assert [text for text in prefaces if "read again, for this edition" in text
            and f"on {shared}" in text], prefaces
    texts = [" ".join(entry.get_text().split()) for entry in soup.select("div.citation")]
    other_days = [entry for entry in entries
                  if entry.fields.get("urldate", shared_iso) != shared_iso]
    assert len(texts) > 100, "no bibliography entries: the check saw nothing"
    assert sum(bibstyle.COPY_READ in text for text in texts) == len(other_days), texts


def test_the_entry_text_leaves_the_year_letter_to_the_label_and_sets_apostrophes():
    from pybtex.database import Entry

    entry = Entry("misc", fields={"title": "Key events since Floyd's death", "year": "2021a",
                                  "month": "March", "day": "7"})
    entry.key = "ap"
    text = next(Style().format_entries([entry])).text.render_as("text")
    assert "7 March 2021." in text and "2021a" not in text
    assert "Floyd\u2019s" in text and "'" not in text


def test_several_works_in_one_citation_are_separated_by_semicolons():
    from sphinxcontrib.bibtex.plugin import find_plugin as find_reference_style

    bibstyle.setup(None)
    style = find_reference_style("sphinxcontrib.bibtex.style.referencing",
                                 "author_year_semicolons")()
    assert style.bracket_parenthetical.sep == style.bracket_textual.sep == "; "


def test_a_leading_article_does_not_file_a_name():
    """"The Verge" under V, after Toulas, as in a library catalogue; "The Hill" with Hill."""
    bib = r"""
    @misc{verge, author = {{The Verge}}, title = {IBM}, year = {2020}}
    @misc{toulas, author = {Toulas, Bill}, title = {Microsoft}, year = {2020}}
    @misc{vice, author = {{Vice}}, title = {Survey}, year = {2020}}
    @misc{thehill, author = {{The Hill}}, title = {A Bill}, year = {2021}}
    @misc{hill, author = {Hill, Kashmir}, title = {Wrongfully Accused}, year = {2020}}
    """
    entries = Style().sort(parse_string(bib, "bibtex").entries.values())
    assert [e.key for e in entries] == ["hill", "thehill", "toulas", "verge", "vice"]
    assert bibstyle.filing_name("The Washington Post") == "washington post"
    assert bibstyle.filing_name("Theory Inc.") == "theory inc."


def test_et_al_is_roman_as_in_the_bibliography_labels():
    """sphinxcontrib-bibtex sets "et al." in italics; the book's labels and source lines don't."""
    from sphinxcontrib.bibtex.plugin import find_plugin as find_reference_style

    bibstyle.setup(None)
    style = find_reference_style("sphinxcontrib.bibtex.style.referencing",
                                 "author_year_semicolons")()
    assert style.person.other.render_as("html") == " et al."
    entry = parse_string("@misc{g, author={A and B and C}, title={T}, year={2019}}", "bibtex")
    assert bibstyle.author_text(entry.entries["g"]) == "A et al."


def formatted_text(bib: str) -> str:
    entry = next(iter(parse_string(bib, "bibtex").entries.values()))
    return next(Style().format_entries([entry])).text.render_as("text")


def test_apostrophes_and_single_quotes_are_typographic_in_every_field_of_prose():
    """Notes and outlets too, not only titles: "the AP’s", "Reuters’"; a quotation opens with ‘
    (not ’); addresses and LaTeX's closing double quote ('') stay as they are."""
    text = formatted_text(r"""@misc{g, author = {{Gizmodo}}, year = {2020},
        title = {Lawmaker Calls Out {Amazon}'s 'Performative' Support},
        howpublished = {Repost, with an editor's note, of ZDNet's report},
        note = {Read via the AP's paragraphs on Reuters' site, https://example.org/it's-here,
                ending in ``Read more''}}""")
    assert "Amazon\u2019s \u2018Performative\u2019 Support" in text
    assert "an editor\u2019s note, of ZDNet\u2019s report" in text
    assert "the AP\u2019s paragraphs on Reuters\u2019 site" in text
    assert "https://example.org/it's-here" in text and "\u201cRead more\u201d" in text
    assert "'" not in text.replace("https://example.org/it's-here", "")


def test_a_doi_that_is_the_entrys_address_is_given_once():
    text = formatted_text(r"""@misc{n, author = {Grother, Patrick}, title = {FRVT}, year = {2019},
        doi = {10.6028/NIST.IR.8280}, url = {https://doi.org/10.6028/NIST.IR.8280}}""")
    assert text.count("10.6028/NIST.IR.8280") == 1 and "doi:" not in text
    other = formatted_text(r"""@misc{n, author = {A, B}, title = {T}, year = {2019},
        doi = {10.1/x}, url = {https://example.org/x}}""")
    assert "https://example.org/x" in other and "doi:10.1/x" in other


def test_publisher_place_and_year_come_in_the_usual_order():
    text = formatted_text(r"""@inproceedings{r, author = {Raji, Inioluwa Deborah and Buolamwini,
        Joy}, title = {Actionable Auditing}, booktitle = {Proceedings of AIES '19},
        pages = {429--435}, publisher = {Association for Computing Machinery},
        address = {New York, NY, USA}, year = {2019}}""")
    assert "Proceedings of AIES \u201919, 429\u2013435. Association for Computing Machinery, " \
           "New York, NY, USA, 2019." in text, text


@pytest.mark.slow
def test_the_built_bibliography_sets_no_straight_apostrophe_outside_addresses(html_dir):
    soup = BeautifulSoup((html_dir / "bibliography.html").read_text(encoding="utf-8"),
                         "html.parser")
    for link in soup.select("div.citation a.reference.external"):
        link.decompose()
    entries = [" ".join(entry.get_text().split()) for entry in soup.select("div.citation")]
    assert entries, "no bibliography entries: the check saw nothing"
    straight = [entry for entry in entries if "'" in entry]
    assert not straight, "\n".join(straight)
