"""The ASGI app: /oai (OAI-PMH), linked data and pages, /sparql, dumps; started by `ls-lod serve`.

Each part lives in its own module and contributes its routes; this module only joins them,
and wraps them in what every response shares (CORS headers, the access log).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from ls_lod.web import access_log, cross_origin, linked_data, operations, reconcile
from ls_lod.web import oai as oai_http
from ls_lod.web.site import Site


def create_app(directory: Path, overrides: Iterable[str] = ()) -> Starlette:
    site = Site.open(directory, overrides)
    routes: list[BaseRoute] = [
        *oai_http.routes(site),
        *operations.routes(site),
        *reconcile.routes(site),
        *linked_data.routes(site),
    ]
    middleware: list[Middleware] = [*access_log.middleware(site.settings), *cross_origin.middleware(site.settings)]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.site = site
    return app
