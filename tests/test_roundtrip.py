"""Property: any record's triples -> compact JSON-LD -> triples (pyld) gives the same graph,
and N-Triples -> Turtle -> N-Triples too (hypothesis generates the records)."""

from __future__ import annotations

import json

import pyoxigraph
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld as pyld
from rdflib.compare import isomorphic

from ls_lod.convert.graph import record_triples, to_ntriples
from ls_lod.exporters import jsonld
from ls_lod.model import Agent, AgentKind, Availability, ConceptRef, Record, TypedDate
from ls_lod.report import Location
from ls_lod.uris import Minter

MINTER = Minter("https://lod.example.org/", "example.org")
XSD = "http://www.w3.org/2001/XMLSchema#"
CONTEXT = jsonld.context()

# Any Unicode XML can carry (the normaliser has removed the rest before this stage).
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
slug = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
dates = st.sampled_from(
    [
        TypedDate("2014", XSD + "gYear"),
        TypedDate("2014-05", XSD + "gYearMonth"),
        TypedDate("2014-05-12", XSD + "date"),
        TypedDate("2013/2014", "http://id.loc.gov/datatypes/edtf/EDTF"),
    ]
)
agents = st.builds(Agent, name=text, kind=st.sampled_from(AgentKind), slug=slug)
concepts = st.builds(ConceptRef, iri=slug.map(lambda s: MINTER.concept("keyword", s)), label=text)
records = st.builds(
    Record,
    number=st.integers(1, 10**9).map(str),
    location=st.just(Location("test")),
    title=st.none() | text,
    date=st.none() | dates,
    agents=st.lists(agents, max_size=3).map(tuple),
    availability=st.builds(
        Availability, url=st.none() | slug.map(lambda s: f"https://example.org/{s}.pdf"), note=st.none() | text
    ),
    keywords=st.lists(concepts, max_size=5, unique_by=lambda c: c.iri).map(tuple),
    summary=st.none() | text,
    language=st.none() | st.sampled_from(["en", "nl", "uk"]),
)


def _loader(url: str, options: object = None) -> dict[str, object]:
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(records)
def test_jsonld_round_trip(record: Record) -> None:
    triples = record_triples(record, MINTER)
    expected = rdflib.Graph().parse(data=to_ntriples(triples), format="nt")
    document = {"@context": "https://lod.example.org/ns/context.jsonld", "@graph": list(jsonld.nodes(triples))}
    document = json.loads(jsonld.dumps(document))
    nquads = pyld.to_rdf(document, {"format": "application/n-quads", "documentLoader": _loader})
    assert isomorphic(expected, rdflib.Graph().parse(data=nquads, format="nt"))


@settings(max_examples=60, deadline=None)
@given(records)
def test_turtle_round_trip(record: Record) -> None:
    nt = to_ntriples(record_triples(record, MINTER))
    turtle = pyoxigraph.serialize(
        pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES), format=pyoxigraph.RdfFormat.TURTLE
    )
    assert isomorphic(rdflib.Graph().parse(data=nt, format="nt"), rdflib.Graph().parse(data=turtle, format="turtle"))
