"""Fixtures every test module may use without importing them: a build of the bundled sample and a
real server on it (here), those of the web tests (webfixtures.py) and the shipped vocabulary
(vocab_reading.py), both loaded as plugins.

Every build, `ls-lod validate` and `ls-lod vocab candidates` of the session shares one cache of
the parsed vocabulary (LS_LOD_CACHE_DIR), as a user who sets it does: the suite makes hundreds of
builds, each of which would otherwise parse vocab/ again. The cache's own tests
(test_rebuild_costs.py, test_shared_cache.py) unset or set it themselves.

Plain helpers (paths, run_cli, Server) live in support.py and are imported from there.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from ls_lod.convert.vocabulary_cache import SHARED_CACHE
from support import DATA, ROOT, SCHEMAS, SEED, TEST_DATA, Server, free_port, http_fixture, run_cli

pytest_plugins = ["webfixtures", "vocab_reading"]

__all__ = ["DATA", "ROOT", "SCHEMAS", "SEED", "TEST_DATA", "Server", "free_port", "http_fixture", "run_cli"]


def pytest_configure(config: pytest.Config) -> None:
    """The Ctrl-C tests send SIGINT to the ls-lod processes they start. A shell starts a background
    job (`pytest &` in a script, or under nohup) with SIGINT ignored, every process inherits that,
    and Python then never turns SIGINT into KeyboardInterrupt: those tests failed, waiting for an
    exit that never came. The suite takes the default back, for itself and what it starts."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session", autouse=True)
def shared_vocabulary_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One parsed copy of vocab/ for the whole session (inherited by every subprocess)."""
    folder = tmp_path_factory.mktemp("vocabulary-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SHARED_CACHE, str(folder))
        yield folder


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
