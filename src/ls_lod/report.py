"""Problems found in the catalogue, in the cataloger's words: record, field, what is wrong, the fix.

Every stage adds Issues to one Report instead of raising, so a run reports every problem of
every record at once. Exceptions are kept for faults of the program or its configuration.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun in the number it needs, thousands separated: "1 record", "1,024 records".
    Every message that prints a count goes through here, so no "1 records" slips back in."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {noun}"


class Severity(StrEnum):
    """SHACL's three levels, in the order of their weight."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def rank(self) -> int:
        return {"Violation": 3, "Warning": 2, "Info": 1}[self.value]


@dataclass(frozen=True)
class Problem:
    """What a normalisation rule found wrong with one value, before it knows the record and field."""

    severity: Severity
    message: str
    rule: str


@dataclass(frozen=True)
class Location:
    """Where a value came from: a file or URL, and the line of the value when known."""

    source: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass(frozen=True)
class Issue:
    """One problem of one record, e.g. record 3039, field Date, "2014-13-45" is not a date."""

    doc_no: str | None
    field: str | None
    severity: Severity
    message: str
    location: Location | None = None
    rule: str = ""

    def __str__(self) -> str:
        record = f"record {self.doc_no}" if self.doc_no else "record without a number"
        where = f" ({self.location})" if self.location else ""
        label = f", {self.field}" if self.field else ""
        return f"{self.severity.value}: {record}{label}: {self.message}{where}"

    def to_json(self) -> dict[str, object]:
        # by hand, not dataclasses.asdict (which deep-copies): report.json has a line a record
        return {
            "doc_no": self.doc_no,
            "field": self.field,
            "severity": self.severity.value,
            "message": self.message,
            "location": str(self.location) if self.location else None,
            "rule": self.rule,
        }


@dataclass
class Report:
    """Collects issues; a record is held back when any of its issues is a Violation."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def violation(
        self, doc_no: str | None, field_name: str | None, message: str, location: Location | None = None, rule: str = ""
    ) -> None:
        self.add(Issue(doc_no, field_name, Severity.VIOLATION, message, location, rule))

    def warning(
        self, doc_no: str | None, field_name: str | None, message: str, location: Location | None = None, rule: str = ""
    ) -> None:
        self.add(Issue(doc_no, field_name, Severity.WARNING, message, location, rule))

    def info(
        self, doc_no: str | None, field_name: str | None, message: str, location: Location | None = None, rule: str = ""
    ) -> None:
        self.add(Issue(doc_no, field_name, Severity.INFO, message, location, rule))

    def add_problem(
        self, doc_no: str | None, field_name: str | None, problem: Problem, location: Location | None = None
    ) -> None:
        """Attach a normalisation problem to its record and field."""
        self.add(Issue(doc_no, field_name, problem.severity, problem.message, location, problem.rule))

    def has_violation(self) -> bool:
        return any(issue.severity is Severity.VIOLATION for issue in self.issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    def counts(self) -> Counter[Severity]:
        return Counter(issue.severity for issue in self.issues)

    def take(self) -> list[Issue]:
        """Hand over the issues collected so far and start afresh (keeps memory flat)."""
        taken, self.issues = self.issues, []
        return taken


@dataclass
class RuleTally:
    """How often one rule was broken, and the first few issues that broke it."""

    count: int = 0
    examples: list[Issue] = field(default_factory=list)


@dataclass
class Findings:
    """What a whole run found, in memory that does not grow with the catalogue: per severity and
    rule a count and the first `examples` issues, and the first files that were no records."""

    examples: int = 3
    rules: dict[tuple[Severity, str], RuleTally] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    held_back_warnings: int = 0  # warnings on records held back: not all warnings were published

    def add(self, issues: Iterable[Issue], held_back: bool = False) -> None:
        for issue in issues:
            self.held_back_warnings += held_back and issue.severity is Severity.WARNING
            tally = self.rules.setdefault((issue.severity, issue.rule or issue.field or "other"), RuleTally())
            tally.count += 1
            if len(tally.examples) < self.examples:
                tally.examples.append(issue)

    def skip(self, source: str) -> None:
        if len(self.skipped) < self.examples:
            self.skipped.append(source)

    def by_rule(self, severity: Severity) -> list[tuple[str, RuleTally]]:
        """The rules of one severity, the most often broken first."""
        found = [(rule, tally) for (level, rule), tally in self.rules.items() if level is severity]
        return sorted(found, key=lambda item: (-item[1].count, item[0]))

    def total(self, severity: Severity) -> int:
        return sum(tally.count for (level, _), tally in self.rules.items() if level is severity)
