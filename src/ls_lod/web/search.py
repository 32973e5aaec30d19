"""Search over titles and summaries with SQLite FTS5 (browse.sqlite), safe for any input.

A reader's words are never handed to FTS5 as query syntax: each word becomes a quoted
prefix term, all of them required, so `"`, `*`, `NEAR` or `-` are just text. The words as
typed, or their keys under the vocabularies' normalisation (`labor` -> `labour`, `shelters` ->
`shelter`), which browse.sqlite indexes beside each text: either spelling finds both. Titles weigh
more than summaries. Snippets mark hits with control characters that templates turn into
<mark> only after escaping the catalogue text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ls_lod.indexes.browse import WORD
from ls_lod.web.listing import DocumentRow, Page

HIT_START, HIT_END = "\x02", "\x03"
MAX_WORDS = 12


def fts_query(text: str, fold: Callable[[str], str] | None = None) -> str | None:
    """`forced labor` -> `("forced"* AND "labor"*) OR ("forced"* AND "labour"*)` (the second
    with `fold`, when it changes a word); None when there is no word to look for."""
    words = WORD.findall(text)[:MAX_WORDS]
    if not words:
        return None
    keys = [key for word in words for key in (fold(word).split() if fold else [word.casefold()])]
    if not keys or keys == [word.casefold() for word in words]:
        return _all_of(words)
    return f"({_all_of(words)}) OR ({_all_of(keys)})"


def _all_of(words: list[str]) -> str:
    return " AND ".join(f'"{word}"*' for word in words)


def run(
    db: sqlite3.Connection, text: str, page: int, size: int, fold: Callable[[str], str] | None = None
) -> tuple[Page, dict[str, str]]:
    query = fts_query(text, fold)
    if query is None:
        return Page([], 0, page, size), {}
    total = int(db.execute("SELECT count(*) FROM document_text WHERE document_text MATCH ?", (query,)).fetchone()[0])
    rows = db.execute(
        "SELECT d.number, d.title, d.issued, "
        f"snippet(document_text, 1, '{HIT_START}', '{HIT_END}', '…', 24) "
        "FROM document_text JOIN document d ON d.number = document_text.rowid "
        "WHERE document_text MATCH ? ORDER BY bm25(document_text, 5.0, 1.0, 1.0), d.number LIMIT ? OFFSET ?",
        (query, size, (page - 1) * size),
    ).fetchall()
    snippets = {str(number): snippet for number, _, _, snippet in rows}
    return Page([DocumentRow(str(n), t, i) for n, t, i, _ in rows], total, page, size), snippets
