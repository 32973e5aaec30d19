"""The HTML pages: home, browsing by keyword, type, year and publisher, search, and the page of
each thing (document, keyword or document type, agent, scheme, anything else).

Handlers gather plain values; templates (autoescaped) turn them into HTML, so every piece
of catalogue data is escaped on its way out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyoxigraph import NamedNode, Triple
from rdflib.namespace import DCTERMS, FOAF, SKOS
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ls_lod.convert import rights
from ls_lod.uris import last_segment
from ls_lod.web import dataset, hierarchy, schema_org
from ls_lod.web.catalogue import Catalogue, value
from ls_lod.web.context import WebContext
from ls_lod.web.listing import Page
from ls_lod.web.negotiation import formats
from ls_lod.web.responses import BadRequest, NotFound, conditional

PAGE_SIZE = 25
LIST_SIZE = 100
MAX_PAGE = 1_000_000  # 25 million documents at PAGE_SIZE; past it an OFFSET would overflow SQLite
FIRST_YEAR, LAST_YEAR = 1, 9999
MAPPINGS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
AGENT_TYPES = {str(FOAF.Person), str(FOAF.Organization), str(DCTERMS.Agent)}


def routes(web: WebContext, guarded: Callable[..., Callable[[Request], Response]]) -> list[BaseRoute]:
    def page(template_handler: Callable[[WebContext, Request], tuple[str, dict[str, Any]]]) -> Callable:
        def handler(request: Request) -> Response:
            template, values = template_handler(web, request)
            body = web.templates.get_template(template).render(**values).encode("utf-8")
            return conditional(request, body, "text/html; charset=utf-8", web.catalogue.modified / 1e9)

        return guarded(web, handler)

    return [
        Route(web.path(""), page(home)),
        Route(web.path("browse/keywords"), page(browse_keywords)),
        Route(web.path("browse/types"), page(browse_types)),
        Route(web.path("browse/years"), page(browse_years)),
        Route(web.path("browse/years/{year:int}"), page(year_page)),
        Route(web.path("browse/publishers"), page(browse_publishers)),
        Route(web.path("search"), page(search)),
    ]


def page_number(request: Request) -> int:
    """`?page=`: a whole number from 1 to MAX_PAGE (anything that is not a number means page 1)."""
    given = request.query_params.get("page", "1").strip()
    if not (given.isascii() and given.isdigit()):
        return 1
    if int(given) > MAX_PAGE:
        raise BadRequest(f"page={given[:20]} is past the last page there can be; give a page from 1 to {MAX_PAGE:,}.")
    return max(1, int(given))


def home(web: WebContext, request: Request) -> tuple[str, dict[str, Any]]:
    c = web.catalogue
    counts = c.facet_counts
    years = [year for year, _ in c.year_counts]
    return "home.html.j2", {
        "documents": c.count(),
        "keywords": len(counts.get("subject", {})),
        "publishers": len(counts.get("publisher", {})),
        "types": len(counts.get("type", {})),
        "first_year": min(years, default=None),
        "last_year": max(years, default=None),
        "newest": c.newest(10),
        "top_keywords": [(iri, label, n, _with_narrower(c, iri)) for iri, label, n in _top(c, "subject", 12)],
        "dataset_schema": dataset.schema_org(web),
    }


def _with_narrower(c: Catalogue, iri: str) -> int:
    """What the keyword's page counts: documents with the keyword or any narrower one."""
    return c.count_with_values("subject", hierarchy.descendants(c, iri))


def _top(c: Catalogue, kind: str, limit: int | None = None) -> list[tuple[str, str, int]]:
    """(iri, label, count) of a facet's values, most documents first."""
    counted = sorted(c.facet_counts.get(kind, {}).items(), key=lambda item: (-item[1], c.label(item[0])))
    return [(iri, c.label(iri), n) for iri, n in counted[:limit]]


