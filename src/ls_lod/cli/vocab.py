"""`ls-lod vocab check` and `ls-lod vocab candidates`: a cataloger's tools for the vocabularies in vocab/.

Registered by cli.py (`main.add_command(vocab)`); this module does not import cli.py, so that
either can be imported first.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click

from ls_lod.cli.support import F, friendly_errors, settings_options
from ls_lod.errors import EXIT_OK
from ls_lod.report import Report, counted
from ls_lod.settings import Settings
from ls_lod.uris import Minter
from ls_lod.vocab.quality import check_vocabulary, summary
from ls_lod.vocab.review import Candidate, Correction, Reading
from ls_lod.vocab.vocabulary import FIELDS, FILES, KINDS, READ_BY_RULE, Vocabulary, default_vocab_dir

EXIT_PROBLEMS = 1


def vocab_options(command: F) -> F:
    """--vocab besides --config and --set."""
    command = settings_options(command)
    return click.option(
        "--vocab",
        "vocab_dir",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        help="Vocabulary directory (default: ./vocab, else the bundled one).",
    )(command)


def _setup(config: Path | None, overrides: tuple[str, ...], vocab_dir: Path | None) -> tuple[Settings, Minter, Path]:
    settings = Settings.load(config, overrides)
    minter = Minter(settings.base_uri, settings.oai_namespace)
    return settings, minter, vocab_dir or default_vocab_dir()


@click.group()
def vocab() -> None:
    """Check the vocabularies and review candidate concepts."""


@vocab.command(short_help="Check the vocabulary files; exit 1 on any problem.")
@vocab_options
@friendly_errors
def check(vocab_dir: Path | None, config: Path | None, overrides: tuple[str, ...]) -> None:
    """Run the quality checks on the vocabulary files; exit 1 when any problem is found."""
    _settings, minter, directory = _setup(config, overrides, vocab_dir)
    vocabulary, problems = check_vocabulary(directory, minter)
    for problem in problems:
        click.echo(str(problem))
    total = summary(vocabulary, problems) if vocabulary else f"{counted(len(problems), 'problem')}."
    click.echo(f"{directory}: {total}")
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


@vocab.command(short_help="List keywords and document types not in the vocabulary.")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="text (with Turtle to paste), csv or json.",
)
@vocab_options
@friendly_errors
def candidates(
    sources: tuple[str, ...],
    output_format: str,
    vocab_dir: Path | None,
    config: Path | None,
    overrides: tuple[str, ...],
) -> None:
    """List the keywords and document types of SOURCE... that are not in the vocabulary."""
    from ls_lod.build.incremental import shared_vocabulary_file
    from ls_lod.build.pipeline import convert
    from ls_lod.convert.vocabulary_cache import load_vocabulary

    settings, minter, directory = _setup(config, overrides, vocab_dir)
    vocabulary = load_vocabulary(directory, minter, shared_vocabulary_file(directory, minter))
    report = Report()
    records = 0
    for _record in convert(list(sources), settings, vocabulary, report):
        records += 1
        report.take()  # the issues are not needed here; keep memory flat
    found = Found(
        {kind: vocabulary.candidates(kind) for kind in KINDS},
        {kind: vocabulary.corrections(kind) for kind in KINDS},
        vocabulary.readings(),
    )
    render = {"text": render_text, "csv": render_csv, "json": render_json}[output_format]
    click.echo(render(found, vocabulary, records), nl=False)


@dataclass(frozen=True)
class Found:
    """What a run met, by kind: unknown strings (candidates) and misspellings read as concepts."""

    candidates: dict[str, list[Candidate]]
    corrections: dict[str, list[Correction]]
    readings: list[Reading] = field(default_factory=list)  # provisions and document types read in Keywords


def render_json(found: Found, vocabulary: Vocabulary, records: int) -> str:
    data = {
        "records": records,
        **{
            kind: [{**_fields(c), "turtle": promotion_snippet(kind, c, vocabulary)} for c in items]
            for kind, items in found.candidates.items()
        },
        "misspellings": {
            kind: [{**asdict(c), "turtle": hidden_label_line(c, vocabulary)} for c in items]
            for kind, items in found.corrections.items()
        },
        "read_by_rule": {
            how: [_reading_fields(r, vocabulary.minter.base) for r in found.readings if r.how == how]
            for how in READ_BY_RULE
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_csv(found: Found, vocabulary: Vocabulary, records: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "iri", "label", "language", "count", "documents", "suggestions", "read_as"])
    for kind, items in found.candidates.items():
        for c in items:
            writer.writerow(
                [kind, c.iri, c.label, c.language, c.count, " ".join(c.documents), " | ".join(c.suggestions), ""]
            )
    for kind, corrections in found.corrections.items():
        for m in corrections:
            writer.writerow(
                [f"{kind}-misspelling", m.iri, m.label, m.language, m.count, " ".join(m.documents), "", m.read_as]
            )
    for r in found.readings:
        writer.writerow([f"keyword-{r.how}", r.iri, r.label, "", r.count, " ".join(r.documents), "", r.read_as])
    return out.getvalue()


def render_text(found: Found, vocabulary: Vocabulary, records: int) -> str:
    lines = []
    for kind, items in found.candidates.items():
        name = "keyword" if kind == "keyword" else "document type"
        uses = sum(c.count for c in items)
        lines.append(
            f"# {counted(len(items), f'{name} candidate')} ({counted(uses, 'use')}) "
            f"in {counted(records, 'record')}; promote each in {FILES[kind]} (see docs/vocabularies.md)\n"
        )
        for c in items:
            lines.append(promotion_snippet(kind, c, vocabulary) + "\n")
    for kind, corrections in found.corrections.items():
        if corrections:
            lines.append(misspellings_text(kind, corrections, vocabulary))
    if found.readings:
        lines.append(readings_text(found.readings, vocabulary.minter.base))
    return "\n".join(lines)


def readings_text(readings: list[Reading], base: str = "") -> str:
    """Keywords a rule read as an instrument (a provision of it) or as a document type: which recur."""
    lines = []
    titles = {
        "provision": "provisions read as their instrument; a provision that recurs may deserve a concept or a "
        "label in vocab/keywords.ttl",
        "doctype": "document types typed into Keywords, published as the record's type; move them to "
        f"{FIELDS['doctype']}",
        "case": "court cases by name, read as case law; a judgment that recurs may deserve a concept",
        "stem": "inflected forms read as the concept whose label in that language has the same stems; "
        "if a form is right, add the line under it to vocab/keywords.ttl",
    }
    for how in READ_BY_RULE:
        items = [r for r in readings if r.how == how]
        if not items:
            continue
        uses = sum(r.count for r in items)
        lines += [f"# {counted(len(items), 'keyword')} ({counted(uses, 'use')}): {titles[how]}", ""]
        for r in items:
            records = ", ".join(r.documents) + (", ..." if r.count > len(r.documents) else "")
            part = f" ({r.provision} of it)" if r.provision else ""
            if r.matched:
                part = f" (a form of {json.dumps(r.matched, ensure_ascii=False)}@{r.language})"
            lines.append(
                f"# {json.dumps(r.label, ensure_ascii=False)} read as {json.dumps(r.read_as, ensure_ascii=False)}"
                f"{part}: {counted(r.count, 'use')}, in records {records}"
            )
            if how == "stem":
                lines += [alt_label_line(r, base), ""]
        lines.append("")
    return "\n".join(lines)


def alt_label_line(reading: Reading, base: str) -> str:
    """One Turtle statement, ready to paste into vocab/: an inflected form as an altLabel of its concept,
    in the language of the label it was read as."""
    relative = reading.iri[len(base) :] if base and reading.iri.startswith(base) else reading.iri
    return f"<{relative}> skos:altLabel {json.dumps(reading.label, ensure_ascii=False)}@{reading.language} ."


def _reading_fields(reading: Reading, base: str) -> dict[str, object]:
    fields = asdict(reading)
    del fields["how"]
    fields["documents"] = list(reading.documents)
    if reading.how == "stem":
        fields["turtle"] = alt_label_line(reading, base)
    return fields


def misspellings_text(kind: str, corrections: list[Correction], vocabulary: Vocabulary) -> str:
    """The misspellings read as concepts, each with the hiddenLabel line that makes it a known spelling."""
    name = "keyword" if kind == "keyword" else "document type"
    uses = sum(c.count for c in corrections)
    lines = [
        f"# {len(corrections)} {name} misspelling{'s' if len(corrections) != 1 else ''} read as concepts "
        f"({uses} uses); fix the records, or add the line under each to {FILES[kind]}",
        "",
    ]
    for c in corrections:
        records = ", ".join(c.documents) + (", ..." if c.count > len(c.documents) else "")
        lines += [
            f"# {json.dumps(c.label, ensure_ascii=False)} read as {json.dumps(c.read_as, ensure_ascii=False)} "
            f"({c.slip}): {c.count} use{'s' if c.count != 1 else ''}, in records {records}",
            hidden_label_line(c, vocabulary),
            "",
        ]
    return "\n".join(lines)


def hidden_label_line(correction: Correction, vocabulary: Vocabulary) -> str:
    """One Turtle statement, ready to paste into vocab/: the misspelling as a hiddenLabel of its concept."""
    base = vocabulary.minter.base
    relative = correction.iri[len(base) :] if correction.iri.startswith(base) else correction.iri
    label = json.dumps(correction.label, ensure_ascii=False)
    return f"<{relative}> skos:hiddenLabel {label}@{correction.language} ."


def _fields(candidate: Candidate) -> dict[str, object]:
    return {
        "iri": candidate.iri,
        "label": candidate.label,
        "language": candidate.language,
        "count": candidate.count,
        "documents": list(candidate.documents),
        "suggestions": list(candidate.suggestions),
    }


def promotion_snippet(kind: str, candidate: Candidate, vocabulary: Vocabulary) -> str:
    """Turtle a cataloger pastes into vocab/ to make the candidate a concept, or an altLabel of one."""
    relative = vocabulary.minter.relative(candidate.iri)
    scheme = vocabulary.minter.relative(vocabulary.minter.scheme(kind))
    label = json.dumps(candidate.label, ensure_ascii=False)
    records = ", ".join(candidate.documents) + (", ..." if candidate.count > len(candidate.documents) else "")
    lines = [f"# {label}: {counted(candidate.count, 'use')}, in records {records}"]
    if candidate.suggestions:
        lines.append(
            "#   closest concepts: " + ", ".join(json.dumps(s, ensure_ascii=False) for s in candidate.suggestions)
        )
    lines += [
        "#   as a new concept (fill in its broader concept and add skos:narrower back on that one):",
        f"<{relative}> a skos:Concept ;",
        f"    skos:inScheme <{scheme}> ;",
        f"    skos:prefLabel {label}@{candidate.language} ;",
    ]
    if kind == "doctype":
        lines += [
            "    skos:closeMatch coar:c_18cf ;  # the COAR resource type that fits best",
            "    skos:broadMatch dcmitype:Text ;",
        ]
    lines += [
        f"    skos:broader <id/{kind}/CHOOSE-ONE> .",
        f"#   or as a variant of an existing concept, add to that concept: skos:altLabel {label}@"
        f"{candidate.language} ;",
    ]
    return "\n".join(lines)
