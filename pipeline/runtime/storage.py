"""Inputs and outputs on this machine or on shared storage, for workers that may run on
other machines.

An input is at a location: a path on this machine, or a URL any worker can open
through fsspec (file://, http(s)://, s3://, gs://: the Dask ecosystem's convention).
A worker reads every input from a file of its own: `local_file` gives one, copying a
URL, or the bytes shipped with the jobs to a cluster whose workers cannot see this
machine's files, into the worker's temporary folder once per process (the last
COPIES_KEPT of them kept). An output
folder given as a URL is written here, beside what it already holds (corrections
included), and uploaded when the run has published it. The page cache may be a URL too
(`read_bytes`/`write_bytes`): each entry is one object, and object stores write an
object whole or not at all, as atomic_write does a local file.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from pipeline.output.writer import atomic_write

Location = Path | str            # a str is a URL
COPIES = "vnplan-inputs"         # the worker's folder of local copies, in its temp folder
COPIES_KEPT = 16                 # copies a process keeps for its next jobs, newest first
_copied: OrderedDict[str, Path] = OrderedDict()   # location or content key -> copy


def is_url(text: object) -> bool:
    return isinstance(text, str) and "://" in text


def _fs(url: str):
    import fsspec

    return fsspec.core.url_to_fs(url)


def list_files(arg: str) -> tuple[list[tuple[Location, str]], bool] | None:
    """(location, name relative to the argument) of the file the argument names, or of
    every file under the folder it names (sorted), and whether it named a folder; None
    when nothing is there. An http(s) URL names a folder only when it ends in '/' (a
    page of links)."""
    if not is_url(arg):
        path = Path(arg).resolve()      # a worker elsewhere has another working folder
        if path.is_file():
            return [(path, path.name)], False
        if path.is_dir():
            return [(f, f.relative_to(path).as_posix()) for f in sorted(path.rglob("*"))
                    if f.is_file()], True
        return None
    fs, root = _fs(arg)
    web = arg.split("://", 1)[0] in ("http", "https")
    try:
        if (not web or arg.endswith("/")) and fs.isdir(root):
            files = sorted(f for f in fs.find(root) if not fs.isdir(f))
            return [(fs.unstrip_protocol(f), PurePosixPath(f).relative_to(root).as_posix())
                    for f in files if f != root], True
        if fs.exists(root):
            return [(arg, PurePosixPath(root.rstrip("/")).name)], False
    except (OSError, ValueError):
        pass
    return None


def read_bytes(location: Location) -> bytes:
    """The bytes at a path or URL (OSError where there are none)."""
    if not is_url(location):
        return Path(location).read_bytes()
    fs, path = _fs(str(location))
    return fs.cat_file(path)


def write_bytes(location: Location, data: bytes) -> None:
    """Write a whole file at a path (atomically) or an object at a URL."""
    if not is_url(location):
        atomic_write(Path(location), data)
        return
    fs, path = _fs(str(location))
    protocols = (fs.protocol,) if isinstance(fs.protocol, str) else fs.protocol
    if "file" in protocols:
        atomic_write(Path(path), data)
    else:
        fs.pipe_file(path, data)


def join(location: Location, *parts: str) -> Location:
    """A path or URL below `location`."""
    if is_url(location):
        return "/".join([str(location).rstrip("/"), *parts])
    return Path(location).joinpath(*parts)


def local_file(location: Location, shipped: bytes | None = None, name: str = "") -> Path:
    """A local file with the input's bytes: the path itself, or this process's copy of
    the shipped bytes or of the URL (the suffix kept: readers go by it)."""
    if shipped is None and not is_url(location):
        return Path(location)
    suffix = PurePosixPath(name or str(location)).suffix
    key = (hashlib.sha256(shipped).hexdigest() if shipped is not None
           else hashlib.sha256(str(location).encode()).hexdigest())
    found = _copied.get(key)
    if found is not None and found.exists():
        _copied.move_to_end(key)
        return found
    folder = Path(tempfile.gettempdir()) / COPIES
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{key[:24]}-{os.getpid()}{suffix}"     # this process's own
    tmp = folder / f".{key[:24]}.{os.getpid()}.part"
    if shipped is not None:
        tmp.write_bytes(shipped)
    else:
        fs, path = _fs(str(location))
        fs.get_file(path, str(tmp))
    tmp.replace(target)
    _copied[key] = target
    while len(_copied) > COPIES_KEPT:       # a worker's disk holds a few inputs, not all
        _copied.popitem(last=False)[1].unlink(missing_ok=True)
    return target


@contextmanager
def output_folder(out: str) -> Iterator[Path]:
    """The folder a run writes to: `out` itself, or for a URL a local folder holding
    what the URL holds (the reviewers' corrections too), uploaded on success."""
    if not is_url(out):
        yield Path(out)
        return
    fs, root = _fs(out)
    work = Path(tempfile.mkdtemp(prefix="vnplan-out-"))
    local = work / "structured"
    try:
        if fs.isdir(root):
            fs.get(root.rstrip("/") + "/", str(local), recursive=True)
        local.mkdir(exist_ok=True)
        yield local
        fs.put(str(local) + "/", root.rstrip("/") + "/", recursive=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
