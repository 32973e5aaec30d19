"""/dumps/: the build's dumps, plain and gzip-compressed, latest and dated, with a listing page.

Only files the build writes are served, by an allow-list of names, so no request can reach
another file of the build directory. Large files stream from disk with Range support.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from ls_lod import exporters
from ls_lod.exporters.compressed import DATED_DIR, gzip_name
from ls_lod.web.context import WebContext
from ls_lod.web.dataset import schema_org
from ls_lod.web.responses import NotFound, http_date, not_modified

_DATED = re.compile(r"^[a-z]+-\d{4}-\d{2}-\d{2}\.[a-z]+\.gz$")
EXTRA = {"void.ttl": "text/turtle", "context.jsonld": "application/ld+json"}


@dataclass(frozen=True)
class DumpFile:
    name: str
    path: Path
    media_type: str
    compressed: bool

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def modified(self) -> str:
        return dt.datetime.fromtimestamp(self.path.stat().st_mtime, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def routes(web: WebContext, guarded: Callable[..., Callable[[Request], Response]]) -> list[BaseRoute]:
    return [
        Route(web.path("dumps/"), guarded(web, lambda r: listing(web, r))),
        Route(web.path("dumps/{name}"), guarded(web, lambda r: download(web, r, r.path_params["name"]))),
    ]


def available(directory: Path) -> list[DumpFile]:
    """Latest dumps (plain and gzip), void.ttl, the context, then dated dumps, newest first."""
    files = []
    for fmt in exporters.DUMP_FORMATS.values():
        files.append(DumpFile(fmt.file_name, directory / fmt.file_name, fmt.media_type, False))
        gz = gzip_name(fmt.file_name)
        files.append(DumpFile(gz, directory / gz, fmt.media_type, True))
    files += [DumpFile(name, directory / name, media, False) for name, media in EXTRA.items()]
    dated = sorted((directory / DATED_DIR).glob("*.gz"), key=lambda p: p.name, reverse=True)
    files += [DumpFile(p.name, p, _media_type_of(p.name), True) for p in dated if _DATED.match(p.name)]
    return [f for f in files if f.path.is_file()]


def _media_type_of(name: str) -> str:
    suffix = name.removesuffix(".gz").rsplit(".", 1)[-1]
    for fmt in exporters.DUMP_FORMATS.values():
        if fmt.file_name.endswith("." + suffix):
            return fmt.media_type
    return "application/octet-stream"


def listing(web: WebContext, request: Request) -> Response:
    files = available(web.site.directory)
    return web.render(
        "dumps.html.j2", files=files, void=web.path("void"), sparql=web.path("sparql"), dataset_schema=schema_org(web)
    )


def download(web: WebContext, request: Request, name: str) -> Response:
    found = next((f for f in available(web.site.directory) if f.name == name), None)
    if found is None:
        raise NotFound(f"There is no dump called {name!r}; the list is at {web.path('dumps/')}.")
    stat = found.path.stat()
    etag = '"' + hashlib.md5(f"{stat.st_mtime}-{stat.st_size}".encode(), usedforsecurity=False).hexdigest() + '"'
    headers = {"ETag": etag, "Last-Modified": http_date(stat.st_mtime), "Cache-Control": "public, max-age=300"}
    if not_modified(request, etag, stat.st_mtime):
        return Response(status_code=304, headers=headers)
    media_type = "application/gzip" if found.compressed else found.media_type
    return FileResponse(
        found.path,
        media_type=media_type,
        headers=headers,
        content_disposition_type="inline" if not found.compressed else "attachment",
        filename=found.name,
    )
