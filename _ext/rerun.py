"""Rerun a chapter from the book alone: a Sphinx extension (listed in ``_config.yml``).

Every HTML build of a git checkout writes the source of exactly what it builds, as one archive
``<name>-<version>-source.tar.gz`` beside the pages: the files git tracks (untracked files, the
venv and build output stay out), as they are in the working tree, in a folder of the same
name. The archive is byte-reproducible: sorted, with the release date (``SOURCE_DATE_EPOCH``,
see :func:`citation.use_release_date_as_build_date`) as every file's time and no owner.
Every page's footer links to it, and every chapter's page ends with one short line that links
to the overview's section on rerunning, which says what to download and how to run it. Outside
a git checkout (an unpacked archive, say) no archive is written.
"""

import gzip
import html
import io
import os
import subprocess
import tarfile
from pathlib import Path

from buildconfig import PDF_NAME

ARCHIVE_SUFFIX = "-source.tar.gz"
# The overview's section on rerunning, which every chapter's note links to.
HOWTO_ANCHOR = "rerunning-the-book"


def tracked_files(root: Path) -> list[str] | None:
    """The files git tracks under ``root`` and that exist, sorted; None outside a checkout."""
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", "."],
                                capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    names = {name for name in listed.decode("utf-8").split("\0") if name}
    return sorted(name for name in names if (root / name).is_file())


def write_archive(root: Path, files: list[str], archive: Path, folder: str, mtime: int) -> None:
    """A reproducible .tar.gz of ``files`` (relative to ``root``) inside ``folder``/."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in files:
            path = root / name
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = path.stat().st_size
            info.mtime = mtime
            info.mode = 0o755 if os.access(path, os.X_OK) else 0o644
            with path.open("rb") as data:
                tar.addfile(info, data)
    with archive.open("wb") as out, gzip.GzipFile(fileobj=out, mode="wb", mtime=0,
                                                  filename="") as gz:
        gz.write(buffer.getvalue())


def archive_folder(version: str) -> str:
    """``three-companies-four-days-1.0.0``: the PDF's name and the book's version."""
    return f"{Path(PDF_NAME).stem}-{version}"


def archive_name(version: str) -> str:
    """The source archive of ``version``: three-companies-four-days-1.0.0-source.tar.gz."""
    return archive_folder(version) + ARCHIVE_SUFFIX


def source_archive(app) -> str | None:
    """The archive's file name, when this build writes one."""
    if app.builder.format != "html" or not app.frbook_source_files:
        return None
    return archive_name(app.config.version)


def _builder_inited(app) -> None:
    app.frbook_source_files = tracked_files(Path(app.srcdir))


def publish_archive(root: Path, files: list[str], outdir: Path, version: str,
                    mtime: int) -> Path:
    """Write ``version``'s archive into ``outdir`` and remove any other version's, which an
    incremental build would otherwise keep and publish beside it."""
    archive = outdir / archive_name(version)
    for stale in outdir.glob(f"*{ARCHIVE_SUFFIX}"):
        if stale != archive:
            stale.unlink()
    write_archive(root, files, archive, archive_folder(version), mtime)
    return archive


def _build_finished(app, exception) -> None:
    if exception is None and source_archive(app):
        publish_archive(Path(app.srcdir), app.frbook_source_files, Path(app.outdir),
                        app.config.version, int(os.environ.get("SOURCE_DATE_EPOCH", "0")))


def rerun_hint(howto_href: str) -> str:
    """The line at the end of a chapter's page: a link to the one place (the overview) that says
    how to rerun a chapter."""
    return ('<aside class="rerun-hint"><p>To rerun this chapter yourself, see '
            f'<a href="{html.escape(howto_href)}">how to rerun the book</a> in the overview.'
            "</p></aside>")


def _html_page_context(app, pagename, templatename, context, doctree) -> None:
    archive = source_archive(app)
    href = context["pathto"](archive, resource=True) if archive else None
    if href:
        context["theme_extra_footer"] = (context.get("theme_extra_footer") or "") + (
            f'<p class="book-source"><a href="{html.escape(href)}">Download this version of '
            "the book, with its data and notebooks</a>, to rerun any chapter.</p>")
    if doctree is not None and "body" in context:
        source = Path(app.env.doc2path(pagename))
        root = app.config.root_doc
        if source.suffix == ".ipynb" and pagename != root:
            howto = context["pathto"](root) + "#" + HOWTO_ANCHOR
            context["body"] += rerun_hint(howto)


def setup(app):
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _html_page_context)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
