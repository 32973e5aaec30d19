"""Issue 11: one record of each hostile kind in one catalogue. Each used to abort the build (a
traceback and nothing published) or to lose or change data silently; now every other record is
published and each hostile one is listed in report.json with its reason, exit code 1."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import rdflib

from ls_lod import exporters
from ls_lod.store.catalog import CatalogStore
from support import DATA, TEST_DATA, run_cli

pytestmark = pytest.mark.slow

BASE = (TEST_DATA / "bad" / "url_with_spaces.txt").read_text("utf-8")
ZWJ_TITLE = "Voices of survivors 🙋\u200d♀️ and the ZWNJ of Persian: می\u200cخواهم"


def page(number: str, **changes: str) -> str:
    """The base record page of tests/data/bad with one field's line replaced."""
    text = BASE.replace("9114", number, 1).replace("https://example.org/some file.pdf", "Available at the office")
    for label, value in changes.items():
        label = label.replace("_", " ")
        lines = text.split("\n")
        index = lines.index(label) + 1
        lines[index] = value
        text = "\n".join(lines)
    return text


PAGES = {
    # an Availability the graph's IRI check refused (ValueError: Invalid IRI): now percent-encoded
    "9201": page("9201", Availability='https://example.org/a"b<c>[d]\\e%ZZ{f}.pdf'),
    "9202": page("9202", Availability="https://[::1"),  # Invalid IPv6 URL: now a Violation
    "9203": page("9203", Date="0000"),  # year 0 is out of range: now a warning, no date
    "9204": page("9204", Title=ZWJ_TITLE),  # ZWJ was folded to a space
    "9205": page("9205", Keywords=", ".join(f"pasted word {i}" for i in range(600))),
}
# the Document number label twice, with two numbers: identity ambiguous
PAGES["9206"] = page("9206").replace("Date\n", "Document number\n9999\nDate\n", 1)
# Arabic-Indic digits beside 3039 (IntegrityError before), and alone (a 500 on its page before)
PAGES["arabic_3039"] = page("٣٠٣٩")
PAGES["arabic_9207"] = page("٩٢٠٧")

JSONL = [
    '{"document_number": "9301", "title": ' + "[" * 5000 + "]" * 5000 + "}",  # RecursionError before
    '{"document_number": "9302", "date": ' + "7" * 5000 + "}",  # ValueError (int digits) before
    '{"document_number": "9303", "title": {"nested": "obj"}, "date": "2014"}',  # was "{'nested': 'obj'}"
    '{"document_number": "9304", "title": "A good JSON record", "date": "2014", "document_types": "Report",'
    ' "keywords": ["human trafficking"], "summary": "Fine.", "author_publisher": "CoMensha"}',
]
CSV_HEADER = "document_number,date,title,author_publisher,availability,document_types,keywords,summary"
CSV = [
    CSV_HEADER,
    '9410,2014,"A closed title",CoMensha,,Report,human trafficking,"Short.",an extra cell',  # dropped before
    '9401,2014,"A title whose quote is never closed,CoMensha,,Report,human trafficking,Short.',
    *(f"94{n:02d},2014,Swallowed record {n},CoMensha,,Report,human trafficking,Short." for n in range(2, 10)),
]


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path, dict[str, list[dict]]]:
    root = tmp_path_factory.mktemp("hostile")
    pages = root / "pages"
    shutil.copytree(DATA, pages)
    for name, text in PAGES.items():
        (pages / f"{name}.txt").write_text(text, "utf-8")
    (pages / "hostile.jsonl").write_text("\n".join(JSONL) + "\n", "utf-8")
    # the unbalanced quote swallows the rows after it to the end of the file
    (pages / "hostile.csv").write_text("\n".join(CSV) + "\n", "utf-8")
    out = root / "site"
    result = run_cli("build", str(pages), "--out", str(out))
    report = json.loads((out / "report.json").read_text("utf-8"))
    by_source: dict[str, list[dict]] = {}
    for entry in report["records"]:
        name = re.sub(r":\d+$", "", entry["source"].rsplit("/", 1)[-1])
        by_source.setdefault(name, []).append(entry)
    return result, out, by_source


def rules(entry: dict) -> set[str]:
    return {issue["rule"] for issue in entry["issues"]}


def test_the_build_goes_on_and_publishes_every_other_record(hostile_build: tuple) -> None:
    result, _out, by_source = hostile_build
    assert result.returncode == 1, result.stderr
    stage_lines = [line for line in result.stderr.splitlines() if line.startswith("ls-lod build: ")]
    assert "Traceback" not in result.stderr and result.stderr.splitlines() == stage_lines
    for name in (p.name for p in DATA.glob("*.txt")):
        [entry] = by_source[name]
        assert entry["status"].startswith("published"), entry
    assert " withdrawn" in result.stdout.splitlines()[0]


