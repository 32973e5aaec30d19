"""`ls-lod validate` through click's runner and as a real subprocess: formats, exit codes,
every input in the report, and an HTML report that escapes what the catalogue holds."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from ls_lod.cli import main
from ls_lod.report import Issue, Location, Severity
from ls_lod.validate.report_formats import RecordReport, write_report
from support import DATA, TEST_DATA, run_cli

BAD = TEST_DATA / "bad"
GOOD = TEST_DATA / "good"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.output


def inputs_of(directory: Path) -> set[str]:
    return {str(path) for path in directory.iterdir() if path.is_file()}


@pytest.fixture(scope="module")
def bad_json() -> dict:
    code, output = invoke(str(BAD), "--format", "json")
    assert code == 1
    return json.loads(output)


def test_text_groups_problems_by_record_and_names_every_input() -> None:
    code, output = invoke(str(BAD))
    assert code == 1
    assert ("bad/missing_title.txt: record 9102, held back\n  Violation Title: the record has no title") in output
    assert "bad/missing_number.txt: record without a number, held back\n" in output
    assert "bad/empty.txt: no record, held back\n" in output
    for path in inputs_of(BAD):
        assert path.split("tests/", 1)[1] in output, path
    assert "\x1b[" not in output  # no colour codes when the output is not a terminal
    assert output.rstrip().splitlines()[-1].startswith(f"{len(inputs_of(BAD))} inputs:")


def test_text_is_coloured_only_when_asked() -> None:
    report = RecordReport(
        "1",
        "a.txt",
        "held back",
        (Issue("1", "Title", Severity.VIOLATION, "the record has no title.", Location("a.txt")),),
    )
    plain, coloured = io.StringIO(), io.StringIO()
    write_report("text", [report], plain)
    write_report("text", [report], coloured, colour=True)
    assert "\x1b[" not in plain.getvalue() and "\x1b[31m" in coloured.getvalue()


def test_json_lists_every_input_with_its_status_and_issues(bad_json: dict) -> None:
    sources = {record["source"] for record in bad_json["records"]}
    assert {Path(s).name for s in sources} == {Path(p).name for p in inputs_of(BAD)}
    by_name = {Path(r["source"]).name: r for r in bad_json["records"]}
    assert by_name["missing_title.txt"]["status"] == "held back"
    [issue] = by_name["missing_title.txt"]["issues"]
    assert issue == {
        "doc_no": "9102",
        "field": "Title",
        "severity": "Violation",
        "rule": "title-required",
        "message": issue["message"],
        "location": str(BAD / "missing_title.txt"),
    }
    assert by_name["nbsp_keywords.txt"] == {
        "number": "9119",
        "source": str(BAD / "nbsp_keywords.txt"),
        "status": "published",
        "issues": [],
    }
    assert bad_json["summary"]["severities"]["Violation"] >= 6
    assert bad_json["summary"]["fields"]["Title"]["Violation"] == 1


def test_csv_has_one_row_per_problem_and_one_for_each_clean_record() -> None:
    code, output = invoke(str(BAD), "--format", "csv")
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(output)))
    assert list(rows[0]) == ["source", "number", "status", "severity", "field", "message", "location", "rule"]
    assert {Path(r["source"]).name for r in rows} == {Path(p).name for p in inputs_of(BAD)}
    date = next(r for r in rows if r["source"].endswith("invalid_date.txt"))
    assert [date[k] for k in ("number", "field", "severity", "rule")] == ["9104", "Date", "Warning", "date-invalid"]
    assert date["location"].endswith("invalid_date.txt:8") and "2014-13-45" in date["message"]
    clean = [r for r in rows if r["source"].endswith("nbsp_keywords.txt")]
    assert len(clean) == 1 and clean[0]["severity"] == "" and clean[0]["status"] == "published"


def test_html_report_is_self_contained_escaped_and_counts_right(tmp_path: Path, bad_json: dict) -> None:
    target = tmp_path / "report.html"
    code, _ = invoke(str(BAD), "--format", "html", "--output", str(target))
    assert code == 1
    text = target.read_text("utf-8")
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    page = lxml.html.fromstring(text)
    assert not page.xpath("//script") and not page.xpath("//link[@rel='stylesheet']")
    assert not page.xpath("//*[@src]"), "nothing is loaded from elsewhere"
    assert page.xpath("//meta[@name='viewport']")
    severity_table = page.xpath("//table[caption='Problems by severity']")[0]
    counts = {row.xpath("string(th)").strip(): int(row.xpath("string(td)")) for row in severity_table.xpath(".//tr")}
    assert counts == bad_json["summary"]["severities"]
    field_rows = page.xpath("//table[caption='Problems by field']//tbody/tr/th/text()")
    assert {"Title", "Date", "Keywords", "Document number"} <= set(field_rows)
    held = page.xpath("//section[h2[@id='held-back']]//article/h3/text()")
    assert "Record 9102" in held and "Record 9112" in held
    title_issue = page.xpath("//article[h3='Record 9111']//li")[0]
    assert "<script>alert(1)</script>" in title_issue.text_content()  # shown as text, literally
    assert page.xpath("//article[h3='Record 9111']//details/summary[contains(., 'Title without web markup')]")


@pytest.mark.slow
def test_fail_on_warning_is_stricter() -> None:
    warned = str(BAD / "no_summary.txt")
    assert invoke(warned)[0] == 0
    assert invoke(warned, "--fail-on", "warning")[0] == 1
    assert invoke(*[str(p) for p in sorted(GOOD.glob("*.txt"))], "--fail-on", "warning")[0] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--set", "no_such_setting=1"],
        ["--shapes", "/nonexistent/shapes"],
        ["--format", "pdf"],
        ["--config", "/nonexistent/ls-lod.toml"],
    ],
)
def test_usage_and_configuration_errors_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["validate", str(BAD / "no_date.txt"), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_broken_shapes_are_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "broken.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nthis is not turtle", "utf-8")
    result = CliRunner().invoke(main, ["validate", str(BAD / "no_date.txt"), "--shapes", str(tmp_path)])
    assert result.exit_code == 2
    assert "broken.ttl" in result.output and "cannot be read" in result.output


@pytest.mark.slow
def test_as_a_real_subprocess(tmp_path: Path) -> None:
    result = run_cli("validate", str(BAD), str(DATA), "--format", "json", "--output", str(tmp_path / "r.json"))
    assert result.returncode == 1, result.stderr
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert len(report["records"]) == len(inputs_of(BAD)) + len(inputs_of(DATA))
    clean = run_cli("validate", str(DATA))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "published" in clean.stdout.splitlines()[-1]
    usage = run_cli("validate", str(DATA), "--set", "validation_engine=fastest")
    assert usage.returncode == 2 and "available: pyshacl, shacl" in usage.stderr
