"""The validation report as a cataloger reads it: text grouped by record (coloured on a
terminal), JSON, CSV, or one self-contained HTML page with a summary and the record list.

Every input appears: records with their problems, clean records, unreadable and skipped files.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

import click
from jinja2 import Environment, PackageLoader, select_autoescape

from ls_lod.model import Outcome, status
from ls_lod.report import Issue, Severity, counted
from ls_lod.validate.shapes import Rule

FORMATS = ("text", "json", "csv", "html")
COLOURS = {Severity.VIOLATION: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
NOUNS = {Severity.VIOLATION: "violation", Severity.WARNING: "warning", Severity.INFO: "notice"}
CSV_COLUMNS = ("source", "number", "status", "severity", "field", "message", "location", "rule")


@dataclass(frozen=True)
class RecordReport:
    """What the report keeps of one outcome (no triples: a report of 1M records stays small)."""

    number: str | None
    source: str
    status: str
    issues: tuple[Issue, ...]

    @classmethod
    def of(cls, outcome: Outcome) -> RecordReport:
        issues = sorted(
            outcome.issues, key=lambda i: (-i.severity.rank, i.location.line or 0 if i.location else 0, i.field or "")
        )
        return cls(outcome.number, str(outcome.location), status(outcome), tuple(issues))

    @property
    def unnamed(self) -> str:
        """What a report without a number is about: a record whose number is missing, or an input that gave none."""
        numberless = any(issue.field == "Document number" for issue in self.issues)
        return "record without a number" if numberless else "no record"

    @property
    def worst(self) -> Severity | None:
        return max((i.severity for i in self.issues), key=lambda s: s.rank, default=None)

    def to_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "source": self.source,
            "status": self.status,
            "issues": [issue.to_json() for issue in self.issues],
        }


@dataclass
class Summary:
    """Counts for the closing line and the HTML summary table."""

    statuses: Counter[str] = field(default_factory=Counter)
    severities: Counter[Severity] = field(default_factory=Counter)
    by_field: dict[str, Counter[Severity]] = field(default_factory=dict)

    @classmethod
    def of(cls, reports: Iterable[RecordReport]) -> Summary:
        summary = cls()
        for report in reports:
            summary.statuses[report.status] += 1
            for issue in report.issues:
                summary.severities[issue.severity] += 1
                summary.by_field.setdefault(issue.field or "(whole file)", Counter())[issue.severity] += 1
        return summary

    @property
    def inputs(self) -> int:
        return sum(self.statuses.values())

    def line(self) -> str:
        parts = [f"{count:,} {name}" for name, count in sorted(self.statuses.items())]
        found = ", ".join(counted(self.severities[s], NOUNS[s]) for s in Severity)
        return f"{counted(self.inputs, 'input')}: {', '.join(parts) or 'none'}; {found}."

    def to_json(self) -> dict[str, object]:
        return {
            "inputs": self.inputs,
            "statuses": dict(sorted(self.statuses.items())),
            "severities": {s.value: self.severities[s] for s in Severity},
            "fields": {name: {s.value: counts[s] for s in Severity} for name, counts in sorted(self.by_field.items())},
        }


def write_report(
    fmt: str, reports: list[RecordReport], out: TextIO, colour: bool = False, rules: dict[str, Rule] | None = None
) -> None:
    summary = Summary.of(reports)
    if fmt == "text":
        for line in text_lines(reports, summary, colour):
            out.write(line + "\n")
    elif fmt == "json":
        out.write(
            json.dumps(
                {"records": [r.to_json() for r in reports], "summary": summary.to_json()}, ensure_ascii=False, indent=1
            )
            + "\n"
        )
    elif fmt == "csv":
        write_csv(reports, out)
    elif fmt == "html":
        out.write(html(reports, summary, rules or {}))
    else:
        raise ValueError(f"unknown report format {fmt!r}; available: {', '.join(FORMATS)}")


def text_lines(reports: list[RecordReport], summary: Summary, colour: bool) -> Iterator[str]:
    """One block per record with something to say, worst problems first; then the inputs with
    nothing to fix (so that every input is named), then the counts."""

    def style(text: str, **how: object) -> str:
        return click.style(text, **how) if colour else text  # type: ignore[arg-type]

    clean = [report.source for report in reports if not report.issues]
    for report in reports:
        if not report.issues:
            continue
        name = f"record {report.number}" if report.number else report.unnamed
        yield style(f"{report.source}: {name}, {report.status}", bold=True)
        for issue in report.issues:
            where = f" ({issue.location})" if issue.location else ""
            rule = f" [{issue.rule}]" if issue.rule else ""
            label = f"{issue.field}: " if issue.field else ""
            severity = style(issue.severity.value, fg=COLOURS[issue.severity], bold=True)
            yield f"  {severity} {label}{issue.message}{where}{rule}"
    if clean:
        yield style(f"Nothing to fix ({len(clean)}):", bold=True) + " " + ", ".join(clean)
    yield style(summary.line(), bold=True)


def write_csv(reports: list[RecordReport], out: TextIO) -> None:
    """One row per problem; a record with none still has its row, so every input is listed."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        head = [report.source, report.number or "", report.status]
        if not report.issues:
            writer.writerow([*head, "", "", "", "", ""])
        for issue in report.issues:
            writer.writerow(
                [*head, issue.severity.value, issue.field or "", issue.message, str(issue.location or ""), issue.rule]
            )


_ENVIRONMENT = Environment(
    loader=PackageLoader("ls_lod.validate", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENVIRONMENT.filters["counted"] = counted


def html(reports: list[RecordReport], summary: Summary, rules: dict[str, Rule]) -> str:
    """The self-contained HTML report (inline CSS, no scripts, no external files)."""
    sections = [
        (
            "held-back",
            "Held back: fix these before they can be published",
            [r for r in reports if r.status.startswith("held back")],
        ),
        ("warnings", "Published, but should be fixed", [r for r in reports if r.status == "published with warnings"]),
        ("advice", "Published, with advice", [r for r in reports if r.status == "published" and r.issues]),
        ("skipped", "Files that hold no catalogue record", [r for r in reports if r.status == "skipped"]),
    ]
    clean = [r for r in reports if r.status == "published" and not r.issues]
    return _ENVIRONMENT.get_template("report.html.j2").render(
        summary=summary, sections=sections, clean=clean, rules=rules, severities=list(Severity)
    )


def to_string(fmt: str, reports: list[RecordReport], rules: dict[str, Rule] | None = None) -> str:
    buffer = io.StringIO()
    write_report(fmt, reports, buffer, rules=rules)
    return buffer.getvalue()
