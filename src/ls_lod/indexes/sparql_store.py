"""The SPARQL store: the whole dataset (records, agents, vocabularies) in a pyoxigraph store.

A store is a directory, so it cannot be renamed over its predecessor the way a dump file is.
Each store is loaded into a directory named after the digest of the N-Triples dump (the build
knows it from the dump's parts, build/dump_parts.py; else the file is read), and a
small pointer file (sparql-store.json) names the current one; the pointer is committed with
the other outputs of the build's generation (store/generations.py).
An unchanged dataset reuses its store without loading it again; a rebuild that changed few
records changes a copy of the last store instead of loading the whole dump (build/deltas.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph
from pyoxigraph import RdfFormat

from ls_lod import atomic
from ls_lod.store.generations import live_directory

POINTER = "sparql-store.json"
STORES = "sparql-store"
PIPE_BYTES = 1 << 20  # Linux's default limit for a pipe's buffer (/proc/sys/fs/pipe-max-size)


@dataclass(frozen=True)
class StoreInfo:
    """What the pointer file says: where the current store is and how many triples it holds."""

    path: Path
    triples: int
    digest: str


def current(directory: Path) -> StoreInfo | None:
    """The committed store of a build directory (its live generation), or None before the first build with one."""
    return _read_pointer(live_directory(directory))


def _read_pointer(directory: Path) -> StoreInfo | None:
    """What the pointer of one generation (or flat directory) names, or None when it has none."""
    try:
        saved = json.loads((directory / POINTER).read_text("utf-8"))
    except FileNotFoundError:
        return None
    return StoreInfo(directory / saved["store"], int(saved["triples"]), saved["digest"])


def write_sparql_store(out: Path, ntriples: Path, triples: int, digest: str | None = None) -> Path:
    """Load `ntriples` (the dump, not yet committed) into a store; return the pointer to commit.
    `digest`: the dump's content digest when the caller knows it."""
    digest = digest or _file_digest(ntriples)
    target = out / STORES / digest
    _remove_stale(out, keep={digest})  # a generation serves only its own store
    if not target.is_dir():
        _load(ntriples, target)
    _write_pointer(out, digest, triples)
    return out / POINTER


