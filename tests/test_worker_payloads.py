"""What a worker process sends back: payloads packed as the store packs them, with the digest of
their text, and of the raw fields only the document number; stored bytes the same either way."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ls_lod.build import parallel
from ls_lod.build.pipeline import read_cut
from ls_lod.convert.context import conversion_for
from ls_lod.model import RawRecord, RawValue, SourceRecord, StoreItem
from ls_lod.report import Location
from ls_lod.settings import Settings
from ls_lod.store.codec import PayloadCodec, make_dictionary
from test_build_engine import build, generate

TEXTS = {
    "rdf": '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">é</rdf:RDF>',
    "oai_dc": "<oai_dc:dc>Trafficking in persons</oai_dc:dc>",
}


def test_a_packed_item_stores_the_same_bytes_and_digest_as_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dictionary = make_dictionary(TEXTS.values())
    monkeypatch.setattr(parallel, "_packers", {"rdf": PayloadCodec(dictionary)})  # oai_dc: no dictionary yet
    plain = StoreItem("1", dict(TEXTS), ["a"], ["b"])
    packed = parallel._packed(StoreItem("1", dict(TEXTS), ["a"], ["b"]))
    assert set(packed.packed) == {"rdf"} and set(packed.payloads) == {"oai_dc"}
    assert packed.digest == plain.digest
    codecs = {"rdf": PayloadCodec(dictionary), "oai_dc": PayloadCodec(b"")}
    stored = dict(packed.contents(lambda name, text: codecs[name].pack(text)))
    assert stored == dict(plain.contents(lambda name, text: codecs[name].pack(text)))
    assert codecs["rdf"].unpack(stored["rdf"]) == TEXTS["rdf"]


def test_a_worker_keeps_only_the_document_number_of_the_raw_fields() -> None:
    number = RawValue("100001", Location("c.csv", 3))
    title = RawValue("T", Location("c.csv", 4))
    source = SourceRecord(Location("c.csv", 2), {"Title": title, "Document number": number})
    slim = parallel._slim(source)
    assert slim.fields == {"Document number": number} and slim.where("Document number") == number.location
    assert parallel._slim(SourceRecord(Location("x", 1), {"Title": number})).fields == {}


@pytest.mark.slow
def test_records_packed_in_workers_are_stored_byte_for_byte_as_in_one_process(tmp_path: Path) -> None:
    """The second build of each directory reconverts every record with the dictionaries the
    first one made, so its workers pack every payload themselves."""
    first = generate(tmp_path / "first.jsonl", 150, "--seed", "3")
    second = generate(tmp_path / "second.jsonl", 150, "--seed", "4")
    rows = {}
    for processes in (1, 2):
        out = tmp_path / f"p{processes}"
        settings = (f"build_processes={processes}", "validation_batch_size=20")
        build(first, out, *settings)
        build(second, out, *settings, epoch=1700100000)
        with sqlite3.connect(out / "catalog.sqlite") as db:
            rows[processes] = (
                sorted(db.execute("SELECT number, format, content FROM payload")),
                sorted(db.execute("SELECT number, digest, datestamp FROM record")),
            )
    assert rows[1] == rows[2] and len(rows[1][0]) > 100


LINES = [
    '{"document_number": "7001", "title": "Forced labour in agriculture", "keywords": "forced labour, webcam"}',
    '{"document_number": "7002", "title": ',  # no record: cut out, then found broken when parsed
    '{"document_number": "7003", "title": "Shelters for victims", "keywords": "shelters"}',
]


def test_a_worker_parses_the_text_it_is_sent_and_sends_back_only_what_the_main_process_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record cut out unparsed goes to the worker as its text (its parsed fields took ten times
    as long to pickle and unpickle); what comes back is, per item, its outcomes with the item's
    content digest on the record's, and the record slimmed to its number, place and candidates."""
    source = tmp_path / "c.jsonl"
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    conversion = conversion_for(Settings.load(environ={}))
    raws = list(read_cut([str(source)], conversion.settings))
    assert [type(raw) for raw in raws] == [RawRecord] * 3
    monkeypatch.setattr(parallel, "_worker", (conversion, None))
    groups = parallel._prepare_in_worker([(raw, f"key{i}") for i, raw in enumerate(raws)], {})
    assert [len(group) for group in groups] == [1, 1, 1]
    first, broken, third = (group[0] for group in groups)
    assert (first.source_key, broken.source_key, third.source_key) == ("key0", None, "key2")
    assert broken.record is None and broken.held_back and broken.issues
    assert first.record is not None and first.record.number == "7001" and first.record.location.line == 1
    assert [k.label for k in first.record.keywords] == ["webcam"] and first.record.title is None
    assert first.prepared is not None and first.prepared.payloads and not first.triples
    assert third.record is not None and third.record.keywords == () and third.record.location.line == 3


@pytest.mark.slow
def test_a_broken_line_among_records_comes_out_in_its_place_with_workers(tmp_path: Path) -> None:
    records = generate(tmp_path / "records.jsonl", 60, "--seed", "5").read_text("utf-8").splitlines()
    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join([*records[:25], LINES[1], *records[25:]]) + "\n", encoding="utf-8")
    reports = {}
    for processes in (1, 2):
        out = tmp_path / f"p{processes}"
        build(source, out, f"build_processes={processes}", "validation_batch_size=10")
        reports[processes] = json.loads((out / "report.json").read_text("utf-8"))["records"]
    assert reports[1] == reports[2] and len(reports[1]) == 61
    assert reports[2][25]["number"] is None and reports[2][25]["status"] == "held back"
