"""CORS: scripts on other sites may read the data (descriptions, /sparql, /void, dumps, /oai).

Everything served is public and read-only, and no request carries credentials, so any
origin may read it by default (`cors_allow_origins = "*"`); POST is allowed for /sparql and
/oai, and preflight requests are answered. Starlette's middleware does the protocol.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from ls_lod.settings import Settings

ALLOWED_HEADERS = ["Accept", "Accept-Language", "Content-Type", "If-Modified-Since", "If-None-Match", "Range"]
# What a script may read besides the CORS-safelisted headers.
EXPOSED_HEADERS = ["Content-Location", "ETag", "Link", "Retry-After", "Vary", "X-Result-Truncated"]
MAX_AGE = 86400  # seconds a browser may keep a preflight's answer


def middleware(settings: Settings) -> list[Middleware]:
    origins = str(settings.cors_allow_origins).split()
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            max_age=MAX_AGE,
        )
    ]
