"""Benchmark keyword reconciliation: resolutions per second at a million keyword occurrences.

Two workloads: the catalogue's (keywords drawn by weight from bench/catalogue_pool.toml, with case,
spacing and spelling variants and 1% unknown words, so most strings repeat) and a cold one where
every string is new (each needs its full normalisation and, when unknown, a fuzzy suggestion).

    python bench/bench_vocab.py [--occurrences 1000000] [--distinct 100000]
"""

from __future__ import annotations

import argparse
import random
import time
import tomllib
from pathlib import Path

from ls_lod.report import Location, Report
from ls_lod.uris import Minter
from ls_lod.vocab.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
WHERE = Location("bench", 1)


def catalogue_strings(count: int, seed: int = 1) -> list[str]:
    """Keyword occurrences as catalogers type them: mostly clean, some variants, a few unknown."""
    pool = tomllib.loads((ROOT / "bench" / "catalogue_pool.toml").read_text("utf-8"))
    words, weights = zip(*pool["keywords"].items(), strict=True)
    variants = pool["keyword_variants"]
    unknown = pool["unknown_keywords"]["items"]
    rng = random.Random(seed)
    out = []
    for word in rng.choices(words, weights, k=count):
        roll = rng.random()
        if roll < 0.01:
            word = rng.choice(unknown)
        elif roll < 0.05:
            word = rng.choice(variants.get(word, [word.upper(), f" {word}  ", word.replace(" ", "-")]))
        out.append(word)
    return out


def cold_strings(count: int, known: bool, seed: int = 2) -> list[str]:
    """Distinct strings, so none is memoised: known labels in random letter case, or unknown ones."""
    rng = random.Random(seed)
    pool = tomllib.loads((ROOT / "bench" / "catalogue_pool.toml").read_text("utf-8"))
    words = list(pool["keywords"])
    if not known:
        return [f"{rng.choice(words)} {n}" for n in range(count)]
    strings: set[str] = set()
    while len(strings) < count:
        strings.add("".join(c.upper() if rng.random() < 0.5 else c for c in rng.choice(words)))
    return sorted(strings)


def time_resolutions(vocabulary: Vocabulary, strings: list[str]) -> tuple[float, int]:
    report = Report()
    curated = 0
    started = time.perf_counter()
    for number, text in enumerate(strings):
        ref = vocabulary.resolve("keyword", text, str(number // 8), WHERE, report)
        curated += ref is not None and not ref.candidate
        if number % 10_000 == 0:
            report.take()  # as the pipeline does: issues leave with their record
    return time.perf_counter() - started, curated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--occurrences", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=100_000)
    args = parser.parse_args()
    minter = Minter("https://lod.lastradainternational.org/", "lastradainternational.org")
    started = time.perf_counter()
    vocabulary = Vocabulary.load(ROOT / "vocab", minter)
    print(f"load vocab/: {time.perf_counter() - started:.2f} s")

    strings = catalogue_strings(args.occurrences)
    seconds, curated = time_resolutions(vocabulary, strings)
    print(
        f"catalogue mix: {len(strings):,} occurrences in {seconds:.2f} s = {len(strings) / seconds:,.0f} "
        f"resolutions/s; {100 * curated / len(strings):.2f}% curated, "
        f"{len(vocabulary.candidates('keyword'))} distinct candidates"
    )

    for known, what in ((True, "known labels"), (False, "unknown, each with a fuzzy suggestion")):
        vocabulary = Vocabulary.load(ROOT / "vocab", minter)
        strings = cold_strings(args.distinct, known)
        seconds, _curated = time_resolutions(vocabulary, strings)
        print(
            f"cold, every string new ({what}): {len(strings):,} in {seconds:.2f} s = "
            f"{len(strings) / seconds:,.0f} resolutions/s"
        )


if __name__ == "__main__":
    main()
