"""Running jobs: a supervised pool of worker processes on this machine, or a Dask cluster.

Kept apart from the work itself (pipeline.stages) so that the scheduling can change
without touching what is computed. Both executors take jobs with `submit` (also while
results are being consumed) and hand back `Outcome`s as jobs finish.

The local pool is what makes a run survive bad input: each worker is a process of its
own; a job that runs past its time limit, or whose worker (with its Tesseract children)
grows past the memory cap, is killed with its process group and reported, the worker is
replaced, and the other jobs go on. A worker that crashes is replaced the same way.
"""
from __future__ import annotations

import ctypes
import gc
import heapq
import multiprocessing as mp
import os
import signal
import time
import warnings
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

import psutil

from pipeline.runtime.storage import is_url

POLL_S = 0.1
SHARE_EVERY_S = 2.0      # how often a worker's shared pages are measured
PR_SET_PDEATHSIG = 1     # prctl option (linux/prctl.h)


@dataclass
class Job:
    key: Hashable
    fn: Callable            # called as fn(*args) in a worker; must be importable by name
    args: tuple
    rank: int = 0           # lower runs first; equal ranks in the order submitted


@dataclass
class Outcome:
    key: Hashable
    value: object = None
    error: str | None = None        # why the job produced nothing, in one line


def _die_with(parent: int) -> None:
    """Linux: the kernel kills this worker when the run that started it dies, even by
    SIGKILL (a worker has its own process group, so killing the run's group spares it,
    and an orphan would keep its memory forever)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass                            # elsewhere the closed pipe ends the worker
    if os.getppid() != parent:          # the run died before prctl took effect
        os._exit(1)


def _worker_main(conn: Connection, parent: int) -> None:
    os.setpgrp()                        # the pool kills the worker and its children together
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
    one_tesseract_thread()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):     # the run is gone
            return
        if job is None:
            return
        key, fn, args = job
        try:
            conn.send(("done", fn(*args)))
        except BaseException as exc:    # noqa: BLE001 - reported, the worker goes on
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _proportional(proc: psutil.Process) -> int:
    """PSS where the kernel gives it (smaps_rollup), else RSS."""
    try:
        return proc.memory_full_info().pss
    except (psutil.AccessDenied, AttributeError):
        return proc.memory_info().rss


def _children_rss(proc: psutil.Process) -> int:
    """The RSS of a worker's children (its Tesseract processes). A child not yet past
    exec (subprocess forks the worker, then runs tesseract) shares the worker's pages:
    counting its RSS would double them."""
    own = proc.name()
    return sum(c.memory_info().rss for c in proc.children(recursive=True) if c.name() != own)


def own_memory_mb() -> float:
    """This process's proportional share of its pages and its children's RSS: a Dask
    worker's memory, as the local pool measures its own workers'."""
    me = psutil.Process()
    return (_proportional(me) + _children_rss(me)) / 2**20


@dataclass
class _Worker:
    process: mp.Process
    conn: Connection
    job: Job | None = None
    started: float = 0.0
    peak_mb: float = 0.0
    ps: psutil.Process | None = field(default=None, repr=False)
    shared: int = 0                 # bytes of its RSS last found shared with others
    shared_at: float = -1e9

    def memory_mb(self) -> float:
        """The worker's proportional share of its pages (the model it shares with the
        other workers counts once among them), and its Tesseract children's RSS. The
        share is measured every SHARE_EVERY_S (the kernel walks every page for it, some
        15 ms); between, RSS less the pages last found shared."""
        try:
            rss = self.ps.memory_info().rss
            now = time.monotonic()
            if now - self.shared_at >= SHARE_EVERY_S:
                self.shared, self.shared_at = rss - _proportional(self.ps), now
            return (rss - self.shared + _children_rss(self.ps)) / 2**20
        except psutil.Error:
            return 0.0

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.join(5)


class ProcessPool:
    """`workers` processes; a job may take `timeout_s` seconds and `memory_mb` MB.

    `preload` runs here before the first worker is forked: what it loads (the
    restorer, whose candidate tables are built in memory) is then shared by every
    worker, page for page, until a worker writes to it; the garbage collector is told
    to leave it be (gc.freeze), or its sweeps would touch every page and copy them all."""

    def __init__(self, workers: int, timeout_s: float | None = None,
                 memory_mb: float | None = None, preload: Callable[[], object] | None = None):
        self.size = max(1, workers)
        self.timeout_s, self.memory_mb = timeout_s, memory_mb
        self.preload = preload
        self.context = mp.get_context("fork")
        self.pending: list[tuple[int, int, Job]] = []     # a heap by (rank, order)
        self.submitted = 0
        self.workers: list[_Worker] = []
        self.peak_mb = 0.0

    def _spawn(self) -> _Worker:
        if self.preload is not None:
            self.preload()
            gc.freeze()
            self.preload = None
        parent, child = self.context.Pipe()
        proc = self.context.Process(target=_worker_main, args=(child, os.getpid()), daemon=True)
        proc.start()
        child.close()
        worker = _Worker(proc, parent, ps=psutil.Process(proc.pid))
        self.workers.append(worker)
        return worker

    def ship(self, location) -> None:
        """Workers on this machine open every input themselves."""
        return None

    def submit(self, job: Job) -> None:
        heapq.heappush(self.pending, (job.rank, self.submitted, job))
        self.submitted += 1

    def _start_jobs(self) -> None:
        idle = [w for w in self.workers if w.job is None]
        while self.pending and (idle or len(self.workers) < self.size):
            worker = idle.pop() if idle else self._spawn()
            job = heapq.heappop(self.pending)[2]
            worker.job, worker.started, worker.peak_mb = job, time.monotonic(), 0.0
            worker.conn.send((job.key, job.fn, job.args))

    def _retire(self, worker: _Worker, error: str) -> Outcome:
        worker.kill()
        self.workers.remove(worker)
        return Outcome(worker.job.key, error=error)

    def _finish(self, worker: _Worker, outcome: Outcome) -> Outcome:
        worker.job = None
        return outcome

    def as_completed(self) -> Iterator[Outcome]:
        """Outcomes as jobs finish, until nothing is pending or running."""
        while True:
            self._start_jobs()
            busy = [w for w in self.workers if w.job is not None]
            if not busy:
                return
            for conn in wait([w.conn for w in busy], timeout=POLL_S):
                worker = next(w for w in busy if w.conn is conn)
                try:
                    kind, *payload = conn.recv()
                except (EOFError, OSError):
                    code = worker.process.exitcode
                    yield self._retire(worker, f"worker crashed (exit {code}); the file may "
                                               "be damaged: check or re-export it")
                    continue
                if kind == "done":
                    yield self._finish(worker, Outcome(worker.job.key, payload[0]))
                else:
                    yield self._finish(worker, Outcome(worker.job.key, error=payload[0]))
            yield from self._police()

    def _police(self) -> Iterator[Outcome]:
        now = time.monotonic()
        for worker in [w for w in self.workers if w.job is not None]:
            worker.peak_mb = max(worker.peak_mb, worker.memory_mb())
            self.peak_mb = max(self.peak_mb, worker.peak_mb)
            if self.timeout_s and now - worker.started > self.timeout_s:
                yield self._retire(worker, f"took longer than {self.timeout_s:g} s and was "
                                           "stopped; split the file or raise --timeout")
            elif self.memory_mb and worker.peak_mb > self.memory_mb:
                yield self._retire(worker, f"needed more than {self.memory_mb:g} MB and was "
                                           "stopped; split the file or raise --max-memory")

    def close(self) -> None:
        for worker in self.workers:
            if worker.job is None:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
                worker.process.join(2)
            worker.kill()
        self.workers = []

    def __enter__(self) -> "ProcessPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _shipped(data: bytes) -> bytes:
    return data


def one_tesseract_thread() -> None:
    """One Tesseract thread per worker: workers are as many as cores, and a Tesseract
    built with OpenMP (tesserocr built from source against the system's) would spin its
    threads against each other's worker. OpenMP reads the variable when the engine
    first loads, in this process: it must be in this process's own environment."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


class DaskPool:
    """The same interface on a Dask cluster: `scheduler` is an address such as
    tcp://host:8786 (a SLURM or Kubernetes Dask cluster), or None for a LocalCluster of
    `workers` single-threaded worker processes on this machine, each capped at
    `memory_mb` (Dask's nanny restarts a worker that grows past it). Inputs the
    workers cannot open are shipped to them (`ship`)."""

    def __init__(self, workers: int, scheduler: str | None = None,
                 memory_mb: float | None = None, quiet: bool = False, ship_inputs: str = "auto"):
        import logging

        from dask.distributed import Client, LocalCluster, as_completed
        if quiet:       # the cluster's own INFO lines on every start, connect and close
            for name in ("distributed", "dask"):
                logging.getLogger(name).setLevel(logging.ERROR)
        self.cluster = None
        if scheduler is None:
            self.cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                        processes=True, dashboard_address=None,
                                        silence_logs=logging.ERROR if quiet else logging.WARNING,
                                        memory_limit=f"{memory_mb}MB" if memory_mb else "auto")
        self.client = Client(scheduler or self.cluster)
        from pipeline.runtime.dask_worker import WorkerSetup
        self.client.register_plugin(WorkerSetup(), name="vnplan-worker-setup")
        self.futures = as_completed()
        self.keys: dict[str, Hashable] = {}
        self.peak_mb = 0.0
        self.measured_at = -1e9
        self.ship_inputs = ship_inputs      # "auto", or "always": every input's bytes shipped
        self.seen: dict[str, bool] = {}     # input folder -> every worker sees it

    def ship(self, location) -> object:
        """None where every worker can open the input itself (a URL, or a path they all
        see: a local cluster, shared storage); else a future of its bytes, handed to each
        of its jobs. The bytes travel in the task itself, not scattered: a worker killed
        while holding them has them made again from the task (Dask cannot remake
        scattered data, and forgets the jobs that need it)."""
        if is_url(location):
            return None
        if self.ship_inputs == "auto":
            folder = str(Path(location).parent)
            if folder not in self.seen:
                seen = self.client.run(os.path.isdir, folder) if self.cluster is None else {}
                self.seen[folder] = all(seen.values())
            if self.seen[folder]:
                return None
        with warnings.catch_warnings():     # "Sending large graph": that is the point
            warnings.simplefilter("ignore", UserWarning)
            return self.client.submit(_shipped, Path(location).read_bytes(), pure=False)

    def submit(self, job: Job) -> None:
        future = self.client.submit(job.fn, *job.args, pure=False, priority=-job.rank)
        self.keys[future.key] = job.key
        self.futures.add(future)

    def as_completed(self) -> Iterator[Outcome]:
        for future in self.futures:
            key = self.keys.pop(future.key)
            try:
                yield Outcome(key, future.result())
            except Exception as exc:  # noqa: BLE001 - a lost worker costs one job
                yield Outcome(key, error=f"failed on the cluster ({type(exc).__name__}: "
                                         f"{str(exc)[:150]})")
            future.release()
            self.measure()

    def measure(self) -> None:
        """The peak memory of a worker, asked of every worker at most every SHARE_EVERY_S
        as jobs finish."""
        now = time.monotonic()
        if now - self.measured_at < SHARE_EVERY_S:
            return
        self.measured_at = now
        try:
            found = self.client.run(own_memory_mb)
        except Exception:  # noqa: BLE001 - a worker lost meanwhile: measured next time
            return
        self.peak_mb = max([self.peak_mb, *found.values()])

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> "DaskPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