class StreamedLoad:
    """A full build's bulk load, fed the N-Triples dump as it is written, part by part, instead of
    reading the whole file again after it (a full build at 100,000 records spent about 8 s there
    after about 20 s of dumps, one after the other). pyoxigraph's loader runs in a thread and
    frees the GIL, so it parses and indexes while the build renders the next parts; it reads a
    pipe (through its /dev/fd path: a Python file object would take the GIL for every read).

    The store is loaded beside its target, which is named by the dump's digest once the dump is
    whole (`finish`); leaving early (`abort`) stops the loader and removes what it wrote."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.loading = _loading(out / STORES / "streamed")
        read, write = os.pipe()
        if hasattr(fcntl, "F_SETPIPE_SZ"):  # a larger pipe: fewer waits on either side (Linux)
            with contextlib.suppress(OSError):
                fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self.pipe = os.fdopen(write, "wb", buffering=0)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._load, args=(read,), name="sparql-store-load", daemon=True)
        self.thread.start()

    @staticmethod
    def possible() -> bool:
        """Whether the loader can read a pipe by path here."""
        return os.path.isdir("/dev/fd")

    def _load(self, read: int) -> None:
        try:
            store = pyoxigraph.Store(str(self.loading))
            # lenient: no second check of the IRIs, which the Turtle dump's parse of each same
            # part has checked (build/dump_parts.py); 10% of the load's CPU
            store.bulk_load(path=f"/dev/fd/{read}", format=RdfFormat.N_TRIPLES, lenient=True)
            store.flush()  # no optimize(): the bulk loader writes compacted files
            del store  # closes the database before the rename
        except BaseException as error:  # told by finish(), in the build's thread
            self.error = error
        finally:
            os.close(read)

    def write(self, data: bytes) -> None:
        """More of the dump; ignored once the loader has stopped (finish() says why)."""
        if self.error is None and not self.pipe.closed:
            try:
                _write_all(self.pipe, data)
            except BrokenPipeError:
                self.pipe.close()

    def finish(self, triples: int, digest: str) -> Path:
        """The dump is whole: wait for the loader, name the store; returns the pointer to commit."""
        if not self.pipe.closed:
            self.pipe.close()
        self.thread.join()
        if self.error is not None:
            raise self.error
        target = self.out / STORES / digest
        if target.is_dir():  # the same dataset as the last build's, carried over: keep that one
            shutil.rmtree(self.loading, ignore_errors=True)
        else:
            os.rename(self.loading, target)
        _remove_stale(self.out, keep={digest})
        _write_pointer(self.out, digest, triples)
        return self.out / POINTER

    def __enter__(self) -> StreamedLoad:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.thread.is_alive() or self.loading.exists():  # not finished: the build stopped
            self.abort()

    def abort(self) -> None:
        """Stop the loader at once (a line it cannot parse ends the load) and remove its files."""
        if not self.pipe.closed:
            with contextlib.suppress(OSError):
                _write_all(self.pipe, b"\n<not N-Triples\n")
            self.pipe.close()
        self.thread.join()
        shutil.rmtree(self.loading, ignore_errors=True)


def _write_all(pipe: BinaryIO, data: bytes) -> None:
    """Write every byte: a write to a full pipe that a caught signal or a profiler's ptrace
    interrupts returns having written only part of them, and the loader would read a cut line."""
    view = memoryview(data)
    while view:
        view = view[pipe.write(view) :]


def update_sparql_store(
    out: Path, ntriples: Path, triples: int, change: Callable[[pyoxigraph.Store], None], digest: str | None = None
) -> Path | None:
    """The store the last build left (named by out's carried-over pointer), copied with
    `Store.backup` and changed by `change` (a rebuild's removals and additions), for the dump
    `ntriples`; returns the pointer to commit, or None when there is no store to start from.

    The carried-over store directory is hard links to the live one, which RocksDB would write
    into if opened for writing: it is only read (opened read-only), and the backup is a new
    directory (its immutable files hard links again, the rest copied)."""
    previous = _read_pointer(out)
    if previous is None or not previous.path.is_dir():
        return None
    digest = digest or _file_digest(ntriples)
    target = out / STORES / digest
    if not target.is_dir():
        loading = _loading(target)
        pyoxigraph.Store.read_only(str(previous.path)).backup(str(loading))
        store = pyoxigraph.Store(str(loading))
        change(store)
        store.flush()
        del store  # closes the database before the rename
        os.rename(loading, target)
    _remove_stale(out, keep={digest})
    _write_pointer(out, digest, triples)
    return out / POINTER


def _write_pointer(out: Path, digest: str, triples: int) -> None:
    with atomic.writing(out / POINTER) as stream:
        saved = {"store": f"{STORES}/{digest}", "triples": triples, "digest": digest}
        stream.write(json.dumps(saved, indent=2).encode() + b"\n")


def _loading(target: Path) -> Path:
    loading = target.with_name(f".{target.name}{atomic.PARTIAL}")
    shutil.rmtree(loading, ignore_errors=True)
    loading.parent.mkdir(parents=True, exist_ok=True)
    return loading


def _load(ntriples: Path, target: Path) -> None:
    """Bulk-load beside the target, then rename: a killed load never looks like a store."""
    loading = _loading(target)
    store = pyoxigraph.Store(str(loading))
    store.bulk_load(path=str(ntriples), format=RdfFormat.N_TRIPLES)
    store.flush()  # no optimize(): the bulk loader writes compacted files (5 s saved at 100k)
    del store  # closes the database before the rename
    os.rename(loading, target)


def _remove_stale(out: Path, keep: set[str]) -> None:
    """Keep the new store only: the one in service lives on in the live generation (its
    copy here is hard links, carried over from it; store/generations.py)."""
    for path in (out / STORES).glob("*") if (out / STORES).is_dir() else ():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()[:20]
