"""Request bodies read with a cap: a client that sends more than the cap gets 413, and the
server never holds more than the cap in memory (the body is read as it streams in)."""

from __future__ import annotations

from starlette.requests import Request

from ls_lod.web.responses import PayloadTooLarge


async def read_body(request: Request, limit: int, what: str) -> bytes:
    """The whole body, or PayloadTooLarge as soon as it (or its Content-Length) passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(_sentence(what, limit, f"{int(declared):,} bytes"))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(_sentence(what, limit, "more"))
        chunks.append(chunk)
    return b"".join(chunks)


def _sentence(what: str, limit: int, sent: str) -> str:
    return f"{what} may be at most {limit:,} bytes; this request sent {sent}. Send a shorter one."
