"""Dereferenceable IRIs: `/id/...` answers 303 See Other to its description `/doc/...`, which
negotiates HTML, Turtle, JSON-LD, N-Triples and RDF/XML (Accept with q-values, or a suffix).

Also /void and /ns/context.jsonld; this module joins the routes of the pages, /sparql and
/dumps/, since they all live under the base IRI's path.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import pyoxigraph
from pyoxigraph import RdfFormat, Triple
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ls_lod.datestamps import parse_datestamp
from ls_lod.errors import ConfigError
from ls_lod.exporters.jsonld import context as jsonld_context
from ls_lod.indexes import sparql_store
from ls_lod.web import describe, dumps, pages, sitemap, sparql
from ls_lod.web.context import WebContext
from ls_lod.web.negotiation import choose, formats, split_suffix
from ls_lod.web.responses import Gone, HttpError, NotAcceptable, NotFound, conditional, link_header
from ls_lod.web.site import Site

Handler = Callable[[Request], Response]


def routes(site: Site) -> list[BaseRoute]:
    if sparql_store.current(site.directory) is None:
        raise ConfigError(
            f"{site.directory} was built without a SPARQL store (an older ls-lod?); "
            f"run `ls-lod build SOURCE --out {site.directory}` again"
        )
    web = WebContext(site)
    p = web.base_path
    return [
        Route(p + "id/{rest:path}", guarded(web, lambda r: thing(web, r))),
        Route(p + "doc/{rest:path}", guarded(web, lambda r: description(web, r, r.path_params["rest"]))),
        Route(p + "void", guarded(web, lambda r: description(web, r, "dataset"))),
        Route(p + "void.{suffix}", guarded(web, lambda r: description(web, r, "dataset." + r.path_params["suffix"]))),
        Route("/.well-known/void", guarded(web, lambda r: description(web, r, "dataset"))),  # RFC 8615, VoID §7.2
        Route(p + "ns/context.jsonld", guarded(web, lambda r: context_document(web, r))),
        *dumps.routes(web, guarded),
        *sparql.routes(web, guarded),
        *pages.routes(web, guarded),
        *sitemap.routes(web, guarded),
        Mount(p + "static", StaticFiles(packages=[("ls_lod.web", "static")]), name="static"),
    ]


def guarded(web: WebContext, handler: Handler) -> Callable[[Request], Response]:
    """Errors become pages (HTML for browsers, a plain sentence for everyone else)."""

    @wraps(handler)
    def endpoint(request: Request) -> Response:
        web.warm_up()
        try:
            return handler(request)
        except HttpError as error:
            return error_response(web, request, error)

    return endpoint


def error_response(web: WebContext, request: Request, error: HttpError) -> Response:
    accept = request.headers.get("accept")
    if choose(accept, formats("description")[:1]) is not None and "html" in (accept or "text/html"):
        return web.error_page(request, error)
    return Response(error.message + "\n", status_code=error.status, media_type="text/plain", headers=error.headers)


def thing(web: WebContext, request: Request) -> Response:
    """303 See Other from the thing to the document about it (httpRange-14)."""
    rest = request.path_params["rest"]
    stem, fmt = split_suffix(rest)  # /id/document/3039.ttl: a common guess, kept as asked
    if fmt is not None and web.catalogue.exists(web.minter.thing(stem)):
        rest = stem
    else:
        fmt = None
    iri = web.minter.thing(rest)
    _check_exists(web, iri)
    location = web.description_of(iri) + (f".{fmt.suffix}" if fmt else "")
    return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})


def description(web: WebContext, request: Request, rest: str) -> Response:
    path, chosen = split_suffix(rest)
    iri = web.minter.dataset() if path == "dataset" else thing_of(web, path)
    available = formats("description")
    fmt = chosen or choose(request.headers.get("accept"), available)
    if fmt is None:
        raise NotAcceptable(request.url.path, request.headers.get("accept"), available)
    triples = _void(web) if iri == web.minter.dataset() else None
    if triples is None:
        _check_exists(web, iri)
    if fmt.name == "html":
        body = pages.thing_page(web, request, iri, triples)
    else:
        body = describe.serialize(triples or describe.description(web.catalogue, iri), fmt, web.minter)
    own = request.url.path if chosen else None
    generic = own.rsplit(".", 1)[0] if own else request.url.path
    headers = {"Link": link_header(_alternates(generic)), "Vary": "Accept"}
    if not chosen:
        headers["Content-Location"] = f"{generic}.{fmt.suffix}"
    media_type = fmt.media_type + ("; charset=utf-8" if fmt.name in ("html", "turtle") else "")
    return conditional(request, body, media_type, _modified(web, iri), headers)


def thing_of(web: WebContext, path: str) -> str:
    """`3039` -> the document IRI; `keyword/forced-labour` -> `{base}id/keyword/forced-labour`."""
    if path.isascii() and path.isdigit():  # not `٣٠٣٩`: document numbers are ASCII digits
        return web.minter.document(path)
    return web.minter.thing(path)


def _check_exists(web: WebContext, iri: str) -> None:
    number = web.minter.number_of(iri)
    if number is not None:
        stored = web.site.store.record(number)
        if stored is not None and stored.deleted:
            raise Gone(f"Document {number} has been withdrawn from the catalogue.")
    if iri == web.minter.dataset() or web.catalogue.exists(iri):
        return
    raise NotFound(f"There is nothing at {iri} in this catalogue.")


def _modified(web: WebContext, iri: str) -> float:
    number = web.minter.number_of(iri)
    stored = web.site.store.record(number) if number else None
    if stored is not None:
        return parse_datestamp(stored.datestamp).timestamp()
    return web.catalogue.modified / 1e9


def _alternates(generic: str) -> list[tuple[str, str, str | None]]:
    return [(f"{generic}.{f.suffix}", "alternate", f.media_type) for f in formats("description")]


def _void(web: WebContext) -> list[Triple]:
    path = web.site.directory / "void.ttl"
    return sorted(pyoxigraph.parse(path=str(path), format=RdfFormat.TURTLE), key=str)


def context_document(web: WebContext, request: Request) -> Response:
    import json

    body = json.dumps(jsonld_context(), indent=2).encode() + b"\n"
    return conditional(
        request, body, "application/ld+json", web.catalogue.modified / 1e9, {"Access-Control-Allow-Origin": "*"}
    )
