"""LS_LOD_CACHE_DIR: one parsed copy of the vocabulary for every build directory, the worker
processes and `ls-lod validate`, instead of one DIR/.cache per build directory (where each new
directory parsed vocab/ again, two to four seconds)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import DATA, TEST_DATA, run_cli
from ls_lod.convert.vocabulary_cache import SHARED_CACHE


def copies(folder: Path) -> dict[str, tuple[int, int]]:
    """The cache's files, each with what changes when it is written again (inode, mtime)."""
    return {p.name: (os.stat(p).st_ino, os.stat(p).st_mtime_ns) for p in sorted(folder.iterdir())}


def test_builds_into_other_directories_read_the_one_copy_and_keep_no_cache_of_their_own(tmp_path: Path) -> None:
    shared = {SHARED_CACHE: str(tmp_path / "cache")}
    first = run_cli("build", str(DATA), "--out", str(tmp_path / "a"), env=shared)
    assert first.returncode == 0, first.stderr
    kept = copies(tmp_path / "cache")
    assert {name.split("-")[0] for name in kept} == {"vocabulary", "terms", "ntriples", "language"}

    # another directory, another setting that does not reach the vocabulary, and two processes
    settings = ["--set", "oai_page_size=7", "--set", "build_processes=2", "--set", "validation_batch_size=10"]
    second = run_cli("build", str(DATA), "--out", str(tmp_path / "b"), *settings, env=shared)
    assert second.returncode == 0, second.stderr
    assert copies(tmp_path / "cache") == kept  # read, not parsed and written again
    assert not (tmp_path / "a" / ".cache").exists() and not (tmp_path / "b" / ".cache").exists()
    report = json.loads((tmp_path / "b" / "report.json").read_text("utf-8"))
    assert (
        report["summary"]["published"]
        == json.loads((tmp_path / "a" / "report.json").read_text("utf-8"))["summary"]["published"]
    )


def test_validate_reads_the_copy_the_builds_keep(tmp_path: Path) -> None:
    shared = {SHARED_CACHE: str(tmp_path / "cache")}
    record = str(TEST_DATA / "bad" / "no_summary.txt")
    assert run_cli("build", str(DATA), "--out", str(tmp_path / "a"), env=shared).returncode == 0
    kept = copies(tmp_path / "cache")
    with_copy = run_cli("validate", record, "--format", "json", env=shared)
    assert copies(tmp_path / "cache") == kept
    without = run_cli("validate", record, "--format", "json", env={SHARED_CACHE: ""})
    assert with_copy.returncode == without.returncode == 0
    assert json.loads(with_copy.stdout) == json.loads(without.stdout)


def test_a_broken_vocabulary_is_still_a_configuration_error_for_validate(tmp_path: Path) -> None:
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    (vocab / "keywords.ttl").write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\nnot turtle", "utf-8")
    result = run_cli("validate", str(TEST_DATA / "bad" / "no_summary.txt"), "--vocab", str(vocab))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "keywords.ttl" in result.stderr
