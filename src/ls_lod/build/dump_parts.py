"""The dataset dumps in parts of PART_NUMBERS document numbers, so a rebuild renders only the
records that changed and copies the rest, byte range by byte range, from the last build.

Each part of each dump is one gzip member of its gzip copy (a gzip file may hold several
members, RFC 1952: gzip, zcat and Python's gzip read them as one text), and `dataset.nt` is
their text. The dump index (DIR/dump-index.bin) says where each part lies in each file, so a
rebuild copies an unchanged part's bytes (os.copy_file_range: in the kernel, no decompression)
from the carried-over files of the live generation. The N-Triples dump leaves out a triple about
a shared node (a PDF) that an earlier record gave, so a part's text depends on the parts before
it: the index also keeps each part's lines about shared nodes (digest, kept or not), which say
whether it still reads the same after them, and the digest of its N-Triples text: the digest of
`dataset.nt` (which names the SPARQL store) follows from them without reading the file again.

Inside a part, each record's text is its own in every dump (its Turtle is serialised alone), and
the index keeps each one's length: a part with a changed record is made of the others' texts,
read back from the last build, and the changed ones rendered. 1% of the records changed touches
about 18% of the parts, whose other records (17% of the catalogue) used to be rendered again.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import struct
import threading
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ls_lod import atomic
from ls_lod.exporters import DumpSource
from ls_lod.exporters.compressed import compress, gzip_name
from ls_lod.exporters.dataset import JsonLdDump, NTriplesDump, TurtleDump

# 1% of the records changed at random touches about 18% of the parts of 20 (63% of parts of 100);
# a gzip member of 20 records is 10% (N-Triples) to 19% (JSON-LD) larger than one of 100.
PART_NUMBERS = 20
INDEX = "dump-index.bin"
LEGACY_PARTS = "dump-parts"  # the parts as files, before the index: removed from a new generation
_NT, _TTL, _JSONLD = NTriplesDump(), TurtleDump(), JsonLdDump()
PARTED = (_NT.file_name, _TTL.file_name, _JSONLD.file_name)
_MAGIC = b"LSLODIX4"  # 3: gzip members by ISA-L; 4: each record's lengths (an older index is not reused)
_ENTRY = struct.Struct("<qII16s")  # part key, bytes of its shared lines, of its records, digest of its N-Triples
_SPAN = struct.Struct("<QQQQQ")  # plain offset, plain length, gzip offset, gzip length, lines
HEAD, TAIL = -1, -2  # the index's keys of what the dumps say before and after the records
_SHARED_LINE = 9  # an 8-byte digest and whether the line was kept
_RECORD = struct.Struct("<IIIHB")  # a record's bytes in each dump, its shared lines, its number's length


@dataclass(frozen=True)
class Span:
    """Where one part lies in one dump: its text and its gzip member."""

    plain: int
    plain_length: int
    packed: int
    packed_length: int
    lines: int


@dataclass(frozen=True)
class Part:
    spans: tuple[Span, ...]  # N-Triples, Turtle, JSON-LD
    shared: bytes  # its N-Triples lines about shared nodes: 8-byte digest + kept (1) or not (0)
    digest: bytes  # of its N-Triples text (text_digest)
    records: bytes  # each record's _RECORD and number, in order (see _records)


@dataclass(frozen=True)
class Piece:
    """One record's text in a part: its bytes in each dump and its lines about shared nodes."""

    number: str
    texts: tuple[bytes, bytes, bytes]  # N-Triples, Turtle, JSON-LD
    shared: bytes  # as Part.shared


def text_digest(text: str) -> bytes:
    return data_digest(text.encode("utf-8"))


def data_digest(data: bytes) -> bytes:
    """text_digest of the text these UTF-8 bytes encode."""
    return hashlib.blake2b(data, digest_size=16).digest()


