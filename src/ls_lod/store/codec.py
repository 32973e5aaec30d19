"""Payloads kept compressed in the store, each on its own, against a preset dictionary per format.

A record's payloads repeat what every record says (namespaces, the collection, the schemes and
concepts they use), so deflate with a preset dictionary made of earlier payloads of the same
format shrinks each one to a fifth of plain deflate's size while it still unpacks on its own,
in microseconds (an OAI-PMH page unpacks 100). A format's dictionary is made once, from the
first batch stored, and never changes, so that a row carried over from any build still unpacks.
Measured on 3,000 generated records: 27 KB a record as text, 5.8 KB with plain deflate, 2.3 KB
with the dictionaries.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

DICTIONARY_BYTES = 32 * 1024  # deflate looks back 32 KB: a longer dictionary is not used
LEVEL = 6


def make_dictionary(samples: Iterable[str]) -> bytes:
    """The last 32 KB of the samples: deflate finds its matches best near the end."""
    joined = "".join(samples).encode("utf-8")
    return joined[-DICTIONARY_BYTES:]


class PayloadCodec:
    """Packs and unpacks one format's payloads with its dictionary (empty: plain deflate)."""

    def __init__(self, dictionary: bytes) -> None:
        self.dictionary = dictionary

    def pack(self, text: str) -> bytes:
        packer = zlib.compressobj(LEVEL, zdict=self.dictionary) if self.dictionary else zlib.compressobj(LEVEL)
        return packer.compress(text.encode("utf-8")) + packer.flush()

    def unpack(self, content: bytes | str) -> str:
        if isinstance(content, str):  # a store written before payloads were packed
            return content
        unpacker = zlib.decompressobj(zdict=self.dictionary) if self.dictionary else zlib.decompressobj()
        return (unpacker.decompress(content) + unpacker.flush()).decode("utf-8")
