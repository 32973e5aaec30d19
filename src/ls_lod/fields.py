"""The field table (fields.toml): catalogue labels, export columns and their DCMI terms."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from ls_lod.errors import ConfigError
from ls_lod.uris import expand_curie


@dataclass(frozen=True)
class Field:
    label: str
    column: str
    property: str
    extra: dict[str, str]
    help: str = ""
    optional: bool = False  # an export may leave its column out
    on_pages: bool = True  # a label of the catalogue's record pages (else an export column only)

    def iri(self, key: str = "property") -> str:
        return expand(self.extra[key] if key != "property" else self.property)


@cache
def _table() -> dict:
    return tomllib.loads(resources.files("ls_lod").joinpath("fields.toml").read_text("utf-8"))


@cache
def prefixes() -> dict[str, str]:
    return dict(_table()["prefixes"])


@cache
def fields() -> tuple[Field, ...]:
    rows = _table()["field"]
    return tuple(
        Field(
            row["label"],
            row["column"],
            row["property"],
            {k: v for k, v in row.items() if k not in ("label", "column", "property", "help", "optional", "on_pages")},
            row.get("help", ""),
            row.get("optional", False),
            row.get("on_pages", True),
        )
        for row in rows
    )


def by_label(label: str) -> Field:
    return next(f for f in fields() if f.label == label)


@cache
def labels() -> tuple[str, ...]:
    return tuple(f.label for f in fields())


@cache
def page_labels() -> tuple[str, ...]:
    return tuple(f.label for f in fields() if f.on_pages)


@cache
def column_to_label() -> dict[str, str]:
    return {f.column: f.label for f in fields()}


@lru_cache(maxsize=1024)  # an export names a dozen keys again and again; a hostile one, any number
def column_of(name: str) -> str | None:
    """The column a CSV header or JSON key names: the column itself, or the field's label as a
    record page shows it, in any case and with any spaces, underscores or punctuation
    ("Document number", "DOCUMENT-NUMBER", "Author / publisher"): a spreadsheet catalogers made
    by hand is headed with the labels they see. None for a name that is no catalogue field."""
    if name in column_to_label():
        return name
    return _spellings().get(_spelling(name))


@cache
def _spellings() -> dict[str, str]:
    return {_spelling(name): f.column for f in fields() for name in (f.column, f.label)}


def _spelling(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


@cache
def required_columns() -> tuple[str, ...]:
    return tuple(f.column for f in fields() if not f.optional)


def expand(curie: str) -> str:
    """`dcterms:title` -> `http://purl.org/dc/terms/title`, with the prefixes of fields.toml."""
    iri = expand_curie(curie, prefixes())
    if iri == curie:
        raise ConfigError(f"unknown prefix in {curie!r}; known prefixes: {', '.join(sorted(prefixes()))}")
    return iri


def columns_markdown() -> str:
    """The README's table of the CSV and JSON Lines columns."""
    rows = [
        "| column (CSV header, JSON key) | record page label | published as | what it holds |",
        "|---|---|---|---|",
    ]
    rows += [f"| `{f.column}` | {f.label if f.on_pages else '(none)'} | `{f.property}` | {f.help} |" for f in fields()]
    return "\n".join(rows)
