"""Articles and sections of laws: "Article 3 ECHR" is read as the instrument it is a provision of.

Catalogers name provisions by number ("art. 4 of the Palermo Protocol", "§ 232 StGB", "section
45 defence"), and every new publication brings new numbers: a label per article would never be
complete. So a keyword that no label matches is split into a provision (a marker word and a
number) and an instrument, and the vocabulary looks the instrument up among its labels. The words
are data (vocab/provisions.toml); which concepts count as instruments is the vocabulary's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ls_lod.vocab.rules import alternatives, rules_table

RULES_FILE = "provisions.toml"

# 3, 189a, 273f, 18(4), 4(1)(b), 225-4-1, 2.3, 12(6) -- one number of a provision
_NUMBER = r"\d+[a-z]?(?:[-.]\d+[a-z]?)*(?:\s*\(\s*[0-9a-z]{1,4}\s*\))*"


@dataclass(frozen=True)
class Provision:
    """A keyword read as a provision: its instrument part, and the provision as written."""

    instrument: str
    provision: str


@dataclass(frozen=True)
class ProvisionRule:
    """Splits "Article 3 ECHR" into ("ECHR", "Article 3"); no file, no rule."""

    roots: tuple[str, ...] = ()  # slugs: the concepts under these are instruments,
    also: tuple[str, ...] = ()  # and these,
    excluded: tuple[str, ...] = ()  # but not these
    pattern_before: re.Pattern[str] | None = None  # "Article 3 of the ECHR"
    pattern_after: re.Pattern[str] | None = None  # "ECHR, Article 3" / "StGB § 232"

    @classmethod
    def load(cls, directory: Path) -> ProvisionRule:
        """Read provisions.toml from the vocabulary directory (no file: keywords are never read as provisions)."""
        with rules_table(directory, RULES_FILE) as table:
            if table is None:
                return cls()
            roots = tuple(str(root) for root in table["roots"])
            also = tuple(str(slug) for slug in table.get("also", []))
            excluded = tuple(str(slug) for slug in table.get("except", []))
            markers = alternatives([str(word) for word in table["markers"]])
            joiners = alternatives([str(word) for word in table["joiners"]])
            suffixes = alternatives([str(word) for word in table.get("suffixes", [])])
        suffix = rf"(?:\s*(?:{suffixes})\b)?" if suffixes else ""
        number = rf"{_NUMBER}{suffix}"
        # "Article 3", "arts. 2 and 3", "§§ 232-233", "art. 115 § 22": a marker, numbers, sub-numbers
        provision = (
            rf"(?:{markers})\.?\s*{number}"
            rf"(?:\s*(?:,|and|&|-|–|/|to|§|para\.?|lid|abs\.?)\s*{number})*"
        )
        # the instrument must start with a letter: "art. 115 § 22" names none
        before = re.compile(
            rf"^(?P<provision>{provision})(?:\s*,)?\s+(?:(?:{joiners})\s+)?(?P<instrument>[^\W\d_].*)$",
            re.IGNORECASE,
        )
        after = re.compile(
            rf"^(?P<instrument>[^\W\d_].*?)(?:\s*,)?\s+(?P<provision>{provision})$",
            re.IGNORECASE,
        )
        return cls(roots, also, excluded, before, after)

    def read(self, text: str) -> list[Provision]:
        """The ways a keyword can be read as a provision of an instrument (none when it names no provision)."""
        found: list[Provision] = []
        for pattern in (self.pattern_before, self.pattern_after):
            if pattern is None:
                continue
            match = pattern.match(text)
            if match:
                found.append(Provision(match["instrument"].strip(), match["provision"].strip()))
        return found
