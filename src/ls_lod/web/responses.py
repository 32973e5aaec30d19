"""HTTP details every representation shares: validators (ETag, Last-Modified), conditional GET,
Vary and Link headers, and the errors a client sees (400 to 503) as classes with a status.
"""

from __future__ import annotations

import hashlib
from email.utils import formatdate, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from ls_lod.web.negotiation import Format

CACHE_CONTROL = "public, max-age=300"


class HttpError(Exception):
    """An error page: its status and a sentence for the reader."""

    status = 500

    def __init__(self, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class NotFound(HttpError):
    status = 404


class Gone(HttpError):
    status = 410


class NotAcceptable(HttpError):
    status = 406

    def __init__(self, what: str, accept: str | None, available: tuple[Format, ...]) -> None:
        types = ", ".join(f.media_type for f in available)
        super().__init__(f"No representation of {what} matches Accept: {accept}. Available: {types}.")
        self.available = available


class BadRequest(HttpError):
    status = 400


class Forbidden(HttpError):
    status = 403


class PayloadTooLarge(HttpError):
    status = 413


class UriTooLong(HttpError):
    status = 414


class InternalError(HttpError):
    status = 500


class BadGateway(HttpError):
    status = 502


class ServiceUnavailable(HttpError):
    status = 503


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)


def not_modified(request: Request, etag: str, modified: float | None) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since and modified is not None:
        try:
            return int(modified) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def conditional(
    request: Request, body: bytes, media_type: str, modified: float | None, headers: dict[str, str] | None = None
) -> Response:
    """The representation, or 304 Not Modified when the client's copy is current."""
    etag = etag_of(body)
    common = {"ETag": etag, "Cache-Control": CACHE_CONTROL, **(headers or {})}
    if modified is not None:
        common["Last-Modified"] = http_date(modified)
    if not_modified(request, etag, modified):
        return Response(status_code=304, headers=common)
    return Response(body, media_type=media_type, headers=common)


def link_header(links: list[tuple[str, str, str | None]]) -> str:
    """`Link: <url>; rel="alternate"; type="text/turtle", ...` from (url, rel, type) triples."""
    parts = []
    for url, rel, media_type in links:
        parts.append(f'<{url}>; rel="{rel}"' + (f'; type="{media_type}"' if media_type else ""))
    return ", ".join(parts)