class _Dump:
    """One dump being written: its text and its gzip copy, member by member; kept parts' bytes
    are copied from the last build's files, adjacent ones in one call. The main thread says what
    to write (and tells `tee`, in order); the build's _Writer thread compresses, writes and
    copies, and learns where each part landed: spans[n] is where the n-th part (`data` or
    `copy`, in call order) lies once the writer is done."""

    def __init__(
        self,
        out: Path,
        file_name: str,
        stack: ExitStack,
        old: bool,
        writer: _Writer,
        tee: Callable[[bytes], None] | None = None,
    ) -> None:
        self.tee = tee  # also told the text, in order (the SPARQL store's streamed load)
        self.writer = writer
        self.targets = [out / file_name, out / gzip_name(file_name)]
        self.plain: BinaryIO = stack.enter_context(atomic.writing(self.targets[0]))
        self.packed: BinaryIO = stack.enter_context(atomic.writing(self.targets[1]))
        self.old = [stack.enter_context(path.open("rb")) for path in self.targets] if old else []
        self.lines = 0
        self.parts = 0  # parts asked for so far
        # the writer thread's own: where the files end, the copy yet to make, each part's span
        self.positions = [0, 0]
        self.pending: list[list[int]] = [[0, 0], [0, 0]]  # per file: a source range yet to copy
        self.spans: list[Span] = []

    def text(self, text: str) -> int:
        """Write `text` and its gzip member; returns the part's number (see spans)."""
        return self.data(text.encode("utf-8"))

    def data(self, data: bytes) -> int:
        """Write a text's UTF-8 bytes and their gzip member; returns the part's number."""
        if self.tee is not None:
            self.tee(data)
        lines = data.count(b"\n")
        self.writer.submit(self._write, data, lines)
        return self._asked(lines)

    def copy(self, span: Span) -> int:
        """The part at `span` of the last build's files, copied; returns the part's number."""
        if self.tee is not None:
            self.tee(self.old_text(span))
        self.writer.submit(self._copy, span)
        return self._asked(span.lines)

    def old_text(self, span: Span) -> bytes:
        """The last build's text of a part."""
        return os.pread(self.old[0].fileno(), span.plain_length, span.plain)

    def finish(self) -> None:
        self.writer.submit(self._finish)

    def _asked(self, lines: int) -> int:
        self.lines += lines
        self.parts += 1
        return self.parts - 1

    # what the writer thread runs, in the order the main thread asked

    def _write(self, data: bytes, lines: int) -> None:
        self._finish()
        member = compress(data)  # ISA-L lets go of the GIL: the main thread renders meanwhile
        self.plain.write(data)
        self.packed.write(member)
        self._advance(len(data), len(member), lines)

    def _copy(self, span: Span) -> None:
        ranges = ((span.plain, span.plain_length), (span.packed, span.packed_length))
        for index, (start, length) in enumerate(ranges):
            pending_start, pending_length = self.pending[index]
            if pending_length and pending_start + pending_length == start:
                self.pending[index] = [pending_start, pending_length + length]
                continue
            self._flush(index)
            self.pending[index] = [start, length]
        self._advance(span.plain_length, span.packed_length, span.lines)

    def _finish(self) -> None:
        self._flush(0)
        self._flush(1)

    def _advance(self, plain: int, packed: int, lines: int) -> None:
        self.spans.append(Span(self.positions[0], plain, self.positions[1], packed, lines))
        self.positions[0] += plain
        self.positions[1] += packed

    def _flush(self, index: int) -> None:
        start, length = self.pending[index]
        if length:
            target = (self.plain, self.packed)[index]
            copy_range(self.old[index], target, start, length)
        self.pending[index] = [0, 0]


class _Writer:
    """A thread that runs the dumps' writes in the order they were asked. Copying kept parts
    (in the kernel), compressing and writing let go of the GIL, so on a rebuild they go on while
    the main thread renders the changed parts: a 1% rebuild of 100,000 records spent 1.6 of its
    3.8 s of dumps waiting on them. At most QUEUED operations wait (a few MB of parts). Entered
    after the files it writes, so that it is done with them before they close."""

    QUEUED = 64

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[Callable[..., None], tuple[object, ...]] | None] = queue.Queue(self.QUEUED)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="dump-writer", daemon=True)

    def __enter__(self) -> _Writer:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None and self.error is None:
            self.error = _Stopped()  # the build failed: what is still queued is not written
        self.queue.put(None)
        self.thread.join()
        if kind is None and self.error is not None:
            raise self.error

    def submit(self, operation: Callable[..., None], *args: object) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((operation, args))

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:  # after a failure the rest is only taken off the queue
                operation, args = item
                try:
                    operation(*args)
                except BaseException as error:
                    self.error = error


class _Stopped(Exception):
    """What the writer's queue was left with when the build stopped: nothing to report."""


