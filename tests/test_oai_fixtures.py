"""Every verb and every error code answers exactly as its file in tests/data/oai/ shows.

The files double as documentation of what ls-lod's OAI-PMH responses look like; each one is
also validated against the offline schemas. LS_LOD_REGENERATE_FIXTURES=1 rewrites them.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from oai_harvester import Schemas
from oai_sites import OAI_DATA, client, fixture_repository, no_formats_repository, no_sets_repository
from support import SCHEMAS

REQUESTS = tomllib.loads((OAI_DATA / "requests.toml").read_text("utf-8"))
REGENERATE = os.environ.get("LS_LOD_REGENERATE_FIXTURES") == "1"
_RESPONSE_DATE = re.compile(rb"<responseDate>[^<]*</responseDate>")
BUILDERS: dict[str, Callable[[Path], Path]] = {
    "main": fixture_repository,
    "no-sets": no_sets_repository,
    "no-formats": no_formats_repository,
}


@pytest.fixture(scope="module")
def repositories(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make(tmp_path_factory.mktemp(name)) for name, make in BUILDERS.items()}


@pytest.fixture(scope="module")
def schemas() -> Schemas:
    return Schemas(SCHEMAS)


def normalised(body: bytes) -> bytes:
    return _RESPONSE_DATE.sub(b"<responseDate>2000-01-01T00:00:00Z</responseDate>", body)


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_response_matches_its_file(name: str, repositories: dict[str, Path], schemas: Schemas) -> None:
    entry = REQUESTS[name]
    answer = client(repositories[entry.get("repository", "main")]).get("/oai?" + entry["query"])
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/xml; charset=utf-8"
    body = normalised(answer.content)
    assert schemas.errors(body) == []
    path = OAI_DATA / f"{name}.xml"
    if REGENERATE:
        path.write_bytes(body)
    assert body == path.read_bytes(), f"{name}: the response differs from {path.name}"


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_error_fixtures_carry_their_code(name: str) -> None:
    """A file named after an error code holds that error; a file named after a verb holds that verb."""
    body = (OAI_DATA / f"{name}.xml").read_bytes()
    kind = name.split("-")[0]
    assert (f'code="{kind}"'.encode() in body) if kind[0].islower() else (f"<{kind}>".encode() in body)
