"""Fixtures every test module may use without importing them: a build of the bundled sample and a
real server on it (here), those of the web tests (webfixtures.py) and the shipped vocabulary
(vocab_reading.py), both loaded as plugins.

Plain helpers (paths, run_cli, Server) live in support.py and are imported from there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support import DATA, ROOT, SCHEMAS, SEED, TEST_DATA, Server, free_port, http_fixture, run_cli

pytest_plugins = ["webfixtures", "vocab_reading"]

__all__ = ["DATA", "ROOT", "SCHEMAS", "SEED", "TEST_DATA", "Server", "free_port", "http_fixture", "run_cli"]


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data/ built once for the session (read-only for tests)."""
    out = tmp_path_factory.mktemp("sample") / "site"
    result = run_cli("build", str(DATA), "--out", str(out))
    assert result.returncode in (0, 1), result.stderr
    return out


@pytest.fixture(scope="session")
def sample_server(sample_build: Path) -> Iterator[Server]:
    server = Server(sample_build)
    yield server
    server.stop()
