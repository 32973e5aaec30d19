"""Language detection reads a bounded prefix of the text (convert/languages.toml `prefix`)."""

from __future__ import annotations

import gc
import tomllib
from pathlib import Path

import pytest

from ls_lod.convert import detection, language, mapping
from ls_lod.convert.context import conversion_for
from ls_lod.model import RawValue, SourceRecord
from ls_lod.readers import read_sources
from ls_lod.report import Location, Report
from ls_lod.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

ENGLISH = (
    "This report examines the situation of victims of trafficking in human beings in Poland, "
    "including foreign workers employed in agriculture, construction and food processing. "
    "The authors analyse the data of the national intervention centre and criminal case files, "
    "and make recommendations to the government and to labour inspectors on identification. "
)
POLISH = (
    "Raport przedstawia wyniki monitoringu sytuacji ofiar handlu ludźmi w Polsce, w tym "
    "cudzoziemców zatrudnionych w rolnictwie, budownictwie i przetwórstwie spożywczym. "
)


def test_a_long_text_is_tagged_by_its_beginning() -> None:
    """Only the first `prefix` characters are read: the whole text, mostly Polish, would be `pl`."""
    prefix = language.table()["prefix"]
    assert len(ENGLISH) <= prefix < len(ENGLISH) + len(POLISH) * 20
    assert language.detect(ENGLISH + POLISH * 20) == "en"
    assert language.detect(POLISH * 20) == "pl"


def test_short_texts_are_unchanged() -> None:
    assert language.detect(ENGLISH) == "en"
    assert language.detect(POLISH) == "pl"
    assert language.detect("1998 – 2001") is None


def test_texts_with_one_beginning_are_detected_once() -> None:
    """The answer is remembered by the characters the detector reads, so summaries that differ
    only after them cost one detection."""
    before = language._detect_prefix.cache_info()
    opening = ENGLISH * 2  # longer than the prefix
    assert language.detect(opening + "Annex one.") == language.detect(opening + "Annex two, in Dutch.") == "en"
    after = language._detect_prefix.cache_info()
    assert after.misses - before.misses <= 1
    assert after.hits - before.hits >= 1
    assert language.detect("  1998  ") is None  # no letter at all: no detection, whatever the prefix


def _corpus() -> list[str]:
    """Titles and summaries of the bundled records and of the generated catalogue's pool, in the
    catalogue's ten languages, with texts the detector finds no feature in or folds to lower case."""
    pool = tomllib.loads((ROOT / "bench" / "catalogue_pool.toml").read_text("utf-8"))
    texts = [text for table in pool["languages"].values() for text in (*table["titles"], *table["paragraphs"])]
    for source in read_sources([str(ROOT / "data")], Settings.load(), Report()):
        texts += [source.text("Title") or "", source.text("Summary") or ""]
    return [*texts, ENGLISH + POLISH * 20, "ДОКЛАД ЗА ТРАФИКА", "Ａｂｃ", "x", "e\u0301te", "😀 a", "…"]


def test_texts_detected_in_a_batch_get_the_answers_of_one_by_one() -> None:
    """prime() walks a batch through the detector's automaton together: each text's language and
    confidence are exactly what py3langid gives for it alone."""
    identifier = language._identifier()
    prefixes = list(dict.fromkeys(language._prefix(text) for text in _corpus() if text.strip()))
    alone = [identifier.classify(prefix) for prefix in prefixes]
    encoded = [identifier._encode(prefix) for prefix in prefixes]
    identifier.walked = dict(zip(encoded, detection.walk(identifier, encoded), strict=True))
    try:
        assert [identifier.classify(prefix) for prefix in prefixes] == alone
    finally:
        identifier.walked = {}
    assert len(prefixes) > 150 and {tag for tag, _ in alone} >= set(language.table()["detect"])


