"""Figures in the HTML: a chart's two drawings as files, and each figure's data download named
after the figure. A Sphinx extension (listed in ``_config.yml``).

A timeline's notebook output is also an HTML <picture> of two drawings, for a phone and a
laptop (frbook.style.picture), each an SVG data URI: the HTML build takes that output, with
the drawings written to ``_images/`` like any other image and the figure's alt text
(its cell's ``mystnb.image.alt``) on the image.

The note under a chart (frbook.figures.figure_note) links to the chart's data as a CSV file;
its name comes from the figure the note follows, whose name the chapter writes once, in the
figure cell's ``mystnb.figure.name`` metadata. Where the data has a ``source_key`` column, the
build adds a ``source`` column before it: each row's source as the book cites it ("Krishna,
2020"), its bibliography label (_ext/bibstyle.py, through sphinxcontrib-bibtex).
"""

import base64
import csv
import hashlib
import html
import io
import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from bibstyle import cited_labels

DOWNLOAD = re.compile(r'(<a class="figure-data" [^>]*download=")[^"]*(")')
CSV_DATA = re.compile(r'(href="data:text/csv;charset=utf-8;base64,)([^"]+)(")')
KEY_COLUMN, CITED_COLUMN = "source_key", "source"
SVG_DATA = re.compile(r'(src|srcset)="data:image/svg\+xml;base64,([^"]+)"')
PICTURE = "<picture>"
NO_ALT = 'alt=""'


def with_citations(data: str, labels: dict[str, str]) -> str:
    """CSV ``data`` with a column CITED_COLUMN before its KEY_COLUMN, if it has one: each
    row's source by its label in ``labels`` (source key: label)."""
    rows = list(csv.reader(io.StringIO(data)))
    if not rows or KEY_COLUMN not in rows[0]:
        return data
    at = rows[0].index(KEY_COLUMN)
    unknown = sorted({row[at] for row in rows[1:]} - set(labels))
    if unknown:
        raise ValueError(f"a figure's data cites sources the bibliography lacks: {unknown}")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [*row[:at], CITED_COLUMN if number == 0 else labels[row[at]], *row[at:]]
        for number, row in enumerate(rows))
    return out.getvalue()


def name_downloads(document: nodes.document, labels: dict[str, str] | None = None) -> None:
    """Name every figure note's download in ``document`` after the figure before it and, given
    the bibliography's ``labels``, add the citation of each row's source to its data."""
    def cited(found: re.Match) -> str:
        data = with_citations(base64.b64decode(found.group(2)).decode("utf-8"), labels)
        return found.group(1) + base64.b64encode(data.encode("utf-8")).decode("ascii") + \
            found.group(3)

    name = None
    for node in list(document.findall(lambda n: isinstance(n, nodes.figure | nodes.raw))):
        if isinstance(node, nodes.figure):
            name = node["ids"][0] if node["ids"] else None
        elif DOWNLOAD.search(node.astext()):
            text = node.astext()
            if name:
                text = DOWNLOAD.sub(rf"\g<1>{name}.csv\g<2>", text)
            if labels is not None:
                text = CSV_DATA.sub(cited, text)
            node.replace_self(nodes.raw(text, text, format=node["format"]))


def _outputs(bundle: nodes.Element) -> dict[str, nodes.Element]:
    """A notebook output's forms (myst-nb's containers in its MIME bundle), by MIME type."""
    return {child["mime_type"]: child for child in bundle.children if child.get("mime_type")}


def picture_with_files(markup: str, alt: str, write) -> str:
    """``markup`` (frbook.style.picture) with each SVG data URI replaced by the address that
    ``write`` (given the SVG's bytes) returns, and ``alt`` as the image's alt text."""
    def to_file(found: re.Match) -> str:
        return f'{found.group(1)}="{write(base64.b64decode(found.group(2)))}"'

    return SVG_DATA.sub(to_file, markup).replace(NO_ALT, f'alt="{html.escape(alt)}"', 1)


class ChartDrawingFiles(SphinxPostTransform):
    """A figure whose output is also a <picture> (frbook.style.picture) shows that in the HTML,
    its drawings written to files named by their content, as myst-nb names images, and with
    the alt text of its SVG form, which the HTML shows otherwise."""

    default_priority = 3  # before myst-nb keeps one form of each output (priority 4)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        builder = self.app.builder
        images = Path(builder.outdir) / builder.imagedir
        page = builder.get_target_uri(self.env.docname)

        def write(svg: bytes) -> str:
            name = f"{hashlib.sha256(svg).hexdigest()}.svg"
            images.mkdir(parents=True, exist_ok=True)
            if not (images / name).exists():
                (images / name).write_bytes(svg)
            return relative_uri(page, f"{builder.imagedir}/{name}")

        for figure in self.document.findall(nodes.figure):
            for bundle in figure.findall(lambda n: isinstance(n, nodes.container)
                                         and n.get("nb_element") == "mime_bundle"):
                forms = _outputs(bundle)
                markup = forms.get("text/html", nodes.Element()).astext()
                if not markup.startswith(PICTURE):
                    continue
                image = next(forms.get("image/svg+xml", nodes.Element()).findall(nodes.image), None)
                markup = picture_with_files(markup, image.get("alt", "") if image else "", write)
                # In place of myst-nb's raw node, which the HTML wraps in a box (a div).
                forms["text/html"][:] = [nodes.raw(markup, markup, format="html")]


class NameFigureDownloads(SphinxPostTransform):
    default_priority = 100  # after myst-nb has chosen each output's HTML (priority 4)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        name_downloads(self.document,
                       {key: label for key, (label, _) in cited_labels(self.env).items()})


def setup(app):
    app.add_post_transform(ChartDrawingFiles)
    app.add_post_transform(NameFigureDownloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
