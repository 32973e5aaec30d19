"""Each fixture of tests/data gets the outcome and names the field tests/data/README.md expects.

Records are read, converted and validated exactly as `ls-lod validate` and `build` do
(pipeline.outcomes + pipeline.validated + the shapes in shapes/).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ls_lod.build.pipeline import outcomes, validated
from ls_lod.convert.context import conversion_for
from ls_lod.model import Outcome, status
from ls_lod.report import Severity
from ls_lod.settings import Settings
from ls_lod.validate.validator import validator_for
from support import DATA, TEST_DATA

BAD = TEST_DATA / "bad"
GOOD = TEST_DATA / "good"
HELD, WARNED, PUBLISHED = "held back", "published with warnings", "published"

# file -> (expected outcome, fields the report must name), from tests/data/README.md
EXPECTED: dict[str, tuple[str, tuple[str | None, ...]]] = {
    "missing_number.txt": (HELD, ("Document number",)),
    "non_numeric_number.txt": (HELD, ("Document number",)),
    "missing_title.txt": (HELD, ("Title",)),
    "title_only_in_header.txt": (WARNED, ("Title",)),
    "invalid_date.txt": (WARNED, ("Date",)),
    "future_date.txt": (WARNED, ("Date",)),
    "unknown_label.txt": (WARNED, ("Language",)),
    "keyword_url.txt": (WARNED, ("Keywords",)),
    "keyword_too_long.txt": (WARNED, ("Keywords",)),
    "control_characters.txt": (WARNED, ("Summary",)),  # U+000B in the Title is a space, at most a notice
    "unknown_doctype.txt": (WARNED, ("Document type(s)",)),
    "markup_in_title.txt": (WARNED, ("Title",)),
    "javascript_link.txt": (HELD, ("Availability",)),
    "relative_link.txt": (WARNED, ("Availability",)),
    "url_with_spaces.txt": (WARNED, ("Availability",)),
    "summary_paragraph_equals_label.txt": (PUBLISHED, ()),
    "no_keywords.txt": (WARNED, ("Keywords",)),
    "no_summary.txt": (WARNED, ("Summary",)),
    "no_date.txt": (WARNED, ("Date",)),
    "nbsp_keywords.txt": (PUBLISHED, ()),
    "duplicate_keywords.txt": (PUBLISHED, ()),
    "latin1.txt": (WARNED, (None,)),
}
SEVERITY = {HELD: Severity.VIOLATION, WARNED: Severity.WARNING}


def run(
    sources: list[Path | str], overrides: tuple[str, ...] = (), shapes: Path | None = None, vocab: Path | None = None
) -> list[Outcome]:
    settings = Settings.load(overrides=overrides, environ={})
    conversion = conversion_for(settings, str(vocab) if vocab else None)
    validator = validator_for(conversion, shapes)
    return list(validated(outcomes([str(s) for s in sources], conversion), validator, settings.validation_batch_size))


@pytest.fixture(scope="module")
def bad() -> dict[str, Outcome]:
    return {Path(o.location.source).name: o for o in run([BAD])}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture_gets_the_expected_outcome_and_field(bad: dict[str, Outcome], name: str) -> None:
    outcome = bad[name]
    expected, field_names = EXPECTED[name]
    assert status(outcome) == expected, [str(i) for i in outcome.issues]
    if expected == PUBLISHED:
        assert all(i.severity is Severity.INFO for i in outcome.issues), [str(i) for i in outcome.issues]
    for field_name in field_names:
        assert any(i.field == field_name and i.severity is SEVERITY[expected] for i in outcome.issues), (
            field_name,
            [str(i) for i in outcome.issues],
        )


def test_duplicate_number_holds_back_the_second_and_names_the_first(bad: dict[str, Outcome]) -> None:
    first, second = bad["duplicate_number_a.txt"], bad["duplicate_number_b.txt"]
    assert status(first) == PUBLISHED
    assert status(second) == HELD
    violation = next(i for i in second.issues if i.severity is Severity.VIOLATION)
    assert violation.field == "Document number"
    assert "duplicate_number_a.txt" in violation.message
    assert violation.location is not None and violation.location.source.endswith("duplicate_number_b.txt")


def test_two_records_with_one_number_are_validated_apart(tmp_path: Path) -> None:
    """Two records with one number would be one node of the data graph: the second's title would
    stand in for the first's, and their two dates would break "one date". Each is validated on its
    own: the first is held back for its missing title, the second for its number alone."""
    first = json.loads((GOOD / "catalogue.jsonl").read_text("utf-8").splitlines()[0])
    second = dict(first, date="2015", title="Another document under the same number")
    source = tmp_path / "twice.jsonl"
    source.write_text(json.dumps(dict(first, title="")) + "\n" + json.dumps(second) + "\n", "utf-8")
    untitled, duplicate = run([source])
    violations = [(i.field, i.rule) for i in untitled.issues if i.severity is Severity.VIOLATION]
    assert status(untitled) == HELD and violations == [("Title", "title-required")]
    assert [i.rule for i in duplicate.issues if i.severity is Severity.VIOLATION] == ["number-duplicate"]


def test_unknown_document_type_is_reported_and_the_known_one_kept(bad: dict[str, Outcome]) -> None:
    outcome = bad["unknown_doctype.txt"]
    [warning] = [i for i in outcome.issues if i.field == "Document type(s)"]
    assert '"human trafficking"' in warning.message and warning.severity is Severity.WARNING
    assert outcome.record is not None and [d.label for d in outcome.record.doctypes] == ["Report"]


def test_control_characters_never_reach_the_record(bad: dict[str, Outcome]) -> None:
    outcome = bad["control_characters.txt"]
    assert outcome.record is not None and outcome.record.title and outcome.record.summary
    assert "\x0b" not in outcome.record.title and "trafficked persons" in outcome.record.title
    assert "\x01" not in outcome.record.summary
    assert all(i.severity is Severity.INFO for i in outcome.issues if i.field == "Title")


def test_unreadable_files_are_reported_and_nothing_is_published(bad: dict[str, Outcome]) -> None:
    [binary] = run([BAD / "binary.bin"])
    for outcome in (binary, bad["empty.txt"]):
        assert outcome.record is None and outcome.issues
        assert status(outcome) in (HELD, "skipped")
    assert status(bad["binary.bin"]) == "skipped"  # met in a directory walk: skipped by its extension


def test_messages_quote_the_bad_value_and_point_at_the_line(bad: dict[str, Outcome]) -> None:
    [date] = [i for i in bad["invalid_date.txt"].issues if i.field == "Date"]
    assert '"2014-13-45"' in date.message and str(date.location).endswith("invalid_date.txt:8")
    [markup] = [i for i in bad["markup_in_title.txt"].issues if i.field == "Title"]
    assert '"<script>alert(1)</script> Assistance' in markup.message
    assert markup.rule == "title-no-markup" and str(markup.location).endswith("markup_in_title.txt:10")
    [long] = [i for i in bad["keyword_too_long.txt"].issues if i.field == "Keywords"]
    assert len(long.message) < 400  # quoted shortened, not the 2,000 characters
    [title] = [i for i in bad["missing_title.txt"].issues if i.severity is Severity.VIOLATION]
    assert title.rule == "title-required" and "no title" in title.message


def test_shape_results_are_not_said_twice(bad: dict[str, Outcome]) -> None:
    """An impossible date is one warning (the converter's), not that plus "no date"."""
    dates = [i for i in bad["invalid_date.txt"].issues if i.field == "Date"]
    assert [i.rule for i in dates] == ["date-invalid"]
    assert [i.rule for i in bad["no_date.txt"].issues] == ["date-recommended"]


def test_good_pages_are_published_without_remarks() -> None:
    found = run(sorted(GOOD.glob("*.txt")))
    assert len(found) == 8
    for outcome in found:
        assert status(outcome) == PUBLISHED and not outcome.issues, [str(i) for i in outcome.issues]


@pytest.mark.parametrize("engine", ["pyshacl", "shacl"])
def test_whole_corpus_validates_without_crashing_and_fields_are_names(engine: str) -> None:
    found = run([BAD, GOOD, DATA], overrides=(f"validation_engine={engine}",))
    assert len(found) > 90
    for outcome in found:
        for issue in outcome.issues:
            assert issue.field is None or "://" not in issue.field
            assert issue.message and issue.rule


def test_a_candidate_keyword_is_reported_once_under_keywords(tmp_path: Path) -> None:
    page = (
        (BAD / "no_keywords.txt")
        .read_text("utf-8")
        .replace("Report,\nSummary", "Report,\nKeywords\nhuman trafficking, zebra crossings\nSummary")
    )
    (tmp_path / "candidate.txt").write_text(page, "utf-8")
    [outcome] = run([tmp_path / "candidate.txt"])
    keyword = [i for i in outcome.issues if i.field == "Keywords"]
    assert len(keyword) == 1 and "zebra crossings" in keyword[0].message
    assert keyword[0].severity is Severity.WARNING and status(outcome) == WARNED


def _rules(outcome: Outcome) -> set[tuple[str | None, str]]:
    return {(i.field, i.rule) for i in outcome.issues}


def test_a_record_without_a_usable_number_is_checked_whole(tmp_path: Path) -> None:
    """A record the catalogue gave no number (or no usable one) is held back, and its other
    problems are reported with the number's: the cataloger fixes the record in one pass, not
    a field a build. Two such records in one batch neither share a node nor 'use one number'."""
    first = json.loads((GOOD / "catalogue.jsonl").read_text("utf-8").splitlines()[0])
    broken = dict(first, title="", date="the spring of long ago")
    source = tmp_path / "numberless.jsonl"
    lines = [dict(broken, document_number=""), dict(broken, document_number="30A9"), dict(first, document_number="")]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    missing, malformed, titled = run([source])
    for outcome, number_rule in ((missing, "number-missing"), (malformed, "number-format")):
        assert status(outcome) == HELD
        assert {("Document number", number_rule), ("Title", "title-required")} <= _rules(outcome), outcome.issues
        assert any(i.field == "Date" and i.severity is Severity.WARNING for i in outcome.issues), outcome.issues
        assert all(i.doc_no in (None, "30A9") for i in outcome.issues), outcome.issues
        assert all("/id/document/" not in i.message for i in outcome.issues), outcome.issues
    assert missing.number is None and malformed.number == "30A9"
    # the third has a title: only its number keeps it back, and no number of another is 'used'
    assert status(titled) == HELD
    assert [i.rule for i in titled.issues if i.severity is Severity.VIOLATION] == ["number-missing"]
