"""What every web handler needs: the build, its IRIs mapped to local paths, the templates.

The server may run on 127.0.0.1 while the IRIs use the published base IRI, so requests are
matched by the base IRI's path, and pages link with host-relative paths: browsing works on
any host, and every link leads to the same server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ls_lod.uris import Minter
from ls_lod.web.catalogue import Catalogue, CatalogueHolder
from ls_lod.web.responses import HttpError
from ls_lod.web.search import HIT_END, HIT_START
from ls_lod.web.site import Site


@dataclass
class WebContext:
    site: Site
    holder: CatalogueHolder = field(init=False)

    warm_ups: list[Callable[[], object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.holder = CatalogueHolder(self.site.directory)

    def warm_up(self) -> None:
        """Start what takes time to be ready (the query workers) at the first request of any page."""
        while True:
            try:
                start = self.warm_ups.pop()
            except IndexError:  # another thread took the last one
                return
            start()

    @property
    def minter(self) -> Minter:
        return self.site.conversion.minter

    @property
    def catalogue(self) -> Catalogue:
        return self.holder.get()

    @cached_property
    def base_path(self) -> str:
        """`https://example.org/lod/` -> `/lod/`: where the IRIs' paths start on this server."""
        return urlsplit(self.minter.base).path or "/"

    def path(self, name: str = "") -> str:
        """A local path under the base path: `path('sparql')` -> `/sparql`."""
        return self.base_path + name

    def local(self, iri: str) -> str:
        """An IRI of this dataset as a host-relative link; any other IRI unchanged."""
        relative = self.minter.relative(iri)
        return self.base_path + relative if relative != iri else iri

    def description_of(self, iri: str) -> str:
        """The local path of the page about a thing (`/doc/3039` for `/id/document/3039`)."""
        return self.local(self.minter.thing_to_description(iri) or iri)

    @cached_property
    def templates(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("ls_lod.web", "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        env.filters["local"] = self.local
        env.filters["page_of"] = self.description_of
        env.filters["hits"] = hits
        env.filters["paragraphs"] = paragraphs
        env.filters["size"] = human_size
        env.globals["path"] = self.path
        env.globals["repository_name"] = self.site.settings.repository_name
        return env

    def render(
        self, template: str, status: int = 200, headers: dict[str, str] | None = None, **values: object
    ) -> HTMLResponse:
        body = self.templates.get_template(template).render(**values)
        return HTMLResponse(body, status_code=status, headers=headers)

    def error_page(self, request: Request, error: HttpError) -> HTMLResponse:
        return self.render(
            "error.html.j2",
            status=error.status,
            headers=error.headers,
            status_code=error.status,
            message=error.message,
            request_path=request.url.path,
        )


def hits(snippet: str) -> Markup:
    """A search snippet escaped first, then its hit markers turned into <mark>."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(HIT_START, "<mark>").replace(HIT_END, "</mark>"))


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def human_size(size: int | None) -> str:
    """`1234567` -> `1.2 MB` (decimal units, as download sizes are usually given)."""
    if size is None:
        return ""
    if size < 1000:
        return f"{size} bytes"
    scaled = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        scaled /= 1000
        if scaled < 1000 or unit == "TB":
            break
    return f"{scaled:.1f} {unit}"
