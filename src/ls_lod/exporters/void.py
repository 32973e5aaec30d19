"""void.ttl: the dataset described in VoID and DCAT: counts, example resources, publisher,
licence, vocabularies, and every dump (plain and gzip, with media type and size) as a
distribution.

A small graph, so rdflib builds and serialises it: its API reads like the description. The
words it uses besides the counts are data (void.toml).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import islice
from typing import TYPE_CHECKING, Any

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from ls_lod import exporters
from ls_lod.convert.context import Conversion
from ls_lod.exporters.compressed import gzip_name

if TYPE_CHECKING:
    from ls_lod.store.catalog import CatalogStore
    from ls_lod.uris import Minter

IANA = "http://www.iana.org/assignments/media-types/"
EXAMPLE_DOCUMENTS = 3


@cache
def words() -> dict[str, Any]:
    return tomllib.loads(resources.files("ls_lod.exporters").joinpath("void.toml").read_text("utf-8"))


@dataclass(frozen=True)
class VoidCounts:
    """What the build counted: triples, documents, concepts by kind, bytes of each dump file."""

    triples: int
    documents: int
    concepts: dict[str, int]
    sizes: dict[str, int]


def examples(store: CatalogStore, minter: Minter) -> list[str]:
    """A few documents of the catalogue, then a keyword and an agent the first of them links to."""
    documents, keyword, agent = [], None, None
    keywords, agents = minter.concept("keyword", ""), minter.agent("")
    for number, payload in islice(store.payloads("ntriples"), EXAMPLE_DOCUMENTS):
        documents.append(minter.document(number))
        for triple in pyoxigraph.parse(payload, format=pyoxigraph.RdfFormat.N_TRIPLES):
            target = str(getattr(triple.object, "value", ""))
            keyword = keyword or (target if target.startswith(keywords) else None)
            agent = agent or (target if target.startswith(agents) else None)
    return [*documents, *(iri for iri in (keyword, agent) if iri)]


def void_graph(conversion: Conversion, counts: VoidCounts, modified: str | None, example: list[str]) -> Graph:
    minter, settings = conversion.minter, conversion.settings
    dataset = URIRef(minter.dataset())
    g = Graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF)):
        g.bind(prefix, namespace)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal(settings.repository_name, lang="en")))
    g.add((dataset, DCTERMS.description, Literal(words()["description"], lang="en")))
    g.add((dataset, DCTERMS.publisher, _publisher(g, conversion)))
    g.add((dataset, DCTERMS.license, URIRef(settings.license)))
    g.add((dataset, FOAF.homepage, URIRef(minter.service(""))))
    g.add((dataset, VOID.uriSpace, Literal(minter.thing(""))))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(minter.service("sparql"))))
    g.add((dataset, VOID.rootResource, URIRef(minter.collection())))
    g.add((dataset, VOID.triples, Literal(counts.triples, datatype=XSD.integer)))
    g.add((dataset, VOID.entities, Literal(counts.documents, datatype=XSD.integer)))
    g.add((dataset, VOID.classPartition, _partition(g, dataset, "documents", DCTERMS.BibliographicResource, counts)))
    if modified:
        g.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    for vocabulary in words()["vocabularies"]:
        g.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    for iri in example:
        g.add((dataset, VOID.exampleResource, URIRef(iri)))
    _scheme_subsets(g, dataset, conversion, counts)
    _distributions(g, dataset, conversion, counts)
    return g


def _publisher(g: Graph, conversion: Conversion) -> URIRef:
    """The repository as a foaf:Organization, named within this description (`.../dataset#publisher`)."""
    settings = conversion.settings
    publisher = URIRef(conversion.minter.dataset() + "#publisher")
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(settings.repository_name, lang="en")))
    g.add((publisher, FOAF.mbox, URIRef(f"mailto:{settings.admin_email}")))
    g.add((publisher, FOAF.homepage, URIRef(conversion.minter.service(""))))
    return publisher


def _partition(g: Graph, dataset: URIRef, name: str, cls: URIRef, counts: VoidCounts) -> URIRef:
    partition = URIRef(f"{dataset}/{name}")
    g.add((partition, VOID["class"], cls))
    g.add((partition, VOID.entities, Literal(counts.documents, datatype=XSD.integer)))
    return partition


def _scheme_subsets(g: Graph, dataset: URIRef, conversion: Conversion, counts: VoidCounts) -> None:
    minter = conversion.minter
    for kind, count in sorted(counts.concepts.items()):
        subset = URIRef(f"{minter.dataset()}/{kind}s")
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.rootResource, URIRef(minter.scheme(kind))))
        g.add((subset, VOID.entities, Literal(count, datatype=XSD.integer)))
        g.add((subset, DCTERMS.title, Literal(f"{kind} vocabulary (SKOS)", lang="en")))
        g.add((subset, DCTERMS.isPartOf, URIRef(f"{minter.dataset()}/vocabularies")))


def _distributions(g: Graph, dataset: URIRef, conversion: Conversion, counts: VoidCounts) -> None:
    """Each dump, plain and gzip, as void:dataDump and dcat:distribution of what it holds."""
    minter, settings = conversion.minter, conversion.settings
    for fmt in exporters.DUMP_FORMATS.values():
        holder = dataset
        if fmt.subset:
            holder = URIRef(f"{minter.dataset()}/{fmt.subset}")
            g.add((dataset, VOID.subset, holder))
            g.add((holder, RDF.type, VOID.Dataset))
            g.add((holder, RDF.type, DCAT.Dataset))
            g.add((holder, DCTERMS.title, Literal(words()["subsets"].get(fmt.subset, fmt.subset), lang="en")))
            g.add((holder, DCTERMS.license, URIRef(settings.license)))
        name = words()["format_names"].get(fmt.media_type, fmt.media_type)
        for file_name, compressed in ((gzip_name(fmt.file_name), True), (fmt.file_name, False)):
            url = URIRef(minter.service(f"dumps/{file_name}"))
            g.add((holder, VOID.dataDump, url))
            g.add((holder, DCAT.distribution, url))
            g.add((url, RDF.type, DCAT.Distribution))
            g.add((url, DCTERMS.title, Literal(f"{name}, gzip" if compressed else name, lang="en")))
            g.add((url, DCAT.downloadURL, url))
            g.add((url, DCAT.mediaType, URIRef(IANA + fmt.media_type)))
            g.add((url, DCTERMS.license, URIRef(settings.license)))
            if compressed:
                g.add((url, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
            if file_name in counts.sizes:
                g.add((url, DCAT.byteSize, Literal(counts.sizes[file_name], datatype=XSD.nonNegativeInteger)))
