"""The `rdf` payload joins concept parts serialised once a build; the bytes are those of serialising
the whole description at once, as pyoxigraph would."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pyoxigraph
from pyoxigraph import RdfFormat

from ls_lod.build.pipeline import outcomes
from ls_lod.convert.context import conversion_for
from ls_lod.convert.graph import record_triples
from ls_lod.exporters.rdfxml import RecordRdfXml, _clean, _prefixes, _schema_head
from ls_lod.model import Agent, AgentKind, ConceptRef
from ls_lod.oai.xml import clean
from ls_lod.settings import Settings
from ls_lod.xmlchars import strip_xml_illegal

DATA = Path(__file__).resolve().parent.parent / "data"


def _with_schema_location(text: str) -> str:
    """The root's start as an OAI-PMH metadata part carries it (rdfxml._schema_head)."""
    assert text.startswith("<rdf:RDF"), text[:40]
    return _schema_head() + text[len("<rdf:RDF") :]


def _at_once(payload: str) -> str:
    """The payload's triples, in the order it holds them, serialised in one call."""
    body = re.sub(r' xmlns:xsi="[^"]*" xsi:schemaLocation="[^"]*"', "", payload, count=1)  # the RDF alone
    triples = list(pyoxigraph.parse(body.encode(), format=RdfFormat.RDF_XML))
    serialised = pyoxigraph.serialize(triples, format=RdfFormat.RDF_XML, prefixes=_prefixes())
    assert serialised is not None
    text = serialised.decode().removeprefix('<?xml version="1.0" encoding="UTF-8"?>').lstrip()
    return clean(_with_schema_location(text))


def test_joined_parts_are_the_whole_serialisation() -> None:
    conversion = conversion_for(Settings.load(environ={}))
    rendered = [
        RecordRdfXml().render(o.record, o.triples, conversion)
        for o in outcomes([str(DATA)], conversion)
        if o.record is not None
    ]
    assert len(rendered) > 10
    shared = [p for p in rendered if p.count("<rdf:Description") > 3]  # records with concepts
    assert len(shared) > 10
    for payload in rendered:
        assert payload == _at_once(payload)


def test_agents_joined_as_parts_are_the_whole_serialisation() -> None:
    """Each agent's part is serialised once a build too; a name that is both a person's and an
    organisation's (one IRI) stays one rdf:Description, as one serialisation writes it."""
    conversion = conversion_for(Settings.load(environ={}))
    record = next(o.record for o in outcomes([str(DATA)], conversion) if o.record is not None and o.record.agents)
    both = (Agent("Doe & Co", AgentKind.PERSON, "doe-co"), Agent("Doe & Co", AgentKind.ORGANIZATION, "doe-co"))
    for agents in (both, (*record.agents, *both, Agent("Zed", AgentKind.PERSON, "zed"))):
        changed = dataclasses.replace(record, agents=agents)
        triples = record_triples(changed, conversion.minter)
        payload = RecordRdfXml().render(changed, triples, conversion)
        assert payload == _at_once(payload)
        assert payload.count('rdf:about="https://lod.lastradainternational.org/id/agent/doe-co"') == 1


def test_cleaning_the_utf8_is_cleaning_the_text() -> None:
    """rdfxml._clean looks for U+FFFE/U+FFFF only where their lead byte EF is: characters that
    share it (U+F000-U+FFFD) stay, the two go, whatever surrounds them."""
    rng = random.Random(5)
    alphabet = [*"ab<&\t\n\r é€😀\x00\x01\x0b\x1f\x7f\x85", "\uf000", "\ufeff", "\uffbf", "\ufffd", "\ufffe", "\uffff"]
    for _ in range(2000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _clean(value.encode("utf-8")) == strip_xml_illegal(value).encode("utf-8"), repr(value)


def test_a_candidate_is_described_by_the_name_each_record_gives_it() -> None:
    """What a concept brings is remembered once a build, a candidate's with its name: two records
    naming one candidate IRI differently (before the build settles the name) each carry their own."""
    conversion = conversion_for(Settings.load(environ={}))
    record = next(o.record for o in outcomes([str(DATA)], conversion) if o.record is not None)
    iri = "https://lod.lastradainternational.org/id/keyword/candidates/odd-one"
    for name in ("Odd one", "Odd One Out"):
        changed = dataclasses.replace(record, keywords=(ConceptRef(iri, name, candidate=True),))
        payload = RecordRdfXml().render(changed, record_triples(changed, conversion.minter), conversion)
        assert f">{name}</skos:prefLabel>" in payload
        assert payload == _at_once(payload)
