"""Counts with their nouns as a sentence needs them: "1 record", "2 records", "0 notices".

Every message that prints a count goes through `counted`, so no "1 records" slips back in. The
nouns are a handful of fixed English words; a plural that is not the singular plus "s" is given.
"""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun in the number it needs, with thousands separated: "1,024 records"."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {noun}"
