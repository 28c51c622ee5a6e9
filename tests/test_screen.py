"""What the HTML shows differently (_ext/screen.py): the download menu in a reader's words, a
page's source only for a notebook, and BibTeX keys that may break after an underscore."""

import re

import pytest
from bs4 import BeautifulSoup

import screen

THEME_MENU = [{"label": "download-buttons", "buttons": [
    {"label": "download-source-button", "text": ".ipynb", "tooltip": "Download source file"},
    {"label": "download-pdf-button", "text": ".pdf", "tooltip": "Print to PDF"}]},
    {"label": "fullscreen-button", "text": "", "tooltip": "Fullscreen mode"}]
BARE = re.compile(r"^\.\w+$")  # an entry that names a file suffix and nothing else


def theme_menu() -> list[dict]:
    return [dict(group, buttons=[dict(b) for b in group.get("buttons", [])])
            for group in THEME_MENU]


def test_the_download_menu_says_what_each_entry_gives():
    menu = theme_menu()
    screen.explain_downloads(menu, ".ipynb")
    entries = menu[0]["buttons"]
    assert [e["text"] for e in entries] == [screen.SOURCE_DOWNLOADS[".ipynb"][0],
                                            screen.PRINT_DOWNLOAD[0]]
    assert all(len(e["tooltip"].split()) >= 5 for e in entries), entries
    assert menu[1]["tooltip"] == "Fullscreen mode"


def test_a_page_of_markdown_offers_no_source():
    """Its MyST source is markup (roles, directives), not text: only printing is offered."""
    menu = theme_menu()
    screen.explain_downloads(menu, ".md")
    assert [e["text"] for e in menu[0]["buttons"]] == [screen.PRINT_DOWNLOAD[0]]


def test_bibtex_keys_may_break_after_an_underscore_only_in_bibtex():
    body = ('<div class="chapter-citation highlight-bibtex notranslate"><div class="highlight">'
            '<pre><span class="nc">@incollection</span><span class="p">{</span>'
            '<span class="nl">book_sources_method</span><span class="p">,</span></pre></div></div>'
            '<div class="highlight-python"><pre><span class="nl">leave_out</span></pre></div>')
    broken = screen.breakable_keys(body)
    assert '<span class="nl">book_<wbr>sources_<wbr>method</span>' in broken
    assert '<span class="nl">leave_out</span>' in broken
    assert BeautifulSoup(broken, "html.parser").get_text() == \
        BeautifulSoup(body, "html.parser").get_text()


@pytest.mark.slow
def test_every_pages_download_menu_is_in_a_readers_words(site, html_dir):
    problems, menus = [], 0
    for name in site:
        soup = BeautifulSoup((html_dir / name).read_text(encoding="utf-8"), "html.parser")
        for entry in soup.select(".dropdown-download-buttons .dropdown-item"):
            menus += 1
            text = " ".join(entry.get_text().split())
            if BARE.match(text) or len(entry.get("title", "").split()) < 5:
                problems.append(f"{name}: {text!r} ({entry.get('title')!r})")
    assert menus, "no download menu on any page: the check saw nothing"
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_only_the_notebooks_pages_offer_their_source(site, html_dir):
    """The chapters (notebooks) offer their notebook; the glossary, citation, bibliography and
    changelog pages (Markdown) offer no source, only printing."""
    sources = {}
    for name in site:
        soup = BeautifulSoup((html_dir / name).read_text(encoding="utf-8"), "html.parser")
        for entry in soup.select(".dropdown-download-buttons a.dropdown-item[href]"):
            sources.setdefault(name, []).append(entry["href"].rsplit(".", 1)[-1])
    chapters = [name for name in site if name.startswith("notebooks/")]
    assert chapters, "no chapter pages: the check saw nothing"
    problems = [f"{name}: offers {kinds}" for name, kinds in sources.items()
                if kinds != ["ipynb"] or name not in chapters]
    problems += [f"{name}: offers no notebook" for name in chapters if name not in sources]
    assert not problems, "\n".join(problems)


def test_images_no_page_shows_are_found_and_only_they(tmp_path):
    (tmp_path / "_images").mkdir()
    (tmp_path / "notebooks").mkdir()
    for name in ("chart-new.svg", "chart-old.svg", "photo.png"):
        (tmp_path / "_images" / name).write_text("x")
    (tmp_path / "notebooks" / "a.html").write_text('<img src="../_images/chart-new.svg">')
    (tmp_path / "index.html").write_text('<source srcset="_images/photo.png">')
    assert screen.unused_images(tmp_path) == [tmp_path / "_images" / "chart-old.svg"]
