"""Running a function over many inputs: in this process or in a pool of processes.

Kept apart from the work itself (pipeline.stages) so that the scheduling can change
without touching what is computed.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing import Manager


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _init_worker() -> None:
    # One tesseract thread per worker: the pool already uses every core.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _call_with_events(fn, queue, args):
    def on_page(n, total):
        queue.put((args[1], n, total))
    return fn(*args, on_page=on_page)


def run_all(fn: Callable, jobs: list[tuple], workers: int,
            on_page: Callable[[str, int, int], None] | None = None) -> Iterator:
    """Yield fn(*job, on_page=...) results as they finish. job[1] names the job."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield fn(*job, on_page=(lambda n, t, name=job[1]: on_page(name, n, t))
                     if on_page else None)
        return
    with Manager() as manager, ProcessPoolExecutor(min(workers, len(jobs)),
                                                   initializer=_init_worker) as pool:
        queue = manager.Queue()
        pending = {pool.submit(_call_with_events, fn, queue, job) for job in jobs}
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            while not queue.empty():
                event = queue.get()
                if on_page:
                    on_page(*event)
            for fut in done:
                yield fut.result()
