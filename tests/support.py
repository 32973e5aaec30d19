"""What the tests share besides fixtures: the repository's paths, `ls-lod` as a subprocess, real servers."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from ls_lod.store import generations

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TEST_DATA = Path(__file__).resolve().parent / "data"
SEED = DATA / "3039.txt"  # the one real record page of the catalogue, as the catalogue shows it
SCHEMAS = TEST_DATA / "schemas"  # offline copies of the OAI-PMH XSDs, with their provenance


def row(number: int, **fields: str) -> dict[str, str]:
    """A JSON Lines record of the rebuild tests: one curated and one candidate keyword, `fields` changed."""
    found = {
        "document_number": str(number),
        "date": "2019",
        "title": f"Report {number} on labour exploitation",
        "keywords": "forced labour, Zeppelin studies",
        "summary": "The report describes the support given to victims of trafficking in human beings.",
    }
    return {**found, **fields}


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`ls-lod ...` as a real subprocess, the way scripts outside the project call it."""
    return subprocess.run(
        [sys.executable, "-m", "ls_lod", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def generations_left(out: Path, seconds: float = 60) -> list[str]:
    """The names in DIR/generations once the generations a build retired are removed: a
    process of their own removes them after the build returns (store/generations.py)."""
    deadline = time.monotonic() + seconds
    while names := [p.name for p in generations.retired(out)]:
        assert time.monotonic() < deadline, f"still not removed after {seconds} s: {names}"
        time.sleep(0.05)
    return sorted(p.name for p in (out / generations.GENERATIONS).iterdir())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """A server started as a subprocess by a test fixture; `stop` ends it, gently first."""

    process: subprocess.Popen[str] | subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Server(ServerProcess):
    """A real `ls-lod serve DIR [OPTION...]` on 127.0.0.1, stopped when the fixture ends."""

    def __init__(self, directory: Path, *options: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ls_lod", "serve", str(directory), "--port", str(self.port), *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ls-lod serve exited: {self.process.stdout.read() if self.process.stdout else ''}")
            try:
                requests.get(self.url + "/oai?verb=Identify", timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("ls-lod serve did not start within 60 s")


class _QuietServer(http.server.ThreadingHTTPServer):
    """A fixture server that takes a client hanging up (what the limit tests make ls-lod do) in
    its stride, instead of printing a traceback into the test run."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FixtureHandler(http.server.BaseHTTPRequestHandler):
    """A fixture site's request handler: send_body answers 200 with a body; nothing is logged."""

    def send_body(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def http_fixture(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """A small HTTP server on 127.0.0.1 standing in for a remote site; yields its base URL."""
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
