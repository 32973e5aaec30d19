"""Content negotiation: which representation a client gets, by Accept (with q-values) or suffix.

The formats themselves are data (media_types.toml); this module only parses Accept headers
(RFC 9110 §12.5.1) and picks the best format, the server's order breaking ties.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Format:
    """One representation: its short name, media type, IRI suffix and accepted aliases."""

    name: str
    media_type: str
    suffix: str
    aliases: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches `media_type`: 2 exact, 1 type/*, 0 */*, -1 not."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


@cache
def formats(use: str) -> tuple[Format, ...]:
    """The formats of one use (`description`, `sparql_results`, `sparql_graph`), preferred first."""
    table = tomllib.loads(resources.files("ls_lod.web").joinpath("media_types.toml").read_text("utf-8"))
    return tuple(Format(row["name"], row["media_type"], row["suffix"], tuple(row["aliases"])) for row in table[use])


def by_suffix(use: str, suffix: str) -> Format | None:
    return next((f for f in formats(use) if f.suffix == suffix), None)


def by_name(use: str, name: str) -> Format | None:
    """A format by its short name, suffix or media type (the `format=` parameter of /sparql)."""
    return next((f for f in formats(use) if name in (f.name, f.suffix, *f.media_types)), None)


def parse_accept(header: str | None) -> list[MediaRange]:
    """Media ranges of an Accept header; a malformed range is skipped, a bad q counts as 1."""
    ranges = []
    for item in (header or "").split(","):
        media, *params = [part.strip() for part in item.split(";")]
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 1.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def quality(ranges: list[MediaRange], fmt: Format) -> float:
    """The q the client gives `fmt`: that of the most specific range matching any of its types."""
    best_q, best_specificity = 0.0, -1
    for media_type in fmt.media_types:
        for media_range in ranges:
            specificity = media_range.matches(media_type)
            if specificity > best_specificity or (specificity == best_specificity and media_range.q > best_q):
                best_q, best_specificity = media_range.q, specificity
    return best_q if best_specificity >= 0 else 0.0


def choose(accept: str | None, available: tuple[Format, ...]) -> Format | None:
    """The format with the highest q (server order on ties); no Accept header: the first one."""
    ranges = parse_accept(accept)
    if not ranges:
        return available[0] if available else None
    scored = [(quality(ranges, fmt), -index, fmt) for index, fmt in enumerate(available)]
    q, _, fmt = max(scored, key=lambda item: item[:2])
    return fmt if q > 0 else None


def split_suffix(path: str, use: str = "description") -> tuple[str, Format | None]:
    """`3039.ttl` -> (`3039`, turtle); a path without a known suffix comes back whole."""
    stem, dot, suffix = path.rpartition(".")
    if dot and "/" not in suffix:
        fmt = by_suffix(use, suffix)
        if fmt is not None:
            return stem, fmt
    return path, None