def copy_range(source: BinaryIO, target: BinaryIO, start: int, length: int) -> None:
    """`length` bytes of `source` from `start` appended to `target`: in the kernel where it can."""
    target.flush()
    done = _kernel_copy(source, target, start, length)
    source.seek(start + done)
    left = length - done
    while left:  # no copy_file_range here, or not between these files
        chunk = source.read(min(left, 1 << 20))
        if not chunk:
            raise OSError(f"{source.name} is shorter than its dump index says")
        target.write(chunk)
        left -= len(chunk)
    target.seek(0, os.SEEK_END)


def _kernel_copy(source: BinaryIO, target: BinaryIO, start: int, length: int) -> int:
    """Bytes copied by os.copy_file_range (0 where it is missing or refuses)."""
    done = 0
    try:
        while done < length:
            copied = os.copy_file_range(source.fileno(), target.fileno(), length - done, start + done)
            if not copied:
                break
            done += copied
    except (AttributeError, OSError):
        pass
    return done


@dataclass(frozen=True)
class PartedDumps:
    """What write_parted_dumps wrote (uncommitted) and learnt on the way."""

    plain: list[Path]  # dataset.nt, .ttl, .jsonld
    packed: list[Path]  # their gzip copies
    index: Path  # where each part lies in them
    triples: int  # lines of the N-Triples dump
    unowned: str  # its head and tail: the N-Triples of no record (collection, agents, vocabularies)
    digest: str  # of dataset.nt's content, from its parts' digests in order (names the SPARQL store)


