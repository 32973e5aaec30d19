"""The /oai endpoint: OAI-PMH over HTTP GET and POST (spec section 3.1), joined into the web app.

Arguments come from the query string and, for POST, an application/x-www-form-urlencoded body;
the answer is always text/xml (OAI-PMH errors are 200 responses with <error> elements), gzipped
when the harvester accepts it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from isal import igzip
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from ls_lod.oai.protocol import respond
from ls_lod.oai.repository import Repository
from ls_lod.oai.static import FILE_NAME as STATIC_FILE
from ls_lod.web.bodies import read_body
from ls_lod.web.responses import HttpError
from ls_lod.web.site import Site

FORM = "application/x-www-form-urlencoded"
MEDIA_TYPE = "text/xml; charset=utf-8"
MAX_BODY = 64 * 1024
# ISA-L's level 3 (its highest): a third of the time of zlib's level 4 on a 1.7 MB `rdf` page for
# 7 % more bytes (bench/bench_oai.py has the gzipped rows).
GZIP_LEVEL = 3
_SANE_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/\[\]@!$&'()*+,;=%]+")


def routes(site: Site) -> list[BaseRoute]:
    endpoint = Endpoint(Repository(site.store, site.conversion))
    static = site.directory / STATIC_FILE

    def static_repository(request: Request) -> Response:
        """The OAI Static Repository file, for a Static Repository Gateway (text/xml, as required)."""
        if not static.is_file():
            return Response(
                f"{STATIC_FILE} was not written by the last build (more than 5,000 records?)",
                status_code=404,
                media_type="text/plain",
            )
        return FileResponse(static, media_type=MEDIA_TYPE)

    return [
        Route("/oai", endpoint.handle, methods=["GET", "POST"], name="oai"),
        Route(f"/oai/{STATIC_FILE}", static_repository, name="oai-static-repository"),
    ]


class Endpoint:
    def __init__(self, repository: Repository) -> None:
        self.repository = repository

    async def handle(self, request: Request) -> Response:
        pairs = parse_qsl(request.url.query, keep_blank_values=True)
        problem = None
        if request.method == "POST":
            try:
                body = await read_body(request, MAX_BODY, "An OAI-PMH request body")
            except HttpError as error:
                return Response(error.message + "\n", status_code=error.status, media_type="text/plain")
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if body and kind != FORM:
                problem = f"a POST request must send its arguments as {FORM}, not {kind or 'an untyped body'}."
            else:
                pairs += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        accept_encoding = request.headers.get("accept-encoding", "")
        return await run_in_threadpool(self._answer, pairs, self.base_url(request), problem, accept_encoding)

    def _answer(
        self, pairs: list[tuple[str, str]], base_url: str, problem: str | None, accept_encoding: str
    ) -> Response:
        """Runs in a worker thread, gzip included: a page of `rdf` records is 1.7 MB and takes
        7-20 ms to compress, which on the event loop would hold up every other client."""
        return self._response(respond(self.repository, pairs, base_url, problem), accept_encoding)

    def base_url(self, request: Request) -> str:
        """The endpoint's URL: the setting oai_base_url, else the URL the request came to."""
        configured = str(self.repository.conversion.settings.oai_base_url)
        if configured:
            return configured
        url = str(request.url.replace(query="", fragment=""))
        return url if _SANE_URL.fullmatch(url) else self.repository.minter.service("oai")

    def _response(self, xml: bytes, accept_encoding: str) -> Response:
        headers = {"Vary": "Accept-Encoding"}
        if _accepts_gzip(accept_encoding):
            xml = igzip.compress(xml, compresslevel=GZIP_LEVEL, mtime=0)
            headers["Content-Encoding"] = "gzip"
        return Response(xml, media_type=MEDIA_TYPE, headers=headers)


def _accepts_gzip(header: str) -> bool:
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "x-gzip"):
            return not re.search(r"q\s*=\s*0(\.0*)?\s*$", params.strip())
    return False