def test_the_automaton_kept_as_tuples_answers_as_py3langids_lists() -> None:
    """detection.identifier keeps the automaton's tables as tuples, out of the garbage collector's
    watch (issue 10): the answers stay those of py3langid's own identifier."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ours = detection.identifier(list(language.table()["detect"]))
    theirs = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    theirs.set_languages(list(language.table()["detect"]))
    assert isinstance(theirs.tk_output, list)
    prefixes = list(dict.fromkeys(language._prefix(text) for text in _corpus() if text.strip()))
    assert [ours.classify(p) for p in prefixes] == [theirs.classify(p) for p in prefixes]
    gc.collect()  # a tuple of ints leaves the collector's watch at the first collection it meets
    assert not gc.is_tracked(ours.tk_output) and not gc.is_tracked(ours._rowbase)


def test_the_walk_gives_each_texts_features_in_the_order_py3langid_counts_them() -> None:
    """The order matters: the score sums the features in it, and float sums are not associative."""
    from py3langid.langid import visit_counts

    identifier = language._identifier()
    encoded = list(dict.fromkeys(identifier._encode(language._prefix(t)) for t in _corpus() if t.strip()))
    for text, (features, counts) in zip(encoded, detection.walk(identifier, encoded), strict=True):
        visits = visit_counts(identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, text) or {}
        assert features.tolist() == list(visits) and counts.tolist() == list(visits.values())


def test_a_primed_batch_is_not_detected_again() -> None:
    texts = [f"{POLISH} Numer {n}." for n in range(5)] + ["Annual report of the helpline 2019", "1998", ""]
    language.prime(texts)
    before = language._detect_prefix.cache_info()
    assert [language.detect(text) if text else None for text in texts] == ["pl"] * 5 + ["en", None, None]
    after = language._detect_prefix.cache_info()
    assert after.misses == before.misses
    assert language._identifier().walked == {}  # nothing kept once the batch is detected


def test_a_records_texts_to_detect_are_those_its_conversion_detects(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a batch primes is what to_record then asks: same cleaning, none when a language is given."""
    conversion = conversion_for(Settings.load())
    asked: list[str] = []
    real = language.detect

    def detect(text: str) -> str | None:
        asked.append(text)
        return real(text)

    monkeypatch.setattr(language, "detect", detect)
    fields = {
        "Document number": "12",
        "Title": "  Annual\x07  report \n 2019 ",
        "Summary": " A summary\x0b of the year. \n",
        "Date": "2019",
    }
    record = SourceRecord(Location("a.jsonl", 1), {k: RawValue(v, Location("a.jsonl", 1)) for k, v in fields.items()})
    assert mapping.detection_texts(record, conversion) == ("Annual report 2019", "A summary of the year.")
    mapping.to_record(record, conversion, Report())
    assert asked == ["Annual report 2019", "A summary of the year."]
    untitled = SourceRecord(record.location, {"Document number": fields["Document number"]}, "Header title")  # type: ignore[dict-item]
    assert mapping.detection_texts(untitled, conversion) == ("Header title",)
    given = SourceRecord(record.location, {**record.fields, "Language": RawValue("NL", record.location)})
    assert mapping.detection_texts(given, conversion) == ()


def test_a_batch_with_nothing_to_detect_does_not_load_the_model() -> None:
    """A rebuild's batch of unchanged records has no text to detect: the detector (about 100 MB)
    stays unloaded, as it did before batches were primed."""
    language._identifier.cache_clear()
    language.prime([])
    language.prime(["1998 – 2001", "", None])
    assert language._identifier.cache_info().currsize == 0
    assert language.detect(ENGLISH) == "en"  # loaded when a text needs it


def test_a_build_that_detects_nothing_imports_no_numpy() -> None:
    """numpy and the detector load with the first text to detect: an identical rebuild, which
    converts no record, went 1 s slower when the build's modules imported them."""
    import subprocess
    import sys

    check = "import sys, ls_lod.build.driver, ls_lod.cli.build; print('numpy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout == "False\n"
