"""Ctrl-C during `make book` stops the notebook runner with its workers and kernels, so nothing
writes the execution cache after make has exited; so does make ending the runner's shell."""

import contextlib
import os
import select
import signal
import subprocess
import sys

import nbformat
import psutil
import pytest
from jupyter_cache import get_cache

from frbook.paths import REPO_ROOT

RUNNER = REPO_ROOT / "scripts" / "execute_notebooks.py"
CACHE = "_build/.jupyter_cache"
STARTUP_TIMEOUT_S = 120  # two kernels starting on a busy machine
STOP_TIMEOUT_S = 30


def _slow_notebook(path, fifo):
    """A notebook whose kernel reports its pid through `fifo`, then runs for two minutes."""
    cell = (
        "import os, time\n"
        f"with open({str(fifo)!r}, 'w') as fifo:\n"
        "    fifo.write(f'{os.getpid()}\\n')\n"
        "time.sleep(120)"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, path)


def _default_signals():
    # As in a terminal, even when the tests run under a shell that ignores interrupts.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def _kernel_pids(fifo, count: int) -> set[int]:
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    writer = os.open(fifo, os.O_WRONLY)  # held open so that EOF never ends the wait early
    received = b""
    try:
        while received.count(b"\n") < count:
            ready, _, _ = select.select([reader], [], [], STARTUP_TIMEOUT_S)
            assert ready, f"kernels did not start within {STARTUP_TIMEOUT_S} s"
            received += os.read(reader, 1024)
    finally:
        os.close(reader)
        os.close(writer)
    return {int(pid) for pid in received.split()}


def _stop_by_ctrl_c(shell: subprocess.Popen) -> None:
    os.killpg(shell.pid, signal.SIGINT)  # what the terminal sends to make's process group


def _stop_by_losing_its_shell(shell: subprocess.Popen) -> None:
    shell.kill()  # make's recipe shell gone, the runner orphaned


@pytest.mark.slow
@pytest.mark.parametrize("stop", [_stop_by_ctrl_c, _stop_by_losing_its_shell],
                         ids=["ctrl-c", "shell gone"])
def test_the_runner_leaves_no_process_behind(tmp_path, stop):
    fifo = tmp_path / "kernels"
    os.mkfifo(fifo)
    notebooks = [tmp_path / "a.ipynb", tmp_path / "b.ipynb"]
    for notebook in notebooks:
        _slow_notebook(notebook, fifo)
    log = (tmp_path / "runner.log").open("w")
    # Two commands, as in make's recipe, so that bash stays the runner's parent.
    command = f"{sys.executable} {RUNNER} a.ipynb b.ipynb; exit $?"
    shell = subprocess.Popen(["bash", "-c", command], cwd=tmp_path, stdout=log, stderr=log,
                             start_new_session=True, preexec_fn=_default_signals)
    started = []
    try:
        kernels = _kernel_pids(fifo, count=min(2, os.cpu_count() or 1))
        (runner,) = psutil.Process(shell.pid).children()
        started = [runner, *runner.children(recursive=True)]
        assert kernels <= {process.pid for process in started}
        stop(shell)
        _, alive = psutil.wait_procs(started, timeout=STOP_TIMEOUT_S)
        assert not alive, f"still running after the runner was stopped: {alive}"
    finally:
        for process in [*started, psutil.Process(shell.pid)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        shell.wait()
    assert "execute_notebooks: stopped by" in (tmp_path / "runner.log").read_text()
    assert get_cache(tmp_path / CACHE).list_cache_records() == []
