"""/sparql: the SPARQL 1.1 Query Protocol over the whole dataset, read-only, with a time limit
and a result cap, plus a query form with example queries for people.

GET ?query=, POST form (query=) and POST application/sparql-query are answered; updates are
refused with 403. SELECT/ASK answers come as SPARQL JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE
as Turtle, JSON-LD, N-Triples or RDF/XML, by Accept or by a `format` parameter. Without a
query, a client asking for RDF gets the SPARQL 1.1 Service Description, a browser the form.
Queries run on the embedded store's workers, or on an external store (sparql_endpoint).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ls_lod.web import describe, service_description, sparql_checks
from ls_lod.web.bodies import read_body
from ls_lod.web.context import WebContext
from ls_lod.web.negotiation import by_name, choose, formats, parse_accept, quality
from ls_lod.web.responses import (
    BadGateway,
    BadRequest,
    Forbidden,
    HttpError,
    InternalError,
    NotAcceptable,
    ServiceUnavailable,
    UriTooLong,
)
from ls_lod.web.sparql_workers import (
    QueryCrashed,
    QueryJob,
    QueryOutcome,
    QueryPool,
    QueryServiceBusy,
    QueryTimeout,
    StoreSource,
)

if TYPE_CHECKING:
    from ls_lod.web.sparql_remote import RemoteEndpoint

HTML_ROWS = 1000
# Up to this many triples (about 100k records, 0.9 GB a worker) each query worker holds the
# dataset in memory, where sorting and grouping queries run 10-20 times faster than on disk.
IN_MEMORY_TRIPLES = 2_500_000
# A form percent-encodes a query into at most three times its bytes; the body cap allows that.
ENCODING_ROOM = 3
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
    """One pool of query workers per SPARQL store (a new build gets a new pool), or the
    external store of the setting sparql_endpoint."""

    def __init__(self, web: WebContext) -> None:
        self.web = web
        self.settings = web.site.settings
        self._pool: QueryPool | None = None
        self._remote: RemoteEndpoint | None = None
        self._lock = threading.Lock()

    def service(self) -> QueryPool | RemoteEndpoint:
        settings = self.settings
        with self._lock:
            if settings.sparql_endpoint:
                if self._remote is None:
                    from ls_lod.web.sparql_remote import RemoteEndpoint  # requests, only when it is used

                    self._remote = RemoteEndpoint(
                        settings.sparql_endpoint, settings.sparql_workers, settings.sparql_queue
                    )
                return self._remote
            info = self.web.catalogue.info
            dump = self.web.site.directory / "dataset.nt"
            in_memory = str(dump) if info.triples <= IN_MEMORY_TRIPLES and dump.is_file() else None
            source = StoreSource(str(info.path), in_memory)
            if self._pool is None or self._pool.source != source:
                if self._pool is not None:
                    self._pool.close()
                self._pool = QueryPool(source, settings.sparql_workers, settings.sparql_queue)
            return self._pool

    def close(self) -> None:
        """Stop the query workers (their generation was retired by a newer build)."""
        with self._lock:
            if self._pool is not None:
                self._pool.close()

    async def handle(self, request: Request) -> Response:
        try:
            params = await self._parameters(request)
            query = params.get("query", [None])[0]
            if query is None:
                return self.without_query(request)
            federation = tuple(self.settings.sparql_federation.split())
            sparql_checks.check(query, self.settings.sparql_max_query_bytes, federation)
            html, job = self._job(request, params, query)
            outcome = await self._answer(job)
            if html:
                return self.form(request, query, outcome)
            return _response(request, outcome, job)
        except HttpError as error:
            return Response(
                error.message + "\n", status_code=error.status, media_type="text/plain", headers=error.headers
            )

    async def _parameters(self, request: Request) -> dict[str, list[str]]:
        limit = self.settings.sparql_max_query_bytes * ENCODING_ROOM
        if len(request.url.query) > limit:
            raise UriTooLong(
                f"A query string may be at most {limit:,} bytes; this one has {len(request.url.query):,}. "
                "POST a long query as application/sparql-query instead (up to the same size of query)."
            )
        body = await read_body(request, limit, "A query's request body") if request.method == "POST" else b""
        return _parameters(request, body)

    def without_query(self, request: Request) -> Response:
        """The Service Description for clients that ask for RDF, the query form for the others."""
        accept = request.headers.get("accept")
        fmt = choose(accept, formats("description"))
        if fmt is None or fmt.name == "html" or _prefers_html(accept):
            return self.form(request, "", None)
        triples = service_description.triples(self.web.minter, self.web.catalogue.info.triples)
        body = service_description.serialize(triples, fmt, self.web.minter)
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})

    def _job(self, request: Request, params: dict[str, list[str]], query: str) -> tuple[bool, QueryJob]:
        settings = self.settings
        wanted = params.get("format", [None])[0]
        accept = request.headers.get("accept")
        html = wanted == "html" or (wanted is None and _prefers_html(accept))
        if html or wanted:
            results = by_name("sparql_results", "json" if html else wanted or "")
            graph = by_name("sparql_graph", "turtle" if html else wanted or "")
        else:
            results, graph = choose(accept, formats("sparql_results")), choose(accept, formats("sparql_graph"))
        named = params.get("named-graph-uri", [])
        if named:
            raise BadRequest(
                f"This endpoint's dataset has no named graphs, so named-graph-uri={named[0]} cannot be "
                "honoured; leave named-graph-uri out: the whole dataset is the default graph."
            )
        job = QueryJob(
            query,
            results.name if results else None,
            graph.name if graph else None,
            int(settings.sparql_result_limit),
            describe.prefixes(self.web.minter),
            tuple(params.get("default-graph-uri", [])),
        )
        return html, job

    async def _answer(self, job: QueryJob) -> QueryOutcome:
        timeout = float(self.settings.sparql_timeout)
        retry = {"Retry-After": str(max(1, round(timeout)))}
        try:
            return await self.service().run(job, timeout)
        except QueryTimeout as error:
            raise ServiceUnavailable(
                f"The query was stopped: {error}. Narrow it (a LIMIT, a more specific pattern) "
                f"or run it on your own copy of the dataset (`ls-lod publish`).",
                retry,
            ) from None
        except QueryServiceBusy as error:
            raise ServiceUnavailable(f"The query service is full: {error}. Try again in a moment.", retry) from None
        except QueryCrashed as error:
            raise InternalError(
                f"The query stopped the query engine ({error}); it is not run again. Simplify it "
                "(fewer nested groups or chained operators), or run it on your own copy of the dataset."
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
            limit=self.settings.sparql_result_limit,
            timeout=self.settings.sparql_timeout,
            link=lambda q: self.web.path("sparql") + "?" + urlencode({"query": q}),
        )


def routes(web: WebContext, guarded: Callable[..., object]) -> list[BaseRoute]:
    endpoint = Endpoint(web)
    web.site.closers.append(endpoint.close)
    web.warm_ups.append(endpoint.service)
    return [Route(web.path("sparql"), endpoint.handle, methods=["GET", "POST"])]


def _prefers_html(accept: str | None) -> bool:
    ranges = parse_accept(accept)
    html = quality(ranges, formats("description")[0])
    best = max((quality(ranges, f) for f in (*formats("sparql_results"), *formats("sparql_graph"))), default=0)
    return html > 0 and html > best


def _parameters(request: Request, raw: bytes) -> dict[str, list[str]]:
    """Query-string parameters, plus the POST body's (form) or the POSTed query itself."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method != "POST":
        if "update" in params:
            raise Forbidden(READ_ONLY)
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = raw.decode("utf-8", errors="replace")
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
    if outcome.kind == "unavailable":
        raise BadGateway(f"The query could not be answered: {outcome.message}. Try again later.")
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
