"""`ls-lod validate SOURCE...`: read and convert like build, check every record against the
shapes, and report every problem of every input; publish nothing.

Exit 0: nothing to fix (warnings allowed unless --fail-on warning); 1: violations; 2: usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ls_lod.cli.support import friendly_errors, progress, settings_options, source_options, with_input_format
from ls_lod.errors import EXIT_HELD_BACK, EXIT_OK, ConfigError
from ls_lod.report import Severity
from ls_lod.settings import Settings
from ls_lod.validate.report_formats import FORMATS, RecordReport, write_report


@click.command(short_help="Report every problem of every record of SOURCEs.")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text (grouped by record), json, csv, or a self-contained html page.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of the terminal.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning"]),
    default="violation",
    show_default=True,
    help="Exit 1 on violations only, or on warnings too (for stricter pipelines).",
)
@click.option(
    "--shapes",
    "shapes_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Shapes folder (default: the shapes_dir setting, else ./shapes, else the bundled shapes).",
)
@source_options
@settings_options
@friendly_errors
def validate(
    sources: tuple[str, ...],
    fmt: str,
    output: Path | None,
    fail_on: str,
    shapes_dir: Path | None,
    vocab_dir: str | None,
    input_format: str | None,
    config: Path | None,
    overrides: tuple[str, ...],
) -> None:
    """Check SOURCE... (files, directories, URLs) against the shapes and report every problem."""
    from ls_lod.build.incremental import shared_vocabulary_file
    from ls_lod.build.pipeline import outcomes, validated
    from ls_lod.convert.context import DeferredVocabulary, conversion_for
    from ls_lod.validate.validator import validator_for

    settings = Settings.load(config, with_input_format(overrides, input_format))
    conversion = conversion_for(settings, vocab_dir, deferred=True)  # deferred: to read a shared copy
    vocabulary = conversion.vocabulary
    if isinstance(vocabulary, DeferredVocabulary):
        vocabulary.cache_in(shared_vocabulary_file(conversion.vocabulary_dir, conversion.minter))
        vocabulary.load_now()  # a broken vocabulary file is a configuration error, here
    validator = validator_for(conversion, shapes_dir)
    items = validated(outcomes(list(sources), conversion), validator, settings.validation_batch_size)
    reports = [RecordReport.of(outcome) for outcome in progress(items)]
    _write(fmt, reports, output, validator.shapes.rules)
    held_back = any(r.status.startswith("held back") for r in reports)
    warned = any(i.severity is Severity.WARNING for r in reports for i in r.issues)
    failing = held_back or (fail_on == "warning" and warned)
    sys.exit(EXIT_HELD_BACK if failing else EXIT_OK)


def _write(fmt: str, reports: list[RecordReport], output: Path | None, rules: dict) -> None:
    if output is None:
        stream = sys.stdout
        colour = fmt == "text" and stream.isatty()
        write_report(fmt, reports, stream, colour=colour, rules=rules)
        return
    try:
        with output.open("w", encoding="utf-8", newline="") as stream:
            write_report(fmt, reports, stream, rules=rules)
    except OSError as error:
        raise ConfigError(
            f"cannot write the report to {output}: {error.strerror}; give --output a file in a folder that "
            "exists and that you may write to."
        ) from None
    click.echo(f"Report written to {output}", err=True)
