"""Measure offline language detectors on the catalogue's titles and summaries, to choose one.

The samples are the bundled records (data/, languages known: the table below) and the
generated catalogue's pool (bench/catalogue_pool.toml: every foreign title and paragraph under
its language, and English titles made by bench/generate.py). Each detector is restricted to the
catalogue's ten languages where it can be, and timed per text after a warm-up.

    python bench/bench_language.py            # accuracy (all / confident only) and speed
"""

from __future__ import annotations

import importlib.util
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

LANGUAGES = ("en", "nl", "pl", "cs", "bg", "uk", "ru", "ro", "de", "fr")
# The bundled records not in English (titles and summaries are in one language each).
DATA_LANGUAGES = {
    "1251": "nl", "1760": "nl", "1289": "pl", "1881": "pl", "1312": "cs", "2004": "cs", "1433": "bg",
    "1468": "uk", "1490": "ru", "1512": "ro", "2214": "ro", "1537": "de", "1560": "fr",
}  # fmt: skip

Detector = Callable[[str], tuple[str | None, float]]


def samples() -> list[tuple[str, str, str]]:
    """(kind, text, language) for every title and summary of data/ and of the pool."""
    from ls_lod.readers import read_sources
    from ls_lod.report import Report
    from ls_lod.settings import Settings

    found = []
    for source in read_sources([str(ROOT / "data")], Settings.load(), Report()):
        number = source.text("Document number") or ""
        language = DATA_LANGUAGES.get(number, "en")
        for kind in ("Title", "Summary"):
            if text := source.text(kind):
                found.append((f"data {kind.lower()}", text, language))
    pool = tomllib.loads((ROOT / "bench" / "catalogue_pool.toml").read_text("utf-8"))
    for language, table in pool["languages"].items():
        found += [("pool title", title, language) for title in table["titles"]]
        found += [("pool summary", text, language) for text in table["paragraphs"]]
    found += [(f"pool {kind}", text, "en") for kind, text in english_texts(200)]
    return found


def english_texts(count: int) -> list[tuple[str, str]]:
    """English titles and summaries as bench/generate.py makes them."""
    import random

    from generate import FieldPools  # type: ignore[import-not-found]

    pool = tomllib.loads((ROOT / "bench" / "catalogue_pool.toml").read_text("utf-8"))
    fields = FieldPools(pool, random.Random(1))
    titles = [fields.fill(fields.one(pool["titles"]["templates"])) for _ in range(count)]
    return [("title", t) for t in titles] + [("summary", fields.paragraph()) for _ in range(count)]


def lingua_detector() -> Detector:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()

    def detect(text: str) -> tuple[str | None, float]:
        values = detector.compute_language_confidence_values(text)
        best = values[0]
        return best.language.iso_code_639_1.name.lower(), best.value

    return detect


def py3langid_detector() -> Detector:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))

    def detect(text: str) -> tuple[str | None, float]:
        language, probability = identifier.classify(text)
        return language, float(probability)

    return detect


def langdetect_detector() -> Detector:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # langdetect is random otherwise

    def detect(text: str) -> tuple[str | None, float]:
        try:
            best = detect_langs(text)[0]
        except LangDetectException:
            return None, 0.0
        return best.lang, best.prob

    return detect


DETECTORS = {"lingua": lingua_detector, "py3langid": py3langid_detector, "langdetect": langdetect_detector}
MODULES = {"lingua": "lingua", "py3langid": "py3langid", "langdetect": "langdetect"}


def measure(name: str, detect: Detector, found: list[tuple[str, str, str]], threshold: float) -> None:
    for text, _, _ in found[:20]:  # warm-up (models load lazily)
        detect(text)
    kinds = sorted({kind for kind, _, _ in found})
    started = time.perf_counter()
    results = [(kind, language, *detect(text)) for kind, text, language in found]
    per_text = (time.perf_counter() - started) / len(found) * 1000
    for kind in kinds:
        rows = [r for r in results if r[0] == kind]
        right = sum(r[1] == r[2] for r in rows)
        confident = [r for r in rows if r[3] >= threshold]
        sure = sum(r[1] == r[2] for r in confident)
        print(
            f"| {name} | {kind} | {len(rows)} | {right / len(rows):.1%} | {len(confident)} "
            f"| {sure / max(len(confident), 1):.1%} | {per_text:.2f} |"
        )


def main() -> None:
    found = samples()
    threshold = 0.9
    print(f"{len(found)} texts; confident = the detector's confidence >= {threshold}")
    print("| detector | texts | n | accuracy | confident n | accuracy when confident | ms a text |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, make in DETECTORS.items():
        if importlib.util.find_spec(MODULES[name]) is None:
            print(f"| {name} | not installed (pip install it to measure) | | | | | |")
            continue
        measure(name, make(), found, threshold)


if __name__ == "__main__":
    main()
