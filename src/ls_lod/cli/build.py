"""`ls-lod build SOURCE... --out DIR`: read, convert, validate and publish into DIR."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from ls_lod.cli.findings import finding_lines
from ls_lod.cli.support import StageLog, friendly_errors, progress, settings_options, source_options, with_input_format
from ls_lod.errors import EXIT_HELD_BACK, EXIT_OK
from ls_lod.settings import Settings


@click.command(short_help="Read, convert, validate and publish SOURCEs into --out.")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the dumps, void.ttl, report.json and the catalog store.",
)
@source_options
@click.option(
    "--allow-withdraw",
    is_flag=True,
    help="Withdraw the published records the sources no longer hold, however many (else more than "
    "max_withdraw_fraction of them stops the build).",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Print nothing when every record is published (for cron); otherwise the summary and the records held back.",
)
@click.option(
    "--verbose", is_flag=True, help="After the summary, print how many records were converted and each stage's time."
)
@settings_options
@friendly_errors
def build(
    sources: tuple[str, ...],
    out: Path,
    vocab_dir: str | None,
    input_format: str | None,
    allow_withdraw: bool,
    quiet: bool,
    verbose: bool,
    config: Path | None,
    overrides: tuple[str, ...],
) -> None:
    """Read SOURCE... (files, directories, URLs, number:N-M), convert and validate every record, and
    publish the good ones into --out; then say what was found, grouped by rule."""
    from ls_lod.build.driver import build as run_build
    from ls_lod.convert.context import conversion_for
    from ls_lod.readers import estimated_count
    from ls_lod.validate.validator import validator_for

    settings = Settings.load(config, with_input_format(overrides, input_format))
    conversion = conversion_for(settings, vocab_dir, deferred=True)  # read when a record needs it
    total = estimated_count(list(sources)) if sys.stderr.isatty() and not quiet else None  # counting costs a read
    summary = run_build(
        list(sources),
        out,
        conversion,
        validator_for(conversion),
        quietly if quiet else (lambda items: progress(items, total)),
        allow_withdraw,
        None if quiet else StageLog("ls-lod build"),
    )
    if not quiet or summary.held_back:
        click.echo(summary.line())
    if verbose:
        taken = summary.published - summary.converted
        again = f" ({summary.validated_again:,} validated again: the shapes changed)" if summary.validated_again else ""
        click.echo(
            f"  converted {summary.converted:,} of {summary.published:,} published records, took over {taken:,}{again}"
        )
        for stage, seconds in summary.seconds.items():
            click.echo(f"  {stage}: {seconds:.2f} s")
        for name, seconds in summary.loaded.items():
            click.echo(f"    of which loading the {name}: {seconds:.2f} s")
    for note in [] if quiet else summary.notes:
        click.echo(note)
    found = summary.findings, summary.held_back, summary.skipped, out / "report.json", sources
    for line in finding_lines(*found, warnings=not quiet):
        click.echo(line)
    sys.exit(EXIT_HELD_BACK if summary.held_back else EXIT_OK)


def quietly(items: Iterable[Any]) -> Iterable[Any]:
    """No progress bar under --quiet."""
    return items
