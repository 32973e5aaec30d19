"""A real `ls-lod serve` on 127.0.0.1 harvested end to end, as aggregators will.

Several hundred generated records are built, harvested by sickle (fully, with paging, and
selectively by from, until and set), by a second independent client (pyoai) and by the
conformance checker; then rebuilt with records changed, added and deleted while the server
runs, and harvested incrementally: exactly those come back, the deleted with status="deleted".
Every response of every client is validated against the offline schemas.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from oaipmh.client import Client
from oaipmh.metadata import MetadataRegistry, oai_dc_reader
from sickle import Sickle

from oai_conformance import Checker
from oai_harvester import Harvester, Schemas
from support import ROOT, SCHEMAS, Server

pytestmark = [pytest.mark.slow, pytest.mark.server]

RECORDS = 320
PAGE_SIZE = 25


class ValidatingSickle(Sickle):
    """sickle, with every response checked against the schemas before sickle reads it."""

    def __init__(self, endpoint: str, schemas: Schemas, **kwargs: object) -> None:
        super().__init__(endpoint, max_retries=0, **kwargs)
        self.schemas, self.responses = schemas, 0

    def _request(self, kwargs):  # type: ignore[no-untyped-def]
        response = super()._request(kwargs)
        assert self.schemas.errors(response.content) == [], (kwargs, self.schemas.errors(response.content))
        self.responses += 1
        return response


class ValidatingPyoai(Client):
    """pyoai's client (urllib, POST), with every response checked against the schemas."""

    def __init__(self, endpoint: str, schemas: Schemas) -> None:
        registry = MetadataRegistry()
        registry.registerReader("oai_dc", oai_dc_reader)
        super().__init__(endpoint, registry)
        self.schemas, self.responses = schemas, 0

    def makeRequest(self, **kw):  # type: ignore[no-untyped-def]
        text = super().makeRequest(**kw)
        body = text if isinstance(text, bytes) else text.encode("utf-8")
        assert self.schemas.errors(body) == [], (kw, self.schemas.errors(body))
        self.responses += 1
        return text


@dataclass
class HarvestSite:
    directory: Path
    catalogue: Path
    server: Server
    first_datestamp: str
    initial: dict[str, tuple[str, bool]] = field(default_factory=dict)  # identifier -> (datestamp, deleted)

    @property
    def endpoint(self) -> str:
        return self.server.url + "/oai"

    def store(self) -> dict[str, tuple[str, bool]]:
        """identifier -> (datestamp, deleted), straight from the catalog store."""
        with sqlite3.connect(self.directory / "catalog.sqlite") as db:
            rows = db.execute("SELECT number, datestamp, deleted FROM record").fetchall()
        return {f"oai:lastradainternational.org:document/{n}": (d, bool(x)) for n, d, x in rows}


def generate(count: int, out: Path, first: int, seed: int) -> None:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            str(count),
            "--format",
            "pages",
            "--out",
            str(out),
            "--first-number",
            str(first),
            "--seed",
            str(seed),
            "--quiet",
        ],
        check=True,
    )


