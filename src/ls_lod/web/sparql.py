"""/sparql: the SPARQL 1.1 Query Protocol over the whole dataset, read-only, with a time limit
and a result cap, plus a query form with example queries for people.

GET ?query=, POST form (query=) and POST application/sparql-query are answered; updates are
refused with 403. SELECT/ASK answers come as SPARQL JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE
as Turtle, JSON-LD, N-Triples or RDF/XML, by Accept or by a `format` parameter.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import parse_qs, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ls_lod.web import describe
from ls_lod.web.context import WebContext
from ls_lod.web.negotiation import by_name, choose, formats, parse_accept, quality
from ls_lod.web.responses import BadRequest, Forbidden, HttpError, NotAcceptable, ServiceUnavailable
from ls_lod.web.sparql_workers import QueryJob, QueryOutcome, QueryPool, QueryTimeout, StoreSource

HTML_ROWS = 1000
# Up to this many triples (about 100k records, 0.9 GB a worker) each query worker holds the
# dataset in memory, where sorting and grouping queries run 10-20 times faster than on disk.
IN_MEMORY_TRIPLES = 2_500_000
READ_ONLY = (
    "This SPARQL endpoint is read-only: updates are not accepted. Load the dataset into your own "
    "triple store with `ls-lod publish` to change it."
)


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    text: str


@cache
def example_files() -> tuple[tuple[str, str, str], ...]:
    """(name, title, query text) of every .rq file in web/queries, in file-name order."""
    found = []
    for entry in sorted(resources.files("ls_lod.web").joinpath("queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text("utf-8")
            title = text.splitlines()[0].removeprefix("# title:").strip()
            body = "\n".join(text.splitlines()[1:]).strip() + "\n"
            found.append((entry.name.removesuffix(".rq"), title, body))
    return tuple(found)


def examples(base: str) -> list[Example]:
    """The example queries, their relative IRIs resolved against the publication's base IRI."""
    return [Example(name, title, f"BASE <{base}>\n{body}") for name, title, body in example_files()]


class Endpoint:
    """One pool of query workers per SPARQL store; a new build gets a new pool."""

    def __init__(self, web: WebContext) -> None:
        self.web = web
        self._pool: QueryPool | None = None
        self._lock = threading.Lock()

    def pool(self) -> QueryPool:
        info = self.web.catalogue.info
        dump = self.web.site.directory / "dataset.nt"
        in_memory = str(dump) if info.triples <= IN_MEMORY_TRIPLES and dump.is_file() else None
        source = StoreSource(str(info.path), in_memory)
        with self._lock:
            if self._pool is None or self._pool.source != source:
                if self._pool is not None:
                    self._pool.close()
                self._pool = QueryPool(source)
            return self._pool

    async def handle(self, request: Request) -> Response:
        try:
            params = await _parameters(request)
            query = params.get("query", [None])[0]
            if query is None:
                return self.form(request, "", None)
            html, job = self._job(request, params, query)
            outcome = await self._answer(job)
            if html:
                return self.form(request, query, outcome)
            return _response(request, outcome, job)
        except HttpError as error:
            return Response(
                error.message + "\n", status_code=error.status, media_type="text/plain", headers=error.headers
            )

    def _job(self, request: Request, params: dict[str, list[str]], query: str) -> tuple[bool, QueryJob]:
        settings = self.web.site.settings
        wanted = params.get("format", [None])[0]
        accept = request.headers.get("accept")
        html = wanted == "html" or (wanted is None and _prefers_html(accept))
        if html or wanted:
            results = by_name("sparql_results", "json" if html else wanted or "")
            graph = by_name("sparql_graph", "turtle" if html else wanted or "")
        else:
            results, graph = choose(accept, formats("sparql_results")), choose(accept, formats("sparql_graph"))
        job = QueryJob(
            query,
            results.name if results else None,
            graph.name if graph else None,
            int(settings.sparql_result_limit),
            describe.prefixes(self.web.minter),
            tuple(params.get("default-graph-uri", [])),
            tuple(params.get("named-graph-uri", [])),
        )
        return html, job

    async def _answer(self, job: QueryJob) -> QueryOutcome:
        timeout = float(self.web.site.settings.sparql_timeout)
        try:
            return await self.pool().run(job, timeout)
        except QueryTimeout as error:
            raise ServiceUnavailable(
                f"The query was stopped: {error}. Narrow it (a LIMIT, a more specific pattern) "
                f"or run it on your own copy of the dataset (`ls-lod publish`)."
            ) from None

    def form(self, request: Request, query: str, outcome: QueryOutcome | None) -> Response:
        table = None
        if outcome is not None and outcome.kind == "ok" and outcome.form in ("select", "ask"):
            table = json.loads(outcome.body)
        return self.web.render(
            "sparql.html.j2",
            query=query,
            outcome=outcome,
            table=table,
            examples=examples(self.web.minter.base),
            rows=HTML_ROWS,
            limit=self.web.site.settings.sparql_result_limit,
            timeout=self.web.site.settings.sparql_timeout,
            link=lambda q: self.web.path("sparql") + "?" + urlencode({"query": q}),
        )


def routes(web: WebContext, guarded: Callable[..., object]) -> list[BaseRoute]:
    endpoint = Endpoint(web)
    web.warm_ups.append(endpoint.pool)
    return [Route(web.path("sparql"), endpoint.handle, methods=["GET", "POST"])]


def _prefers_html(accept: str | None) -> bool:
    ranges = parse_accept(accept)
    html = quality(ranges, formats("description")[0])
    best = max((quality(ranges, f) for f in (*formats("sparql_results"), *formats("sparql_graph"))), default=0)
    return html > 0 and html > best


async def _parameters(request: Request) -> dict[str, list[str]]:
    """Query-string parameters, plus the POST body's (form) or the POSTed query itself."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method != "POST":
        if "update" in params:
            raise Forbidden(READ_ONLY)
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = (await request.body()).decode("utf-8", errors="replace")
    if content_type == "application/sparql-update":
        raise Forbidden(READ_ONLY)
    if content_type == "application/sparql-query":
        params["query"] = [body]
    elif content_type == "application/x-www-form-urlencoded":
        form = parse_qs(body, keep_blank_values=True)
        if "update" in form:
            raise Forbidden(READ_ONLY)
        params.update(form)
    else:
        raise BadRequest(
            f"POST a query as application/sparql-query or as a form (query=...), "
            f"not as {content_type or 'a body without Content-Type'}."
        )
    return params


def _response(request: Request, outcome: QueryOutcome, job: QueryJob) -> Response:
    if outcome.kind == "syntax":
        raise BadRequest(f"The query is not valid SPARQL: {outcome.message}")
    if outcome.kind == "error":
        raise BadRequest(f"The query failed: {outcome.message}")
    use = "sparql_graph" if outcome.form == "graph" else "sparql_results"
    if outcome.kind == "not-acceptable":
        raise NotAcceptable("this query's answer", request.headers.get("accept"), formats(use))
    fmt = by_name(use, outcome.format)
    assert fmt is not None
    headers = {"Vary": "Accept", "Cache-Control": "no-store"}
    if outcome.truncated:
        headers["X-Result-Truncated"] = f"only the first {job.limit} results are given"
    charset = "; charset=utf-8" if fmt.media_type.startswith("text/") else ""
    return Response(outcome.body, media_type=fmt.media_type + charset, headers=headers)
