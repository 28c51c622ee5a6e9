"""CITATION.cff is valid, and every citation the book prints agrees with it."""

import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_string

import citation
from citation import (
    Citation,
    Work,
    bibtex,
    citations,
    long_date,
    read_book,
    read_dataset,
    sentence_case,
    title_case,
)
from frbook.paths import REPO_ROOT
from htmlcheck import citation_blocks, visible

CFFCONVERT = Path(sys.executable).with_name("cffconvert")
CFF = REPO_ROOT / "CITATION.cff"
BOOK = read_book(REPO_ROOT)
DATASET = read_dataset(REPO_ROOT)
CHAPTER = "What the rest of the industry said"


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CFFCONVERT), "--validate", "-i", str(path)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_citation_cff_is_valid():
    result = validate(CFF)
    assert result.returncode == 0, result.stdout + result.stderr


def test_preferred_citation_agrees_with_the_top_level():
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    preferred = cff["preferred-citation"]
    assert preferred["type"] == "book"
    for key in ("title", "authors", "version", "date-released", "license"):
        assert preferred[key] == cff[key], key
    assert preferred["year"] == BOOK.year
    assert BOOK.author == "The Facial Recognition Policy Book Project"


def test_dataset_citation_comes_from_the_data_package():
    package = yaml.safe_load((REPO_ROOT / "data" / "datapackage.json").read_text("utf-8"))
    assert (DATASET.title, DATASET.version) == (package["title"], package["version"])


def as_text(cited) -> str:
    """A citation's words, a BibTeX entry's wrapped values read as one line each."""
    return " ".join((cited.text if isinstance(cited, Citation) else cited).split())


@pytest.mark.parametrize("options", [{}, {"dataset": True}, {"chapter": CHAPTER}],
                         ids=["book", "dataset", "chapter"])
def test_every_style_names_title_version_and_year(options):
    work = DATASET if options.get("dataset") else BOOK
    found = citations(work, **options)
    assert [name for name, _ in found] == ["APA 7", "MLA 9", "Chicago author-date", "BibTeX"]
    for name, cited in found:
        text = as_text(cited)
        # APA sets titles in sentence case, so compare without case.
        assert work.title.casefold() in text.casefold(), name
        assert work.version in text and str(work.year) in text, name
        if "chapter" in options:
            assert CHAPTER.casefold() in text.casefold(), name


def test_styles_follow_their_manuals():
    apa, mla, chicago, (_, entry) = citations(BOOK)
    assert apa[1].text == (
        "The Facial Recognition Policy Book Project. (2026). Three companies, four days: The June "
        f"2020 retreat from police facial recognition (Version {BOOK.version}).")
    assert mla[1].before == "" and mla[1].after.startswith(f". Version {BOOK.version}, The Facial")
    assert chicago[1].before == "The Facial Recognition Policy Book Project. 2026. "
    assert apa[1].title == sentence_case(BOOK.title) and mla[1].title == BOOK.title
    assert citation.apa(DATASET, dataset=True).after.endswith("[Data set].")
    assert citation.mla(BOOK, chapter=CHAPTER).before == "“What the Rest of the Industry Said.” "


def test_bibtex_parses_with_the_book_fields():
    for options, entry_type in (({}, "book"), ({"dataset": True}, "misc"),
                                ({"chapter": CHAPTER}, "incollection")):
        work = DATASET if options.get("dataset") else BOOK
        entries = parse_string(bibtex(work, **options), "bibtex").entries
        (entry,) = entries.values()
        assert entry.type == entry_type
        assert entry.fields["year"] == str(work.year)
        assert entry.fields["note"] == f"Version {work.version}"
        title = entry.fields["booktitle" if "chapter" in options else "title"]
        assert title.strip("{}") == work.title
    assert bibtex(replace(BOOK, title="R&D at 100%")).count(r"R\&D at 100\%") == 1


def test_a_doi_or_url_appears_in_every_style_when_there_is_one():
    assert BOOK.locator is None or BOOK.locator.startswith("https://")
    with_doi = replace(BOOK, doi="10.5555/example")
    for name, cited in citations(with_doi):
        assert "10.5555/example" in as_text(cited), name
    with_url = replace(BOOK, url="https://books.example/three-companies")
    assert all(with_url.url in as_text(c) for _, c in citations(with_url))


def test_capitalisation():
    assert sentence_case(BOOK.title) == (
        "Three companies, four days: The June 2020 retreat from police facial recognition")
    assert title_case(BOOK.title) == BOOK.title
    assert title_case("Aftermath, 2018 to 2022") == "Aftermath, 2018 to 2022"
    assert sentence_case("What IBM and Amazon Said") == "What IBM and Amazon said"
    assert title_case("the principles at stake") == "The Principles at Stake"


def test_only_a_team_author_is_accepted():
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    with pytest.raises(ValueError):
        citation.work_from_cff({**cff, "authors": [{"family-names": "Doe", "given-names": "J"}]})


def test_footer_line():
    line = citation.footer_html(Work("T", "A", "2.1.0", date(2027, 3, 4)), [("PDF", "b.pdf")])
    assert line == ('<p class="book-version">Version 2.1.0, released 4 March 2027 · '
                    '<a href="b.pdf">PDF</a></p>')


def test_changelog_opens_with_the_current_version():
    heading = re.search(r"^## (.+)$", (REPO_ROOT / "changelog.md").read_text("utf-8"), re.M)
    assert heading.group(1) == f"{BOOK.version} ({long_date(BOOK.released)})"


# The built book (one build per test session, see conftest.py).

