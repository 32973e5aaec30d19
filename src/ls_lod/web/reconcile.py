"""/reconcile: the Reconciliation Service API 0.2 (W3C Entity Reconciliation CG) over vocab/, for OpenRefine.

GET /reconcile is the service manifest; `queries=` (a JSON batch, GET or a POSTed form) or
`query=` (one query) reconciles strings against the keywords, countries, bodies and document types with
the build's own rules (vocab/ranking.py); /reconcile/suggest/entity completes a prefix and
/reconcile/preview shows a concept as a small HTML card. Entity ids are the concepts' IRIs.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import parse_qsl

import jinja2
from markupsafe import escape
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ls_lod.vocab.ranking import Query, Ranked, Ranker
from ls_lod.web.site import Site

PATH = "/reconcile"
MAX_QUERIES = 500
MAX_BODY = 1024 * 1024
DEFAULT_LIMIT = 5
MAX_LIMIT = 50
PREVIEW_SIZE = (400, 200)
_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("ls_lod.web", "templates"), autoescape=True, undefined=jinja2.StrictUndefined
)


class BadQuery(Exception):
    """A request the service cannot answer; its message is a sentence for the client."""


def routes(site: Site) -> list[BaseRoute]:
    service = Reconciliation(site)
    return [
        Route(PATH, service.reconcile, methods=["GET", "POST"], name="reconcile"),
        Route(PATH + "/suggest/entity", service.suggest_entity, name="reconcile-suggest-entity"),
        Route(PATH + "/preview", service.preview, name="reconcile-preview"),
    ]


class Reconciliation:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.ranker = Ranker(site.conversion.vocabulary)

    # ------------------------------------------------------------------ the endpoint
    async def reconcile(self, request: Request) -> Response:
        arguments: dict[str, str] = {}
        try:
            arguments = await _arguments(request)
            if "queries" in arguments:
                batch = _batch(arguments["queries"])
                body: dict[str, Any] = await run_in_threadpool(self.answer_batch, batch)
            elif "query" in arguments:
                body = await run_in_threadpool(self.answer, _single(arguments["query"]))
            else:
                body = self.manifest(_service_url(request))
        except BadQuery as error:
            return _json({"status": "error", "message": str(error)}, arguments.get("callback"), 400)
        return _json(body, arguments.get("callback"))

    def answer_batch(self, batch: dict[str, dict[str, Any]]) -> dict[str, Any]:
        queries = [self._query(query) for query in batch.values()]
        answers = self.ranker.rank_batch(queries)
        return {
            name: {"result": [self._candidate(r, query.schemes) for r in ranked]}
            for name, query, ranked in zip(batch, queries, answers, strict=True)
        }

    def _query(self, query: dict[str, Any]) -> Query:
        """A query object as the ranking reads it; one with no text (properties only) matches nothing."""
        text = query.get("query")
        types = tuple(self._types(query.get("type")))
        return Query(text if isinstance(text, str) else "", types, _limit(query.get("limit")))

    def answer(self, query: dict[str, Any]) -> dict[str, Any]:
        return dict(self.answer_batch({"q": query})["q"])

    def _types(self, given: object) -> list[str]:
        """The schemes a query names (none: all of them); an unknown one is an error that lists the known."""
        wanted = [given] if isinstance(given, str) else list(given) if isinstance(given, list) else []
        unknown = [t for t in wanted if t not in self.ranker.schemes]
        if unknown:
            known = ", ".join(self.ranker.schemes)
            raise BadQuery(f'unknown type "{unknown[0]}"; the types of this service are: {known}.')
        return [str(t) for t in wanted]

    def _candidate(self, ranked: Ranked, asked: tuple[str, ...]) -> dict[str, Any]:
        # The types the query asked for come first: clients take the first as the candidate's type.
        schemes = sorted(ranked.schemes, key=lambda scheme: (scheme not in asked, scheme))
        return {
            "id": ranked.iri,
            "name": ranked.name,
            "score": ranked.score,
            "match": ranked.match,
            "type": self._type_list(tuple(schemes)),
            "features": [{"id": ranked.how, "value": True}],
        }

    def _type_list(self, schemes: tuple[str, ...]) -> list[dict[str, str]]:
        return [{"id": s, "name": self.ranker.schemes[s].name} for s in schemes if s in self.ranker.schemes]

    # ------------------------------------------------------------------ manifest, suggest, preview
    def manifest(self, url: str) -> dict[str, Any]:
        base = self.site.conversion.minter.base
        width, height = PREVIEW_SIZE
        return {
            "versions": ["0.2"],
            "name": f"{self.site.settings.repository_name}: keywords, countries, bodies and document types",
            "identifierSpace": base + "id/",
            "schemaSpace": base + "id/",
            "serviceVersion": _service_version(),
            "view": {"url": "{{id}}"},
            "defaultTypes": [{"id": s.iri, "name": s.name} for s in self.ranker.schemes.values()],
            "suggest": {"entity": {"service_url": url, "service_path": "/suggest/entity"}},
            "preview": {"url": url + "/preview?id={{id}}", "width": width, "height": height},
        }

    async def suggest_entity(self, request: Request) -> Response:
        prefix = request.query_params.get("prefix", "")
        try:
            types = self._types(request.query_params.get("type") or [])
            cursor = max(0, int(request.query_params.get("cursor", "0") or 0))
        except (BadQuery, ValueError) as error:
            message = str(error) if isinstance(error, BadQuery) else "cursor must be a whole number."
            return _json({"status": "error", "message": message}, request.query_params.get("callback"), 400)
        found = self.ranker.complete(prefix, types, cursor + DEFAULT_LIMIT)[cursor:]
        result = [
            {"id": r.iri, "name": r.name, "notable": self._type_list(r.schemes)}
            | ({"description": f'also "{r.matched}"'} if r.matched.casefold() != r.name.casefold() else {})
            for r in found
        ]
        return _json({"result": result}, request.query_params.get("callback"))

    async def preview(self, request: Request) -> Response:
        iri = request.query_params.get("id", "")
        graph = self.ranker.vocabulary.curated_graph
        if not iri or self.ranker.vocabulary.kind_of(iri) is None or (URIRef(iri), None, None) not in graph:
            return HTMLResponse(f"<p>No concept of this vocabulary has the id {escape(iri)}.</p>", 404)
        concept = URIRef(iri)

        def texts(prop: URIRef) -> list[str]:
            found = [o for o in graph.objects(concept, prop) if isinstance(o, Literal)]
            return sorted(str(o) for o in found if o.language in (None, "en"))

        broader = [self.ranker.vocabulary.concept(str(b)).label for b in graph.objects(concept, SKOS.broader)]
        body = _TEMPLATES.get_template("reconcile_preview.html.j2").render(
            iri=iri,
            name=self.ranker.vocabulary.concept(iri).label,
            definitions=texts(SKOS.definition) + texts(SKOS.scopeNote),
            alt_labels=texts(SKOS.altLabel),
            broader=sorted(broader),
            types=[t["name"] for t in self._type_list(tuple(sorted(self.ranker.members.get(iri, ()))))],
            size=PREVIEW_SIZE,
        )
        return HTMLResponse(body)


# ---------------------------------------------------------------------- request parsing
async def _arguments(request: Request) -> dict[str, str]:
    """Query string arguments, and for POST the form-encoded body (how OpenRefine sends `queries`)."""
    arguments = dict(parse_qsl(request.url.query, keep_blank_values=True))
    if request.method == "POST":
        body = await request.body()
        if len(body) > MAX_BODY:
            raise BadQuery(f"the request body has more than {MAX_BODY} bytes; send fewer queries at once.")
        arguments.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return arguments


def _batch(text: str) -> dict[str, dict[str, Any]]:
    try:
        batch = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadQuery(
            f"queries is not JSON ({error.msg} at character {error.pos}); send an object of queries, "
            'e.g. {"q0": {"query": "forced labour"}}.'
        ) from None
    if not isinstance(batch, dict) or not all(isinstance(q, dict) for q in batch.values()):
        raise BadQuery('queries must be a JSON object of query objects, e.g. {"q0": {"query": "forced labour"}}.')
    if len(batch) > MAX_QUERIES:
        raise BadQuery(f"a batch holds {len(batch)} queries; send at most {MAX_QUERIES} at once.")
    return batch


def _single(text: str) -> dict[str, Any]:
    """`query=` is a JSON query object, or (older clients) the plain string to match."""
    if text.lstrip().startswith("{"):
        try:
            query = json.loads(text)
        except json.JSONDecodeError:
            return {"query": text}
        if isinstance(query, dict):
            return query
    return {"query": text}


def _limit(value: object) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 1:
        return min(int(value), MAX_LIMIT)
    return DEFAULT_LIMIT


def _service_url(request: Request) -> str:
    return str(request.url.replace(query="", fragment="")).rstrip("/")


def _service_version() -> str:
    try:
        return version("ls-lod")
    except PackageNotFoundError:
        return "unknown"


def _json(body: dict[str, Any], callback: str | None, status: int = 200) -> Response:
    """JSON, or JSONP when the client names a callback (older OpenRefine versions ask for it)."""
    if callback and callback.replace("_", "").replace(".", "").isalnum():
        text = json.dumps(body, ensure_ascii=False)
        return Response(f"{callback}({text});", status_code=status, media_type="application/javascript")
    return JSONResponse(body, status_code=status)
