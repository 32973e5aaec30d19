"""The ASGI app: /oai (OAI-PMH), linked data and pages, /sparql, dumps; started by `ls-lod serve`.

Each part lives in its own module and contributes its routes; this module only joins them.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from ls_lod.web import linked_data, reconcile
from ls_lod.web import oai as oai_http
from ls_lod.web.site import Site


def create_app(directory: Path) -> Starlette:
    site = Site.open(directory)
    routes: list[BaseRoute] = [*oai_http.routes(site), *reconcile.routes(site), *linked_data.routes(site)]
    app = Starlette(routes=routes)
    app.state.site = site
    return app