def write_parted_dumps(
    source: DumpSource, out: Path, changed: set[str] | None, tee: Callable[[bytes], None] | None = None
) -> PartedDumps:
    """dataset.nt, .ttl, .jsonld, their gzip copies and the dump index, uncommitted: the records
    numbered in `changed` (all when None) rendered, the others' texts copied when they still read
    the same. `tee` is given dataset.nt's bytes as they are written."""
    keys = source.store.live_parts(PART_NUMBERS)
    shutil.rmtree(out / LEGACY_PARTS, ignore_errors=True)  # links into the live generation's copy
    old = read_index(out) if changed is not None else {}
    touched = set() if changed is None else {int(number) // PART_NUMBERS for number in changed}
    head, tail = _NT.head(source), _NT.tail(source)
    if changed == set() and tee is None and _read_the_same(out, old, keys, (head, tail)):
        return _linked(out, old, head + tail)
    asked: dict[int, _Asked] = {}
    writer = _Writer()
    with ExitStack() as stack:
        tees = (tee, None, None)
        dumps = [_Dump(out, name, stack, bool(old), writer, t) for name, t in zip(PARTED, tees, strict=True)]
        nt = dumps[0]
        stack.enter_context(writer)  # last in, first out: done writing before the files close
        asked[HEAD] = _end(
            dumps,
            old.get(HEAD),
            head,
            lambda: _TTL.from_ntriples(source, head.encode("utf-8"), head=True),
            lambda: _JSONLD.head(source),
        )
        seen: set[bytes] = set()
        for key in keys:
            last = old.get(key)
            if last is not None and key not in touched and _replay(last.shared, seen):
                parts = tuple(d.copy(s) for d, s in zip(dumps, last.spans, strict=True))
                asked[key] = _Asked(parts, last.shared, last.digest, last.records)
                continue
            numbers = range(key * PART_NUMBERS, (key + 1) * PART_NUMBERS)
            kept = {} if last is None or changed is None else _kept_pieces(dumps, last, changed)
            pieces = _part_pieces(source, numbers, kept, seen)
            texts = [b"".join(piece.texts[n] for piece in pieces) for n in range(len(dumps))]
            parts = tuple(dump.data(text) for dump, text in zip(dumps, texts, strict=True))
            lines = b"".join(piece.shared for piece in pieces)
            asked[key] = _Asked(parts, lines, data_digest(texts[0]), _records(pieces))
        asked[TAIL] = _end(
            dumps,
            old.get(TAIL),
            tail,
            lambda: _TTL.from_ntriples(source, tail.encode("utf-8")),
            lambda: _JSONLD.tail(source),
        )
        for dump in dumps:
            dump.finish()
    index = {key: part.landed(dumps) for key, part in asked.items()}
    _write_index(out, index)
    plain, packed = [d.targets[0] for d in dumps], [d.targets[1] for d in dumps]
    return PartedDumps(plain, packed, out / INDEX, nt.lines, head + tail, _whole_digest(index))


def _read_the_same(out: Path, old: dict[int, Part], keys: list[int], ends: tuple[str, str]) -> bool:
    """Whether the last build's dumps are this one's as they stand: the same parts in the same
    order, each still reading the same after the ones before it, and the same head and tail."""
    if not old or list(old) != [HEAD, *keys, TAIL]:
        return False
    seen: set[bytes] = set()
    if not all(_replay(old[key].shared, seen) for key in keys):
        return False
    with (out / _NT.file_name).open("rb") as nt:
        last = tuple(
            os.pread(nt.fileno(), old[end].spans[0].plain_length, old[end].spans[0].plain) for end in (HEAD, TAIL)
        )
    return last == tuple(text.encode("utf-8") for text in ends)


def _linked(out: Path, old: dict[int, Part], unowned: str) -> PartedDumps:
    """The carried-over dumps, gzip copies and index as this build's, uncommitted: each linked
    under its partial name, none copied (an edit of the shapes would copy a gigabyte at 100,000
    records for the same bytes; docs/speed.md, stop 34)."""
    plain, packed = [out / name for name in PARTED], [out / gzip_name(name) for name in PARTED]
    for path in [*plain, *packed, out / INDEX]:
        partial = atomic.partial_path(path)
        partial.unlink(missing_ok=True)
        os.link(path, partial)
    triples = sum(part.spans[0].lines for part in old.values())
    return PartedDumps(plain, packed, out / INDEX, triples, unowned, _whole_digest(old))


def _whole_digest(index: dict[int, Part]) -> str:
    """The digest of dataset.nt's content, from its parts' digests in order (names the SPARQL store)."""
    return hashlib.sha256(b"".join(part.digest for part in index.values())).hexdigest()[:20]


@dataclass(frozen=True)
class _Asked:
    """A part as the main thread asked for it: its number in each dump (see _Dump.spans)."""

    numbers: tuple[int, ...]  # N-Triples, Turtle, JSON-LD
    shared: bytes
    digest: bytes
    records: bytes = b""  # the head and tail have none

    def landed(self, dumps: list[_Dump]) -> Part:
        """The part with where the writer put it, once it is done."""
        spans = tuple(dump.spans[number] for dump, number in zip(dumps, self.numbers, strict=True))
        return Part(spans, self.shared, self.digest, self.records)


def _end(
    dumps: list[_Dump], last: Part | None, text: str, turtle: Callable[[], bytes], json_ld: Callable[[], str]
) -> _Asked:
    """The dumps' head or tail: copied when its N-Triples (`text`) read as the last build's
    (its Turtle and JSON-LD say the same triples), else rendered."""
    nt, ttl, jsonld = dumps
    if last is not None and nt.old_text(last.spans[0]) == text.encode("utf-8"):
        copied = tuple(dump.copy(span) for dump, span in zip(dumps, last.spans, strict=True))
        return _Asked(copied, b"", text_digest(text))
    return _Asked((nt.text(text), ttl.data(turtle()), jsonld.text(json_ld())), b"", text_digest(text))


def read_index(out: Path) -> dict[int, Part]:
    """The last build's dump index, carried into `out` with its dumps; empty when there is none
    (a first build, or one from before the index) or a dump it describes is missing."""
    path = out / INDEX
    if not path.is_file() or not all((out / name).is_file() and (out / gzip_name(name)).is_file() for name in PARTED):
        return {}
    data = path.read_bytes()
    if not data.startswith(_MAGIC):
        return {}
    parts: dict[int, Part] = {}
    offset = len(_MAGIC)
    while offset < len(data):
        key, shared, records, digest = _ENTRY.unpack_from(data, offset)
        offset += _ENTRY.size
        spans = []
        for _ in PARTED:
            spans.append(Span(*_SPAN.unpack_from(data, offset)))
            offset += _SPAN.size
        shared_end = offset + shared
        parts[key] = Part(tuple(spans), data[offset:shared_end], digest, data[shared_end : shared_end + records])
        offset = shared_end + records
    return parts


def _write_index(out: Path, index: dict[int, Part]) -> None:
    with atomic.writing(out / INDEX) as stream:
        stream.write(_MAGIC)
        for key, part in index.items():
            stream.write(_ENTRY.pack(key, len(part.shared), len(part.records), part.digest))
            for span in part.spans:
                stream.write(_SPAN.pack(span.plain, span.plain_length, span.packed, span.packed_length, span.lines))
            stream.write(part.shared)
            stream.write(part.records)


def _part_pieces(source: DumpSource, numbers: range, kept: dict[str, Piece], seen: set[bytes]) -> list[Piece]:
    """The texts of a part's records, in order: a kept one's as the last build wrote them when
    it still reads the same after the records before it, any other rendered from its payloads.
    With nothing kept, the part's payloads are read in two queries, not two a record."""
    store = source.store
    made: list[Piece | _Draft] = []
    if kept:
        for number in store.live_numbers(numbers):
            piece = kept.get(number)
            if piece is not None and _replay(piece.shared, seen):
                made.append(piece)
                continue
            stored = store.payload(number, _NT.payload) or "", store.payload(number, _JSONLD.payload) or ""
            made += _drafts(source, [(number, *stored)], seen)
    else:
        rows = zip(store.payloads(_NT.payload, numbers), store.payloads(_JSONLD.payload, numbers), strict=True)
        made += _drafts(source, [(number, triples, node) for (number, triples), (_, node) in rows], seen)
    drafts = [item for item in made if isinstance(item, _Draft)]
    turtles = iter(_TTL.each_from_ntriples(source, [draft.ntriples for draft in drafts]))
    return [item if isinstance(item, Piece) else item.piece(next(turtles)) for item in made]


@dataclass(frozen=True)
class _Draft:
    """A record being rendered, all but its Turtle (serialised for the part's drafts at once)."""

    number: str
    ntriples: bytes
    jsonld: bytes
    shared: bytes

    def piece(self, turtle: bytes) -> Piece:
        return Piece(self.number, (self.ntriples, turtle, self.jsonld), self.shared)


def _drafts(source: DumpSource, rows: list[tuple[str, str, str]], seen: set[bytes]) -> list[_Draft]:
    """Records' N-Triples (a line another record gave left out) and JSON-LD, from their
    (number, N-Triples, JSON-LD) payloads: one pass of unique_triples, which gives a text a
    record and tells the shared lines as it goes."""
    shared: list[tuple[bytes, bool]] = []
    texts = _NT.part(source, [(number, triples) for number, triples, _ in rows], seen, shared)
    drafts, told = [], 0
    for (number, _, node), text in zip(rows, texts, strict=True):
        lines = b"".join(digest + bytes([kept]) for digest, kept in shared[told:])
        told = len(shared)
        node_text = _JSONLD.part(source, [(number, node)]).encode("utf-8")
        drafts.append(_Draft(number, text.encode("utf-8"), node_text, lines))
    return drafts


def _kept_pieces(dumps: list[_Dump], last: Part, changed: set[str]) -> dict[str, Piece]:
    """The last build's texts of a part's records that did not change, by number."""
    texts = [dump.old_text(span) for dump, span in zip(dumps, last.spans, strict=True)]
    kept, starts, shared_start, offset = {}, [0, 0, 0], 0, 0
    while offset < len(last.records):
        *lengths, shared_lines, size = _RECORD.unpack_from(last.records, offset)
        offset += _RECORD.size
        number = last.records[offset : offset + size].decode("utf-8")
        offset += size
        ends = [start + length for start, length in zip(starts, lengths, strict=True)]
        shared_end = shared_start + shared_lines * _SHARED_LINE
        if number not in changed:
            nt, ttl, jsonld = (text[start:end] for text, start, end in zip(texts, starts, ends, strict=True))
            kept[number] = Piece(number, (nt, ttl, jsonld), last.shared[shared_start:shared_end])
        starts, shared_start = ends, shared_end
    return kept


def _records(pieces: list[Piece]) -> bytes:
    """A part's records as the index keeps them: lengths, shared lines, number."""
    table = bytearray()
    for piece in pieces:
        number = piece.number.encode("utf-8")
        lengths = (len(text) for text in piece.texts)
        table += _RECORD.pack(*lengths, len(piece.shared) // _SHARED_LINE, len(number)) + number
    return bytes(table)


def _replay(data: bytes, seen: set[bytes]) -> bool:
    """Whether a kept part still reads the same after the parts before it (each of its lines about
    a shared node kept exactly when no earlier line gave it); if so, its lines join `seen`."""
    added: set[bytes] = set()
    for start in range(0, len(data), _SHARED_LINE):
        digest, kept = data[start : start + 8], data[start + 8] == 1
        if kept != (digest not in seen and digest not in added):
            return False
        added.add(digest)
    seen |= added
    return True
