"""What the vocabulary tests share: the shipped vocabulary, loaded per test module, and one
keyword read the way a build reads it (test_vocab, test_provisions, test_cases), and the output
of `ls-lod vocab candidates` (test_vocab, test_spelling), and the tables of docs/vocabularies.md
that give each label's source (test_vocab_languages, test_vocab_topics)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ls_lod.cli.vocab import vocab
from ls_lod.report import Location, Report
from ls_lod.uris import Minter
from ls_lod.vocab.vocabulary import Vocabulary

VOCAB = Path(__file__).resolve().parent.parent / "vocab"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "vocabularies.md"
SOURCE_ROW = re.compile(r"^\| `(?P<slug>[a-z0-9-]+)` \| (?P<lang>[A-Za-z-]+) \| (?P<label>[^|]+?) \| [^|]+ \|$")
BASE = "https://lod.example.org/"
WHERE = Location("data/3039.txt", 16)


@pytest.fixture(scope="module")
def shipped() -> Vocabulary:
    """Loaded once a module (reading gathers candidates); tests that count candidates use a fresh one."""
    return Vocabulary.load(VOCAB, Minter(BASE, "example.org"))


def read(vocabulary: Vocabulary, text: str) -> tuple[str | None, bool, Report]:
    """The keyword's slug (None when dropped), whether it is a candidate, and what the report says."""
    report = Report()
    ref = vocabulary.resolve("keyword", text, "3039", WHERE, report)
    return (None if ref is None else ref.iri[len(BASE) :]), bool(ref and ref.candidate), report


def assert_resolves_to(vocabulary: Vocabulary, written: str, slug: str, said: str = "") -> None:
    """The string resolves to the curated keyword concept `slug` (`said` names it when it fails)."""
    found, candidate, _report = read(vocabulary, written)
    assert (found, candidate) == (f"id/keyword/{slug}", False), said or written


def assert_stays_candidate(vocabulary: Vocabulary, written: str) -> None:
    """The string is published, and as a candidate concept: no curated concept took it."""
    found, candidate, _report = read(vocabulary, written)
    assert found is not None and candidate, written


def assert_read_by_stem(vocabulary: Vocabulary, written: str, slug: str) -> None:
    """An inflected form, read through the stemming rule as the curated keyword concept `slug`."""
    match = vocabulary.match("keyword", written)
    assert match.problem == "stem" and match.ref is not None, written
    assert match.ref.iri == f"{BASE}id/keyword/{slug}"


def candidates_output(directory: Path, output_format: str = "text") -> str:
    """What `ls-lod vocab candidates DIRECTORY --format FORMAT` prints with the shipped vocabulary."""
    result = CliRunner().invoke(vocab, ["candidates", str(directory), "--vocab", str(VOCAB), "--format", output_format])
    assert result.exit_code == 0, result.output
    return result.output


def label_sources(heading: str) -> list[tuple[str, str, str]]:
    """(slug, language, label) of each row of the docs' table that follows the bold `heading`
    ("Sources of round 11's labels"), each row | `slug` | lang | label | source |."""
    section = DOCS.read_text(encoding="utf-8").split(f"**{heading}**", 1)[1]
    lines = [line for line in section.split("\n\n**", 1)[0].splitlines() if line.startswith("| `")]
    rows = [SOURCE_ROW.match(line) for line in lines]
    assert all(rows), f"a row of the table {heading!r} does not read as | `slug` | lang | label | source |"
    return [(m["slug"], m["lang"], m["label"]) for m in rows if m]