def browse_keywords(web: WebContext, request: Request) -> tuple[str, dict[str, Any]]:
    c = web.catalogue
    schemes = [web.minter.scheme("keyword"), web.minter.candidate_scheme("keyword")]
    trees = [(scheme, c.label(scheme), hierarchy.tree(c, scheme)) for scheme in schemes if c.exists(scheme)]
    return "browse_keywords.html.j2", {"trees": trees}


def browse_types(web: WebContext, request: Request) -> tuple[str, dict[str, Any]]:
    return "browse_list.html.j2", {"title": "Document types", "items": _top(web.catalogue, "type"), "page": None}


def browse_publishers(web: WebContext, request: Request) -> tuple[str, dict[str, Any]]:
    items = _top(web.catalogue, "publisher")
    number = page_number(request)
    shown = Page([], len(items), number, LIST_SIZE)
    start = (number - 1) * LIST_SIZE
    return "browse_list.html.j2", {"title": "Publishers", "items": items[start : start + LIST_SIZE], "page": shown}


def browse_years(web: WebContext, request: Request) -> tuple[str, dict[str, Any]]:
    return "browse_years.html.j2", {"years": web.catalogue.year_counts}


def year_page(web: WebContext, request: Request) -> tuple[str, dict[str, Any]]:
    year = request.path_params["year"]
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotFound(
            f"There is no year {str(year)[:20]} in this catalogue; years run from {FIRST_YEAR} to {LAST_YEAR}."
        )
    found = web.catalogue.in_year(year, page_number(request), PAGE_SIZE)
    if not found.total:
        raise NotFound(f"No document in this catalogue was issued in {year}.")
    return "documents.html.j2", {"title": f"Documents issued in {year}", "found": found, "snippets": {}}


def search(web: WebContext, request: Request) -> tuple[str, dict[str, Any]]:
    text = request.query_params.get("q", "").strip()
    fold = web.site.conversion.vocabulary.normaliser.key
    found, snippets = web.catalogue.search(text, page_number(request), PAGE_SIZE, fold)
    return "search.html.j2", {"q": text, "found": found, "snippets": snippets}


# -- the page of one thing ---------------------------------------------------------------------
def thing_page(web: WebContext, request: Request, iri: str, triples: list[Triple] | None = None) -> bytes:
    """The HTML description of `iri`, by what it is; `triples` given for things not in the store."""
    c = web.catalogue
    kinds = c.types(iri) if triples is None else set()
    values: dict[str, Any] = {"iri": iri, "label": c.label(iri), "alternates": _alternates(request)}
    if iri == web.minter.dataset():
        template, extra = "void.html.j2", dataset.overview(web)
    elif str(DCTERMS.BibliographicResource) in kinds:
        template, extra = "document.html.j2", document(web, c, iri)
    elif str(SKOS.Concept) in kinds:
        template, extra = "concept.html.j2", concept(web, c, iri, request)
    elif kinds & AGENT_TYPES:
        template, extra = "agent.html.j2", agent(c, iri, request)
    else:
        dump = web.path("dumps/vocab.ttl") if str(SKOS.ConceptScheme) in kinds else None
        extra = {"statements": _statements(c, triples or c.triples(iri)), "vocabulary_dump": dump}
        template = "thing.html.j2"
    return web.templates.get_template(template).render(**values, **extra).encode("utf-8")


def _alternates(request: Request) -> list[tuple[str, str, str]]:
    generic = request.url.path.rsplit(".", 1)[0] if "." in request.url.path.rsplit("/", 1)[-1] else request.url.path
    return [(f"{generic}.{f.suffix}", f.media_type, f.name) for f in formats("description")[1:]]


