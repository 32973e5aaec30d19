"""Payload codecs side by side: bytes a record, and microseconds to pack and to unpack a payload.

Reads the payloads of a built store (any codec it was written with), then packs every format's
payloads with each candidate, its dictionary made from the first 1,000 of them, as a build does.
zlib with a 32 KB preset dictionary is what ls-lod used before zstd (store/codec.py).

    python bench/generate.py 5000 --format jsonl --out /tmp/c5k.jsonl --quiet
    ls-lod build /tmp/c5k.jsonl --out /tmp/site
    python bench/bench_codec.py /tmp/site/catalog.sqlite
"""

from __future__ import annotations

import argparse
import sqlite3
import time
import zlib
from collections.abc import Callable

import zstandard

from ls_lod.store.codec import PayloadCodec

Codec = tuple[Callable[[str], bytes], Callable[[bytes], str]]


def zlib_codec(samples: list[str]) -> Codec:
    dictionary = "".join(samples).encode()[-32 * 1024 :]

    def pack(text: str) -> bytes:
        packer = zlib.compressobj(6, zdict=dictionary)
        return packer.compress(text.encode()) + packer.flush()

    def unpack(content: bytes) -> str:
        unpacker = zlib.decompressobj(zdict=dictionary)
        return (unpacker.decompress(content) + unpacker.flush()).decode()

    return pack, unpack


def zstd_codec(level: int, size: int, trained: bool) -> Callable[[list[str]], Codec]:
    def make(samples: list[str]) -> Codec:
        encoded = [s.encode() for s in samples]
        if trained:
            dictionary = zstandard.train_dictionary(size, encoded, level=level)
        else:
            raw = b"".join(encoded)[-size:]
            dictionary = zstandard.ZstdCompressionDict(raw, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        packer = zstandard.ZstdCompressor(level=level, dict_data=dictionary, write_checksum=False, write_dict_id=False)
        unpacker = zstandard.ZstdDecompressor(dict_data=dictionary)
        return (lambda t: packer.compress(t.encode())), (lambda b: unpacker.decompress(b).decode())

    return make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", help="a built catalog.sqlite")
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    dictionaries = dict(db.execute("SELECT format, dictionary FROM payload_dictionary"))
    texts: dict[str, list[str]] = {}
    for fmt, content in db.execute("SELECT format, content FROM payload ORDER BY number, format"):
        texts.setdefault(fmt, []).append(PayloadCodec(dictionaries.get(fmt, b"")).unpack(content))
    records = max(len(found) for found in texts.values())
    size = sum(len(t.encode()) for found in texts.values() for t in found) / records
    print(f"{records} records, {len(texts)} formats, {size / 1024:.1f} KB a record as text")
    candidates: dict[str, Callable[[list[str]], Codec]] = {"zlib 6, 32 KB preset dictionary": zlib_codec}
    for level in (1, 2, 3, 9):
        for kib in (32, 128):
            candidates[f"zstd {level}, {kib} KB raw dictionary"] = zstd_codec(level, kib * 1024, False)
            candidates[f"zstd {level}, {kib} KB trained dictionary"] = zstd_codec(level, kib * 1024, True)
    print(f"{'codec':40s} {'bytes/record':>12s} {'pack us':>8s} {'unpack us':>9s}")
    for name, make in candidates.items():
        total, packing, unpacking, payloads = 0, 0.0, 0.0, 0
        for found in texts.values():
            pack, unpack = make(found[:1000])
            start = time.perf_counter()
            packed = [pack(t) for t in found]
            packing += time.perf_counter() - start
            start = time.perf_counter()
            back = [unpack(p) for p in packed]
            unpacking += time.perf_counter() - start
            assert back == found
            total += sum(map(len, packed))
            payloads += len(found)
        print(f"{name:40s} {total / records:12.0f} {packing / payloads * 1e6:8.1f} {unpacking / payloads * 1e6:9.1f}")


if __name__ == "__main__":
    main()
