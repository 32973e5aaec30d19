"""The build engine: the same outputs whatever the processes and batches, rebuilds that reuse
what did not change, one build at a time in a directory, and an interrupt that is one line."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, run_cli

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
DUMPS = ("dataset.nt", "dataset.ttl", "dataset.jsonld", "void.ttl")


def generate(target: Path, count: int, *extra: str) -> Path:
    subprocess.run(
        [sys.executable, str(DATA.parent / "bench" / "generate.py"), str(count), "--format", "jsonl"]
        + ["--out", str(target), "--quiet", *extra],
        check=True,
    )
    return target


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("engine") / "catalogue.jsonl", 300, "--bad-rate", "0.1")


def build(source: Path, out: Path, *settings: str, env: dict[str, str] | None = None) -> None:
    args = [arg for setting in settings for arg in ("--set", setting)]
    result = run_cli("build", str(source), "--out", str(out), *args, env={**EPOCH, **(env or {})})
    assert result.returncode in (0, 1) and " records: " in result.stdout, result.stderr


def store_rows(out: Path) -> dict[str, object]:
    """Everything the store serves: payloads, datestamps and sets, by record."""
    with sqlite3.connect(out / "catalog.sqlite") as db:
        return {
            "payloads": sorted(db.execute("SELECT number, format, content FROM payload")),
            "records": sorted(db.execute("SELECT number, datestamp, deleted FROM record")),
            "sets": sorted(db.execute("SELECT set_spec, number FROM record_set")),
        }


def test_outputs_are_the_same_for_any_processes_and_batch_size(catalogue: Path, tmp_path: Path) -> None:
    """The rdf payload of a record using a candidate keyword carries the candidates scheme
    whichever process met the candidate first (it used to depend on that)."""
    seen = []
    for processes, batch in (("1", "40"), ("2", "40"), ("1", "300")):
        out = tmp_path / f"site-{processes}-{batch}"
        build(catalogue, out, f"build_processes={processes}", f"validation_batch_size={batch}")
        seen.append((store_rows(out), {name: (out / name).read_bytes() for name in DUMPS}))
    assert seen[0] == seen[1] == seen[2]
    payloads = [content for _, fmt, content in seen[0][0]["payloads"] if fmt == "rdfxml"]  # type: ignore[union-attr]
    with_candidates = [text for text in payloads if "/keywords/candidates" in text]
    assert with_candidates and all("skos:ConceptScheme" in text or "ConceptScheme" in text for text in with_candidates)
