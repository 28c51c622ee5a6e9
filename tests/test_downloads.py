"""The data chapter offers every file of the data package for download, byte for byte."""

import json
import re

import pytest

from booksource import source_text
from frbook.paths import DATA_DIR, REPO_ROOT

DATA_CHAPTER = REPO_ROOT / "notebooks" / "data.ipynb"
DOWNLOAD_ROLE = re.compile(r"\{download\}`[^`<]*<\.\./data/([^>]+)>`")
DOWNLOAD_LINK = re.compile(r'<a class="reference download internal"[^>]*href="([^"]+)"')


def package_files() -> set[str]:
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    return {r["path"] for r in package["resources"]} | {"datapackage.json", "README.md"}


def test_the_data_chapter_links_every_file_of_the_package():
    linked = set(DOWNLOAD_ROLE.findall(source_text(DATA_CHAPTER)))
    assert linked == package_files(), f"missing: {package_files() - linked}"


@pytest.mark.slow
def test_downloads_are_served_unchanged(html_dir):
    page = html_dir / "notebooks" / "data.html"
    served = {}
    for href in DOWNLOAD_LINK.findall(page.read_text(encoding="utf-8")):
        target = (page.parent / href).resolve()
        served[target.name] = target.read_bytes()
    assert set(served) == package_files()
    changed = [name for name, body in served.items() if body != (DATA_DIR / name).read_bytes()]
    assert not changed, f"served copies differ from data/: {changed}"