def document(web: WebContext, c: Catalogue, iri: str) -> dict[str, Any]:
    def linked(prop: Any) -> list[tuple[str, str]]:
        return sorted(((v, c.label(v)) for v in c.values(iri, str(prop))), key=lambda item: item[1].casefold())

    issued = c.literals(iri, str(DCTERMS.issued))
    pdfs = c.values(iri, str(DCTERMS.hasFormat))
    fields = {
        "titles": c.literals(iri, str(DCTERMS.title)),
        "number": c.values(iri, str(DCTERMS.identifier)),
        "issued": [_date(d.value) for d in issued],
        "creators": linked(DCTERMS.creator),
        "publishers": linked(DCTERMS.publisher),
        "keywords": linked(DCTERMS.subject),
        "types": [t for t in linked(DCTERMS.type) if t[0].startswith(web.minter.base)],
        "summaries": c.literals(iri, str(DCTERMS.abstract)),
        "pdfs": pdfs,
        "notes": c.literals(iri, str(SKOS.note)),
        "collection": linked(DCTERMS.isPartOf),
    }
    fields["canonical"] = [url for url in [web.minter.thing_to_description(iri)] if url]
    fields.update(_rights(web, c, iri))
    fields["schema_org"] = schema_org.document(web, c, iri, fields, issued)
    fields["citation_tags"] = schema_org.citation_tags(c, fields, issued)
    return fields


def _rights(web: WebContext, c: Catalogue, iri: str) -> dict[str, Any]:
    """The document's access right (COAR), its licence when one is set for all documents, and the
    licence of this description (the metadata): (IRI, name) pairs."""
    accesses = c.values(iri, str(DCTERMS.accessRights))
    known = {right.iri: right.label for right in rights.access_rights().values()}
    description = web.minter.thing_to_description(iri) or iri
    document_licence = web.site.settings.document_license
    return {
        "access_rights": [(a, known.get(a, a)) for a in accesses],
        "document_licences": [(document_licence, dataset.name_of(document_licence))] if document_licence else [],
        "licences": [(lic, dataset.name_of(lic)) for lic in c.values(description, str(DCTERMS.license))],
    }


def _date(lexical: str) -> str:
    return lexical.replace("/", "–")


def concept(web: WebContext, c: Catalogue, iri: str, request: Request) -> dict[str, Any]:
    def linked(prop: str) -> list[tuple[str, str]]:
        return sorted(((v, c.label(v)) for v in c.values(iri, str(SKOS[prop]))), key=lambda i: i[1].casefold())

    include_narrower = request.query_params.get("narrower", "1") != "0"
    kind = "type" if iri.startswith(web.minter.concept("doctype", "")) else "subject"
    members = hierarchy.descendants(c, iri) if include_narrower else [iri]
    return {
        "pref_labels": c.labels_by_language(iri),
        "alt_labels": c.labels_by_language(iri, str(SKOS.altLabel)),
        "definitions": c.labels_by_language(iri, str(SKOS.definition)),
        "scope_notes": c.labels_by_language(iri, str(SKOS.scopeNote)),
        "broader": linked("broader"),
        "narrower": linked("narrower"),
        "related": linked("related"),
        "schemes": linked("inScheme"),
        "mappings": [(m, linked(m)) for m in MAPPINGS if linked(m)],
        "include_narrower": include_narrower,
        "found": c.with_values((kind,), members, page_number(request), PAGE_SIZE),
        "snippets": {},
    }


def agent(c: Catalogue, iri: str, request: Request) -> dict[str, Any]:
    kinds = sorted(last_segment(t) for t in c.types(iri) if t in AGENT_TYPES - {str(DCTERMS.Agent)})
    found = c.with_values(("creator", "publisher"), [iri], page_number(request), PAGE_SIZE)
    return {"names": c.literals(iri, str(FOAF.name)), "kinds": kinds, "found": found, "snippets": {}}


def _statements(c: Catalogue, triples: list[Triple]) -> list[tuple[str, str, str, bool]]:
    """(subject, property, value, value-is-a-link) rows for the generic page."""
    rows = []
    for t in triples:
        obj = t.object
        is_link = isinstance(obj, NamedNode)
        rows.append((value(t.subject), value(t.predicate), value(obj), is_link))
    return rows
