"""Each normalisation rule of normalize.py, one test (or one parametrised table) each."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ls_lod.convert import mapping, normalize
from ls_lod.convert.normalize import EDTF
from ls_lod.model import AgentKind
from ls_lod.report import Severity
from ls_lod.xmlchars import XML_ILLEGAL

XSD = "http://www.w3.org/2001/XMLSchema#"
TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "lexical", "datatype"),
    [
        ("2014", "2014", XSD + "gYear"),
        ("2014-05", "2014-05", XSD + "gYearMonth"),
        ("2014-05-12", "2014-05-12", XSD + "date"),
        ("May 2014", "2014-05", XSD + "gYearMonth"),
        ("Sept. 2014", "2014-09", XSD + "gYearMonth"),
        ("12.05.2014", "2014-05-12", XSD + "date"),
        ("2.5.2014", "2014-05-02", XSD + "date"),
        ("2013-2014", "2013/2014", EDTF),
        ("2013 – 2014", "2013/2014", EDTF),
        (" 2014 ", "2014", XSD + "gYear"),
    ],
)
def test_date_forms(text: str, lexical: str, datatype: str) -> None:
    date, problems = normalize.parse_date(text, TODAY)
    assert problems == []
    assert date is not None and (date.lexical, date.datatype) == (lexical, datatype)


@pytest.mark.parametrize("text", ["n.d.", "N.D.", "nd", "no date", ""])
def test_no_date_is_no_value_and_no_problem(text: str) -> None:
    assert normalize.parse_date(text, TODAY) == (None, [])


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("2014-13-45", "date-invalid"),
        ("31.02.2014", "date-invalid"),
        ("2015-2013", "date-invalid"),
        ("2099", "date-future"),
        ("2026-12-01", "date-future"),
        ("spring 2014", "date-format"),
        ("Smarch 2014", "date-format"),
    ],
)
def test_bad_dates_are_warnings_and_never_typed(text: str, rule: str) -> None:
    date, problems = normalize.parse_date(text, TODAY)
    assert date is None
    assert [(p.severity, p.rule) for p in problems] == [(Severity.WARNING, rule)]
    assert text.strip() in problems[0].message


def test_today_is_not_the_future() -> None:
    date, problems = normalize.parse_date("2026-11-28", TODAY)
    assert date is not None and problems == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La Strada International", [("La Strada International", AgentKind.ORGANIZATION)]),
        ("Ministry of Security and Justice", [("Ministry of Security and Justice", AgentKind.ORGANIZATION)]),
        ("Kowalczyk, A.; Smith, J.", [("Kowalczyk, A.", AgentKind.PERSON), ("Smith, J.", AgentKind.PERSON)]),
        ("OSCE; de Vries, M.", [("OSCE", AgentKind.ORGANIZATION), ("de Vries, M.", AgentKind.PERSON)]),
        ("Kowalczyk, Anna", [("Kowalczyk, Anna", AgentKind.PERSON)]),
        ("ILO;; ILO ;", [("ILO", AgentKind.ORGANIZATION)]),
        ("Council of Europe, GRETA", [("Council of Europe, GRETA", AgentKind.ORGANIZATION)]),
        ("van Dijk, Jan Peter", [("van Dijk, Jan Peter", AgentKind.PERSON)]),
        ("Müller, Ö.", [("Müller, Ö.", AgentKind.PERSON)]),
    ],
)
def test_agents(text: str, expected: list[tuple[str, AgentKind]]) -> None:
    assert normalize.split_agents(text) == expected


def test_a_remembered_author_text_gives_the_same_frozen_agents() -> None:
    """mapping._agents is remembered by text (issue 10): what it shares must not be changeable."""
    text = "Kowalczyk, A.; Ministry of Security and Justice; Kowalczyk, A."
    agents = mapping._agents(text)
    assert mapping._agents(text) is agents and isinstance(agents, tuple)
    assert [(a.name, a.kind) for a in agents] == normalize.split_agents(text)
    with pytest.raises(dataclasses.FrozenInstanceError):
        agents[0].name = "changed"  # type: ignore[misc]


def test_agent_rule_limit_is_documented() -> None:
    """`Surname, Given` looks like an organisation with a sub-unit too; the docstring says so."""
    assert "Limit" in (normalize.__doc__ or "")


def test_lists_fold_whitespace_drop_empties_and_merge_case_duplicates() -> None:
    text = "human\u00a0trafficking, \u200bNetherlands,victim\tassistance , ,forced  labour,,Human Trafficking,"
    assert normalize.split_list(text) == ["human trafficking", "Netherlands", "victim assistance", "forced labour"]


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters=","), max_size=12), max_size=8))
def test_split_list_is_idempotent(items: list[str]) -> None:
    once = normalize.split_list(",".join(items))
    assert normalize.split_list(", ".join(once)) == once


def test_xml_illegal_characters_are_removed_with_a_warning() -> None:
    text, problems = normalize.strip_illegal("Title\x0b with\x01 control")
    assert text == "Title with control"
    assert problems[0].severity is Severity.WARNING and "U+000B" in problems[0].message


@pytest.mark.parametrize("text", ["Кирилица", "😀 emoji", "שלום عربي", "Ünïcödé – “quotes”", "tab\tand\nnewline"])
def test_other_unicode_survives(text: str) -> None:
    assert normalize.strip_illegal(text) == (text, [])


# The rules as they were written before str methods took their place (issue 10): the reference.
FOLDED_AS_SPACE = re.compile(r"[\s\u00a0\u200b\u2060\ufeff]+")
SPACE_LIKE = [chr(c) for c in range(sys.maxunicode + 1) if FOLDED_AS_SPACE.fullmatch(chr(c))]


def test_fold_spaces_folds_what_the_regex_folded_and_nothing_else() -> None:
    # every code point, alone and in runs, between words and at the ends
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        text = f"{c}a{c}{c}b {c} c{c}"
        assert normalize.fold_spaces(text) == FOLDED_AS_SPACE.sub(" ", text).strip(), hex(code)


@given(st.text(alphabet=st.sampled_from([*SPACE_LIKE, "a", "é", "ж", "\u200d", "\u200c", ",", "\x00"]), max_size=40))
def test_fold_spaces_matches_the_regex_rule(text: str) -> None:
    assert normalize.fold_spaces(text) == FOLDED_AS_SPACE.sub(" ", text).strip()


def test_every_xml_illegal_character_is_unprintable() -> None:
    """strip_illegal skips its regex for a printable text: that holds only while this does."""
    assert not [hex(c) for c in range(sys.maxunicode + 1) if XML_ILLEGAL.match(chr(c)) and chr(c).isprintable()]


@given(st.text(alphabet=st.characters(codec=None, blacklist_categories=()), max_size=30))
def test_strip_illegal_removes_exactly_the_illegal_characters(text: str) -> None:
    clean, problems = normalize.strip_illegal(text)
    assert clean == XML_ILLEGAL.sub("", text)
    assert bool(problems) == bool(XML_ILLEGAL.search(text))


@pytest.mark.parametrize("text", ["2014", "May 2014", "2013-2014", "12.05.2014"])
def test_a_remembered_date_is_still_checked_against_today(text: str) -> None:
    """The forms are remembered by text; whether the date lies in the future is asked each time."""
    assert normalize.parse_date(text, TODAY)[0] is not None
    date, problems = normalize.parse_date(text, dt.date(2000, 1, 1))
    assert date is None and [p.rule for p in problems] == ["date-future"]
    assert normalize.parse_date(text, TODAY)[0] is not None


@pytest.mark.parametrize("text", ["٢٠١٤", "２０１４", "٢٠١٤-٠٥"])
def test_dates_in_other_digits_are_not_typed(text: str) -> None:
    date, problems = normalize.parse_date(text, TODAY)
    assert date is None and [p.rule for p in problems] == ["date-format"]


LINK_TEXT = "View/save PDF version of this document"


def test_link_text_uses_the_template_or_gives_no_link() -> None:
    template = "https://example.org/pdf/{number}.pdf"
    assert normalize.availability(LINK_TEXT, "3039", template, "")[0].url == "https://example.org/pdf/3039.pdf"
    assert normalize.availability(LINK_TEXT, "3039", "", "") == (normalize.Availability(), [])


def test_http_link_with_spaces_is_encoded_with_a_warning() -> None:
    link, problems = normalize.availability("https://example.org/some file.pdf", "1", "", "")
    assert link.url == "https://example.org/some%20file.pdf"
    assert problems[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    "text", ["javascript:alert(1)", "JavaScript:void(0)", "ftp://example.org/a.pdf", "mailto:info@example.org"]
)
def test_non_http_schemes_are_never_links(text: str) -> None:
    link, problems = normalize.availability(text, "1", "", "")
    assert link.url is None
    assert problems[0].severity is Severity.VIOLATION


def test_relative_link_is_resolved_against_the_base_or_dropped() -> None:
    link, problems = normalize.availability("/documents/foo.pdf", "1", "", "https://example.org/lib/")
    assert link.url == "https://example.org/documents/foo.pdf"
    link, problems = normalize.availability("/documents/foo.pdf", "1", "", "")
    assert link.url is None and problems[0].severity is Severity.WARNING


def test_office_availability_is_a_note() -> None:
    link, problems = normalize.availability("Available at the La Strada International office", "1", "", "")
    assert link == normalize.Availability(note="Available at the La Strada International office")
    assert problems == []
