"""The book at its public address: a Sphinx extension (listed in ``_config.yml``).

When the book has a public address (``BOOK_URL``, else ``url`` in CITATION.cff; see
:func:`citation.public_address`), the HTML gets ``html_baseurl`` (and so a canonical link
on every page), a ``sitemap.xml`` (sphinx-sitemap), OpenGraph metadata with a local social card
image (sphinxext-opengraph; no image is generated or fetched) and the script that fills in the
reader's access date in citations. When the book has a source repository (``BOOK_REPOSITORY``,
else ``repository-code`` in CITATION.cff), the theme's repository and issue buttons point to it,
and chapter notebooks get a Binder launch button. Without an address or a
repository none of these appear: nothing is invented.
"""

from pathlib import Path

from citation import public_address, read_book, repository_address

SOCIAL_CARD = "_static/social-card.png"  # 1200 x 630, in the book's html_static_path
# Fills in "[date of access]" in citations. It lives here, not in _static: jupyter-book adds every
# script in _static to every page, and a book without an address has no use for it.
STATIC_DIR = Path(__file__).parent / "static"
ACCESS_DATE_JS = "access-date.js"
# Binder builds the repository's environment from binder/ (the lock and the frbook package).
# No Colab button: Colab opens a chapter without the frbook package and the data it reads.
BINDER_URL = "https://mybinder.org"


def _config_inited(app, config) -> None:
    srcdir = Path(app.srcdir)
    address = public_address(srcdir)
    if address:
        config.html_baseurl = address
        config.sitemap_url_scheme = "{link}"  # no language or version folder in the addresses
        config.ogp_site_url = address
        config.ogp_site_name = read_book(srcdir).title
        config.ogp_image = SOCIAL_CARD
        config.ogp_image_alt = read_book(srcdir).title
        config.ogp_social_cards = {"enable": False}  # the local card above, nothing generated
        config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]
    repository = repository_address(srcdir)
    if repository:
        theme = config.html_theme_options
        theme.update(repository_url=repository, repository_branch="main", path_to_docs="",
                     use_repository_button=True, use_issues_button=True)
        theme["launch_buttons"] = {**theme.get("launch_buttons", {}),
                                   "binderhub_url": BINDER_URL, "notebook_interface": "jupyterlab"}


def setup(app):
    # The sitemap and OpenGraph extensions are loaded only for a book with an address: without
    # one they have nothing to write (and sphinx-sitemap would warn).
    if public_address(Path(app.srcdir)):
        app.setup_extension("sphinx_sitemap")
        app.setup_extension("sphinxext.opengraph")
        app.add_js_file(ACCESS_DATE_JS)
    app.connect("config-inited", _config_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
