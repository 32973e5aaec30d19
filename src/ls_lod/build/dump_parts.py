"""The dataset dumps in parts of 100 document numbers, so a rebuild renders only the parts whose
records changed and takes the others over from the last build.

Each part of each dump is kept as one gzip member (DIR/dump-parts/<format>/<part>.gz, carried
into the next generation as hard links). `dataset.nt.gz` is the head's member, the parts' and
the tail's in a row (a gzip file may hold several members, RFC 1952: gzip, zcat and Python's
gzip read them as one text), and `dataset.nt` is their text: no second plain copy of a part is
kept. The N-Triples dump leaves out a triple about a shared node (a PDF) that an earlier record
gave, so a part's text depends on the parts before it: beside each N-Triples part, its lines
about shared nodes (digest, kept or not) say whether it still reads the same after them.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ls_lod import atomic
from ls_lod.exporters import DumpSource
from ls_lod.exporters.compressed import LEVEL, gzip_name
from ls_lod.exporters.dataset import JsonLdDump, NTriplesDump, TurtleDump

PART_NUMBERS = 100  # 1% of the records changed at random leaves about 37% of the parts as they were
PARTS = "dump-parts"
SHARED = "shared"
_NT, _TTL, _JSONLD = NTriplesDump(), TurtleDump(), JsonLdDump()
PARTED = (_NT.file_name, _TTL.file_name, _JSONLD.file_name)


class _Dump:
    """One dump being written: its text and its gzip copy, member by member."""

    def __init__(self, out: Path, file_name: str, stack: ExitStack) -> None:
        self.targets = [out / file_name, out / gzip_name(file_name)]
        self.plain: BinaryIO = stack.enter_context(atomic.writing(self.targets[0]))
        self.packed: BinaryIO = stack.enter_context(atomic.writing(self.targets[1]))
        self.lines = 0

    def text(self, text: str) -> bytes:
        """Write `text`; returns its gzip member."""
        data = text.encode("utf-8")
        member = gzip.compress(data, compresslevel=LEVEL, mtime=0)
        self._write(data, member)
        return member

    def member(self, member: bytes) -> None:
        self._write(gzip.decompress(member), member)

    def _write(self, data: bytes, member: bytes) -> None:
        self.plain.write(data)
        self.packed.write(member)
        self.lines += data.count(b"\n")


@dataclass(frozen=True)
class PartedDumps:
    """What write_parted_dumps wrote (uncommitted) and learnt on the way."""

    plain: list[Path]  # dataset.nt, .ttl, .jsonld
    packed: list[Path]  # their gzip copies
    triples: int  # lines of the N-Triples dump
    unowned: str  # its head and tail: the N-Triples of no record (collection, agents, vocabularies)


def write_parted_dumps(source: DumpSource, out: Path, changed: set[int] | None) -> PartedDumps:
    """dataset.nt, .ttl, .jsonld and their gzip copies, uncommitted; the parts in `changed` (all
    when None) rendered, the others taken over when they still read the same."""
    keys = sorted({int(record.number) // PART_NUMBERS for record in source.store.records()})
    with ExitStack() as stack:
        nt, ttl, jsonld = (_Dump(out, name, stack) for name in PARTED)
        head = _NT.head(source)
        nt.text(head)
        ttl.text(_TTL.from_ntriples(source, head, head=True))
        jsonld.text(_JSONLD.head(source))
        seen: set[bytes] = set()
        for key in keys:
            files = _part_files(out, key)
            if (
                changed is not None
                and key not in changed
                and all(f.is_file() for f in files)
                and _replay(files[3], seen)
            ):
                for dump, path in zip((nt, ttl, jsonld), files, strict=False):
                    dump.member(path.read_bytes())
                continue
            numbers = range(key * PART_NUMBERS, (key + 1) * PART_NUMBERS)
            shared: list[tuple[bytes, bool]] = []
            text = _NT.part(source, source.store.payloads(_NT.payload, numbers), seen, shared)
            members = [
                nt.text(text),
                ttl.text(_TTL.from_ntriples(source, text)),
                jsonld.text(_JSONLD.part(source, source.store.payloads(_JSONLD.payload, numbers))),
                b"".join(digest + bytes([kept]) for digest, kept in shared),
            ]
            for path, member in zip(files, members, strict=True):
                _replace(path, member)
        tail = _NT.tail(source)
        nt.text(tail)
        ttl.text(_TTL.from_ntriples(source, tail))
        jsonld.text(_JSONLD.tail(source))
    _remove_other_parts(out, set(keys))
    dumps = (nt, ttl, jsonld)
    return PartedDumps([d.targets[0] for d in dumps], [d.targets[1] for d in dumps], nt.lines, head + tail)


def _part_files(out: Path, key: int) -> list[Path]:
    """The part's N-Triples, Turtle and JSON-LD members, and its lines about shared nodes."""
    return [out / PARTS / folder / f"{key}.gz" for folder in ("nt", "ttl", "jsonld")] + [
        out / PARTS / SHARED / f"{key}"
    ]


def _replay(path: Path, seen: set[bytes]) -> bool:
    """Whether a kept part still reads the same after the parts before it (each of its lines about
    a shared node kept exactly when no earlier line gave it); if so, its lines join `seen`."""
    data = path.read_bytes()
    added: set[bytes] = set()
    for start in range(0, len(data), 9):
        digest, kept = data[start : start + 8], data[start + 8] == 1
        if kept != (digest not in seen and digest not in added):
            return False
        added.add(digest)
    seen |= added
    return True


def _replace(path: Path, data: bytes) -> None:
    """Write a part beside its place, then rename: the old name may be a hard link into the live
    generation, which must not change."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = atomic.partial_path(path)
    partial.write_bytes(data)
    os.replace(partial, path)


def _remove_other_parts(out: Path, keys: set[int]) -> None:
    """Parts whose numbers no live record has any more (all withdrawn)."""
    for path in _all_parts(out):
        if int(path.name.split(".")[0]) not in keys:
            path.unlink()


def _all_parts(out: Path) -> Iterator[Path]:
    root = out / PARTS
    return (path for path in root.glob("*/*") if path.name.split(".")[0].isdigit()) if root.is_dir() else iter(())
