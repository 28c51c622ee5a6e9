"""The book builds from scratch without warnings, its links and anchors resolve (lychee), and
its markup loads nothing from other hosts. Alt text and offline reading: tests/test_browser.py."""

import html
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest

from buildconfig import BOOK_CONFIG
from frbook.paths import REPO_ROOT
from htmlcheck import broken_links, is_external, parse_site, third_party_assets, toc_html_pages

slow = pytest.mark.slow
# Material for maintainers: kept in the repository and linked from README.md, not in the book.
MAINTAINER_PAGES = ["benchmarks.md"]


@slow
def test_book_builds_without_warnings(book_build):
    assert book_build.returncode == 0, (
        f"jupyter-book build -W -n --keep-going failed:\n{book_build.log_tail()}")


@slow
def test_build_executes_with_its_own_cache(book_build):
    expected = f"Using jupyter-cache at: {book_build.output_dir / '_build' / '.jupyter_cache'}"
    assert expected in book_build.log, "the execution cache is not inside the temporary build"


@slow
def test_build_leaves_the_repository_untouched(book_build):
    assert not book_build.repo_changes, f"the build changed: {book_build.repo_changes}"


@slow
def test_every_toc_entry_has_a_page(site, toc_pages):
    missing = [page for page in toc_pages if page not in site]
    assert toc_pages and not missing, f"no HTML page for: {missing}"


@slow
def test_internal_links_and_anchors_resolve(html_dir, site):
    problems = broken_links(html_dir, site)
    assert not problems, "\n".join(problems)


@slow
def test_nothing_loads_from_third_party_hosts(html_dir, site):
    problems = third_party_assets(html_dir, site)
    assert not problems, "\n".join(problems)


@slow
def test_maintainer_pages_stay_out_of_the_book(site):
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for name in MAINTAINER_PAGES:
        stem = PurePosixPath(name).stem
        assert (REPO_ROOT / name).is_file(), f"{name} is missing from the repository"
        assert f"]({name})" in readme, f"README.md does not link to {name}"
        in_book = [path for path in site if PurePosixPath(path).stem == stem]
        in_book += [f"{path} links to {url}" for path, page in site.items()
                    for _, url in page.urls
                    if not is_external(url) and PurePosixPath(urlsplit(url).path).stem == stem]
        assert not in_book, f"{name} is part of the book: {in_book}"


@slow
def test_the_root_page_is_titled_by_the_book_once_and_the_others_by_page_and_book(
        html_dir, toc_pages):
    """A tab or bookmark of the overview reads the book's title once, not "Book — Book"."""
    book = BOOK_CONFIG["title"]
    titles = {page: html.unescape(re.search(r"<title>(.*?)</title>", (html_dir / page).read_text(
        encoding="utf-8"), re.S).group(1)) for page in toc_pages}
    root = toc_pages[0]
    assert titles[root] == book
    wrong = {page: title for page, title in titles.items() if page != root
             and (not title.endswith(f" — {book}") or title == f"{book} — {book}")}
    assert len(titles) > 1 and not wrong, wrong


# The checkers themselves, on small hand-made inputs.

def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_link_checker_flags_missing_pages_images_and_anchors(tmp_path):
    root = write(tmp_path, {
        "index.html": '<a href="a.html#here">ok</a> <a href="a.html#gone">bad anchor</a>'
                      '<a href="nowhere.html">bad page</a> <a href="#top-id">ok</a>'
                      '<a href="#missing">bad local</a> <a href="sub/">ok dir</a>'
                      '<img src="gone.svg" alt="a chart"> <a href="https://example.org/x#y">'
                      'ext</a> <a href="mailto:a@b.c">mail</a> <h1 id="top-id">t</h1>',
        "a.html": '<section id="here"></section>',
        "sub/index.html": "<p>sub</p>",
        "_static/template.html": '<a href="{{ pathto(master_doc) }}">theme template</a>',
    })
    problems = broken_links(root)
    assert len(problems) == 4, problems
    for bad in ("a.html#gone", "nowhere.html", "index.html#missing", "gone.svg"):
        assert any(f"{bad} " in p for p in problems), bad


def test_asset_checker_flags_remote_scripts_styles_images_and_fonts(tmp_path):
    root = write(tmp_path, {
        "index.html": '<script src="https://cdn.example/x.js"></script>'
                      '<link rel="stylesheet" href="//cdn.example/s.css">'
                      '<img src="http://img.example/i.png" alt="i">'
                      '<script src="_static/local.js"></script><a href="https://example.org">ok</a>'
                      '<link rel="canonical" href="https://example.org/book/index.html">',
        "_static/site.css": "@font-face { src: url('https://fonts.example/f.woff2'); }"
                            "body { background: url(img/local.png); }",
    })
    problems = third_party_assets(root, parse_site(root))
    assert len(problems) == 4, problems


def test_toc_pages_lists_root_parts_chapters_and_sections():
    toc = {"format": "jb-book", "root": "intro", "parts": [
        {"caption": "A", "chapters": [{"file": "nb/one", "sections": [{"file": "one_a.md"}]}]},
        {"caption": "B", "chapters": [{"file": "two"}]}]}
    assert toc_html_pages(toc) == ["intro.html", "nb/one.html", "one_a.html", "two.html"]
