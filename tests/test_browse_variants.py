"""Search across spelling variants (indexes/browse.py word_key, web/search.py): a word found by
any spelling whose key under the vocabularies' normalisation starts like the one asked for.

The index used to hold, beside each text, the keys of its words that are not words of the text,
and a search asked for the words as typed or for their keys. It now holds each distinct indexed
word's key once, and a search asks for the words that fold alike; the documents found must be
the same, word for word, as the definition the old index was written from.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from ls_lod.indexes.browse import TOKENIZE, WORD, _add_word_keys
from ls_lod.vocab.keys import LabelNormaliser
from ls_lod.web.search import fts_query, indexed_spellings
from support import DATA, ROOT

TEXTS = [
    "Labor organizing and forced labor: shelters, programs and programmes",
    "İstanbul Straße CAFÉ café Labour labour",
    "anti-trafficking Anti trafficking 2021 _x_",
    "Labor LABOUR Shelters SHELTER",
    "Organised crime and the labour market; laborers organize",
    "",
]


def defined(text: str, fold: Callable[[str], str]) -> str:
    """The variants the old index kept beside a text: its words' keys that are not its words."""
    words = {word.casefold() for word in WORD.findall(text)}
    return " ".join(sorted({key for word in words for key in fold(word).split()} - words))


def texts() -> list[str]:
    return TEXTS + [path.read_text("utf-8") for path in sorted(DATA.glob("*.txt"))]


@pytest.fixture(scope="module")
def fold() -> Callable[[str], str]:
    return LabelNormaliser.load(ROOT / "vocab").key


@pytest.fixture(scope="module")
def indexes(fold: Callable[[str], str]) -> tuple[sqlite3.Connection, sqlite3.Connection]:
    """The texts indexed the old way (with their variants) and the new way (with word_key)."""
    old, new = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    old.execute(f"CREATE VIRTUAL TABLE t USING fts5 (text, folded, tokenize='{TOKENIZE}')")
    new.execute(f"CREATE VIRTUAL TABLE t USING fts5 (text, tokenize='{TOKENIZE}')")
    new.execute("CREATE TABLE word_key (key TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (key, word))")
    for number, text in enumerate(texts(), 1):
        old.execute("INSERT INTO t (rowid, text, folded) VALUES (?, ?, ?)", (number, text, defined(text, fold)))
        new.execute("INSERT INTO t (rowid, text) VALUES (?, ?)", (number, text))
    _add_word_keys(new, "main", "t", fold)
    return old, new


def old_query(words: list[str], fold: Callable[[str], str]) -> str:
    """What the old search asked: all the words as typed, or all their keys."""
    keys = [key for word in words for key in fold(word).split()]
    typed = " AND ".join(f'"{word}"*' for word in words)
    as_keys = " AND ".join(f'"{key}"*' for key in keys)
    return typed if keys == [word.casefold() for word in words] else f"({typed}) OR ({as_keys})"


def found(db: sqlite3.Connection, query: str) -> set[int]:
    return {row[0] for row in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,))}


def test_a_word_finds_the_documents_it_found_when_the_index_kept_each_texts_variants(
    indexes: tuple[sqlite3.Connection, sqlite3.Connection], fold: Callable[[str], str]
) -> None:
    old, new = indexes
    spellings = indexed_spellings(new)
    words = sorted({word for text in texts() for word in WORD.findall(text)})
    asked = [*words, *{word[:-1] for word in words if len(word) > 4}]  # and prefixes, as typed so far
    differ = [w for w in asked if found(old, old_query([w], fold)) != found(new, fts_query(w, fold, spellings) or "")]
    assert len(asked) > 2000 and not differ, differ[:20]


def test_words_together_find_the_documents_they_found_together(
    indexes: tuple[sqlite3.Connection, sqlite3.Connection], fold: Callable[[str], str]
) -> None:
    """Two words that stand side by side in a text: the old index asked for both as typed or
    both as keys (`labor organising` as `labor* organising*` or `labour* organise*`, the
    variants making up the mix); each word now asks for any of its spellings."""
    old, new = indexes
    spellings = indexed_spellings(new)
    pairs = {
        tuple(words[i : i + 2]) for text in texts() if len(words := WORD.findall(text)) > 1 for i in range(0, 40, 2)
    }
    pairs = {pair for pair in pairs if len(pair) == 2}
    differ = [
        pair
        for pair in sorted(pairs)
        if found(old, old_query(list(pair), fold)) != found(new, fts_query(" ".join(pair), fold, spellings) or "")
    ]
    assert len(pairs) > 500 and not differ, differ[:20]


def test_either_spelling_finds_both(indexes: tuple[sqlite3.Connection, sqlite3.Connection], fold: Callable) -> None:
    _, new = indexes
    spellings = indexed_spellings(new)
    for a, b in [("labor", "labour"), ("organized", "organised"), ("shelters", "shelter"), ("laborers", "labourer")]:
        assert found(new, fts_query(a, fold, spellings) or "") == found(new, fts_query(b, fold, spellings) or "")
    assert {1, 4, 5} <= found(new, fts_query("labour", fold, spellings) or "")
    assert fts_query("labour", fold, spellings) == '("labour"* OR "labor" OR "laborers")'


def test_a_word_written_with_a_ligature_is_found_by_its_letters(fold: Callable[[str], str]) -> None:
    """`ﬁnal` (U+FB01) is indexed as written, and its key is `final`: the old index missed it,
    since the text's casefolded words (`final`) already held the key."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5 (text, tokenize='{TOKENIZE}')")
    db.execute("CREATE TABLE word_key (key TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (key, word))")
    db.executemany("INSERT INTO t (rowid, text) VALUES (?, ?)", [(1, "the ﬁnal report"), (2, "a first report")])
    _add_word_keys(db, "main", "t", fold)
    assert found(db, fts_query("final", fold, indexed_spellings(db)) or "") == {1}


def test_the_words_of_a_key_are_the_index_words_that_fold_to_it(
    indexes: tuple[sqlite3.Connection, sqlite3.Connection], fold: Callable[[str], str]
) -> None:
    _, new = indexes
    rows = set(new.execute("SELECT key, word FROM word_key"))
    assert ("labour", "labor") in rows and ("shelter", "shelters") in rows and ("cafe", "café") not in rows
    assert all(key != word and key in fold(word).split() for key, word in rows)
