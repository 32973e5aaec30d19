"""The independent checker: every document, agent, concept and scheme IRI of a build is
dereferenced with each media type and what comes back is parsed by a second reader (rdflib,
pyld, the standard HTML parser). Each description must hold every triple the dumps hold about
its thing, so nothing a client needs is missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
import requests
from pyld import jsonld
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from support import Server

pytestmark = [pytest.mark.slow, pytest.mark.server]

BASE = "https://lod.lastradainternational.org/"
PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}
KINDS = (DCTERMS.BibliographicResource, FOAF.Person, FOAF.Organization, SKOS.Concept, SKOS.ConceptScheme)


@pytest.fixture(scope="module")
def dataset(sample_build: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(sample_build / "dataset.nt", format="nt")


def things(dataset: rdflib.Graph) -> list[str]:
    found = {str(s) for kind in KINDS for s in dataset.subjects(RDF.type, kind) if str(s).startswith(BASE)}
    return sorted(found)


class _Html(HTMLParser):
    """Collects the h1 text and checks that every opened element the page closes was opened."""

    def __init__(self) -> None:
        super().__init__()
        self.h1 = ""
        self._in_h1 = False
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_h1 = self._in_h1 or tag == "h1"
        self.scripts += tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data


def _pyld_graph(body: bytes) -> rdflib.Graph:
    """JSON-LD read by pyld (a second, independent processor), then as N-Quads by rdflib."""
    nquads = jsonld.to_rdf(json.loads(body), {"format": "application/n-quads"})
    return rdflib.Graph().parse(data=nquads, format="nt")


def _check(server: Server, session: requests.Session, iri: str, dataset: rdflib.Graph) -> Iterator[str]:
    """Problems with one IRI, as sentences (none when all is well)."""
    url = server.url + "/" + iri[len(BASE) :]
    own = set(dataset.triples((rdflib.URIRef(iri), None, None)))
    for media_type in (*PARSERS, "application/ld+json", "text/html"):
        response = session.get(url, headers={"Accept": media_type}, timeout=60)
        if response.status_code != 200 or not response.history or response.history[0].status_code != 303:
            yield f"{iri} as {media_type}: {response.status_code} after {[r.status_code for r in response.history]}"
            continue
        if response.headers["content-type"].split(";")[0] != media_type:
            yield f"{iri} as {media_type}: got {response.headers['content-type']}"
            continue
        if media_type == "text/html":
            page = _Html()
            page.feed(response.text)
            if not page.h1.strip():
                yield f"{iri}: HTML page without a heading"
            continue
        graph = (
            _pyld_graph(response.content)
            if media_type == "application/ld+json"
            else rdflib.Graph().parse(data=response.content, format=PARSERS[media_type])
        )
        missing = [t for t in own if t not in graph]
        if missing:
            yield f"{iri} as {media_type}: {len(missing)} of its triples missing, e.g. {missing[0]}"


def test_every_iri_dereferences_in_every_format(sample_server: Server, dataset: rdflib.Graph) -> None:
    iris = things(dataset)
    kinds = {kind: sum(1 for _ in dataset.subjects(RDF.type, kind)) for kind in KINDS}
    assert kinds[DCTERMS.BibliographicResource] == 59 and kinds[SKOS.Concept] > 100, kinds
    sessions = [requests.Session() for _ in range(4)]

    def check(index_iri: tuple[int, str]) -> list[str]:
        index, iri = index_iri
        return list(_check(sample_server, sessions[index % 4], iri, dataset))

    with ThreadPoolExecutor(4) as pool:
        problems = [p for found in pool.map(check, enumerate(iris)) for p in found]
    assert not problems, f"{len(problems)} problems, first ones:\n" + "\n".join(problems[:20])


def test_descriptions_label_what_they_link_to(sample_server: Server) -> None:
    turtle = requests.get(sample_server.url + "/doc/1012.ttl", timeout=30).text
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    for keyword in graph.objects(rdflib.URIRef(BASE + "id/document/1012"), DCTERMS.subject):
        assert graph.value(keyword, SKOS.prefLabel) is not None, keyword
    for agent in graph.objects(rdflib.URIRef(BASE + "id/document/1012"), DCTERMS.creator):
        assert graph.value(agent, FOAF.name) is not None, agent
