"""Small OAI-PMH repositories for the tests, built in-process from tests/data/oai/.

`fixture_repository` is built twice at fixed times (SOURCE_DATE_EPOCH), the second time with
record 104 gone and record 102 changed, so its datestamps, tokens and tombstone never vary and
its responses can be compared with the files in tests/data/oai/.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient

from ls_lod.build.driver import build
from ls_lod.convert.context import conversion_for
from ls_lod.settings import Settings
from ls_lod.store.catalog import STORE_NAME
from ls_lod.web import oai as oai_http
from ls_lod.web.site import Site

OAI_DATA = Path(__file__).resolve().parent / "data" / "oai"
FIRST_BUILD, SECOND_BUILD = 1700000000, 1700086400  # 2023-11-14T22:13:20Z, a day later
PAGE_SIZE = 2


@contextmanager
def _epoch(seconds: int):  # type: ignore[no-untyped-def]
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def build_at(sources: Path, out: Path, seconds: int, vocab: str = "vocab", page_size: int = PAGE_SIZE) -> None:
    settings = Settings.load(overrides=[f"oai_page_size={page_size}"], environ={})
    conversion = conversion_for(settings, str(OAI_DATA / vocab))
    with _epoch(seconds):
        build([str(sources)], out, conversion, allow_withdraw=True)  # the fixtures withdraw on purpose


def fixture_repository(work: Path) -> Path:
    """Four records, then a rebuild a day later: 104 deleted, 102 changed, 101 and 103 as they were."""
    catalogue = work / "catalogue"
    shutil.copytree(OAI_DATA / "catalogue", catalogue)
    out = work / "site"
    build_at(catalogue, out, FIRST_BUILD)
    (catalogue / "0104.txt").unlink()
    page = catalogue / "0102.txt"
    page.write_text(
        page.read_text("utf-8").replace("A comparative study.", "A comparative study of 12 countries."), "utf-8"
    )
    build_at(catalogue, out, SECOND_BUILD)
    return out


def no_sets_repository(work: Path) -> Path:
    out = work / "no-sets"
    build_at(OAI_DATA / "catalogue", out, FIRST_BUILD, vocab="vocab-empty")
    return out


def no_formats_repository(work: Path) -> Path:
    """The fixture repository plus an item the store knows but holds no payload for."""
    out = work / "no-formats"
    shutil.copytree(fixture_repository(work / "base"), out, symlinks=True)  # live/ and the names through it
    with sqlite3.connect(out / STORE_NAME) as db:
        db.execute(
            "INSERT INTO record (number, sort_key, datestamp, deleted, digest, seen_build) "
            "VALUES ('999', 999, '2023-11-14T22:13:20Z', 0, '', 0)"
        )
    return out


def client(directory: Path) -> TestClient:
    """The OAI-PMH routes alone, in-process (base URL http://testserver/oai)."""
    return TestClient(Starlette(routes=oai_http.routes(Site.open(directory))))
