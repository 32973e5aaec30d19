"""What the inflection rule reads, for checking by meaning (round 8 of issue 14).

    python bench/stem_readings.py tests/data/coverage/development.csv ...    # every reading on the files
    python bench/stem_readings.py --leave-one-out                            # the labels, each left out
    python bench/stem_readings.py --words /usr/share/dict/british-english    # English words it reads

Every keyword use of the CSV files that the rule reads (not a label, provision, document type or
misspelling) is listed with the concept and the label it was read through. --leave-one-out removes
each distinct non-English label key from the rule's index in turn and reads it with the others:
a reading as another concept is a near-collision. --words reads every word of a word list; each
reading of an English word is wrong unless the word is a cognate.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from pathlib import Path

from ls_lod.uris import Minter
from ls_lod.vocab.stemming import StemIndex
from ls_lod.vocab.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
SPACES = re.compile(r"\s+")


def files(vocabulary: Vocabulary, paths: list[Path]) -> None:
    found: Counter[tuple[str, str, str, str]] = Counter()
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                for raw in {SPACES.sub(" ", item).strip() for item in (row.get("keywords") or "").split(",")} - {""}:
                    match = vocabulary.match("keyword", raw)
                    if match.problem == "stem" and match.ref and match.stem:
                        found[(path.name, raw, match.ref.label, f"{match.stem.label}@{match.stem.language}")] += 1
    for (name, raw, concept, label), uses in sorted(found.items()):
        print(f"{name}\t{uses}\t{raw!r} -> {concept!r} (through {label!r})")
    print(f"{sum(found.values())} uses, {len(found)} strings")


def leave_one_out(vocabulary: Vocabulary) -> None:
    index: StemIndex = vocabulary.stemming()
    entries = [(tag, stems, labels) for tag, by_stems in index._index.items() for stems, labels in by_stems.items()]
    read = same = 0
    for key in sorted({" ".join(label.words) for _tag, _stems, labels in entries for label in labels}):
        iris = {label.iri for _tag, _stems, labels in entries for label in labels if " ".join(label.words) == key}
        removed = []
        for tag, stems, labels in entries:
            kept = [label for label in labels if " ".join(label.words) != key]
            if len(kept) != len(labels):
                removed.append((tag, stems, labels))
                index._index[tag][stems] = kept
        reading = index.read(key)
        for tag, stems, labels in removed:
            index._index[tag][stems] = labels
        if reading is not None:
            read += 1
            same += reading.iri in iris
            verdict = "same concept" if reading.iri in iris else "ANOTHER CONCEPT"
            print(f"{key!r} -> {reading.label!r}@{reading.language}: {verdict}")
    total = len({" ".join(label.words) for _tag, _stems, labels in entries for label in labels})
    print(f"{total} label keys, {read} read, {same} as their own concept, {read - same} as another")


def words(vocabulary: Vocabulary, path: Path) -> None:
    count = read = 0
    for word in path.read_text("utf-8").split():
        if "'" in word:
            continue
        count += 1
        match = vocabulary.match("keyword", word)
        if match.problem == "stem" and match.ref and match.stem:
            read += 1
            print(f"{word!r} -> {match.ref.label!r} (through {match.stem.label!r}@{match.stem.language})")
    print(f"{count} words, {read} read")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="*", type=Path)
    parser.add_argument("--leave-one-out", action="store_true")
    parser.add_argument("--words", type=Path)
    parser.add_argument("--vocab", type=Path, default=ROOT / "vocab")
    args = parser.parse_args()
    vocabulary = Vocabulary.load(args.vocab, Minter("https://lod.example.org/", "example.org"))
    if args.csv:
        files(vocabulary, args.csv)
    if args.leave_one_out:
        leave_one_out(vocabulary)
    if args.words:
        words(vocabulary, args.words)


if __name__ == "__main__":
    main()
