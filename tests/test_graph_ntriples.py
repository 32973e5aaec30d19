"""Canonical N-Triples by pyoxigraph's serialiser: the same text as each triple's own form, and
the ntriples payload is the text validation serialised, the same as the format renders it."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from conftest import DATA
from ls_lod.build.payloads import store_item
from ls_lod.build.pipeline import outcomes
from ls_lod.convert.context import conversion_for
from ls_lod.convert.graph import to_ntriples
from ls_lod.exporters import RECORD_FORMATS
from ls_lod.settings import Settings
from ls_lod.validate.validator import validator_for

HOSTILE = ["plain", 'q"uote\\back', "new\nline\r\ttab", "\x00\x01\x7f\u0085\u2028", "é漢字😀", "\ufffe", ""]


def test_serialised_n_triples_are_each_triples_own_form() -> None:
    node = NamedNode("https://example.org/doc/1")
    triples = [Triple(node, NamedNode("https://example.org/p"), Literal(value)) for value in HOSTILE]
    triples += [Triple(node, NamedNode("https://example.org/l"), Literal(value, language="en-GB")) for value in HOSTILE]
    year = NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
    triples += [
        Triple(node, NamedNode("https://example.org/d"), Literal("2020", datatype=year)),
        Triple(BlankNode("b1"), NamedNode("https://example.org/x"), NamedNode("https://example.org/é%20")),
    ]
    assert to_ntriples(triples) == "".join(f"{triple} .\n" for triple in triples)
    assert to_ntriples([]) == ""


def test_the_ntriples_payload_is_the_text_validation_serialised() -> None:
    conversion = conversion_for(Settings.load(environ={}))
    validator = validator_for(conversion)
    done = [o for o in outcomes([str(DATA)], conversion) if o.record is not None]
    validator.validate(done)
    assert all(o.ntriples for o in done)
    for outcome in done:
        assert outcome.record is not None
        expected = RECORD_FORMATS["ntriples"].render(outcome.record, outcome.triples, conversion)
        item = store_item(outcome, conversion)
        assert item.payloads["ntriples"] == expected and outcome.ntriples is None
