"""What a worker process sends back: payloads packed as the store packs them, with the digest of
their text, and of the raw fields only the document number; stored bytes the same either way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ls_lod.build import parallel
from ls_lod.model import RawValue, SourceRecord, StoreItem
from ls_lod.report import Location
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
