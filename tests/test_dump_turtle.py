"""The Turtle of records serialised in one call (exporters/dataset.py
TurtleDump.each_from_ntriples): each record's Turtle reads exactly as if it were serialised on
its own, which is what lets a rebuild keep a record's Turtle when another of its part changes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pyoxigraph
from hypothesis import given, settings
from hypothesis import strategies as st

from ls_lod.convert.context import conversion_for
from ls_lod.exporters.dataset import TurtleDump
from ls_lod.settings import Settings

TURTLE = TurtleDump()
SOURCE: Any = SimpleNamespace(conversion=conversion_for(Settings.load()))
BASE = SOURCE.conversion.minter.document("")
PDF = "<https://example.org/files/a.pdf>"


def ntriples(subject: str, predicate: str, value: str) -> bytes:
    node, verb = pyoxigraph.NamedNode(subject), pyoxigraph.NamedNode(predicate)
    return f"{pyoxigraph.Triple(node, verb, pyoxigraph.Literal(value))} .\n".encode()


def record(number: int, title: str, pdf: bool = False) -> bytes:
    text = ntriples(f"{BASE}{number}", "http://purl.org/dc/terms/title", title)
    text += ntriples(f"{BASE}{number}", "http://purl.org/dc/terms/subject", f"{title} again")
    return text + (f'{PDF} <http://purl.org/dc/terms/format> "application/pdf" .\n'.encode() if pdf else b"")


def each_alone(texts: list[bytes]) -> list[bytes]:
    return [TURTLE.from_ntriples(SOURCE, text) if text else b"" for text in texts]


def test_records_read_as_serialised_one_by_one() -> None:
    """Empty texts (a record whose every line an earlier record gave), a shared node that ends
    one record and begins the next, and a literal with line breaks."""
    texts = [
        record(1, "Trafficking in persons", pdf=True),
        b"",
        f'{PDF} <http://purl.org/dc/terms/extent> "12 pages" .\n'.encode() + record(2, "Line one\nline two\u2028three"),
        record(3, 'A "quoted" title .'),
        b"",
    ]
    assert TURTLE.each_from_ntriples(SOURCE, texts) == each_alone(texts)


def test_a_record_that_names_the_marker_is_still_its_own() -> None:
    marker = b"<urn:x-ls-lod:cut> <urn:x-ls-lod:cut> <urn:x-ls-lod:cut> .\n"
    texts = [record(1, "one"), marker, record(2, "two") + marker]
    assert TURTLE.each_from_ntriples(SOURCE, texts) == each_alone(texts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), max_size=3), min_size=1, max_size=6))
def test_any_literals_read_as_serialised_one_by_one(titles: list[list[str]]) -> None:
    texts = [b"".join(record(number, title) for title in group) for number, group in enumerate(titles)]
    assert TURTLE.each_from_ntriples(SOURCE, texts) == each_alone(texts)
