"""void.ttl: the dataset described in VoID and DCAT (counts, dumps, licence, vocabularies).

A small graph, so rdflib builds and serialises it: its API reads like the description.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID, XSD

from ls_lod.convert.context import Conversion

DUMPS = {"dataset.nt": "application/n-triples", "dataset.ttl": "text/turtle", "dataset.jsonld": "application/ld+json"}


def void_graph(
    conversion: Conversion, triples: int, documents: int, concepts: dict[str, int], modified: str | None
) -> Graph:
    minter, settings = conversion.minter, conversion.settings
    dataset = URIRef(minter.dataset())
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal(settings.repository_name, lang="en")))
    g.add((dataset, DCTERMS.license, URIRef(settings.license)))
    g.add((dataset, FOAF.homepage, URIRef(minter.service(""))))
    g.add((dataset, VOID.uriSpace, Literal(minter.thing(""))))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(minter.service("sparql"))))
    g.add((dataset, VOID.rootResource, URIRef(minter.collection())))
    g.add((dataset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    g.add((dataset, VOID.entities, Literal(documents, datatype=XSD.integer)))
    g.add((dataset, VOID.classPartition, _partition(g, dataset, "documents", DCTERMS.BibliographicResource, documents)))
    if modified:
        g.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    for vocabulary in (DCTERMS, SKOS, FOAF, URIRef("http://www.europeana.eu/schemas/edm/")):
        g.add((dataset, VOID.vocabulary, URIRef(str(vocabulary))))
    for kind, count in sorted(concepts.items()):
        scheme = URIRef(minter.scheme(kind))
        subset = URIRef(f"{minter.dataset()}/{kind}s")
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.rootResource, scheme))
        g.add((subset, VOID.entities, Literal(count, datatype=XSD.integer)))
        g.add((subset, DCTERMS.title, Literal(f"{kind} vocabulary (SKOS)", lang="en")))
    for file_name, media_type in DUMPS.items():
        url = URIRef(minter.service(f"dumps/{file_name}"))
        g.add((dataset, VOID.dataDump, url))
        g.add((dataset, DCAT.distribution, url))
        g.add((url, RDF.type, DCAT.Distribution))
        g.add((url, DCAT.downloadURL, url))
        g.add((url, DCAT.mediaType, URIRef(f"http://www.iana.org/assignments/media-types/{media_type}")))
    return g


def _partition(g: Graph, dataset: URIRef, name: str, cls: URIRef, count: int) -> URIRef:
    partition = URIRef(f"{dataset}/{name}")
    g.add((partition, VOID["class"], cls))
    g.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    return partition