@pytest.mark.slow
def test_changelog_versions_have_readable_anchors(html_dir):
    """Each ``## <version> (<date>)`` heading of changelog.md is the section "version-2-0-3"
    (not "id1"), its ¶ link and the page's contents point there: a link to a version lasts."""
    versions = re.findall(r"^## (\S+) \(", (REPO_ROOT / "changelog.md").read_text("utf-8"), re.M)
    anchors = [f"version-{version.replace('.', '-')}" for version in versions]
    page = (html_dir / "changelog.html").read_text(encoding="utf-8")
    headings = re.findall(r'<section id="([^"]+)">\s*<h2>(\S+) \(.*?<a class="headerlink" '
                          r'href="#([^"]+)"', page)
    assert headings == [(anchor, version, anchor) for anchor, version in zip(
        anchors, versions, strict=True)]
    contents = re.findall(r'<a class="reference internal nav-link" href="#(version-[^"]+)">', page)
    assert anchors and contents[:len(anchors)] == anchors


@pytest.fixture(scope="session")
def chapters() -> list[str]:
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return citation.toc_chapters(toc)  # the first part's, as cite.md lists them


@pytest.mark.slow
def test_cite_page_citations_match_citation_cff(html_dir, chapters):
    kinds = citation_blocks((html_dir / "cite.html").read_text(encoding="utf-8"))
    assert {kind: len(texts) for kind, texts in kinds.items()} == {
        "book": 4, "dataset": 4, "chapter": 4 * len(chapters)}
    for kind, texts in kinds.items():
        work = DATASET if kind == "dataset" else BOOK
        for text in texts:
            assert work.title.casefold() in text.casefold(), text
            assert work.version in text and str(work.year) in text, text
            assert "http" not in text and citation.ACCESS_PLACEHOLDER not in text, text


@pytest.mark.slow
def test_cite_page_links_every_chapter_before_its_citations(html_dir, chapters):
    markup = (html_dir / "cite.html").read_text(encoding="utf-8")
    linked = re.findall(r'<p class="chapter-title"><a class="reference internal" href="([^"#]+)',
                        markup)
    assert linked == [f"{docname}.html" for docname in chapters]


def test_toc_chapters_are_one_part_without_the_root():
    toc = {"root": "intro", "parts": [{"caption": "Chapters", "chapters": [
        {"file": "nb/one"}, {"file": "two.md"}]}, {"caption": "Other", "chapters": [
        {"file": "cite"}]}]}
    assert citation.toc_chapters(toc, "Chapters") == ["nb/one", "two"]
    assert citation.toc_chapters(toc) == ["nb/one", "two"], "not the first part by default"
    assert citation.toc_chapters(toc, "Other") == ["cite"]
    with pytest.raises(ValueError):
        citation.toc_chapters(toc, "Appendices")


def test_mla_and_bibtex_give_an_access_date_with_a_url_only():
    dated = replace(BOOK, url="https://books.example/x/", accessed="[date of access]")
    assert citation.mla(dated).after.endswith(" Accessed [date of access].")
    assert "urldate" in bibtex(dated) and "Accessed" not in citation.apa(dated).text
    undated = replace(BOOK, url=None, accessed="[date of access]")
    assert "Accessed" not in citation.mla(undated).text and "urldate" not in bibtex(undated)


def test_public_address_comes_from_the_environment_first(tmp_path, monkeypatch):
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    (tmp_path / "CITATION.cff").write_text(yaml.safe_dump(
        {**cff, "url": "https://cff.example/book", "repository-code": "https://git.example/r/"}))
    monkeypatch.delenv("BOOK_URL", raising=False)
    monkeypatch.delenv("BOOK_REPOSITORY", raising=False)
    assert citation.public_address(tmp_path) == "https://cff.example/book/"
    assert citation.repository_address(tmp_path) == "https://git.example/r"
    monkeypatch.setenv("BOOK_URL", "https://env.example/three/")
    assert citation.public_address(tmp_path) == "https://env.example/three/"
    monkeypatch.setenv("BOOK_URL", "example.org/no-scheme")
    with pytest.raises(ValueError, match="BOOK_URL"):
        citation.public_address(tmp_path)


@pytest.mark.slow
def test_every_page_footer_shows_the_version(html_dir, toc_pages):
    expected = f"Version {BOOK.version}, released {long_date(BOOK.released)}"
    missing = [page for page in toc_pages
               if expected not in visible((html_dir / page).read_text(encoding="utf-8"))]
    assert not missing, f"no version in the footer of: {missing}"


@pytest.mark.slow
def test_no_pdf_link_without_a_pdf(html_dir):
    # The test build has no PDF beside it, so neither the footer nor the cite page links one.
    for page in ("cite.html", "notebooks/overview.html"):
        markup = (html_dir / page).read_text(encoding="utf-8")
        assert not re.search(r'href="[^"]*\.pdf"', markup), page


def test_bibtex_fields_are_one_line_each():
    """A title wrapped in the entry at 72 characters was wrapped again on a phone's screen, its
    second line at an odd indent: each field is one line, which the screen or the printed page
    wraps under its value, and the entry reads the same."""
    long_title = replace(BOOK, title="Three Companies, Four Days: The June 2020 Retreat from "
                                     "Police Facial Recognition and What Came After It")
    entry = bibtex(long_title)
    lines = entry.splitlines()
    assert lines[0].startswith("@book{") and lines[-1] == "}"
    assert all(re.fullmatch(r"  \w+ *= .+", line) for line in lines[1:-1]), lines
    assert any(long_title.title in line for line in lines)
    (parsed,) = parse_string(entry, "bibtex").entries.values()
    assert parsed.fields["title"].strip("{}") == long_title.title
