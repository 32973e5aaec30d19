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

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import RdfFormat

from ls_lod import atomic
from ls_lod.store.generations import live_directory

POINTER = "sparql-store.json"
STORES = "sparql-store"


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
