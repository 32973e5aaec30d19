"""The shapes are data for catalogers and the source of truth: every rule says what it checks in
plain words, names a field, and an edited copy of shapes/ changes what validate and build do."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ls_lod.cli import main
from ls_lod.errors import ConfigError
from ls_lod.report import Severity
from ls_lod.validate import shapes as shapes_module
from ls_lod.validate.shapes import ShapeSet, find_shapes_dir
from ls_lod.validate.validator import FieldNames, _fill
from support import ROOT, TEST_DATA, run_cli

BAD = TEST_DATA / "bad"
BASE = "https://lod.lastradainternational.org/"


@pytest.fixture(scope="module")
def shipped() -> ShapeSet:
    return ShapeSet(ROOT / "shapes", BASE)


def test_every_rule_speaks_to_catalogers(shipped: ShapeSet) -> None:
    assert len(shipped.rules) >= 20
    for rule in shipped.rules.values():
        assert rule.name and rule.description and rule.message, rule.id
        assert not re.search(r"https?://\w|urn:|\bsh:", rule.message), rule.id  # no IRIs, no SHACL terms
        assert rule.message[0].islower() or rule.message.startswith("{"), rule.id  # follows "record N, Field: "


def test_severities_follow_the_issue(shipped: ShapeSet) -> None:
    severity = {rule.id: rule.severity for rule in shipped.rules.values()}
    for rule in (
        "number-required",
        "title-required",
        "date-form",
        "date-lexical",
        "keyword-term",
        "concept-scheme",
        "availability-web-address",
        "availability-link",
    ):
        assert severity[rule] is Severity.VIOLATION, rule
    for rule in (
        "keywords-recommended",
        "summary-recommended",
        "date-recommended",
        "concept-not-candidate",
        "title-no-markup",
    ):
        assert severity[rule] is Severity.WARNING, rule
    assert severity["author-recommended"] is Severity.INFO


def test_every_path_is_named_as_a_field(shipped: ShapeSet) -> None:
    names = FieldNames(shipped.paths)
    for rule in shipped.rules.values():
        if rule.path:
            name = names.name(rule.path)
            assert name and "://" not in name and ":" not in name, (rule.id, name)
    assert names.name("http://purl.org/dc/terms/issued") == "Date"
    assert names.name("http://purl.org/dc/terms/publisher") == "Author/publisher"
    assert names.name("http://www.europeana.eu/schemas/edm/isShownBy") == "Availability"
    assert names.name("http://purl.org/dc/terms/language") == "Language"  # shapes/paths.toml
    assert names.name("http://example.org/ns#colour") == "colour"


def test_messages_quote_values() -> None:
    assert _fill("the date {$value} is wrong.", {"value": "soon"}) == 'the date "soon" is wrong.'
    assert _fill("the date {?value} is wrong.", {"value": "soon"}) == 'the date "soon" is wrong.'
    assert _fill("{$this} has no name.", {"this": "Kowalczyk, A.", "value": "x"}) == '"Kowalczyk, A." has no name.'
    assert _fill("the date is wrong.", {"value": "soon"}) == 'the date is wrong. (value: "soon")'
    assert _fill("no date.", {"value": None}) == "no date."


def test_the_shapes_folder_is_found_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    shutil.copytree(ROOT / "shapes", mine)
    assert find_shapes_dir(mine, "ignored") == mine
    assert find_shapes_dir(None, str(mine)) == mine
    monkeypatch.chdir(tmp_path)
    assert find_shapes_dir().resolve() in {ROOT / "shapes", (Path(shapes_module.__file__).parent / "_data" / "shapes")}
    shutil.copytree(ROOT / "shapes", tmp_path / "shapes")
    assert find_shapes_dir() == Path("shapes")
    with pytest.raises(ConfigError, match="does not exist"):
        find_shapes_dir(tmp_path / "nowhere")


def test_a_folder_without_shapes_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no \*\.ttl"):
        ShapeSet(tmp_path, BASE)
    (tmp_path / "empty.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n", "utf-8")
    with pytest.raises(ConfigError, match="no SHACL shapes"):
        ShapeSet(tmp_path, BASE)


def edited_shapes(tmp_path: Path) -> Path:
    """A cataloger's copy of shapes/: Keywords become mandatory, document numbers get a pattern."""
    folder = tmp_path / "shapes"
    shutil.copytree(ROOT / "shapes", folder)
    document = folder / "document.ttl"
    text = document.read_text("utf-8")
    start = text.index("rule:keywords-recommended a sh:PropertyShape")
    end = text.index(" .\n", start)
    block = text[start:end].replace("sh:severity sh:Warning", "sh:severity sh:Violation")
    document.write_text(
        text[:start]
        + block
        + text[end:]
        + """
rule:number-four-digits a sh:PropertyShape ;
    sh:targetClass dcterms:BibliographicResource ;
    sh:path dcterms:identifier ;
    sh:pattern "^[0-9]{4}$" ;
    sh:severity sh:Violation ;
    sh:name "Four-digit document number"@en ;
    sh:description "Our document numbers have four digits."@en ;
    sh:message "the document number {$value} does not have four digits; check it against the catalogue."@en .
""",
        "utf-8",
    )
    return folder


@pytest.mark.slow
def test_validate_follows_edited_shapes_without_code_changes(tmp_path: Path) -> None:
    folder = edited_shapes(tmp_path)
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(BAD / "no_keywords.txt", pages)
    (pages / "long_number.txt").write_text((BAD / "no_date.txt").read_text("utf-8").replace("9118", "91180"), "utf-8")
    assert CliRunner().invoke(main, ["validate", str(pages)]).exit_code == 0  # shipped shapes: warnings only
    result = CliRunner().invoke(main, ["validate", str(pages), "--shapes", str(folder), "--format", "json"])
    assert result.exit_code == 1, result.output
    records = {Path(r["source"]).name: r for r in json.loads(result.output)["records"]}
    [keywords] = [i for i in records["no_keywords.txt"]["issues"] if i["field"] == "Keywords"]
    assert (keywords["severity"], keywords["rule"]) == ("Violation", "keywords-recommended")
    [number] = [i for i in records["long_number.txt"]["issues"] if i["rule"] == "number-four-digits"]
    assert number["field"] == "Document number" and number["severity"] == "Violation"
    assert number["message"] == 'the document number "91180" does not have four digits; check it against the catalogue.'
    assert number["location"].endswith("long_number.txt:6")
    assert records["no_keywords.txt"]["status"] == records["long_number.txt"]["status"] == "held back"


@pytest.mark.slow
def test_build_follows_edited_shapes_too(tmp_path: Path) -> None:
    folder = edited_shapes(tmp_path)
    out = tmp_path / "site"
    result = run_cli(
        "build",
        str(BAD / "no_keywords.txt"),
        str(BAD / "no_summary.txt"),
        "--out",
        str(out),
        "--set",
        f"shapes_dir={folder}",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    report = {Path(r["source"]).name: r for r in json.loads((out / "report.json").read_text("utf-8"))["records"]}
    assert report["no_keywords.txt"]["status"] == "held back"
    assert report["no_summary.txt"]["status"] == "published with warnings"
    dump = (out / "dataset.nt").read_text("utf-8")
    assert "/id/document/9117>" in dump and "/id/document/9116>" not in dump
