"""Readers told apart once, at registration, not once a record: `isinstance` against a
Protocol walks its members on every call, and the build asked it for every line it parsed."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest

from ls_lod import readers
from ls_lod.model import RawRecord
from ls_lod.readers.base import CuttingReader
from ls_lod.report import Report
from ls_lod.settings import Settings


def lines(count: int) -> str:
    rows = ({"document_number": str(n), "date": "2020", "title": f"Report {n}"} for n in range(1, count + 1))
    return "".join(json.dumps(row) + "\n" for row in rows)


def test_parsing_cut_records_asks_the_protocol_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "catalogue.jsonl"
    source.write_text(lines(200), "utf-8")
    report = Report()
    asked: list[type] = []
    check = type(CuttingReader).__instancecheck__

    def counted(cls: type, instance: object) -> bool:
        if cls is CuttingReader:
            asked.append(cls)
        return check(cls, instance)

    monkeypatch.setattr(type(CuttingReader), "__instancecheck__", counted)
    raws = [item for item in readers.cut_sources([str(source)], Settings.load(), report)]
    parsed = [readers.parse(raw, report) for raw in raws if isinstance(raw, RawRecord)]
    assert len(parsed) == 200 and all(record is not None for record in parsed)
    assert len(asked) <= 1


def test_a_reader_registered_again_without_cut_is_read_whole(tmp_path: Path) -> None:
    """A plugin that replaces a reader by one that cannot cut is read whole, never cut."""
    plain = mock.Mock(spec=["name", "file_extensions", "media_types", "read"])
    plain.name, plain.file_extensions, plain.media_types = "jsonl", (".jsonl",), ()
    plain.read.return_value = iter(())
    original = readers.READERS["jsonl"]
    try:
        readers.register(plain)
        assert "jsonl" not in readers.CUTTERS
        source = tmp_path / "catalogue.jsonl"
        source.write_text(lines(3), "utf-8")
        assert list(readers.cut_sources([str(source)], Settings.load(), Report())) == []
        assert plain.read.called
    finally:
        readers.register(original)
    assert isinstance(readers.CUTTERS["jsonl"], CuttingReader)
