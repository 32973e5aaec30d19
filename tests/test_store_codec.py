"""The payload codec: zstd against a trained dictionary; rows deflated by earlier stores still unpack."""

from __future__ import annotations

import zlib
from pathlib import Path

from ls_lod.model import StoreItem
from ls_lod.store import codec
from ls_lod.store.catalog import BuildCounts, CatalogStore
from ls_lod.store.codec import PayloadCodec, make_dictionary

PAYLOADS = [
    f'<rdf:RDF xmlns:dcterms="http://purl.org/dc/terms/"><rdf:Description rdf:about="https://lod.example/doc/{n}">'
    f"<dcterms:title>Report number {n} on labour exploitation in {n % 7} sectors</dcterms:title>"
    f"<dcterms:subject>{'migration ' * (n % 5)}</dcterms:subject></rdf:Description></rdf:RDF>"
    for n in range(400)
]


def test_round_trip_with_a_trained_dictionary() -> None:
    dictionary = make_dictionary(PAYLOADS)
    assert dictionary.startswith(b"\x37\xa4\x30\xec")  # zstd's dictionary magic: trained, not raw text
    packer = PayloadCodec(dictionary)
    packed = [packer.pack(text) for text in PAYLOADS]
    assert all(packer.unpack(p) == text for p, text in zip(packed, PAYLOADS, strict=True))
    assert sum(map(len, packed)) < sum(len(t) for t in PAYLOADS) / 5
    assert PayloadCodec(dictionary).unpack(packed[7]) == PAYLOADS[7]  # another process, same dictionary


def test_the_dictionary_is_the_same_for_the_same_samples() -> None:
    """A store keeps its dictionary, but a rebuilt one must not depend on chance either."""
    assert make_dictionary(PAYLOADS) == make_dictionary(list(PAYLOADS))


def test_too_few_samples_give_a_raw_dictionary() -> None:
    dictionary = make_dictionary(PAYLOADS[:2])
    assert dictionary == "".join(PAYLOADS[:2]).encode()
    packer = PayloadCodec(dictionary)
    assert packer.unpack(packer.pack(PAYLOADS[300])) == PAYLOADS[300]
    assert PayloadCodec(b"").unpack(PayloadCodec(b"").pack("plain")) == "plain"


def _deflated(text: str, dictionary: bytes) -> bytes:
    """A row as ls-lod packed it before zstd: deflate level 6 against a 32 KB preset dictionary."""
    packer = zlib.compressobj(6, zdict=dictionary) if dictionary else zlib.compressobj(6)
    return packer.compress(text.encode()) + packer.flush()


def test_a_deflated_row_of_an_older_store_still_unpacks() -> None:
    old_dictionary = "".join(PAYLOADS[:100]).encode()[-32 * 1024 :]
    old_row = _deflated(PAYLOADS[200], old_dictionary)
    packer = PayloadCodec(old_dictionary)
    assert packer.unpack(old_row) == PAYLOADS[200]
    assert packer.unpack(packer.pack(PAYLOADS[201])) == PAYLOADS[201]  # new rows of that store: zstd
    assert PayloadCodec(b"").unpack(_deflated("no dictionary", b"")) == "no dictionary"
    assert packer.unpack("text from before packing") == "text from before packing"


def test_an_older_store_keeps_its_dictionary_and_its_rows(tmp_path: Path) -> None:
    """A store written with zlib gains zstd rows beside its deflated ones; both read back."""
    store = CatalogStore.open(tmp_path)
    old_dictionary = "".join(PAYLOADS[:100]).encode()[-32 * 1024 :]
    with store.db:
        store.db.execute("INSERT INTO payload_dictionary VALUES ('rdfxml', ?)", (old_dictionary,))
        store.db.execute(
            "INSERT INTO record (number, sort_key, datestamp, deleted, digest, seen_build) "
            "VALUES ('1', 1, 'd', 0, 'x', 0)"
        )
        store.db.execute("INSERT INTO payload VALUES ('1', 'rdfxml', ?)", (_deflated(PAYLOADS[1], old_dictionary),))
    store.db.execute("BEGIN")
    item = StoreItem("2", {"rdfxml": PAYLOADS[2]}, [], [])
    store.put_batch(1, [item], "2026-01-01T00:00:00Z", BuildCounts())
    store.db.execute("COMMIT")
    assert store.db.execute("SELECT dictionary FROM payload_dictionary").fetchall() == [(old_dictionary,)]
    assert dict(store.payloads("rdfxml")) == {"1": PAYLOADS[1], "2": PAYLOADS[2]}
    new_row = store.db.execute("SELECT content FROM payload WHERE number = '2'").fetchone()[0]
    assert new_row.startswith(codec._ZSTD_MAGIC)


def test_unpacked_bytes_are_the_payload_as_utf8() -> None:
    """An OAI-PMH page takes the payloads as bytes, whichever way the row was packed."""
    dictionary = make_dictionary(PAYLOADS)
    packer = PayloadCodec(dictionary)
    text = PAYLOADS[3] + " Торгівля людьми"
    assert packer.unpack_bytes(packer.pack(text)) == text.encode("utf-8")
    old_dictionary = "".join(PAYLOADS[:100]).encode()[-32 * 1024 :]
    assert PayloadCodec(old_dictionary).unpack_bytes(_deflated(text, old_dictionary)) == text.encode("utf-8")
    assert packer.unpack_bytes(text) == text.encode("utf-8")


def test_a_payload_is_encoded_once_for_its_digest_and_its_packing() -> None:
    """StoreItem encodes its payloads once: the digest is model.digest's, and the packed rows are
    the codec's packing of the text."""
    from ls_lod.model import digest

    packer = PayloadCodec(make_dictionary(PAYLOADS))
    payloads = {"rdfxml": PAYLOADS[3], "oai_dc": "<dc:title>Łódź – “quoted”</dc:title>"}
    item = StoreItem("3", payloads, [], [])
    assert item.digest == digest(payloads)
    rows = dict(item.contents(lambda name, data: packer.pack(data)))
    assert rows == {name: packer.pack(text) for name, text in payloads.items()}
    assert {name: packer.unpack(row) for name, row in rows.items()} == payloads
