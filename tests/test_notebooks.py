"""Every notebook is stored clean and runs top to bottom in a fresh kernel.

Each notebook runs once per test session, in the session build (conftest.book_build, through
the notebook runner `make book` uses); the execution cache of that build shows that every
notebook's current source ran without error, or holds the traceback of the run that failed.
"""

import re

import nbformat
import pytest
from jupyter_cache import get_cache

from conftest import NOTEBOOKS, execute_notebooks, execution_cache

IDS = [p.name for p in NOTEBOOKS]
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # IPython colours its tracebacks


def unexecuted(cache_dir, notebooks) -> dict[str, str]:
    """The notebooks whose current source has no successful run in the cache, each with the
    traceback of its failed run, or why there is none."""
    cache = get_cache(cache_dir)
    problems = {}
    for path in notebooks:
        try:
            record = cache.get_project_record(str(path))
        except KeyError:
            problems[path.name] = "never executed"
            continue
        if cache.get_cached_project_nb(str(path)) is None:
            problems[path.name] = (ANSI_COLOUR.sub("", record.traceback or "")
                                   or "not executed since its last change")
    return problems


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks in notebooks/: nothing to execute or test"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
             and (cell.outputs or cell.execution_count is not None)]
    assert dirty == [], f"cells {dirty} have outputs or execution counts: clear them, then save"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_ran_in_a_fresh_kernel(book_build, path):
    problems = unexecuted(book_build.cache_dir, [path])
    assert not problems, f"{path.name} failed in the test build:\n{problems[path.name]}"


@pytest.mark.slow
def test_the_check_catches_a_failing_and_an_edited_notebook(tmp_path):
    notebooks = {}
    for name, code in {"fails": "raise ValueError('boom')", "edited": "x = 1"}.items():
        notebooks[name] = tmp_path / f"{name}.ipynb"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, notebooks[name])
    execute_notebooks(tmp_path, list(notebooks.values()))
    cache = execution_cache(tmp_path)
    assert set(unexecuted(cache, notebooks.values())) == {"fails.ipynb"}
    nb = nbformat.read(notebooks["edited"], as_version=4)
    nb.cells[0].source = "x = 2"
    nbformat.write(nb, notebooks["edited"])
    problems = unexecuted(cache, [*notebooks.values(), tmp_path / "never.ipynb"])
    assert set(problems) == {"fails.ipynb", "edited.ipynb", "never.ipynb"}, problems
    assert "ValueError: boom" in problems["fails.ipynb"]
    assert problems["edited.ipynb"] == "not executed since its last change"
    assert problems["never.ipynb"] == "never executed"
