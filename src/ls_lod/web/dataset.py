"""The dataset as people and search engines see it: the /void page (void.ttl read into labelled
rows, sizes in kB and MB) and the schema.org Dataset, with a DataDownload per dump, that / and
/dumps/ carry for Google Dataset Search.

Both read the void.ttl the build wrote, once per build.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, VOID

from ls_lod.exporters.void import IANA, words
from ls_lod.web.context import WebContext, human_size


@dataclass(frozen=True)
class Download:
    url: str
    title: str
    media_type: str
    compressed: bool
    size: int | None


def name_of(iri: str) -> str:
    """A licence's or vocabulary's name (void.toml), else the IRI itself."""
    return str(words().get("names", {}).get(iri, iri))


def void_graph(web: WebContext) -> rdflib.Graph:
    cache = web.catalogue.cache
    if "void" not in cache:
        cache["void"] = rdflib.Graph().parse(web.site.directory / "void.ttl", format="turtle")
    return cache["void"]  # type: ignore[return-value]


def downloads(g: rdflib.Graph, holder: rdflib.term.Node) -> list[Download]:
    found = []
    for url in sorted(g.objects(holder, DCAT.distribution), key=str):
        media_type = str(g.value(url, DCAT.mediaType) or "").removeprefix(IANA)
        size = g.value(url, DCAT.byteSize)
        compressed = g.value(url, DCAT.compressFormat) is not None
        title = str(g.value(url, DCTERMS.title) or "")
        found.append(Download(str(url), title, media_type, compressed, None if size is None else int(str(size))))
    return found


def overview(web: WebContext) -> dict[str, Any]:
    """What the /void page shows, every IRI with a label."""
    g, dataset, c = void_graph(web), rdflib.URIRef(web.minter.dataset()), web.catalogue
    publisher = g.value(dataset, DCTERMS.publisher)

    def one(prop: rdflib.URIRef, subject: rdflib.term.Node = dataset) -> str:
        return str(g.value(subject, prop) or "")

    subsets = [
        (str(s), one(DCTERMS.title, s), one(VOID.entities, s), one(VOID.rootResource, s), downloads(g, s))
        for s in sorted(g.objects(dataset, VOID.subset), key=str)
    ]
    return {
        "title": one(DCTERMS.title),
        "description": one(DCTERMS.description),
        "publisher": (one(FOAF.name, publisher), one(FOAF.mbox, publisher)) if publisher else None,
        "licence": (one(DCTERMS.license), name_of(one(DCTERMS.license))),
        "documents": one(VOID.entities),
        "triples": one(VOID.triples),
        "modified": one(DCTERMS.modified)[:10],
        "sparql": one(VOID.sparqlEndpoint),
        "root": (one(VOID.rootResource), c.label(one(VOID.rootResource))),
        "examples": [(str(e), c.label(str(e))) for e in sorted(g.objects(dataset, VOID.exampleResource), key=str)],
        "vocabularies": [(str(v), name_of(str(v))) for v in sorted(g.objects(dataset, VOID.vocabulary), key=str)],
        "subsets": [(iri, title, n, (root, c.label(root) if root else ""), d) for iri, title, n, root, d in subsets],
        "downloads": downloads(g, dataset),
    }


def schema_org(web: WebContext) -> dict[str, Any]:
    """The schema.org Dataset (Google Dataset Search), each dump a DataDownload."""
    g, dataset = void_graph(web), rdflib.URIRef(web.minter.dataset())
    settings = web.site.settings
    holders = [dataset, *(s for s in g.objects(dataset, VOID.subset) if isinstance(s, rdflib.URIRef))]
    everything = [d for holder in holders for d in downloads(g, holder)]
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": str(dataset),
        "name": str(g.value(dataset, DCTERMS.title) or settings.repository_name),
        "description": str(g.value(dataset, DCTERMS.description) or ""),
        "url": web.minter.service(""),
        "license": settings.license,
        "isAccessibleForFree": True,
        "dateModified": str(g.value(dataset, DCTERMS.modified) or "")[:10] or None,
        "publisher": {"@type": "Organization", "name": settings.repository_name, "email": settings.admin_email},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.title,
                "encodingFormat": "application/gzip" if d.compressed else d.media_type,
                "contentUrl": d.url,
                **({"contentSize": human_size(d.size)} if d.size is not None else {}),
            }
            for d in everything
        ],
    }
    return {key: value for key, value in data.items() if value is not None}
