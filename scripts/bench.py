"""Benchmark the book (make bench): install and build times, notebook run times, page weight.

Works in a temporary copy of the working tree, so the repository and its _build/ are untouched:

1. fresh install: make creates the copy's .venv from requirements-lock.txt, pip's cache off;
2. clean build: `make book` with no _build/ and so no execution cache;
3. rebuild with nothing changed: `make book` again, then `jupyter-book build` on its own
   (Sphinx's incremental build, without make's short cut);
4. rebuild after editing one notebook (a comment added to its first code cell): `make book`;
   the execution cache tells which notebooks ran again;
5. per-notebook execution time, from the execution cache;
6. reproducibility: a second clean build in another folder, compared byte for byte with the first;
7. per-page requests and weight in Chromium (bytes and gzip-compressed bytes of every file the
   page loads), against the same book built with jupyter-book's stock theme configuration.

Prints Markdown tables; benchmarks.md keeps a copy. --reuse-venv skips step 1 and builds with
the repository's .venv, which make is told never to reinstall (its frbook is the repository's).
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from jupyter_book.config import get_default_sphinx_config
from jupyter_cache import get_cache

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "_ext"), str(REPO / "tests")]
from booktree import (  # noqa: E402
    IGNORED,
    READER_STAMP,
    copy_tree,
    differing_files,
    digests,
    make_with_venv,
)
from browsercheck import (  # noqa: E402
    PAGE_BUDGET_KB,
    chromium,
    new_context,
    page_weight,
    serve,
    visit,
)
from buildconfig import SPHINX_FLAGS  # noqa: E402

# sphinx.config keys this book sets for its readers (theme, assets, offline use); the stock
# configuration leaves them out and takes jupyter-book's default extensions.
READER_KEYS = {"html_theme_options", "nb_ipywidgets_js", "html_show_sphinx", "templates_path",
               "html_static_path", "html_css_files", "html_context", "html_show_search_summary"}
READER_EXTENSIONS = {"iconfont"}  # the icon font cut down: a reader fix too
TARGETS = {"clean": 30.0, "nothing": 3.0, "one": 8.0, "notebook": 5.0,
           "page_kb": PAGE_BUDGET_KB, "lighter": 0.40}


def run(command: list[str], cwd: Path, log: Path, env: dict | None = None) -> float:
    """Run ``command``, appending its output to ``log``; seconds taken. Exits on failure."""
    start = time.perf_counter()
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        code = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL,
                              env={**os.environ, **(env or {})}).returncode
    seconds = time.perf_counter() - start
    if code != 0:
        sys.exit(f"bench: {' '.join(command)} failed in {cwd}; see {log}:\n"
                 + "\n".join(log.read_text().splitlines()[-30:]))
    return seconds


def cache_records(book: Path) -> dict[int, tuple[str, float]]:
    """Execution-cache records of a built copy: id -> (notebook, execution seconds)."""
    cache = get_cache(book / "_build" / ".jupyter_cache")
    return {r.pk: (Path(r.uri).relative_to(book).as_posix(), r.data.get("execution_seconds", 0.0))
            for r in cache.list_cache_records()}


def edit_notebook(path: Path) -> None:
    """Append a comment to the first code cell: new source, so the cache no longer matches."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source += "\n# edited by scripts/bench.py"
    nbformat.write(nb, path)


def stock_config(config: dict) -> dict:
    """The book's _config.yml with jupyter-book's theme defaults in place of its reader fixes."""
    sphinx = config.get("sphinx", {}).get("config", {})
    defaults = get_default_sphinx_config()["extensions"]
    kept = {k: v for k, v in sphinx.items() if k not in READER_KEYS}
    kept["extensions"] = defaults + [e for e in sphinx.get("extensions", [])
                                     if e not in defaults and e not in READER_EXTENSIONS]
    stock = {k: v for k, v in config.items() if k not in ("html", "launch_buttons", "sphinx")}
    # local_extensions puts _ext/ on sys.path, where the kept extensions (bibstyle...) live.
    stock["sphinx"] = {**{k: v for k, v in config.get("sphinx", {}).items() if k != "config"},
                       "config": kept}
    return stock


