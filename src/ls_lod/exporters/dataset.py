"""The dataset dumps: N-Triples, Turtle and compact JSON-LD, all streamed from the store.

N-Triples is the canonical payload of each record (pyoxigraph's canonical form), so the
N-Triples dump is a concatenation; Turtle is pyoxigraph's streaming serialiser over that;
JSON-LD joins the records' stored compact nodes. None holds the dataset in memory.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, cast

import pyoxigraph
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple
from rdflib.namespace import DCMITYPE, DCTERMS, RDF

from ls_lod import fields
from ls_lod.convert import graph
from ls_lod.exporters import jsonbytes, jsonld
from ls_lod.exporters.registry import Sink
from ls_lod.model import Agent, AgentKind, Record

if TYPE_CHECKING:
    from ls_lod.convert.context import Conversion
    from ls_lod.exporters.registry import DumpSource


# -- per-record payloads ------------------------------------------------------------------
class RecordNTriples:
    name = "ntriples"
    media_type = "application/n-triples"

    def render(self, record: Record, triples: list[Triple], conversion: Conversion) -> str:
        return graph.to_ntriples(triples)


class RecordJsonLd:
    """The record's compact node, without @context (the dump and pages add it)."""

    name = "jsonld"
    media_type = "application/ld+json"

    def render(self, record: Record, triples: list[Triple], conversion: Conversion) -> str:
        return self.render_utf8(record, triples, conversion).decode("utf-8")

    def render_utf8(self, record: Record, triples: list[Triple], conversion: Conversion) -> bytes:
        """In UTF-8, as the store keeps it: orjson writes bytes (jsonbytes), and decoding them to
        encode them again would only copy the payload twice; the standard encoder it replaced took
        a third of this payload's time (docs/speed.md, stop 35)."""
        return b"\n".join(jsonbytes.dumps(node) for node in jsonld.nodes(triples))


RECORD_FORMATS = (RecordNTriples(), RecordJsonLd())


# -- what every dump holds besides the records ----------------------------------------------
def collection_triples(conversion: Conversion) -> list[Triple]:
    node = NamedNode(conversion.minter.collection())
    return [
        Triple(node, NamedNode(str(RDF.type)), NamedNode(str(DCMITYPE.Collection))),
        Triple(node, NamedNode(str(DCTERMS.title)), Literal(conversion.settings.repository_name)),
    ]


def agent_triples(source: DumpSource) -> Iterator[Triple]:
    for slug, name, kind in source.store.agents():
        yield from graph.agent_triples(Agent(name, AgentKind(kind), slug), source.conversion.minter)


def ntriples_head(source: DumpSource) -> str:
    """What the N-Triples dump says before the records: the collection."""
    return graph.to_ntriples(collection_triples(source.conversion))


def ntriples_tail(source: DumpSource) -> str:
    """What it says after them: the agents and the vocabularies."""
    return graph.to_ntriples(list(agent_triples(source))) + source.vocabulary_ntriples


def dataset_ntriples(source: DumpSource) -> Iterator[str]:
    yield ntriples_head(source)
    yield from unique_triples(source.store.payloads("ntriples"), source.conversion.minter.base)
    yield ntriples_tail(source)


def unique_triples(
    payloads: Iterable[tuple[str, str]],
    base: str,
    seen: set[bytes] | None = None,
    shared: list[tuple[bytes, bool]] | None = None,
) -> Iterator[str]:
    """Each record's N-Triples, a triple that another record already gave left out.

    Only a record's own document and description are its alone; any other subject (the PDF
    that several records share: `<pdf> dcterms:format ...`) may repeat, so those lines are
    remembered by an 8-byte digest (memory: about 100 bytes a shared file, not a triple).
    `seen` carries the digests over from earlier records (a dump written in parts), and
    `shared` is told each such line's digest and whether it was kept.
    """
    own = (f"<{base}id/document/", f"<{base}doc/")
    starts = tuple(f"\n{start}" for start in own)  # a line's start after the line before it
    seen = set() if seen is None else seen
    for _, payload in payloads:
        # every line its own? Counted in C: one line a line break (N-Triples escapes those in
        # literals), each preceded by the last one's, or by the one put before the first line
        text = f"\n{payload}"
        if payload.endswith("\n") and text.count(starts[0]) + text.count(starts[1]) == payload.count("\n"):
            yield payload
            continue
        kept = []
        for line in _lines(payload):
            if not line.startswith(own):
                key = hashlib.blake2b(line.encode("utf-8"), digest_size=8).digest()
                if shared is not None:
                    shared.append((key, key not in seen))
                if key in seen:
                    continue
                seen.add(key)
            kept.append(line)
        yield "".join(kept)


def _lines(payload: str) -> list[str]:
    """An N-Triples text's lines, each with its line break: split at line feeds only (a literal
    keeps U+2028, U+0085 and the like as they are, where str.splitlines would break it)."""
    lines = [f"{line}\n" for line in payload.split("\n")]
    last = lines.pop()[:-1]
    return [*lines, last] if last else lines


# -- dumps -------------------------------------------------------------------------------
class NTriplesDump:
    """Collection, records (by document number), agents, vocabularies: written whole by `write`,
    or as a head, parts of records and a tail (build/dump_parts.py) that concatenate to it."""

    name = "nt"
    aliases = ("ntriples", "n-triples")
    file_name = "dataset.nt"
    media_type = "application/n-triples"
    subset = ""
    payload = "ntriples"

    def write(self, source: DumpSource, out: Sink) -> None:
        for chunk in dataset_ntriples(source):
            out.write(chunk.encode("utf-8"))

    def head(self, source: DumpSource) -> str:
        return ntriples_head(source)

    def part(
        self, source: DumpSource, rows: Iterable[tuple[str, str]], seen: set[bytes], shared: list[tuple[bytes, bool]]
    ) -> Iterator[str]:
        """A part's records' texts, one a record, which concatenate to the part (`shared` is told
        a record's lines about shared nodes before its text)."""
        return unique_triples(rows, source.conversion.minter.base, seen, shared)

    def tail(self, source: DumpSource) -> str:
        return ntriples_tail(source)


