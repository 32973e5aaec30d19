"""Sources -> Outcomes: each input record read, converted to a Record and triples, and
checked, one at a time. An Outcome carries every issue of its record, so nothing is lost:
each one ends up published or held back with its reasons.

Each record is isolated: whatever it holds, a failure while converting, validating or
rendering it becomes a Violation on that record (rule `internal-error`), and the build goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import suppress
from itertools import islice

from ls_lod import readers
from ls_lod.convert import language
from ls_lod.convert.context import Conversion
from ls_lod.convert.graph import record_triples
from ls_lod.convert.mapping import detection_texts, to_record
from ls_lod.model import Outcome, RawRecord, Recheck, Record, SourceRecord, Validator
from ls_lod.report import Issue, Location, Report, Severity
from ls_lod.settings import Settings
from ls_lod.uris import Minter
from ls_lod.vocab.vocabulary import Vocabulary


def outcomes(sources: list[str], conversion: Conversion) -> Iterator[Outcome]:
    """Read and convert; a source that yields no record still yields an Outcome for itself.
    Records are read a batch ahead, so that their languages are detected together."""
    numbers = NumberRegister()
    items = read(sources, conversion.settings)
    while batch := list(islice(items, conversion.settings.validation_batch_size)):
        detect_languages(batch, conversion)
        for item in batch:
            outcome = item if isinstance(item, Outcome) else convert_one(*item, conversion)
            yield numbers.check(outcome)


def detect_languages(batch: list[Read | Outcome], conversion: Conversion) -> None:
    """The batch's titles and summaries detected together (language.prime), before each record's
    conversion asks for them one by one."""
    # on a failure here, each record detects its own languages and reports its own failure
    with suppress(Exception):
        language.prime(
            text for item in batch if not isinstance(item, Outcome) for text in detection_texts(item[0], conversion)
        )


Read = tuple[SourceRecord, list[Issue]]
# an item of a batch once the records the store holds are swapped in (build/incremental.py Reuser):
# a record as read or cut out unparsed, an outcome taken over, or a record to validate again
Item = Read | Outcome | RawRecord | Recheck


def read(sources: list[str], settings: Settings) -> Iterator[Read | Outcome]:
    """Each source record with the reading issues that are its own, and an Outcome for each
    problem of a source as a whole (a binary file, a failed fetch)."""
    for item in _read(sources, settings, cut=False):
        assert not isinstance(item, RawRecord)
        yield item


def read_cut(sources: list[str], settings: Settings) -> Iterator[Read | Outcome | RawRecord]:
    """As `read`, but a record its reader can cut out unparsed comes as its RawRecord (`parsed`
    reads it, if it needs reading), unless issues of its source wait to join it (a file's
    encoding warning joins its first record): a rebuild recognises an unchanged one by its text."""
    return _read(sources, settings, cut=True)


def _read(sources: list[str], settings: Settings, cut: bool) -> Iterator[Read | Outcome | RawRecord]:
    reading = Report()
    for item in readers.cut_sources(sources, settings, reading, cut):
        issues = reading.take()
        if isinstance(item, RawRecord):
            if issues:
                yield from parsed(item, issues)
            else:
                yield item
            continue
        yield from _placed(item, issues)
    for leftover in reading.take():
        yield _source_outcome(leftover)


def parsed(raw: RawRecord, issues: Iterable[Issue] = ()) -> Iterator[Read | Outcome]:
    """A record cut out unparsed, read now (after the source's `issues` that wait for it): what
    `read` without `cut` gives for it, or an Outcome for each problem when it is no record."""
    report = Report(list(issues))
    try:
        record = readers.parse(raw, report)
    except Exception as error:  # a reader's fault, on this record alone
        outcome = Outcome(raw.location, None, None, [], list(report))
        outcome.issues.append(internal_error(outcome, "read", error))
        yield outcome
        return
    if record is None:
        yield from (_source_outcome(issue) for issue in report.take())
        return
    yield from _placed(record, report.take())


def _placed(record: SourceRecord, issues: list[Issue]) -> Iterator[Read | Outcome]:
    """The record with its own issues, after an Outcome for each issue that is not its own."""
    for leftover in [i for i in issues if _elsewhere(i, record.location)]:
        yield _source_outcome(leftover)
    yield record, [i for i in issues if not _elsewhere(i, record.location)]


def convert_one(source_record: SourceRecord, issues: list[Issue], conversion: Conversion) -> Outcome:
    """One record's conversion on its own (so it can run in any process); never raises."""
    record_report = Report(list(issues))
    try:
        record = to_record(source_record, conversion, record_report)
        number = _raw_number(record_report) if record.unnumbered else record.number
        triples = record_triples(record, conversion.minter)
    except Exception as error:
        number = source_record.text("Document number")
        outcome = Outcome(source_record.location, None, None, [], list(record_report), source_record)
        outcome.issues.append(internal_error(outcome, "convert", error))
        outcome.number = number.strip()[:40] if number else None
        return outcome
    return Outcome(
        source_record.location, number, record, triples, [_with_number(i, number) for i in record_report], source_record
    )


def internal_error(outcome: Outcome, stage: str, error: BaseException) -> Issue:
    """A fault of ls-lod met on one record, as a Violation on that record alone."""
    detail = str(error)
    detail = detail if len(detail) <= 200 else detail[:199] + "…"
    return Issue(
        outcome.number,
        None,
        Severity.VIOLATION,
        f"ls-lod could not {stage} this record ({type(error).__name__}: {detail}); the other records "
        "were published. Please report it with this record; `ls-lod --debug validate` shows the traceback.",
        outcome.location,
        "internal-error",
    )


def validate_isolated(validator: Validator, batch: list[Outcome]) -> None:
    """Validate a batch; when the batch fails, each record alone, so that only the faulty one is held back."""
    try:
        validator.validate(batch)
        return
    except Exception:
        pass
    for outcome in batch:
        try:
            validator.validate([outcome])
        except Exception as error:
            outcome.issues.append(internal_error(outcome, "validate", error))


class NumberRegister:
    """Document numbers met so far, in input order: a later record with a used number is held back."""

    def __init__(self) -> None:
        self.seen: dict[str, Location] = {}

    def check(self, outcome: Outcome) -> Outcome:
        if outcome.record is not None and outcome.record.unnumbered:  # typed under a stand-in number
            return outcome
        number = outcome.record.number if outcome.record else outcome.number if outcome.reused else None
        if number is None:
            return outcome
        location = outcome.record.location if outcome.record else outcome.location
        first = self.seen.setdefault(number, location)
        if first != location:
            where = outcome.source.where("Document number") if outcome.source else location
            outcome.issues.append(
                Issue(
                    number,
                    "Document number",
                    Severity.VIOLATION,
                    f"the number {number} is already used by the record in {first}; give each record its own number.",
                    where,
                    "number-duplicate",
                )
            )
        return outcome


def _elsewhere(issue: Issue, location: Location) -> bool:
    """An issue about another source, or a Violation about lines before this record (a JSON line
    that was no record): it is listed on its own, not folded into the record read after it.
    Warnings about the file as a whole (its encoding, its header) stay with its first record."""
    where = issue.location
    if where is None:
        return False
    before = where.line is not None and location.line is not None and where.line < location.line
    earlier = before and issue.severity is Severity.VIOLATION
    return where.source != location.source or earlier


def _raw_number(report: Report) -> str | None:
    """A number too malformed to publish is still the cataloger's handle on the record."""
    return next((i.doc_no for i in report if i.doc_no), None)


def _with_number(issue: Issue, number: str | None) -> Issue:
    if issue.doc_no or not number:
        return issue
    return Issue(number, issue.field, issue.severity, issue.message, issue.location, issue.rule)


def _source_outcome(issue: Issue) -> Outcome:
    return Outcome(issue.location or Location("?"), None, None, [], [issue])


def validated(items: Iterable[Outcome], validator: Validator | None, batch_size: int) -> Iterator[Outcome]:
    """Validate in batches (shapes are record-local); outcomes keep their order."""
    iterator = iter(items)
    while batch := list(islice(iterator, batch_size)):
        if validator is not None:
            validate_isolated(validator, [o for o in batch if o.record is not None])
        yield from batch


def convert(sources: list[str], settings: Settings, vocabulary: Vocabulary, report: Report) -> Iterator[Record]:
    """Just the records (for `vocab candidates` and the like); issues go to `report`."""
    conversion = Conversion(settings, Minter(settings.base_uri, settings.oai_namespace), vocabulary, dt.date.today())
    for outcome in outcomes(sources, conversion):
        for issue in outcome.issues:
            report.add(issue)
        if outcome.record is not None and not outcome.record.unnumbered:
            yield outcome.record


def outcome_json(outcome: Outcome, state: str) -> dict[str, object]:
    return {
        "number": outcome.number,
        "source": str(outcome.location),
        "status": state,
        "issues": [issue.to_json() for issue in outcome.issues],
    }