def weigh_pages(browser, html: Path) -> dict[str, tuple[int, int, int, int]]:
    """Every page: (requests, bytes, gzip bytes, requests to other hosts)."""
    pages = sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                   if p.relative_to(html).parts[0] != "_static")
    weights = {}
    with serve(html) as base:
        context = new_context(browser, base)
        page = context.new_page()
        for name in pages:
            record = visit(page, base + name, base)
            weights[name] = (*page_weight(record, base, html), len(record.foreign_requests))
        context.close()
    return weights


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    chromium_version = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True,
                                      text=True).stdout.strip()
    return (f"{cpu}, {os.cpu_count()} cores, {mem_kb / 2**20:.0f} GiB RAM; "
            f"{platform.platform()}; Python {platform.python_version()}; {chromium_version}")


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse-venv", action="store_true",
                        help="link the repository's .venv instead of timing a fresh install")
    parser.add_argument("--notebook", default=None,
                        help="notebook to edit for the one-notebook rebuild (default: toc root)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="frbook-bench-"))
    book, stock, log = work / "book", work / "stock", work / "bench.log"
    copy_tree(REPO, book)
    again = copy_tree(REPO, work / "again")  # for the reproducibility check, before any edit
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    notebook = args.notebook or f"{toc['root']}.ipynb"
    print(f"Working in {work} (log: {log})", file=sys.stderr)

    times = {}
    if args.reuse_venv:
        venv = REPO / ".venv"
        make = make_with_venv(venv)
        times["install"] = None
    else:
        venv = book / ".venv"
        make = ["make"]
        times["install"] = run([*make, f".venv/{READER_STAMP}"], book, log,
                               {"PIP_NO_CACHE_DIR": "1"})
    jupyter_book = str(venv / "bin" / "jupyter-book")
    times["clean"] = run([*make, "book"], book, log)
    executed = cache_records(book)
    first_html = digests(book / "_build" / "html")
    times["nothing"] = run([*make, "book"], book, log)
    times["nothing_sphinx"] = run([jupyter_book, "build", ".", "--path-output", "_build/stage",
                                   *SPHINX_FLAGS], book, log)
    edit_notebook(book / notebook)
    times["one"] = run([*make, "book"], book, log)
    rerun = sorted(uri for pk, (uri, _) in cache_records(book).items() if pk not in executed)

    run([*make_with_venv(venv), "book"], again, log)
    differing = differing_files(first_html, digests(again / "_build" / "html"))

    shutil.copytree(book, stock, ignore=IGNORED, symlinks=True)
    (stock / "_config.yml").write_text(yaml.safe_dump(stock_config(config), sort_keys=False))
    shutil.copytree(book / "_build" / ".jupyter_cache", stock / "_build" / ".jupyter_cache")
    run([jupyter_book, "build", ".", "--keep-going"], stock, log)
    with chromium() as browser:
        ours = weigh_pages(browser, book / "_build" / "html")
        theirs = weigh_pages(browser, stock / "_build" / "html")

    print(f"Machine: {machine()}\n")
    print("| step | seconds | target | met |\n|---|---:|---:|---|")
    rows = [("fresh install (`make`: venv + pip, no pip cache)", times["install"], None),
            ("clean build (`make book`, no execution cache)", times["clean"], "clean"),
            ("rebuild, nothing changed (`make book`)", times["nothing"], "nothing"),
            ("rebuild, nothing changed (`jupyter-book build`, Sphinx incremental)",
             times["nothing_sphinx"], None),
            (f"rebuild after editing `{notebook}` (`make book`); re-executed: "
             f"{', '.join(f'`{uri}`' for uri in rerun) or 'none'}", times["one"], "one")]
    for label, seconds, key in rows:
        shown = "skipped (--reuse-venv)" if seconds is None else f"{seconds:.1f}"
        target = f"< {TARGETS[key]:.0f}" if key else ""
        met = verdict(seconds < TARGETS[key]) if key and seconds is not None else ""
        print(f"| {label} | {shown} | {target} | {met} |")

    print(f"\nReproducibility: two clean builds (`make book` in two folders) wrote "
          f"{len(first_html)} files in `_build/html`; byte-identical: {verdict(not differing)}"
          + (f" ({len(differing)} differ, e.g. {', '.join(differing[:3])})" if differing else ""))

    print("\n| notebook (clean build) | execution seconds | target | met |\n|---|---:|---:|---|")
    for uri, seconds in sorted(executed.values()):
        print(f"| `{uri}` | {seconds:.1f} | < {TARGETS['notebook']:.0f} | "
              f"{verdict(seconds < TARGETS['notebook'])} |")

    print("\n| page | requests | KB | KB gzip | stock theme: requests, KB gzip, other hosts "
          "| lighter | met |\n|---|---:|---:|---:|---:|---:|---|")
    for name, (requests, raw, gz, _) in ours.items():
        s_requests, _, s_gz, s_foreign = theirs[name]
        lighter = 1 - gz / s_gz
        met = gz <= TARGETS["page_kb"] * 1024 and lighter >= TARGETS["lighter"]
        print(f"| `{name}` | {requests} | {raw / 1024:.0f} | {gz / 1024:.0f} | "
              f"{s_requests}, {s_gz / 1024:.0f}, {s_foreign} | {lighter:.0%} | {verdict(met)} |")
    heaviest = max(ours, key=lambda name: ours[name][2])
    print(f"\nHeaviest page: `{heaviest}`, {ours[heaviest][2] / 1024:.0f} KB gzip-compressed "
          f"with everything it loads (budget {TARGETS['page_kb']} KB: "
          f"{verdict(ours[heaviest][2] <= TARGETS['page_kb'] * 1024)}).")
    print(f"\nTargets: every page at most {TARGETS['page_kb']} KB gzip-compressed and at least "
          f"{TARGETS['lighter']:.0%} lighter than with the stock theme configuration. Requests to "
          "other hosts are blocked in the browser, so the stock figures leave out their bytes.")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
