"""Fill the book's execution cache two notebooks at a time (make book runs this first).

jupyter-book executes notebooks one after another; on two cores, running them in parallel
into the same jupyter-cache first makes a clean build faster. The cache keys on each
notebook's code, so the build then finds every notebook cached. A notebook that fails here is
simply left uncached: jupyter-book runs it again and fails the build with its usual report.
"""

import sys
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

from frbook.citation import use_release_date_as_build_date

CACHE = Path("_build/.jupyter_cache")
TIMEOUT_S = 60  # as execute.timeout in _config.yml

use_release_date_as_build_date(Path("."))  # as the book build does, for identical outputs
cache = get_cache(CACHE)
for notebook in sys.argv[1:]:
    cache.add_nb_to_project(str(Path(notebook).resolve()))
load_executor("local-parallel", cache).run_and_cache(timeout=TIMEOUT_S)
