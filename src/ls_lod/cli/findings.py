"""What `ls-lod build` found, printed after its summary line: the records held back and the
warnings, grouped by rule with a count and the first few examples, and where the full list is."""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Sequence
from pathlib import Path

from ls_lod.report import Findings, Issue, RuleTally, Severity, counted


def finding_lines(
    findings: Findings, held_back: int, skipped: int, report: Path, sources: Sequence[str], warnings: bool = True
) -> Iterator[str]:
    """The lines after the summary; none when there is nothing to say. Warnings and skipped files
    are left out with `warnings=False` (--quiet); the records held back never are."""
    said = False
    if held_back:
        violations = findings.total(Severity.VIOLATION)
        yield f"Held back: {counted(held_back, 'record')}, for {counted(violations, 'violation')}:"
        yield from _groups(findings, Severity.VIOLATION, "violation")
        said = True
    if warnings and findings.total(Severity.WARNING):
        yield _warnings_heading(findings)
        yield from _groups(findings, Severity.WARNING, "warning")
        said = True
    if warnings and skipped:
        shown = ", ".join(findings.skipped) + (", ..." if skipped > len(findings.skipped) else "")
        what = "is not a catalogue record" if skipped == 1 else "are not catalogue records"
        yield f"Skipped {counted(skipped, 'file')} that {what} ({shown})."
    if said:
        validate = shlex.join(["ls-lod", "validate", *sources, "--format", "html", "--output", "report.html"])
        yield f"Every record and its problems: {report}; for catalogers, `{validate}` explains each and its fix."


def _warnings_heading(findings: Findings) -> str:
    """ "Published with 12 warnings:", unless some are on records held back, which were not published."""
    count, held = findings.total(Severity.WARNING), findings.held_back_warnings
    total = counted(count, "warning")
    if not held:
        return f"Published with {total}:"
    return f"Warnings: {total}, " + (
        "all on records held back:" if held == count else f"{held:,} of them on records held back:"
    )


def _groups(findings: Findings, severity: Severity, noun: str) -> Iterator[str]:
    for rule, tally in findings.by_rule(severity):
        yield f"  {rule}: {counted(tally.count, noun)}{_more(tally)}"
        for issue in tally.examples:
            yield f"    {_example(issue)}"


def _more(tally: RuleTally) -> str:
    return f", the first {len(tally.examples)} of them:" if tally.count > len(tally.examples) else ":"


def _example(issue: Issue) -> str:
    """record 3039, Date: "2014-13-45" is not a date; ... (data/3039.txt:6), or, for an input that
    gave no record, the input first: data/empty.txt: the file is empty; ..."""
    field = f", {issue.field}" if issue.field else ""
    if issue.doc_no is None:
        return f"{issue.location or 'an input'}{field}: {issue.message}"
    where = f" ({issue.location})" if issue.location else ""
    return f"record {issue.doc_no}{field}: {issue.message}{where}"
