"""What operators and crawlers ask a server for: /health (which build is live, and how old it
is, for a load balancer or a monitor) and /robots.txt (pages welcome, SPARQL queries not)."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from ls_lod.datestamps import format_datestamp
from ls_lod.indexes import sparql_store
from ls_lod.web.site import Site


def routes(site: Site) -> list[BaseRoute]:
    return [
        Route("/health", lambda request: health(site, request)),
        Route("/robots.txt", lambda request: robots(site, request)),
    ]


def health(site: Site, request: Request) -> Response:
    """200 with the live build (its number, its dataset's digest, when it went live), else 503."""
    try:
        pointer = site.directory / sparql_store.POINTER
        info = sparql_store.current(site.directory)
        live = pointer.stat().st_mtime
        generation = site.store.generation()
    except Exception as error:  # whatever broke, the answer is "not healthy", never a 500 page
        return JSONResponse({"status": "unavailable", "problem": f"{type(error).__name__}: {error}"}, 503)
    if info is None:
        return JSONResponse({"status": "unavailable", "problem": "the build has no SPARQL store"}, 503)
    return JSONResponse(
        {
            "status": "ok",
            "build": generation,
            "dataset": info.digest,
            "triples": info.triples,
            "live_since": format_datestamp(dt.datetime.fromtimestamp(live, dt.UTC)),
            "age_seconds": max(0, round(time.time() - live)),
        },
        headers={"Cache-Control": "no-store"},
    )


def robots(site: Site, request: Request) -> Response:
    """Crawl the pages, descriptions and dumps; not /sparql query URLs (each is a query to run)."""
    base = urlsplit(site.conversion.minter.base).path or "/"
    sitemap = site.conversion.minter.service("sitemap.xml")
    lines = ["User-agent: *", f"Disallow: {base}sparql?", f"Allow: {base}", "", f"Sitemap: {sitemap}", ""]
    return PlainTextResponse("\n".join(lines), headers={"Cache-Control": "public, max-age=86400"})
