"""The N-Triples dump's records (exporters/dataset.py unique_triples): a record's own lines are
written as they are, a line about a shared node once, and a line is what ends at a line feed."""

from __future__ import annotations

from ls_lod.exporters.dataset import unique_triples

BASE = "https://example.org/"
SHARED = '<https://example.org/files/a.pdf> <http://purl.org/dc/terms/format> "application/pdf" .\n'


def record(number: int, summary: str, pdf: bool = False) -> tuple[str, str]:
    own = f'<{BASE}id/document/{number}> <http://purl.org/dc/terms/abstract> "{summary}" .\n'
    return str(number), own + (SHARED if pdf else "")


def test_a_shared_line_is_written_once_and_own_lines_always() -> None:
    rows = [record(1, "one", pdf=True), record(2, "two", pdf=True), record(3, "three")]
    seen: set[bytes] = set()
    shared: list[tuple[bytes, bool]] = []
    assert "".join(unique_triples(rows, BASE, seen, shared)) == rows[0][1] + rows[1][1].replace(SHARED, "") + rows[2][1]
    assert [kept for _, kept in shared] == [True, False]


def test_a_literal_with_a_unicode_line_separator_is_one_line_of_its_record() -> None:
    """U+2028, U+0085 and U+001E stay raw in canonical N-Triples: before, str.splitlines cut the
    record's line there, and the piece after it, met again in a later record, was left out as if
    it were a line about a shared node (a broken line in dataset.nt)."""
    summary = "First paragraph.\u2028Second\u0085third\u001efourth."
    rows = [record(1, summary, pdf=True), record(2, summary, pdf=True), record(3, summary)]
    written = "".join(unique_triples(rows, BASE))
    assert written == rows[0][1] + rows[1][1].replace(SHARED, "") + rows[2][1]
    assert written.count("\n") == 4
