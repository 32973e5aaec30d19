"""SourceRecord -> Record: every field normalised, every problem reported in the cataloger's
words (record number, field label, the bad value quoted, the fix, file and line)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

from ls_lod.convert import language, normalize
from ls_lod.convert.context import Conversion
from ls_lod.convert.rights import access_right
from ls_lod.model import Agent, AgentKind, ConceptRef, Record, SourceRecord
from ls_lod.report import Location, Problem, Report
from ls_lod.uris import slugify

_NUMBER = re.compile(r"^\d{1,12}$")  # any script's digits: the ASCII ones are published


def document_number(source: SourceRecord, report: Report) -> str | None:
    raw = source.text("Document number")
    where = source.where("Document number")
    if raw is None or not raw.strip():
        report.violation(
            None,
            "Document number",
            "the record has no document number; add the number the catalogue gave it.",
            where,
            "number-missing",
        )
        return None
    number = normalize.fold_spaces(raw)
    if not _NUMBER.match(number):
        report.violation(
            number,
            "Document number",
            f'"{number}" is not a document number; use digits only, e.g. 3039.',
            where,
            "number-format",
        )
        return None
    ascii_number = number if number.isascii() else "".join(str(unicodedata.decimal(c)) for c in number)
    if ascii_number != number:
        # Arabic-Indic or full-width digits: the same number to a reader, so it is published in
        # ASCII digits (the IRI, OAI identifier and store key must be one spelling of it).
        report.warning(
            number,
            "Document number",
            f'"{number}" is written in digits other than 0-9; it was published as {ascii_number}. '
            "Write it with the digits 0-9.",
            where,
            "number-digits",
        )
    return ascii_number.lstrip("0") or "0"


# The number a record without a usable one is typed under: only its own checks see it (the
# validator checks records with one number apart), and no issue or payload names it.
STAND_IN_NUMBER = "0"


def to_record(source: SourceRecord, conversion: Conversion, report: Report) -> Record:
    """The typed record. One without a usable number (a Violation already reported) is typed
    under a stand-in number all the same and marked `unnumbered`: its other problems are reported
    with the number's, so the cataloger fixes the record in one pass, and it is never published."""
    number = document_number(source, report)
    if number is not None:
        return _typed(source, number, conversion, report)
    said = Report()
    record = _typed(source, STAND_IN_NUMBER, conversion, said)
    for issue in said:
        report.add(replace(issue, doc_no=None))
    return replace(record, unnumbered=True)


def _typed(source: SourceRecord, number: str, conversion: Conversion, report: Report) -> Record:
    def note(label: str, problems: list[Problem]) -> None:
        for p in problems:
            report.add_problem(number, label, p, source.where(label))

    text = {}
    for label in ("Title", "Author/publisher", "Date", "Availability", "Document type(s)", "Keywords", "Summary"):
        clean, problems = normalize.strip_illegal(source.text(label) or "")
        note(label, problems)
        text[label] = clean
    settings = conversion.settings
    date, problems = normalize.parse_date(text["Date"], conversion.today)
    note("Date", problems)
    link, problems = normalize.availability(
        text["Availability"], number, settings.availability_url_template, settings.availability_base
    )
    note("Availability", problems)
    title = _title(source, number, text["Title"], report)
    summary = text["Summary"].strip() or None
    languages = language.record_languages(title, summary, _given_language(source, number, conversion, report))
    readings: list[tuple[str, str]] = []
    doctypes, keywords = _subjects_and_types(
        _concepts("doctype", "Document type(s)", text, source, number, conversion, report, readings),
        _concepts("keyword", "Keywords", text, source, number, conversion, report, readings),
        conversion,
    )
    return Record(
        number=number,
        location=source.location,
        title=title,
        date=date,
        date_text=normalize.fold_spaces(text["Date"]) or None,
        agents=_agents(text["Author/publisher"]),
        availability=link,
        doctypes=doctypes,
        keywords=keywords,
        summary=summary,
        language=languages.document,
        title_language=languages.title,
        summary_language=languages.summary,
        access_rights=access_right(settings.access_rights, link.url is not None).iri,
        license=settings.license or None,
        readings=tuple(readings),
    )