def test_links_that_are_no_iri_are_encoded_or_refused(hostile_build: tuple) -> None:
    _, out, by_source = hostile_build
    [encoded] = by_source["9201.txt"]
    assert encoded["status"] == "published with warnings" and "availability-encoded" in rules(encoded)
    graph = rdflib.Graph().parse(out / "dataset.nt", format="nt")
    links = {str(o) for o in graph.objects(None, rdflib.URIRef("http://purl.org/dc/terms/hasFormat"))}
    assert "https://example.org/a%22b%3Cc%3E%5Bd%5D%5Ce%25ZZ%7Bf%7D.pdf" in links
    [ipv6] = by_source["9202.txt"]
    assert ipv6["status"] == "held back" and "availability-url" in rules(ipv6)
    assert "https://[::1" in ipv6["issues"][0]["message"]


def test_year_zero_is_an_impossible_date(hostile_build: tuple) -> None:
    _, out, by_source = hostile_build
    [entry] = by_source["9203.txt"]
    assert entry["status"] == "published with warnings" and rules(entry) == {"date-invalid"}
    graph = rdflib.Graph().parse(out / "dataset.nt", format="nt")
    document = rdflib.URIRef("https://lod.lastradainternational.org/id/document/9203")
    assert (document, rdflib.URIRef("http://purl.org/dc/terms/issued"), None) not in graph


def test_zero_width_joiners_survive_every_output(hostile_build: tuple) -> None:
    _, out, by_source = hostile_build
    assert by_source["9204.txt"][0]["status"] == "published"
    for name in ("dataset.nt", "dataset.ttl", "dataset.jsonld"):
        text = (out / name).read_text("utf-8")
        if name == "dataset.nt":  # N-Triples may escape non-ASCII; compare the parsed literal
            text = str(rdflib.Graph().parse(out / name, format="nt").serialize(format="nt", encoding="utf-8"), "utf-8")
        assert "🙋\u200d♀️" in text and "می\u200cخواهم" in text, name
    store = CatalogStore.open(out, readonly=True)
    try:
        for fmt in exporters.RECORD_FORMATS:
            payload = store.payload("9204", fmt) or ""
            assert "🙋\u200d♀️" in payload or "&#8205;" in payload or "\\u200d" in payload, fmt
    finally:
        store.close()


def test_too_many_keywords_hold_the_record_back(hostile_build: tuple) -> None:
    [entry] = hostile_build[2]["9205.txt"]
    assert entry["status"] == "held back" and "too-many-values" in rules(entry)
    assert "600" in next(i["message"] for i in entry["issues"] if i["rule"] == "too-many-values")


def test_two_document_numbers_are_a_violation_naming_both(hostile_build: tuple) -> None:
    [entry] = hostile_build[2]["9206.txt"]
    [issue] = [i for i in entry["issues"] if i["rule"] == "duplicate-label"]
    assert entry["status"] == "held back" and issue["severity"] == "Violation"
    assert '"9206"' in issue["message"] and '"9999"' in issue["message"]


def test_other_digits_are_published_as_ascii(hostile_build: tuple) -> None:
    _, out, by_source = hostile_build
    [beside] = by_source["arabic_3039.txt"]
    assert beside["number"] == "3039" and "number-duplicate" in rules(beside)
    [alone] = by_source["arabic_9207.txt"]
    assert alone["number"] == "9207" and alone["status"] == "published with warnings"
    assert "number-digits" in rules(alone)
    store = CatalogStore.open(out, readonly=True)
    try:
        assert store.payload("9207", "ntriples") is not None
    finally:
        store.close()


def test_hostile_json_lines_are_reported_line_by_line(hostile_build: tuple) -> None:
    entries = hostile_build[2]["hostile.jsonl"]
    lines = {int(e["source"].rsplit(":", 1)[1]): e for e in entries}
    assert "nested too deeply" in lines[1]["issues"][0]["message"]
    assert "5000 digits" in lines[2]["issues"][0]["message"]
    assert lines[3]["status"] == "held back" and "jsonl-value" in rules(lines[3])
    assert "a JSON object" in lines[3]["issues"][0]["message"]
    assert lines[4]["status"].startswith("published")


def test_a_runaway_csv_quote_names_the_rows_it_swallowed(hostile_build: tuple) -> None:
    extra, runaway = hostile_build[2]["hostile.csv"]
    assert extra["status"] == "held back" and "csv-extra-cells" in rules(extra)
    assert '"an extra cell"' in extra["issues"][0]["message"]
    [issue] = [i for i in runaway["issues"] if i["rule"] == "csv-runaway-quote"]
    assert runaway["status"] == "held back" and "lines 4-11" in issue["message"]
    assert "8 line(s)" in issue["message"] and issue["location"].endswith(":3")
