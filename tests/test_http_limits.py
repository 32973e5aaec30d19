"""Issue 11, the HTTP reader's limits, against a hostile site on 127.0.0.1: a server that
trickles, an endless body, a gzip bomb, a dropped connection, and redirects to another host
or port. Each used to hold the build, fill memory, escape as a urllib3 traceback or be
followed silently; each is now a FetchError sentence naming the URL (a Violation on the source)."""

from __future__ import annotations

import gzip
import http.server
import time
from collections.abc import Iterator
from typing import ClassVar

import pytest

from ls_lod import readers
from ls_lod.model import SourceRecord
from ls_lod.report import Report
from ls_lod.settings import Settings
from support import TEST_DATA, http_fixture

pytestmark = pytest.mark.server

PAGE = (TEST_DATA / "good" / "date_year.txt").read_bytes()
BOMB = gzip.compress(b"\0" * (20 << 20))  # 20 MB of zeros in about 20 KB


class _Hostile(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    other: ClassVar[str] = ""  # the base URL of a second server (another port)

    def do_GET(self) -> None:
        route = getattr(self, "_" + self.path.strip("/").split("?")[0].replace("-", "_"), None)
        if route is None:
            self.send_error(404)
            return
        route()

    def _head(self, length: int | None, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if length is not None:
            self.send_header("Content-Length", str(length))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()

    def _page(self) -> None:
        self._head(len(PAGE))
        self.wfile.write(PAGE)

    def _trickle(self) -> None:  # 40 bytes, one every 0.15 s: 6 s in all
        self._head(40)
        for _ in range(40):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.15)

    def _endless(self) -> None:  # "endless": 8 MB, more than any limit the test sets
        self._head(None, Connection="close")
        for _ in range(128):
            self.wfile.write(b"y" * (64 << 10))

    def _bomb(self) -> None:
        self._head(len(BOMB), Content_Encoding="gzip")
        self.wfile.write(BOMB)

    def _dropped(self) -> None:  # promises 10,000 bytes, sends 100 and hangs up
        self._head(10_000)
        self.wfile.write(PAGE[:100])
        self.wfile.flush()
        self.close_connection = True

    def _redirect(self, target: str) -> None:
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _same_host(self) -> None:
        self._redirect("/page")

    def _other_port(self) -> None:
        self._redirect(f"{self.other}/page")

    def _other_host(self) -> None:
        port = self.server.server_address[1]
        self._redirect(f"http://localhost:{port}/page")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with http_fixture(_Hostile) as other, http_fixture(_Hostile) as url:
        _Hostile.other = other
        yield url


def fetch(url: str, *settings: str) -> tuple[list[SourceRecord], str]:
    report = Report()
    given = Settings.load(overrides=["http_retries=0", "http_timeout=3", *settings])
    records = list(readers.read_sources([url], given, report))
    return records, " ".join(issue.message for issue in report)


def test_a_trickling_server_stops_at_the_deadline(site: str) -> None:
    records, message = fetch(f"{site}/trickle", "http_max_seconds=1")
    assert records == [] and f"could not fetch {site}/trickle" in message
    assert "longer than 1 s (see the http_max_seconds setting)" in message


def test_an_endless_body_stops_at_the_size_limit(site: str) -> None:
    records, message = fetch(f"{site}/endless", "http_max_bytes=1000000")
    assert records == [] and "larger than 1,000,000 bytes" in message and "http_max_bytes" in message


def test_a_gzip_bomb_stops_at_the_size_limit_once_decompressed(site: str) -> None:
    records, message = fetch(f"{site}/bomb", "http_max_bytes=1000000")
    assert records == [] and "larger than 1,000,000 bytes once decompressed" in message


def test_a_dropped_connection_is_a_fetch_error(site: str) -> None:
    records, message = fetch(f"{site}/dropped")
    assert records == [] and f"could not fetch {site}/dropped" in message
    assert "broke off" in message


def test_redirects_stay_on_the_host_unless_allowed(site: str) -> None:
    [record], _ = fetch(f"{site}/same-host")
    assert record.text("Document number") == "9001"
    for route, host in (("other-port", "127.0.0.1"), ("other-host", "localhost")):
        records, message = fetch(f"{site}/{route}")
        assert records == [] and f"add {host} to the http_redirect_hosts setting" in message
        [record], _ = fetch(f"{site}/{route}", f"http_redirect_hosts={host}")
        assert record.text("Document number") == "9001"
