"""Sources fetched over HTTP(S) with requests: timeouts, retries with back-off, clear errors, and
limits, so that no server can hold a build up or fill its memory.

The body is spooled to a temporary file (in memory while small), so a large export streams
to disk and the readers can read it like any local file. Limits: `http_timeout` for each
wait, `http_max_seconds` for the whole source, `http_max_bytes` for its decompressed size (a
gzip bomb stops there), and redirects only within the source's own host unless
`http_redirect_hosts` names others. Every failure is a FetchError naming the URL.

A build may read its sources twice (build/settle.py reads again the records whose candidate
names moved): within `fetched_once`, each URL is fetched once and read again from a local copy,
so both reads see the same body (a source that changed in between would leave records
unsettled), and a failure is reported again rather than waited for again.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ls_lod import __version__
from ls_lod.errors import FetchError
from ls_lod.settings import Settings

_SPOOL_IN_MEMORY = 8 << 20
_READ = 64 << 10
_MAX_REDIRECTS = 10
_DEFAULT_PORTS = {"http": 80, "https": 443}


def session(retries: int) -> requests.Session:
    """A session that retries connection errors and 429/5xx answers with exponential back-off."""
    retry = Retry(
        total=retries,
        backoff_factor=0.5,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=("GET", "HEAD"),
        raise_on_status=False,
    )
    http = requests.Session()
    http.mount("http://", HTTPAdapter(max_retries=retry))
    http.mount("https://", HTTPAdapter(max_retries=retry))
    http.headers["User-Agent"] = f"ls-lod/{__version__}"
    return http


@dataclass
class _Kept:
    """The bodies fetched so far, each in a file of `folder`, or the reason it failed."""

    folder: Path
    bodies: dict[str, tuple[Path, str] | str] = field(default_factory=dict)


_kept: ContextVar[_Kept | None] = ContextVar("ls_lod_fetched_once", default=None)


@contextmanager
def fetched_once(folder: Path) -> Iterator[None]:
    """Within it, `fetch` GETs each URL once, into a file of `folder`, which the caller removes.
    A killed process removes nothing: a build gives its directory's scratch folder
    (store/generations.py), which the next build empties, not the system's temporary folder,
    which nobody does."""
    token = _kept.set(_Kept(folder))
    try:
        yield
    finally:
        _kept.reset(token)


def fetch(url: str, settings: Settings) -> tuple[IO[bytes], str]:
    """GET `url`; returns the body as a seekable binary file and the response's media type."""
    kept = _kept.get()
    if kept is None:
        return _fetch(url, settings, tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY))
    if url not in kept.bodies:
        path = kept.folder / str(len(kept.bodies))
        try:
            body, media_type = _fetch(url, settings, path.open("w+b"))
            body.close()
            kept.bodies[url] = (path, media_type)
        except FetchError as error:
            kept.bodies[url] = str(error)
    found = kept.bodies[url]
    if isinstance(found, str):
        raise FetchError(found)
    return found[0].open("rb"), found[1]


def _fetch(url: str, settings: Settings, body: IO[bytes]) -> tuple[IO[bytes], str]:
    """GET `url` into `body` (closed when the fetch fails); returns it and the media type."""
    deadline = time.monotonic() + settings.http_max_seconds
    try:
        with _follow(session(settings.http_retries), url, settings) as response:
            if response.status_code >= 400:
                raise FetchError(f"could not fetch {url}: HTTP {response.status_code} {response.reason}")
            _spool(response, url, settings, deadline, body)
            media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return body, media_type
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
        body.close()
        raise FetchError(f"could not fetch {url}: {_reason(error)}") from None
    except BaseException:
        body.close()
        raise


def _follow(http: requests.Session, url: str, settings: Settings) -> requests.Response:
    """GET with redirects followed by hand: each hop must stay on the source's host."""
    current = url
    for _ in range(_MAX_REDIRECTS + 1):
        response = http.get(current, timeout=settings.http_timeout, stream=True, allow_redirects=False)
        target = response.headers.get("Location")
        if not response.is_redirect or target is None:
            return response
        response.close()
        following = urljoin(current, target)
        if not _allowed(current, following, settings.http_redirect_hosts):
            host = urlsplit(following).hostname or following
            raise FetchError(
                f"could not fetch {url}: it redirects to {following}, on another host or port; add {host} to "
                "the http_redirect_hosts setting to follow it"
            )
        current = following
    raise FetchError(f"could not fetch {url}: more than {_MAX_REDIRECTS} redirects")


def _allowed(current: str, following: str, allowed_hosts: str) -> bool:
    here, there = urlsplit(current), urlsplit(following)
    if there.scheme not in _DEFAULT_PORTS:
        return False
    allowed = {host.strip().lower() for host in allowed_hosts.split(",") if host.strip()}
    if "*" in allowed or (there.hostname or "") in allowed:
        return True
    if here.hostname != there.hostname:
        return False
    same_port = _port(here) == _port(there)
    upgrade = here.scheme == "http" and there.scheme == "https" and _port(there) == 443 and _port(here) == 80
    return same_port or upgrade


def _port(parts: object) -> int | None:
    port = parts.port  # type: ignore[attr-defined]
    return port if port is not None else _DEFAULT_PORTS.get(parts.scheme)  # type: ignore[attr-defined]


def _spool(response: requests.Response, url: str, settings: Settings, deadline: float, body: IO[bytes]) -> None:
    """Copy the decompressed body to `body`, within the size and time limits."""
    size, limit = 0, settings.http_max_bytes
    # read1: at most one read from the socket, so a server that trickles a byte at a time
    # cannot keep one call (and the deadline check) waiting for a whole buffer
    while chunk := response.raw.read1(_READ, decode_content=True):
        size += len(chunk)
        if size > limit:
            raise FetchError(
                f"could not fetch {url}: the body is larger than {limit:,} bytes once decompressed "
                "(see the http_max_bytes setting)"
            )
        if time.monotonic() > deadline:
            raise FetchError(
                f"could not fetch {url}: it took longer than {settings.http_max_seconds:g} s "
                "(see the http_max_seconds setting)"
            )
        body.write(chunk)
    body.seek(0)


def _reason(error: Exception) -> str:
    if isinstance(error, requests.Timeout | urllib3.exceptions.TimeoutError | TimeoutError):
        return "the server did not answer in time (see the http_timeout setting)"
    if isinstance(error, urllib3.exceptions.ProtocolError | requests.exceptions.ChunkedEncodingError):
        return f"the connection broke off before the whole body arrived ({_last(error)})"
    if isinstance(error, urllib3.exceptions.DecodeError | requests.exceptions.ContentDecodingError):
        return f"the body could not be decompressed ({_last(error)})"
    if isinstance(error, requests.ConnectionError):
        return "could not connect (is the address right and the server up?)"
    return _last(error)


def _last(error: Exception) -> str:
    """The innermost reason of a wrapped error, without urllib3's object reprs."""
    text = str(error.args[-1] if error.args else error)
    return text.rsplit(": ", 1)[-1].strip(" ')\"(") or type(error).__name__
