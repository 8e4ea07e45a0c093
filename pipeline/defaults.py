"""Defaults of a run, kept light: the command line's --help reads them without
importing the pipeline."""
from __future__ import annotations

import os

# A job is one page batch or one document's final steps: minutes at most on sane input.
DEFAULT_TIMEOUT_S = 300
DEFAULT_MEMORY_MB = 3000
# Pages read by one job: small enough that two workers share one long scan evenly. Load
# balancing only: the output is the same for any batch size.
PAGES_PER_JOB = 2


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