def build(site_dir: Path, catalogue: Path) -> None:
    """`ls-lod build` as a subprocess, dated by the clock (never by a SOURCE_DATE_EPOCH around)."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ls_lod",
            "build",
            str(catalogue),
            "--out",
            str(site_dir),
            "--set",
            f"oai_page_size={PAGE_SIZE}",
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr


@pytest.fixture(scope="module")
def schemas() -> Schemas:
    return Schemas(SCHEMAS)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HarvestSite]:
    """Several hundred records, built twice (so there are tombstones), then served."""
    work = tmp_path_factory.mktemp("harvest")
    catalogue = work / "catalogue"
    generate(RECORDS, catalogue, 100001, seed=5)
    directory = work / "site"
    build(directory, catalogue)
    for page in sorted(catalogue.glob("*.txt"))[::40]:  # a few records leave the catalogue
        page.unlink()
    _next_second()
    build(directory, catalogue)
    server = Server(directory)
    try:
        first = min(d for d, _ in HarvestSite(directory, catalogue, server, "").store().values())
        yield HarvestSite(directory, catalogue, server, first)
    finally:
        server.stop()


def _next_second() -> None:
    """Datestamps have seconds granularity: a rebuild must not fall in the same second."""
    time.sleep(1.05 - dt.datetime.now().microsecond / 1e6)


def test_sickle_harvests_everything_with_paging(site: HarvestSite, schemas: Schemas) -> None:
    sickle = ValidatingSickle(site.endpoint, schemas)
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    expected = site.store()
    assert {r.header.identifier: (r.header.datestamp, r.header.deleted) for r in records} == expected
    assert len(records) > 300 and any(r.header.deleted for r in records)
    assert sickle.responses >= len(records) // PAGE_SIZE  # it really paged
    live = [r for r in records if not r.header.deleted]
    assert all(r.metadata["identifier"][0].startswith("https://lod.lastradainternational.org/doc/") for r in live)
    headers = list(sickle.ListIdentifiers(metadataPrefix="rdf", ignore_deleted=False))
    assert {h.identifier for h in headers} == set(expected)
    assert sickle.Identify().deletedRecord == "persistent"
    assert {f.metadataPrefix for f in sickle.ListMetadataFormats()} == {"oai_dc", "rdf", "oai_openaire"}
    one = live[0].header.identifier
    assert sickle.GetRecord(identifier=one, metadataPrefix="oai_dc").header.identifier == one


def test_sickle_selective_harvest_by_from_until_and_set(site: HarvestSite, schemas: Schemas) -> None:
    sickle = ValidatingSickle(site.endpoint, schemas)
    expected = site.store()
    second = max(d for d, _ in expected.values())
    changed = {i for i, (d, _) in expected.items() if d >= second}
    got = {
        h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False, **{"from": second})
    }
    assert got == changed and 0 < len(changed) < len(expected)
    until = {
        h.identifier
        for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False, until=site.first_datestamp)
    }
    assert until == set(expected) - changed
    sets = [s.setSpec for s in sickle.ListSets()]
    assert "type" in sets and "subject" in sets
    for spec in ("type", "type:report", "subject:exploitation"):
        members = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set=spec, ignore_deleted=False))
        assert members and all(any(s == spec or s.startswith(spec + ":") for s in h.setSpecs) for h in members)


def test_a_second_client_collects_every_record(site: HarvestSite, schemas: Schemas) -> None:
    client = ValidatingPyoai(site.endpoint, schemas)
    assert client.identify().deletedRecord() == "persistent"
    collected = {
        header.identifier(): (header.datestamp().strftime("%Y-%m-%dT%H:%M:%SZ"), header.isDeleted())
        for header, _, _ in client.listRecords(metadataPrefix="oai_dc")
    }
    assert collected == site.store()
    assert client.responses > len(collected) // PAGE_SIZE


def test_conformance_checker_passes_every_check(site: HarvestSite) -> None:
    harvester = Harvester(site.endpoint, Schemas(SCHEMAS))
    report = Checker(harvester).run()
    assert not report.failures, report.summary()
    assert len(report.results) > 500


def test_incremental_harvest_after_a_rebuild(site: HarvestSite, schemas: Schemas) -> None:
    """Change, add and delete records, rebuild in place while serving: exactly those come back."""
    sickle = ValidatingSickle(site.endpoint, schemas)
    before = {
        r.header.identifier: r.header.datestamp
        for r in sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False)
    }
    pages = sorted(site.catalogue.glob("*.txt"))
    changed = pages[1:6]
    for page in changed:
        page.write_text(page.read_text("utf-8").replace("Summary\n", "Summary\nRevised edition.\n\n", 1), "utf-8")
    deleted = {_number(page) for page in pages[10:14]}
    for page in pages[10:14]:
        page.unlink()
    added = site.catalogue.parent / "added"
    generate(3, added, 900001, seed=9)
    for page in added.glob("*.txt"):
        page.rename(site.catalogue / f"added-{page.name}")
    _next_second()
    since = _now()  # the harvester remembers when it last harvested: what follows is new to it
    _next_second()
    build(site.directory, site.catalogue)
    again = {
        r.header.identifier: r
        for r in sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False, **{"from": since})
    }
    numbers = {i.rsplit("/", 1)[1] for i in again}
    assert numbers == {_number(p) for p in changed} | deleted | {str(n) for n in range(900001, 900004)}
    assert deleted == {i.rsplit("/", 1)[1] for i, r in again.items() if r.header.deleted}
    unchanged = {i: d for i, d in before.items() if i not in again}
    assert all(site.store()[i][0] == d for i, d in unchanged.items())  # nothing else moved


def test_identical_rebuild_changes_no_datestamp(site: HarvestSite) -> None:
    before = site.store()
    _next_second()
    build(site.directory, site.catalogue)
    assert site.store() == before


def _number(page: Path) -> str:
    text = page.read_text("utf-8")
    return text.split("Document number\n", 1)[1].split("\n", 1)[0].strip().lstrip("0")


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
