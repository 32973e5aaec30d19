"""Language detection reads a bounded prefix of the text (convert/languages.toml `prefix`)."""

from __future__ import annotations

from ls_lod.convert import language

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