def detection_texts(source: SourceRecord, conversion: Conversion) -> tuple[str, ...]:
    """The title and summary whose language to_record will detect (none when the record or the
    settings give the language), cleaned as to_record cleans them but without reporting: a
    batch's texts are detected together beforehand (language.prime)."""
    given = normalize.fold_spaces(source.text("Language") or "")
    if (given and language.standard_tag(given)) or conversion.settings.default_language:
        return ()
    title = normalize.fold_spaces(normalize.strip_illegal(source.text("Title") or "")[0])
    if not title:
        title = normalize.fold_spaces(normalize.strip_illegal(source.header_title or "")[0])
    summary = normalize.strip_illegal(source.text("Summary") or "")[0].strip()
    return tuple(text for text in (title, summary) if text)


def _given_language(source: SourceRecord, number: str, conversion: Conversion, report: Report) -> str | None:
    """The export's Language column, else the default_language setting; None: detect it."""
    raw = normalize.fold_spaces(source.text("Language") or "")
    if raw:
        tag = language.standard_tag(raw)
        if tag:
            return tag
        report.warning(
            number,
            "Language",
            f'"{raw}" is not a language code; use an ISO 639 or BCP 47 code such as en, nl or pt-BR. '
            "The language was detected from the title and summary instead.",
            source.where("Language"),
            "language-code",
        )
    return conversion.settings.default_language or None


def _title(source: SourceRecord, number: str, title: str, report: Report) -> str | None:
    title = normalize.fold_spaces(title)
    if title:
        return title
    header, _ = normalize.strip_illegal(source.header_title or "")
    if header:
        report.warning(
            number,
            "Title",
            f'the record has no Title field; the page header "{header}" was used. Add the Title field.',
            source.location,
            "title-from-header",
        )
        return normalize.fold_spaces(header)
    return None  # the document shape reports the missing title


@lru_cache(maxsize=1 << 14)  # the same Author/publisher text recurs across records; Agents are frozen
def _agents(text: str) -> tuple[Agent, ...]:
    return tuple(Agent(name, kind, agent_slug(name, kind)) for name, kind in normalize.split_agents(text))


@lru_cache(maxsize=1 << 16)  # agents recur across records; the bound keeps memory flat
def agent_slug(name: str, kind: AgentKind) -> str:
    """Persons and organisations share one IRI space; a name with no Latin letters gets a hash."""
    slug = slugify(name)
    if not slug:
        slug = "agent-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
    return slug


def _subjects_and_types(
    doctypes: tuple[ConceptRef, ...], keywords: tuple[ConceptRef, ...], conversion: Conversion
) -> tuple[tuple[ConceptRef, ...], tuple[ConceptRef, ...]]:
    """A document type typed into Keywords joins the record's types: a type is never a subject."""
    kind_of = conversion.vocabulary.kind_of
    typed = tuple(ref for ref in keywords if not ref.candidate and kind_of(ref.iri) == "doctype")
    if not typed:
        return doctypes, keywords
    known = {ref.iri for ref in doctypes}
    return (
        doctypes + tuple(ref for ref in typed if ref.iri not in known),
        tuple(ref for ref in keywords if ref not in typed),
    )


def _concepts(
    kind: str,
    label: str,
    text: dict[str, str],
    source: SourceRecord,
    number: str,
    conversion: Conversion,
    report: Report,
    readings: list[tuple[str, str]],
) -> tuple[ConceptRef, ...]:
    """The concepts of one field; each string looked up is added to `readings`."""
    where: Location = source.where(label)
    items = normalize.split_list(text[label])
    limit = conversion.settings.max_keywords
    if len(items) > limit:
        report.violation(
            number,
            label,
            f"the record has {len(items):,} {label} items, more than max_keywords ({limit}); keep the ones that "
            f'describe the document (the first is "{items[0][:60]}", the last "{items[-1][:60]}").',
            where,
            "too-many-values",
        )
        items = items[:limit]  # the record is held back; the rest would only cost time
    readings += [(kind, item) for item in items]
    refs = (conversion.vocabulary.resolve(kind, item, number, where, report) for item in items)
    unique: dict[tuple[str, str], ConceptRef] = {}
    for ref in refs:
        # two candidates whose labels ask for one slug share it until the build settles their
        # names (build/settle.py): each is kept, so that each is named
        if ref is not None:
            unique.setdefault((ref.iri, ref.key if ref.candidate else ""), ref)
    return tuple(unique.values())
