"""The book at a public address (_ext/publish.py, _ext/citation.py).

A build with BOOK_URL and BOOK_REPOSITORY set has canonical links, a sitemap, OpenGraph
metadata with a local image, citations that carry the address and the reader's access date,
and repository, issue and Binder buttons. The default build (conftest.book_build), with neither
set, has none of them.
"""

import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
import yaml

import citation
from browsercheck import chromium, new_context, serve, visit
from conftest import ADDRESS, REPOSITORY
from frbook.paths import REPO_ROOT
from htmlcheck import broken_links, citation_blocks, parse_site, third_party_assets
from publish import ACCESS_DATE_JS, SOCIAL_CARD

pytestmark = [pytest.mark.slow, pytest.mark.pdf]  # the address build follows the PDF's

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
META = re.compile(r'<meta property="(og:[\w:]+)" content="([^"]*)"')
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)"')
MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
              "Nov.", "Dec.")
ADDRESS_MARKS = ("sitemap", 'rel="canonical"', 'property="og:', ACCESS_DATE_JS, "mybinder.org",
                 "example.org", 'class="btn btn-sm btn-source-repository-button')


@pytest.fixture(scope="session")
def address_html(publish) -> Path:
    """The book built with an address and a repository: the publishing build's HTML."""
    if publish.html_returncode != 0:
        pytest.fail("the build with an address failed:\n" + publish.log[-3000:])
    return publish.html_dir


def read(html: Path, page: str) -> str:
    return (html / page).read_text(encoding="utf-8")


def chapters() -> list[str]:
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return citation.toc_chapters(toc)  # the first part's


def test_every_page_has_its_canonical_address(address_html, toc_pages):
    wrong = {page: CANONICAL.findall(read(address_html, page)) for page in toc_pages}
    wrong = {page: found for page, found in wrong.items() if found != [ADDRESS + page]}
    assert not wrong, wrong


def test_sitemap_lists_every_page_at_the_address(address_html, toc_pages):
    tree = ET.parse(address_html / "sitemap.xml")
    locations = [loc.text for loc in tree.getroot().findall("s:url/s:loc", SITEMAP_NS)]
    assert all(loc.startswith(ADDRESS) for loc in locations), locations
    missing = {ADDRESS + page for page in toc_pages} - set(locations)
    assert not missing, missing


def test_opengraph_metadata_with_a_local_image(address_html, toc_pages):
    assert (address_html / SOCIAL_CARD).is_file()
    for page in toc_pages:
        meta = dict(META.findall(read(address_html, page)))
        assert meta.get("og:url") == ADDRESS + page, page
        assert meta.get("og:title"), page
        assert meta.get("og:image") == ADDRESS + SOCIAL_CARD, page


def test_citations_carry_the_address_and_the_access_date(address_html):
    markup = read(address_html, "cite.html")
    kinds = citation_blocks(markup)
    assert all(ADDRESS in text for text in kinds["book"]), kinds["book"]
    assert all(f"{ADDRESS}{citation.DATA_PAGE}.html" in text for text in kinds["dataset"])
    for docname in chapters():
        url = f"{ADDRESS}{docname}.html"
        assert sum(url in text for text in kinds["chapter"]) == 4, docname
    for texts in kinds.values():  # MLA and BibTeX of each work give the reader's access date
        assert sum(citation.ACCESS_PLACEHOLDER in text for text in texts) == len(texts) // 2
    assert f'src="_static/{ACCESS_DATE_JS}' in markup
    assert (address_html / "_static" / ACCESS_DATE_JS).is_file()


def test_the_cite_page_says_whether_its_citations_carry_the_address(address_html, html_dir):
    assert "Each citation also gives the book’s web address" in read(address_html, "cite.html")
    assert "no fixed web address" not in read(address_html, "cite.html")
    assert "no fixed web address" in read(html_dir, "cite.html")
    assert "Each citation also gives" not in read(html_dir, "cite.html")


def citations_in_chromium(html: Path) -> tuple:
    """The visit, and the book's MLA and BibTeX citations as Chromium shows them."""
    with serve(html) as base, chromium() as browser:
        context = new_context(browser, base)
        page = context.new_page()
        record = visit(page, base + "cite.html", base)
        mla = page.locator("p.book-citation").nth(1).inner_text()
        bibtex = page.locator("div.book-citation").inner_text()
        page.close()
        context.close()
    return record, mla, bibtex


def test_the_browser_fills_in_the_readers_access_date(address_html):
    # In a thread of its own: Playwright's sync API refuses to run where an asyncio loop is
    # left running, as executing notebooks earlier in the session can leave one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        record, mla, bibtex = pool.submit(citations_in_chromium, address_html).result()
    today = date.today()
    assert not record.console_errors, record.console_errors
    assert mla.endswith(f" Accessed {today.day} {MLA_MONTHS[today.month - 1]} {today.year}."), mla
    assert f"urldate = {{{today.isoformat()}}}" in re.sub(r"\s+", " ", bibtex), bibtex


def test_repository_issue_and_binder_buttons(address_html):
    for docname in chapters():
        markup = read(address_html, f"{docname}.html")
        assert f'href="{REPOSITORY}"' in markup, docname
        assert f'href="{REPOSITORY}/issues/new' in markup, docname
        source = REPO_ROOT / f"{docname}.ipynb"
        if source.is_file():  # a notebook: it can be launched
            binder = (f"https://mybinder.org/v2/gh/example/three-companies/main"
                      f"?urlpath=lab/tree/{docname}.ipynb")
            assert binder in markup, docname
    assert "colab.research.google.com" not in read(address_html, "notebooks/overview.html")


def test_address_build_links_resolve_and_load_nothing_from_other_hosts(address_html):
    site = parse_site(address_html)
    assert not broken_links(address_html, site)
    assert not third_party_assets(address_html, site)


def test_without_an_address_none_of_it_appears(html_dir, toc_pages):
    assert not citation.read_cff(REPO_ROOT).get("url"), (
        "CITATION.cff has a `url`: every build has an address, so none can be checked without")
    assert not (html_dir / "sitemap.xml").exists()
    found = {page: [mark for mark in ADDRESS_MARKS if mark in read(html_dir, page)]
             for page in toc_pages}
    assert not any(found.values()), {page: marks for page, marks in found.items() if marks}
