"""Sources fetched over HTTP(S) with requests: timeouts, retries with back-off, clear errors.

The body is spooled to a temporary file (in memory while small), so a large export streams
to disk and the readers can read it like any local file.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import IO

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ls_lod import __version__
from ls_lod.errors import FetchError

_SPOOL_IN_MEMORY = 8 << 20


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


def fetch(url: str, timeout: float, retries: int) -> tuple[IO[bytes], str]:
    """GET `url`; returns the body as a seekable binary file and the response's media type."""
    try:
        with session(retries).get(url, timeout=timeout, stream=True) as response:
            if response.status_code >= 400:
                raise FetchError(f"could not fetch {url}: HTTP {response.status_code} {response.reason}")
            body = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 (returned open)
            response.raw.decode_content = True
            shutil.copyfileobj(response.raw, body)
            body.seek(0)
            media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return body, media_type
    except requests.RequestException as error:
        raise FetchError(f"could not fetch {url}: {_reason(error)}") from None


def _reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return "the server did not answer in time (see the http_timeout setting)"
    if isinstance(error, requests.ConnectionError):
        return "could not connect (is the address right and the server up?)"
    return str(error)
