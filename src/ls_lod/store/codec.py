"""Payloads kept compressed in the store, each on its own, against a dictionary per format.

A record's payloads repeat what every record says (namespaces, the collection, the schemes and
concepts they use), so a compressor primed with a dictionary made of earlier payloads of the same
format shrinks each one to a small fraction while it still unpacks on its own, in microseconds
(an OAI-PMH page unpacks 100). A format's dictionary is made once, from the first batch stored,
and never changes, so that a row carried over from any build still unpacks.

Zstandard (the `zstandard` binding) with a dictionary trained on that first batch: one compressor
and one decompressor a format (a decompressor per thread: a zstd context is not for concurrent
use), so a payload pays no setup. Measured on the payloads of 5,000 generated records (27.7 KB a
record as text): zlib with a 32 KB preset dictionary 2,749 bytes a record, 547 us to pack and
121 us to unpack a payload; zstd level 3 with a trained 128 KB dictionary 1,480 bytes, 49 us and
31 us (bench/bench_codec.py).

Stores written before hold rows deflated against a 32 KB dictionary of plain payload text. Such
a row starts with zlib's 0x78, never with zstd's magic number, so it still unpacks with zlib; and
zstd takes that same dictionary as raw content for the rows such a store gains.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterable

import zstandard

from ls_lod.model import utf8

DICTIONARY_BYTES = 128 * 1024
DEFLATE_WINDOW = 32 * 1024  # deflate looks back 32 KB: of an older store's dictionary it used this much
# zstd: levels 6 and 9 shrink a record by a fifth more and pack several times slower; levels 2
# and 1 pack 8% and 15% quicker for 3% and 14% more bytes (bench/bench_codec.py, 10,000 records)
LEVEL = 3
# payloads the dictionary is trained on: enough to find what recurs, quick to train. Measured on
# 5,000 generated records' payloads (dictionaries of the five formats, 1,000 later records packed):
# 1,000 samples 1.47 s of training and 1,583 bytes a record; 500: 0.76 s, 1,598 bytes; 250: 0.50 s,
# 2,142 bytes. Training runs once a store, in the record stage of its first build.
SAMPLES = 500
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def make_dictionary(samples: Iterable[str | bytes]) -> bytes:
    """A zstd dictionary trained on the samples (text or UTF-8; deterministic for the same
    samples); when they are too few to train on, the end of their text, which zstd then takes as
    raw content."""
    encoded = [utf8(text) for text in samples][:SAMPLES]
    try:
        trained = zstandard.train_dictionary(DICTIONARY_BYTES, encoded, level=LEVEL)  # type: ignore[arg-type]
        return bytes(trained.as_bytes())
    except zstandard.ZstdError:
        return b"".join(encoded)[-DICTIONARY_BYTES:]


class PayloadCodec:
    """Packs and unpacks one format's payloads with its dictionary (empty: no dictionary)."""

    def __init__(self, dictionary: bytes) -> None:
        self.dictionary = dictionary
        self._zstd_dictionary = zstandard.ZstdCompressionDict(dictionary) if dictionary else None
        self._compressor = zstandard.ZstdCompressor(
            level=LEVEL, dict_data=self._zstd_dictionary, write_checksum=False, write_dict_id=False
        )
        self._local = threading.local()

    def pack(self, text: str | bytes) -> bytes:
        """The payload packed; given as text or already in UTF-8."""
        return self._compressor.compress(utf8(text))

    def unpack(self, content: bytes | str) -> str:
        if isinstance(content, str):  # a store written before payloads were packed
            return content
        return self.unpack_bytes(content).decode("utf-8")

    def unpack_bytes(self, content: bytes | str) -> bytes:
        """The payload as UTF-8, for a response that is bytes anyway (an OAI-PMH page)."""
        if isinstance(content, str):
            return content.encode("utf-8")
        if content[:4] == _ZSTD_MAGIC:
            return bytes(self._decompressor().decompress(content))
        return _inflate(content, self.dictionary[-DEFLATE_WINDOW:])

    def _decompressor(self) -> zstandard.ZstdDecompressor:
        found: zstandard.ZstdDecompressor | None = getattr(self._local, "decompressor", None)
        if found is None:
            found = self._local.decompressor = zstandard.ZstdDecompressor(dict_data=self._zstd_dictionary)
        return found


def _inflate(content: bytes, dictionary: bytes) -> bytes:
    """A row deflated by an earlier ls-lod, against the (last 32 KB of the) format's dictionary."""
    unpacker = zlib.decompressobj(zdict=dictionary) if dictionary else zlib.decompressobj()
    return unpacker.decompress(content) + unpacker.flush()
