"""The vocabulary directory's rule files (TOML): one read, and every mistake in one a ConfigError.

normalisation.toml, provisions.toml and its [case_law] table are read the same way: a missing
file means no rule, and a file that does not parse or lacks a key stops the build with a sentence
naming the file, never a traceback.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ls_lod.errors import ConfigError


@contextmanager
def rules_table(directory: Path, name: str, section: str | None = None) -> Iterator[dict[str, Any] | None]:
    """The file's table, or its table `section` ([case_law]); None when the directory has no such
    file or the file no such table. Errors raised while the caller reads it inside the `with`
    become a ConfigError naming the file."""
    path = directory / name
    if not path.exists():
        yield None
        return
    try:
        table = tomllib.loads(path.read_text("utf-8"))
        yield table if section is None else table.get(section)
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, re.error) as error:
        raise ConfigError(f"vocabulary rules file {path} is not valid: {error}") from None


def alternatives(words: list[str]) -> str:
    """The words as a regular-expression alternation, longest first, so that "of the" is tried
    before "of" (the rule files' markers and joiners)."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))
