"""What the vocabulary tests share: the shipped vocabulary, loaded per test module, and one
keyword read the way a build reads it (test_vocab, test_provisions, test_cases), and the output
of `ls-lod vocab candidates` (test_vocab, test_spelling)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ls_lod.cli.vocab import vocab
from ls_lod.report import Location, Report
from ls_lod.uris import Minter
from ls_lod.vocab.vocabulary import Vocabulary

VOCAB = Path(__file__).resolve().parent.parent / "vocab"
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


def candidates_output(directory: Path, output_format: str = "text") -> str:
    """What `ls-lod vocab candidates DIRECTORY --format FORMAT` prints with the shipped vocabulary."""
    result = CliRunner().invoke(vocab, ["candidates", str(directory), "--vocab", str(VOCAB), "--format", output_format])
    assert result.exit_code == 0, result.output
    return result.output
