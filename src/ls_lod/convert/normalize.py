"""Normalisation rules, each a pure function: raw text in, clean value and problems out.

Rules (tested one by one in tests/test_normalize.py):
- Text: characters illegal in XML 1.0 are removed (warning); all other Unicode is kept as is.
  Only whitespace (and the invisible zero-width space, word joiner and stray BOM) is folded:
  the zero-width joiner and non-joiner, variation selectors and combining marks are part of
  the text (emoji sequences, Indic and Arabic scripts) and survive every output.
- Lists (keywords, document types): split on commas; whitespace (NBSP, zero-width space, tabs,
  doubled spaces) folded; empty items dropped; duplicates merged ignoring case.
- Dates: YYYY, YYYY-MM, YYYY-MM-DD, Month YYYY, DD.MM.YYYY, a range YYYY-YYYY (an EDTF
  interval), n.d. (no date). An impossible or future date, or a year outside 1-9999, is a
  warning and is not published.
- Agents: `;` separates agents. `Surname, I.` (one comma, initials or given names after it)
  is a person; anything else is an organisation, so `Ministry of Security and Justice` stays
  whole, and so does `Council of Europe, GRETA` (an acronym is no given name). Limit: a person
  written `Anna Kowalczyk` reads as an organisation; write `Kowalczyk, A.`.
- Availability: see `availability`.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from pyoxigraph import NamedNode
from rdflib.namespace import XSD

from ls_lod.model import AgentKind, Availability, TypedDate
from ls_lod.report import Problem, Severity
from ls_lod.xmlchars import XML_ILLEGAL

EDTF = "http://id.loc.gov/datatypes/edtf/EDTF"
# Kept unescaped in a path, query or fragment: the URI delimiters and every non-ASCII letter
# (an IRI may hold them); quote() escapes the rest, and "%" only where it starts no escape.
_IRI_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"<>[]\\^`{|}%') + "%"
# Invisible characters folded as spaces although str.isspace (and re's \s) does not count them.
# ZWJ (U+200D) and ZWNJ (U+200C) are not here: they join or part letters, they are not spaces.
_INVISIBLE_SPACES = ("\u200b", "\u2060", "\ufeff")
_SURNAME = r"[^\W\d][\w'’-]*(?: [^\W\d][\w'’-]*){0,2}"  # one to three words
_GIVEN = r"[^\W\d_][^\W\d_A-Z]+"  # a capitalised name, not an acronym like GRETA
_PERSON = re.compile(  # `Kowalczyk, A.`, `Kowalczyk, A.B.`, `Kowalczyk, Anna`, `van Dijk, Jan Peter`
    rf"^{_SURNAME},\s*(?:(?:[^\W\d]\.\s*-?)+|{_GIVEN}(?: {_GIVEN})?)$"
)


@cache
def _rules() -> dict:
    return tomllib.loads(resources.files("ls_lod.convert").joinpath("normalize.toml").read_text("utf-8"))


def strip_illegal(text: str) -> tuple[str, list[Problem]]:
    """Remove characters XML 1.0 forbids (control characters, lone surrogates)."""
    if text.isprintable():  # every forbidden character is unprintable; the check is the regex's half
        return text, []
    found = sorted({f"U+{ord(c):04X}" for c in XML_ILLEGAL.findall(text)})
    if not found:
        return text, []
    return XML_ILLEGAL.sub("", text), [
        Problem(
            Severity.WARNING,
            f"removed control characters ({', '.join(found)}) that XML cannot carry; check the text where they were.",
            "xml-illegal-character",
        )
    ]


def fold_spaces(text: str) -> str:
    """Every run of whitespace (and of the invisible spaces) as one space, none at either end.
    str.split() splits on exactly what re's \\s matches, in a fifth of a regex's time."""
    if not text.isascii():
        for invisible in _INVISIBLE_SPACES:
            if invisible in text:
                text = text.replace(invisible, " ")
    return " ".join(text.split())


def split_list(text: str) -> list[str]:
    """`human trafficking,  Forced labour , ,human Trafficking,` -> two items."""
    items: dict[str, str] = {}
    for raw in text.split(","):
        item = fold_spaces(raw)
        if item:
            items.setdefault(item.casefold(), item)
    return list(items.values())


def parse_date(text: str, today: dt.date) -> tuple[TypedDate | None, list[Problem]]:
    value = fold_spaces(text)
    if not value or value.lower() in _rules()["no_date"]:
        return None, []
    parsed = _parse_forms(value)
    if parsed is None:
        return None, [
            Problem(
                Severity.WARNING,
                f'"{value}" is not a date; use YYYY, YYYY-MM, YYYY-MM-DD, Month YYYY, DD.MM.YYYY, YYYY-YYYY or n.d.',
                "date-format",
            )
        ]
    typed, _first_year, last_day = parsed
    if isinstance(typed, str):  # a form that was recognised but names an impossible date
        return None, [Problem(Severity.WARNING, typed, "date-invalid")]
    if last_day > today:
        return None, [
            Problem(Severity.WARNING, f'"{value}" lies in the future; correct the date or use n.d.', "date-future")
        ]
    return typed, []


# re.ASCII: \d would also take Arabic-Indic or full-width digits, which no xsd:gYear may hold
_YEAR = re.compile(r"(\d{4})", re.ASCII)
_YEAR_RANGE = re.compile(r"(\d{4})\s*[-–/]\s*(\d{4})", re.ASCII)
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_DOTTED_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_MONTH_YEAR = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})", re.ASCII)
# rdflib's namespace attributes are looked up by a slow __getattr__: read once
_GYEAR, _GYEAR_MONTH, _DATE = str(XSD.gYear), str(XSD.gYearMonth), str(XSD.date)


@lru_cache(maxsize=1 << 12)  # the same dates recur across records (a year, "May 2014"); all it gives is immutable
def _parse_forms(value: str) -> tuple[TypedDate | str, int, dt.date] | None:
    if m := _YEAR.fullmatch(value):
        year = int(m[1])
        if year < 1:
            return _no_year(value), year, dt.date.min
        return TypedDate(m[1], _GYEAR), year, dt.date(year, 1, 1)
    if m := _YEAR_RANGE.fullmatch(value):
        start, end = int(m[1]), int(m[2])
        if start < 1:
            return _no_year(value), start, dt.date.min
        if start >= end:
            return f'"{value}" is a range whose end is not after its start; write YYYY-YYYY.', start, dt.date.min
        return TypedDate(f"{m[1]}/{m[2]}", EDTF), start, dt.date(end, 1, 1)
    if m := _YEAR_MONTH.fullmatch(value):
        return _day(value, int(m[1]), int(m[2]), None)
    if m := _ISO_DAY.fullmatch(value):
        return _day(value, int(m[1]), int(m[2]), int(m[3]))
    if m := _DOTTED_DAY.fullmatch(value):
        return _day(value, int(m[3]), int(m[2]), int(m[1]))
    if m := _MONTH_YEAR.fullmatch(value):
        month = _rules()["months"].get(m[1].lower())
        return None if month is None else _day(value, int(m[2]), month, None)
    return None


def _no_year(value: str) -> str:
    return f'"{value}" names the year 0, which no calendar has; give the year the document appeared (1-9999).'


def _day(value: str, year: int, month: int, day: int | None) -> tuple[TypedDate | str, int, dt.date]:
    if year < 1:
        return _no_year(value), year, dt.date.min
    try:
        date = dt.date(year, month, day or 1)
    except ValueError:
        return (f'"{value}" is not a date that exists; check the month (1-12) and day.', year, dt.date.min)
    if day is None:
        return TypedDate(f"{year:04d}-{month:02d}", _GYEAR_MONTH), year, date
    return TypedDate(date.isoformat(), _DATE), year, date


def split_agents(text: str) -> list[tuple[str, AgentKind]]:
    agents: dict[str, tuple[str, AgentKind]] = {}
    for raw in text.split(";"):
        name = fold_spaces(raw).strip(" ,")
        if name and name.casefold() not in agents:
            kind = AgentKind.PERSON if _PERSON.match(name) else AgentKind.ORGANIZATION
            agents[name.casefold()] = (name, kind)
    return list(agents.values())


def availability(text: str, number: str, link_template: str, base: str) -> tuple[Availability, list[Problem]]:
    """The catalogue's Availability value as a publishable link, a note, or nothing.

    The catalogue's link text becomes a link from the availability_url_template setting;
    http(s) URLs are links (spaces percent-encoded); `javascript:` and other schemes are never
    links; a relative URL is resolved against availability_base or dropped; `Available at the
    ... office` is a note.
    """
    value = fold_spaces(text)
    if not value:
        return Availability(), []
    rules = _rules()
    if value.casefold() in (t.casefold() for t in rules["availability_link_texts"]):
        if link_template:
            return Availability(url=link_template.format(number=number)), []
        return Availability(), []
    if value.casefold().startswith(tuple(rules["availability_note_starts"])):
        return Availability(note=value), []
    return _link(value, base)


def _link(value: str, base: str) -> tuple[Availability, list[Problem]]:
    # the scheme by pattern, not urlsplit: that raises on a malformed host (`https://[::1`)
    scheme = m[1].lower() if (m := re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", value)) else ""
    if scheme in ("http", "https"):
        return _http_link(value)
    if scheme:
        return Availability(), [
            Problem(
                Severity.VIOLATION,
                f'"{value}" is a {scheme}: link, not a web address; give the PDF\'s http(s) URL.',
                "availability-scheme",
            )
        ]
    if value.startswith(("/", "./", "../")) or re.search(r"\.\w{2,4}$", value):
        if base:
            link, problems = _http_link(urljoin(base, value))
            return link, [
                Problem(
                    Severity.INFO, f'the relative link "{value}" was resolved to {link.url}.', "availability-relative"
                ),
                *problems,
            ]
        return Availability(), [
            Problem(
                Severity.WARNING,
                f'"{value}" is a relative link and was not '
                "published; give the full https:// URL or set availability_base.",
                "availability-relative",
            )
        ]
    return Availability(note=value), []


def _http_link(value: str) -> tuple[Availability, list[Problem]]:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (parses the port: `https://host:99999/` raises here)
    except ValueError as error:
        return Availability(), [_bad_url(value, str(error))]
    if not parts.netloc:
        return Availability(), [
            Problem(Severity.VIOLATION, f'"{value}" has no host name; give the PDF\'s full URL.', "availability-url")
        ]
    encoded = urlunsplit(
        parts._replace(path=_encode(parts.path), query=_encode(parts.query), fragment=_encode(parts.fragment))
    )
    try:
        NamedNode(encoded)  # the same check the graph makes: what passes here is a valid IRI there
    except ValueError as error:
        return Availability(), [_bad_url(value, str(error))]
    if encoded == parts.scheme + value[len(parts.scheme) :]:  # urlsplit lower-cases the scheme
        return Availability(url=encoded), []
    what = "spaces" if " " in value else "characters a link cannot carry"
    return Availability(url=encoded), [
        Problem(
            Severity.WARNING,
            f'the link "{value}" has {what}; published as {encoded}. Fix the URL in the catalogue.',
            "availability-spaces" if " " in value else "availability-encoded",
        )
    ]


def _encode(part: str) -> str:
    """Percent-encode what an IRI may not hold (space, quotes, <>, brackets, backslash, a % that
    starts no escape); escapes already there and all other Unicode stay as they are."""
    part = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", part)
    return quote(part, safe=_IRI_SAFE)


def _bad_url(value: str, reason: str) -> Problem:
    return Problem(
        Severity.VIOLATION,
        f'"{value}" is not a valid web address ({reason}); give the PDF\'s full URL, e.g. https://example.org/report.pdf.',
        "availability-url",
    )
