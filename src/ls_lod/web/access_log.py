"""The access log of `ls-lod serve` (the setting access_log): one line a request on standard output,
in Apache's combined format (what log analysers read) or as JSON lines (what log shippers read).

uvicorn's own access log has neither the size, the referrer nor the user agent, so it is off
and this middleware writes the log. Behind a proxy, the client is the one the proxy names
(uvicorn applies X-Forwarded-For from the addresses `--forwarded-allow-ips` trusts).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from typing import Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ls_lod.errors import ConfigError
from ls_lod.settings import Settings

FORMATS = ("combined", "json")


def middleware(settings: Settings) -> list[Middleware]:
    style = str(settings.access_log).strip().lower()
    if not style:
        return []
    if style not in FORMATS:
        raise ConfigError(
            f"the setting access_log is {settings.access_log!r}; use one of {', '.join(FORMATS)}, or empty for none"
        )
    return [Middleware(AccessLog, style=style)]


class AccessLog:
    def __init__(self, app: ASGIApp, style: str) -> None:
        self.app = app
        self.style = style

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, seen = time.monotonic(), {"status": 500, "bytes": 0}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message["type"] == "http.response.body":
                seen["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            entry = _entry(scope, seen["status"], seen["bytes"], time.monotonic() - started)
            line = json.dumps(entry, ensure_ascii=False) if self.style == "json" else combined(entry)
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


def _entry(scope: Scope, status: int, size: int, seconds: float) -> dict[str, Any]:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    query = scope.get("query_string", b"").decode("latin-1")
    target = scope.get("raw_path", scope["path"].encode()).decode("latin-1") + (f"?{query}" if query else "")
    client = scope.get("client")
    return {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "client": client[0] if client else "-",
        "method": scope["method"],
        "target": target,
        "protocol": f"HTTP/{scope.get('http_version', '1.1')}",
        "status": status,
        "bytes": size,
        "referer": headers.get("referer", ""),
        "user_agent": headers.get("user-agent", ""),
        "seconds": round(seconds, 4),
    }


def combined(entry: dict[str, Any]) -> str:
    """`host - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 2326 "referer" "agent"`."""
    when = dt.datetime.fromisoformat(entry["time"]).strftime("%d/%b/%Y:%H:%M:%S %z")
    request = f"{entry['method']} {entry['target']} {entry['protocol']}"
    return (
        f'{entry["client"]} - - [{when}] "{_quoted(request)}" {entry["status"]} {entry["bytes"] or "-"} '
        f'"{_quoted(entry["referer"]) or "-"}" "{_quoted(entry["user_agent"]) or "-"}"'
    )


def _quoted(text: str) -> str:
    """Apache's escaping inside quotes: `"` and `\\` and control characters as escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return "".join(out)
