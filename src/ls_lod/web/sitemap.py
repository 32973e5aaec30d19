"""/sitemap.xml (sitemaps.org 0.9), which /robots.txt names, for search engines.

Every document page is listed by its public IRI (base_uri), newest build date as lastmod. Over
50,000 URLs (the protocol's limit a file) /sitemap.xml is a sitemap index of
/sitemap-1.xml, /sitemap-2.xml, ..., each holding at most 50,000.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ls_lod.web.context import WebContext
from ls_lod.web.responses import NotFound

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
LIMIT = 50_000  # URLs a sitemap file may hold (sitemaps.org protocol)
XML = "application/xml; charset=utf-8"


def routes(web: WebContext, guard: Callable[..., Callable[[Request], Response]]) -> list[BaseRoute]:
    def sitemap(request: Request) -> Response:
        urls = _urls(web)
        if len(urls) <= LIMIT:
            return Response(_urlset(urls, _lastmod(web)), media_type=XML)
        parts = range(1, (len(urls) + LIMIT - 1) // LIMIT + 1)
        return Response(_index([f"{web.minter.base}sitemap-{n}.xml" for n in parts], _lastmod(web)), media_type=XML)

    def sitemap_part(request: Request) -> Response:
        number = request.path_params["part"]
        chunk = _urls(web)[(number - 1) * LIMIT : number * LIMIT]
        if number < 1 or not chunk:
            raise NotFound(f"there is no sitemap part {number}")
        return Response(_urlset(chunk, _lastmod(web)), media_type=XML)

    return [
        Route(web.path("sitemap.xml"), guard(web, sitemap)),
        Route(web.path("sitemap-{part:int}.xml"), guard(web, sitemap_part)),
    ]


def _urls(web: WebContext) -> list[str]:
    """The home page and every document page, by public IRI, in document-number order."""
    rows = web.catalogue.db.execute("SELECT number FROM document ORDER BY number")
    return [web.minter.base, *(web.minter.description(str(number)) for (number,) in rows)]


def _lastmod(web: WebContext) -> str:
    return dt.datetime.fromtimestamp(web.catalogue.modified / 1e9, dt.UTC).strftime("%Y-%m-%d")


def _urlset(urls: list[str], lastmod: str) -> bytes:
    body = "".join(f"<url><loc>{escape(url)}</loc><lastmod>{lastmod}</lastmod></url>\n" for url in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n{body}</urlset>\n'.encode()


def _index(parts: list[str], lastmod: str) -> bytes:
    body = "".join(f"<sitemap><loc>{escape(url)}</loc><lastmod>{lastmod}</lastmod></sitemap>\n" for url in parts)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">\n{body}</sitemapindex>\n'.encode()
    )
