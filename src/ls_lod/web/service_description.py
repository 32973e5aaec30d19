"""The SPARQL 1.1 Service Description of /sparql (https://www.w3.org/TR/sparql11-service-description/):
what a client may ask here, given at the endpoint's URL to clients that ask for RDF.

It names the endpoint, the query language (no updates: the endpoint is read-only), every
result format /sparql writes, and the default dataset (the VoID dataset, whose default graph
holds every triple). Federated queries are refused, so sd:BasicFederatedQuery is not claimed.
"""

from __future__ import annotations

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple
from rdflib.namespace import RDF, VOID, XSD, Namespace

from ls_lod.uris import Minter
from ls_lod.web import describe
from ls_lod.web.negotiation import Format, formats

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
# W3C's IRIs for formats (https://www.w3.org/ns/formats/), by our short format name.
FORMAT_IRIS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
}


def _n(iri: object) -> NamedNode:
    return NamedNode(str(iri))


def triples(minter: Minter, triple_count: int) -> list[Triple]:
    """The description of `{base}sparql`, whose default dataset is `{base}id/dataset`."""
    service, dataset, graph = _n(minter.service("sparql")), _n(minter.dataset()), BlankNode("defaultGraph")
    found = [
        Triple(service, _n(RDF.type), _n(SD.Service)),
        Triple(service, _n(SD.endpoint), service),
        Triple(service, _n(SD.supportedLanguage), _n(SD.SPARQL11Query)),
        Triple(service, _n(SD.defaultEntailmentRegime), _n(ENTAILMENT.Simple)),
        Triple(service, _n(SD.defaultDataset), dataset),
        Triple(dataset, _n(RDF.type), _n(SD.Dataset)),
        Triple(dataset, _n(SD.defaultGraph), graph),
        Triple(graph, _n(RDF.type), _n(SD.Graph)),
        Triple(graph, _n(VOID.triples), Literal(str(triple_count), datatype=_n(XSD.integer))),
    ]
    names = [f.name for use in ("sparql_results", "sparql_graph") for f in formats(use)]
    found += [Triple(service, _n(SD.resultFormat), NamedNode(FORMAT_IRIS[name])) for name in names]
    return found


def serialize(triples: list[Triple], fmt: Format, minter: Minter) -> bytes:
    """As any description, but JSON-LD expanded (our compact writer has no blank nodes to name)."""
    if fmt.name == "jsonld":
        return pyoxigraph.serialize(triples, format=RdfFormat.JSON_LD) or b""
    return describe.serialize(triples, fmt, minter)
