"""_ext/iconfont.py: which icons a page can draw, and the font cut down to them."""

import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont

from iconfont import FONT_FILES, css_text, glyphs_used, icon_rules, site_glyphs

BARS, DOWNLOAD, BELL, XMARK = 0xF0C9, 0xF019, 0xF0F3, 0xF00D
THEME_CSS = r"""
:root{--pst-icon-download:"\f019";--pst-icon-bell:"\f0f3"}
html[data-theme=dark]{--pst-icon-admonition-default:var(--pst-icon-bell)}
.fa-bars:before,.fa-navicon:before{content:"\f0c9"}.fa-sun:before{content:"\f185"}
.fa-xmark:before{content:"\f00d"}
@media (min-width:960px){a.reference.download:before{content:var(--pst-icon-download)}}
.admonition>.admonition-title:after{content:var(--pst-icon-admonition-default)}
ol.arabic li:before{content:"• "}
a[href$=".csv"]:after{content:"\f6dd"}.missing a.reference:after{content:"\f0c1"}
"""
FILE_CSV, LINK = 0xF6DD, 0xF0C1
PAGE = """<html><body><button><span class="fa-solid fa-bars"></span></button>
<p><a class="reference download internal" href="x.csv">data</a></p>
<ol class="arabic"><li>a</li></ol>
</body></html>"""
SCRIPT = 'const icon = document.createElement("i"); icon.classList = "fa-solid fa-xmark";'


def test_css_text_reads_escapes_and_plain_characters():
    assert css_text(r'"\f0c9"') == "\uf0c9"
    assert css_text(r"'\e06a x' ") == "\ue06a" + "x"
    assert css_text("var(--x)") == ""


def test_icon_rules_resolve_custom_properties():
    rules = dict(icon_rules(THEME_CSS))
    assert rules["a.reference.download:before"] == chr(DOWNLOAD)
    assert rules[".admonition>.admonition-title:after"] == chr(BELL)
    assert rules[".fa-bars:before,.fa-navicon:before"] == chr(BARS)


def test_glyphs_used_counts_classes_scripts_and_matching_rules_only():
    used = glyphs_used(BeautifulSoup(PAGE, "html.parser"), [THEME_CSS], [SCRIPT])
    # Not the sun (no element has the class), nor the bell (no admonition), nor the link icon
    # (no element of class "missing"), nor the bullet.
    assert used == {BARS, DOWNLOAD, XMARK, FILE_CSV}


@pytest.mark.slow
def test_built_icon_font_holds_the_icons_the_pages_use(html_dir):
    """The build replaced both font files with the subset derived from its pages."""
    glyphs = site_glyphs(html_dir)
    assert {BARS, DOWNLOAD} <= glyphs, "the menu and download icons were not found"
    for relative in FONT_FILES:
        font = html_dir / "_static" / relative
        assert set(TTFont(font).getBestCmap()) == glyphs, f"{relative} is not the pages' subset"
