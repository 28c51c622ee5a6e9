"""Fill the book's execution cache two notebooks at a time (make book runs this first).

jupyter-book executes notebooks one after another; on two cores, running them in parallel
into the same jupyter-cache first makes a clean build faster. The cache keys on each
notebook's code, so the build then finds every notebook cached. A notebook that fails here is
simply left uncached: jupyter-book runs it again and fails the build with its usual report.

Stopping: on Ctrl-C, or when make ends the recipe (SIGTERM, SIGHUP, or its shell going away),
this script kills its workers and ends their kernels before it exits, so nothing writes the
cache after make has returned. jupyter-cache's own parallel executor, also behind its command
line (`jcache project execute -e local-parallel`), does not: left without its shell it runs on
and writes the cache, and on Ctrl-C it exits with status 0, listing the notebooks as errored.
"""

import multiprocessing
import os
import signal
import sys
import threading
import time
from pathlib import Path

import psutil
from jupyter_cache import get_cache
from jupyter_cache.executors.basic import (
    REPORT_LEVEL,
    ExecutionWorkerLocalMProc,
    JupyterExecutorLocalMproc,
    ProcessData,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))  # the book's build code
from buildconfig import CELL_TIMEOUT_S, REPO_ROOT  # noqa: E402
from citation import use_release_date_as_build_date  # noqa: E402

CACHE = Path("_build/.jupyter_cache")
GRACE_S = 5  # how long a kernel may take to end before it is killed
PARENT_POLL_S = 0.5


def _work(queue) -> None:
    """A worker: run notebooks from the queue until it holds None. Interrupts are the
    runner's to handle; it kills the workers (nbclient makes them outlive SIGTERM)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    execute_one = ExecutionWorkerLocalMProc()
    for data in iter(queue.get, None):
        execute_one(data)


def _stop_all() -> None:
    """Kill the workers at once, so that none writes the cache again, and end their kernels
    (which run in sessions of their own, so are found before their workers go)."""
    workers = psutil.Process().children()
    kernels = [p for worker in workers for p in worker.children(recursive=True)]
    for process in workers:
        process.kill()
    for process in kernels:
        process.terminate()
    _, alive = psutil.wait_procs(workers + kernels, timeout=GRACE_S)
    for process in alive:
        process.kill()


def execute(notebooks: list[str]) -> None:
    """Run the notebooks that are not cached yet, one per core at a time."""
    cache = get_cache(CACHE)
    for notebook in notebooks:
        cache.add_nb_to_project(str(Path(notebook).resolve()))
    records = JupyterExecutorLocalMproc(cache).get_records(clear_tracebacks=True)
    multiprocessing.log_to_stderr(REPORT_LEVEL)
    queue = multiprocessing.SimpleQueue()
    workers = [
        multiprocessing.Process(target=_work, args=(queue,))
        for _ in range(min(os.cpu_count() or 1, len(records)))
    ]
    try:
        for worker in workers:
            worker.start()
        for record in records:
            queue.put(ProcessData(record.pk, record.uri, cache, CELL_TIMEOUT_S, False))
        for _ in workers:
            queue.put(None)  # one stop sign each
        for worker in workers:
            worker.join()
    except KeyboardInterrupt:
        _stop_all()
        raise


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _stop_when_orphaned() -> None:
    """If the shell make started this from goes away, stop as if interrupted."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os.kill(os.getpid(), signal.SIGTERM)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    threading.Thread(target=_stop_when_orphaned, daemon=True).start()
    use_release_date_as_build_date(REPO_ROOT)  # as the book build does
    try:
        execute(sys.argv[1:])
    except KeyboardInterrupt as stopped:
        signal_name = str(stopped) or "SIGINT"
        print(f"execute_notebooks: stopped by {signal_name}, with its workers and kernels",
              file=sys.stderr)
        sys.exit(130)
