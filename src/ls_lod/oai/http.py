"""The /oai endpoint (issue 5 fills it in)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ls_lod.web.site import Site


def routes(site: Site) -> list[BaseRoute]:
    return []
