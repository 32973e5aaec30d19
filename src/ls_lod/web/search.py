"""Search over titles and summaries with SQLite FTS5 (browse.sqlite), safe for any input.

A reader's words are never handed to FTS5 as query syntax: each word becomes quoted terms, all
of the words required, so `"`, `*`, `NEAR` or `-` are just text. A word is asked for as typed
(a prefix), as its key under the vocabularies' normalisation (`labor` -> `labour`, `shelters` ->
`shelter`), and as each indexed word whose key starts with one of those (browse.sqlite's
word_key rows: `labour` asks for `labor` and `laborers` too): either spelling finds both. Titles
weigh more than summaries. Snippets mark hits with control characters that templates turn into
<mark> only after escaping the catalogue text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ls_lod.indexes.browse import WORD
from ls_lod.web.listing import DocumentRow, Page

HIT_START, HIT_END = "\x02", "\x03"
MAX_WORDS = 12


# Indexed words asked for a prefix at most: a word of a letter or two has hundreds of spellings
# whose key starts with it, and words that short find most documents by themselves.
MAX_SPELLINGS = 50


def fts_query(
    text: str, fold: Callable[[str], str] | None = None, spellings: Callable[[str], list[str]] = lambda prefix: []
) -> str | None:
    """`forced labor` -> `"forced"* AND ("labor"* OR "labour"* OR "laborers")` (the key with
    `fold`, when it changes the word; `spellings` gives the indexed words whose key starts with a
    prefix); None when there is no word to look for."""
    words = WORD.findall(text)[:MAX_WORDS]
    if not words:
        return None
    return " AND ".join(_any_spelling(word, fold, spellings) for word in words)


def _any_spelling(word: str, fold: Callable[[str], str] | None, spellings: Callable[[str], list[str]]) -> str:
    """The word as typed, or the words whose key starts with it; or its key, or the words whose
    key starts with that (all its keys, each so, when it folds to several)."""
    typed = word.casefold()
    keys = fold(word).split() if fold else []
    forms = [f'"{word}"*', *_quoted(spellings(typed) if fold else [])]
    if len(keys) == 1 and keys != [typed]:
        forms += [f'"{keys[0]}"*', *_quoted(spellings(keys[0]))]
    elif len(keys) > 1:
        forms.append("(" + " AND ".join(_either([f'"{key}"*', *_quoted(spellings(key))]) for key in keys) + ")")
    return _either(list(dict.fromkeys(forms)))


def _either(forms: list[str]) -> str:
    return forms[0] if len(forms) == 1 else f"({' OR '.join(forms)})"


def _quoted(words: list[str]) -> list[str]:
    return [f'"{word}"' for word in words]


def indexed_spellings(db: sqlite3.Connection) -> Callable[[str], list[str]]:
    """The indexed words whose key starts with a prefix and which do not (`prefix*` finds those)."""

    def spellings(prefix: str) -> list[str]:
        rows = db.execute(
            "SELECT word FROM word_key WHERE key >= ?1 AND key < ?1 || char(1114111) "
            "AND substr(word, 1, length(?1)) <> ?1 ORDER BY key, word LIMIT ?2",
            (prefix, MAX_SPELLINGS),
        )
        return [word for (word,) in rows]

    return spellings


def run(
    db: sqlite3.Connection, text: str, page: int, size: int, fold: Callable[[str], str] | None = None
) -> tuple[Page, dict[str, str]]:
    query = fts_query(text, fold, indexed_spellings(db))
    if query is None:
        return Page([], 0, page, size), {}
    total = int(db.execute("SELECT count(*) FROM document_text WHERE document_text MATCH ?", (query,)).fetchone()[0])
    rows = db.execute(
        "SELECT d.number, d.title, d.issued, "
        f"snippet(document_text, 1, '{HIT_START}', '{HIT_END}', '…', 24) "
        "FROM document_text JOIN document d ON d.number = document_text.rowid "
        "WHERE document_text MATCH ? ORDER BY bm25(document_text, 5.0, 1.0), d.number LIMIT ? OFFSET ?",
        (query, size, (page - 1) * size),
    ).fetchall()
    snippets = {str(number): snippet for number, _, _, snippet in rows}
    return Page([DocumentRow(str(n), t, i) for n, t, i, _ in rows], total, page, size), snippets
