"""`ls-lod build` publishes only records without violations, and a record that breaks a rule
after it was published keeps its last good version online until it is fixed (two real builds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import TEST_DATA, run_cli

pytestmark = [pytest.mark.slow]

BAD = TEST_DATA / "bad"
GOOD = TEST_DATA / "good"


def report(out: Path) -> dict[str, dict]:
    records = json.loads((out / "report.json").read_text("utf-8"))["records"]
    return {Path(r["source"]).name: r for r in records}


def test_only_records_without_violations_are_published(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_cli("build", str(BAD), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    found = report(out)
    dump = (out / "dataset.nt").read_text("utf-8")
    held = {"missing_title.txt": "9102", "javascript_link.txt": "9112"}
    for name, number in held.items():
        assert found[name]["status"] == "held back", found[name]
        assert f"/id/document/{number}>" not in dump
    [reason] = [i for i in found["missing_title.txt"]["issues"] if i["severity"] == "Violation"]
    assert (reason["field"], reason["rule"]) == ("Title", "title-required")
    for name, number in {"markup_in_title.txt": "9111", "no_keywords.txt": "9116", "no_date.txt": "9118"}.items():
        assert found[name]["status"] == "published with warnings", found[name]
        assert f"/id/document/{number}>" in dump


def test_a_record_that_breaks_a_rule_keeps_its_last_good_version(tmp_path: Path) -> None:
    pages, out = tmp_path / "pages", tmp_path / "site"
    pages.mkdir()
    page = pages / "9001.txt"
    original = (GOOD / "date_year.txt").read_text("utf-8")
    title = "Trafficking in human beings, labour exploitation and the role of trade unions"
    page.write_text(original, "utf-8")
    first = run_cli("build", str(pages), "--out", str(out))
    assert first.returncode == 0, first.stdout + first.stderr
    assert title in (out / "dataset.nt").read_text("utf-8")

    broken = original.replace(f"\n\n{title}\n", "\n\n\n").replace(f"Title\n{title}\n", "")
    assert "Title\n" not in broken.split("Document number")[1]
    page.write_text(broken, "utf-8")
    second = run_cli("build", str(pages), "--out", str(out))
    assert second.returncode == 1
    assert "1 keep their last good version" in second.stdout
    [record] = report(out).values()
    assert record["status"] == "held back, last good version still published"
    assert any(i["rule"] == "title-required" for i in record["issues"])
    assert title in (out / "dataset.nt").read_text("utf-8"), "the last good version stays published"

    page.write_text(original.replace(title, title + " (revised)"), "utf-8")
    third = run_cli("build", str(pages), "--out", str(out))
    assert third.returncode == 0
    assert title + " (revised)" in (out / "dataset.nt").read_text("utf-8")


def test_records_without_a_number_are_held_back_whole_and_never_published(tmp_path: Path) -> None:
    """Typed under a stand-in number so that all their problems are reported, with a worker
    process converting some of them: each is held back with its own problems, none is taken
    for another's number, and nothing is published under the stand-in."""
    base = [json.loads(line) for line in (GOOD / "catalogue.jsonl").read_text("utf-8").splitlines()]
    good = [dict(record, document_number=str(8000 + i)) for i, record in enumerate(base * 4)]
    numberless = [dict(r, document_number="", title="" if i % 2 else r["title"]) for i, r in enumerate(good)]
    source = tmp_path / "catalogue.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [*good, *numberless]), "utf-8")
    out = tmp_path / "site"
    settings = ("--set", "build_processes=2", "--set", "validation_batch_size=5")
    result = run_cli("build", str(source), "--out", str(out), *settings)
    assert result.returncode == 1, result.stdout + result.stderr
    records = json.loads((out / "report.json").read_text("utf-8"))["records"]
    assert [r["status"] for r in records[: len(good)]].count("held back") == 0
    for i, found in enumerate(records[len(good) :]):
        rules = sorted(issue["rule"] for issue in found["issues"] if issue["severity"] == "Violation")
        assert found["status"] == "held back" and found["number"] is None, found
        assert rules == (["number-missing", "title-required"] if i % 2 else ["number-missing"]), found
    dump = (out / "dataset.nt").read_text("utf-8")
    assert "/id/document/0>" not in dump
    summary = json.loads((out / "report.json").read_text("utf-8"))["summary"]
    assert (summary["published"], summary["held_back"]) == (len(good), len(numberless))
