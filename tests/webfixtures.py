"""Fixtures of the web tests: a catalogue with a hostile title, and a real Oxigraph server.

A pytest plugin (conftest.py names it), so tests use the fixtures without importing them.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from support import DATA, TEST_DATA, Server, ServerProcess, free_port, run_cli

MARKUP_NUMBER = "9111"  # tests/data/bad/markup_in_title.txt: <script>alert(1)</script> in the title
PDF_TEMPLATE = "availability_url_template=https://documentation.example.org/pdf/{number}.pdf"


def build_catalogue(directory: Path, *settings: str) -> Path:
    """data/ plus the record whose title holds <script>, built into directory/site."""
    pages = directory / "pages"
    shutil.copytree(DATA, pages)
    shutil.copy(TEST_DATA / "bad" / "markup_in_title.txt", pages / "9111.txt")
    out = directory / "site"
    overrides = [item for setting in (PDF_TEMPLATE, *settings) for item in ("--set", setting)]
    result = run_cli("build", str(pages), "--out", str(out), *overrides)
    assert result.returncode in (0, 1), result.stderr
    return out


@pytest.fixture(scope="session")
def markup_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_catalogue(tmp_path_factory.mktemp("markup"))


@pytest.fixture(scope="session")
def markup_server(markup_build: Path) -> Iterator[Server]:
    server = Server(markup_build)
    yield server
    server.stop()


class Oxigraph(ServerProcess):
    """`oxigraph serve` on 127.0.0.1 with its data in a temporary directory."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                shutil.which("oxigraph") or "oxigraph",
                "serve",
                "--location",
                str(directory),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/query", params={"query": "ASK {}"}, timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph serve did not start within 30 s")


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    if shutil.which("oxigraph") is None:
        pytest.fail("the oxigraph server is missing: pip install -e '.[test]' installs it")
    server = Oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()
