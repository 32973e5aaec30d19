"""EU acts by number in any language: "Directiva 2012/29/UE" is the Victims' Rights Directive.

An EU act's number is its identifier in every language version; only the word for the act
("Richtlinie", "dyrektywa", "Οδηγία") and the abbreviation of the Union ("EU", "UE", "WE", "ΕΕ",
"ЕС") change. Catalogers write the number in the language of the publication, and a label per
language and act would never be complete. So a keyword that no label matches and that is nothing
but an act word, the number and the Union's abbreviation is looked up by its number among the
labels of the vocabulary's instruments. The words are data (the [eu_numbers] table of
vocab/provisions.toml); which concepts carry which number is read from their labels.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ls_lod.vocab.provisions import RULES_FILE
from ls_lod.vocab.rules import alternatives, rules_table

# 2011/36, 604/2013, 2024/1712: year and number, or number and year (regulations before 2015)
_NUMBER = r"(?P<number>\d{1,4}/\d{1,4})"


@dataclass(frozen=True)
class EUNumber:
    """A string read as an EU act: its number ("2011/36") and the kind of act its word names ("" if none)."""

    number: str
    act: str


@dataclass(frozen=True)
class EUNumberRule:
    """Reads "Directiva 2012/29/UE" as (2012/29, directive); no table, no rule."""

    acts: Mapping[str, str] = field(default_factory=dict)  # word as written, lower case -> kind of act
    pattern: re.Pattern[str] | None = None

    @classmethod
    def load(cls, directory: Path) -> EUNumberRule:
        with rules_table(directory, RULES_FILE, "eu_numbers") as table:
            if table is None:
                return cls()
            acts = {str(word).casefold(): str(act) for act, words in table["acts"].items() for word in words}
            words = alternatives(list(acts))
            prefixes = alternatives([str(word) for word in table.get("prefixes", [])])
            unions = alternatives([str(word) for word in table["unions"]])
            marks = alternatives([str(word) for word in table.get("number_marks", [])])
        prefix = rf"(?:(?:{prefixes})\s+)?" if prefixes else ""
        mark = rf"(?:(?:{marks})\.?\s*)?" if marks else ""
        # [Council] [Directive] [(EU)] [No] 2011/36[/EU], and at least a word or the Union's abbreviation
        pattern = re.compile(
            rf"^{prefix}(?:(?P<word>{words})\s+)?(?:\((?P<union_before>{unions})\)\s*)?{mark}{_NUMBER}"
            rf"(?:/(?P<union_after>{unions}))?$",
            re.IGNORECASE,
        )
        return cls(acts, pattern)

    def read(self, text: str) -> EUNumber | None:
        """The act a string names by number, or None when it is not just an act word, a number and the Union."""
        match = self.pattern.match(text.strip()) if self.pattern else None
        if match is None:
            return None
        word = match["word"]
        if not (word or match["union_before"] or match["union_after"]):
            return None  # a bare "2011/36" could be any number
        act = self.acts.get(word.casefold(), "") if word else ""
        first, second = match["number"].split("/")
        return EUNumber(f"{int(first)}/{int(second)}", act)


def same_act(one: str, other: str) -> bool:
    """Two readings name the same kind of act, or one names none ("2011/36/EU" fits a directive)."""
    return not one or not other or one == other
