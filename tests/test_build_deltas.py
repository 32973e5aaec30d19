"""Issue 10, a rebuild's cost grows with the change: the store commits in bounded steps, and the
browse index and the SPARQL store of a rebuild are the live ones with the changed records'
rows and triples replaced, answering exactly as those of a build from scratch."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from ls_lod.build import driver
from ls_lod.convert.context import conversion_for
from ls_lod.model import Outcome
from ls_lod.settings import Settings
from support import ROOT


def generate(target: Path, count: int) -> Path:
    command = [sys.executable, str(ROOT / "bench" / "generate.py"), str(count), "--format", "jsonl"]
    subprocess.run([*command, "--out", str(target), "--quiet"], check=True)
    return target


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("deltas") / "catalogue.jsonl", 120)


def test_the_store_commits_in_bounded_steps_while_the_build_runs(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half-way through, another connection already sees records of the new generation's store
    (before: one transaction for the whole build, and a WAL that grew with the catalogue)."""
    monkeypatch.setattr(driver._Publisher, "BATCH", 10)
    monkeypatch.setattr(driver._Publisher, "COMMIT_RECORDS", 30)
    out = tmp_path / "site"
    seen: list[int] = []

    def watching(items: Iterable[Outcome]) -> Iterator[Outcome]:
        for index, item in enumerate(items):
            if index == 80:
                (generation,) = (out / "generations").iterdir()
                with sqlite3.connect(f"file:{generation / 'catalog.sqlite'}?mode=ro", uri=True) as db:
                    seen.append(db.execute("SELECT count(*) FROM record").fetchone()[0])
            yield item

    conversion = conversion_for(Settings.load())
    summary = driver.build([str(catalogue)], out, conversion, progress=watching)
    assert summary.published > 80
    assert seen and 30 <= seen[0] <= 80
