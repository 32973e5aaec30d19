"""Court cases by name: "Hirsi Jamaa v. Italy" is read as case law, with an Info that names the case.

Each new catalogue names judgments no earlier one did, so a concept per judgment is never complete;
the judgments the field cites most are concepts of their own, looked up first. The words are data
(the [case_law] table of vocab/provisions.toml); no table, no rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ls_lod.vocab.provisions import RULES_FILE
from ls_lod.vocab.rules import alternatives, rules_table


@dataclass(frozen=True)
class CaseRule:
    """Reads "X v. Y" as a court case; `concept` is the slug of the concept such a keyword resolves to."""

    concept: str = ""
    pattern: re.Pattern[str] | None = None

    @classmethod
    def load(cls, directory: Path) -> CaseRule:
        with rules_table(directory, RULES_FILE, "case_law") as table:
            if table is None:
                return cls()
            concept = str(table["concept"])
            joiners = alternatives([str(word) for word in table["joiners"]])
        pattern = re.compile(rf"^(?P<first>\S.*?)\s+(?i:{joiners})\.?\s+(?P<second>\S.*)$")
        return cls(concept, pattern)

    def read(self, text: str) -> str | None:
        """The case named, tidied ("Hirsi Jamaa v. Italy"), or None when the keyword names no two parties."""
        match = self.pattern.match(text.strip()) if self.pattern else None
        if match is None:
            return None
        first, second = match["first"], match["second"]
        if not (_party(first) and _party(second)):
            return None
        return text.strip()


def _party(name: str) -> bool:
    """A party's name starts with a capital letter or a digit ("N.D. and N.T.", "Tibet Menteş and Others")."""
    return name[0].isupper() or name[0].isdigit()