class _ChunkReader(io.RawIOBase):
    """A file-like view of an iterator of text chunks, for pyoxigraph's streaming parser."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray) -> int:  # type: ignore[override]
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = chunk.encode("utf-8")
        size = min(len(target), len(self._buffer))
        target[:size], self._buffer = self._buffer[:size], self._buffer[size:]
        return size


class TurtleDump:
    name = "turtle"
    aliases = ("ttl",)
    file_name = "dataset.ttl"
    media_type = "text/turtle"
    subset = ""

    def write(self, source: DumpSource, out: Sink) -> None:
        triples = pyoxigraph.parse(
            io.BufferedReader(cast(io.RawIOBase, _ChunkReader(dataset_ntriples(source)))), format=RdfFormat.N_TRIPLES
        )
        # pyoxigraph only calls write(): any Sink will do
        pyoxigraph.serialize(triples, cast(IO[bytes], out), format=RdfFormat.TURTLE, prefixes=dump_prefixes(source))

    def from_ntriples(self, source: DumpSource, ntriples: bytes, head: bool = False) -> bytes:
        """A part of the Turtle dump, UTF-8 in and out (a dump writes bytes: no decoding and
        encoding again): the part's N-Triples as Turtle, the prefixes declared by the head only
        (the serialiser writes them all, whichever are used, so the head has them all)."""
        triples = pyoxigraph.parse(ntriples, format=RdfFormat.N_TRIPLES)
        text = pyoxigraph.serialize(triples, format=RdfFormat.TURTLE, prefixes=dump_prefixes(source)) or b""
        return text if head else text[_after_prefixes(text) :]

    def each_from_ntriples(self, source: DumpSource, texts: list[bytes]) -> list[bytes]:
        """from_ntriples of each text (records' N-Triples), in one call of the serialiser: the
        texts are joined with a marker triple between them, and its Turtle cuts the output. A
        call a record took half as long again (75 against 50 us a record), most of it the
        prefixes' handling; the marker's own statement makes the subject change there, as it
        does where one text's Turtle ends and the next one's begins."""
        filled = [text for text in texts if text]
        if not filled:
            return [b""] * len(texts)
        joined = (b"\n" + _MARKER).join(filled)  # a blank line is no harm where a text ends with one
        cut = self.from_ntriples(source, joined).split(self.from_ntriples(source, _MARKER))
        if len(cut) != len(filled):  # a text that says the marker itself: each on its own
            cut = [self.from_ntriples(source, text) for text in filled]
        turtles = iter(cut)
        return [next(turtles) if text else b"" for text in texts]


# a triple no record says: between records' N-Triples, then cut out of their Turtle
_MARKER = b"<urn:x-ls-lod:cut> <urn:x-ls-lod:cut> <urn:x-ls-lod:cut> .\n"


def _after_prefixes(turtle: bytes) -> int:
    """Where the first line that declares no prefix starts (the end when all do). The prefixes'
    IRIs are the dump's own (dump_prefixes), one a line: no line break inside one."""
    start = 0
    while turtle.startswith(b"@prefix ", start):
        end = turtle.find(b"\n", start)
        if end < 0:
            return len(turtle)
        start = end + 1
    return start


def dump_prefixes(source: DumpSource) -> dict[str, str]:
    minter = source.conversion.minter
    return {
        **fields.prefixes(),
        "doc": minter.document(""),
        "agent": minter.agent(""),
        "keyword": minter.concept("keyword", ""),
        "doctype": minter.concept("doctype", ""),
    }


class JsonLdDump:
    """`{"@context": <published context IRI>, "@graph": [node, ...]}`, one node a line."""

    name = "jsonld"
    aliases = ("json-ld",)
    file_name = "dataset.jsonld"
    media_type = "application/ld+json"
    subset = ""
    payload = "jsonld"

    def write(self, source: DumpSource, out: Sink) -> None:
        out.write(self.head(source).encode("utf-8"))
        for row in source.store.payloads("jsonld"):  # one record at a time: memory does not grow
            out.write(self.part(source, [row]).encode("utf-8"))
        out.write(self.tail(source).encode("utf-8"))

    def head(self, source: DumpSource) -> str:
        nodes = [jsonld.dumps(node) for node in jsonld.nodes(collection_triples(source.conversion))]
        return f'{{"@context":"{source.conversion.minter.context()}",\n"@graph":[\n' + ",\n".join(nodes)

    def part(self, source: DumpSource, rows: Iterable[tuple[str, str]]) -> str:
        """Each node preceded by its comma: parts concatenate after the head's nodes. A payload
        is its nodes one a line (JSON escapes a line break in a string): one join and one
        replace make the part, not a string a node."""
        payloads = [payload for _, payload in rows]
        return ",\n" + "\n".join(payloads).replace("\n", ",\n") if payloads else ""

    def tail(self, source: DumpSource) -> str:
        agents = jsonld.nodes(agent_triples(source))
        vocabularies = jsonld.nodes(sorted(source.vocabulary_triples, key=lambda t: str(t.subject)))
        return "".join(f",\n{jsonld.dumps(node)}" for node in (*agents, *vocabularies)) + "\n]}\n"


DUMP_FORMATS = (NTriplesDump(), TurtleDump(), JsonLdDump())
