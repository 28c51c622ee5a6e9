"""Each figure's data download named after the figure: a Sphinx extension (listed in
``_config.yml``).

The note under a chart (frbook.figures.figure_note) links to the chart's data as a CSV file;
its name comes from the figure the note follows, whose name the chapter writes once, in the
figure cell's ``mystnb.figure.name`` metadata.
"""

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

DOWNLOAD = re.compile(r'(<a class="figure-data" [^>]*download=")[^"]*(")')


def name_downloads(document: nodes.document) -> None:
    """Name every figure note's download in ``document`` after the figure before it."""
    name = None
    for node in list(document.findall(lambda n: isinstance(n, nodes.figure | nodes.raw))):
        if isinstance(node, nodes.figure):
            name = node["ids"][0] if node["ids"] else None
        elif name and DOWNLOAD.search(node.astext()):
            text = DOWNLOAD.sub(rf"\g<1>{name}.csv\g<2>", node.astext())
            node.replace_self(nodes.raw(text, text, format=node["format"]))


class NameFigureDownloads(SphinxPostTransform):
    default_priority = 100  # after myst-nb has chosen each output's HTML (priority 4)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        name_downloads(self.document)


def setup(app):
    app.add_post_transform(NameFigureDownloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
