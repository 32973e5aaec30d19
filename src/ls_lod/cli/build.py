"""`ls-lod build SOURCE... --out DIR`: read, convert, validate and publish into DIR."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ls_lod.cli.support import StageLog, friendly_errors, progress, settings_options
from ls_lod.errors import EXIT_HELD_BACK, EXIT_OK
from ls_lod.settings import Settings


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the dumps, void.ttl, report.json and the catalog store.",
)
@click.option(
    "--vocab",
    "vocab_dir",
    type=click.Path(file_okay=False, exists=True),
    help="Vocabulary directory (default: ./vocab, else the bundled one).",
)
@click.option("--verbose", is_flag=True, help="Print the time each stage took after the summary.")
@settings_options
@friendly_errors
def build(
    sources: tuple[str, ...],
    out: Path,
    vocab_dir: str | None,
    verbose: bool,
    config: Path | None,
    overrides: tuple[str, ...],
) -> None:
    """Convert SOURCE... (files, directories, URLs, number:N-M) and publish into --out."""
    from ls_lod.build.driver import build as run_build
    from ls_lod.convert.context import conversion_for
    from ls_lod.readers import estimated_count
    from ls_lod.validate.validator import validator_for

    settings = Settings.load(config, overrides)
    conversion = conversion_for(settings, vocab_dir)
    total = estimated_count(list(sources)) if sys.stderr.isatty() else None  # counting costs a read
    summary = run_build(
        list(sources),
        out,
        conversion,
        validator_for(conversion),
        lambda items: progress(items, total),
        StageLog("ls-lod build"),
    )
    click.echo(summary.line())
    if verbose:
        for stage, seconds in summary.seconds.items():
            click.echo(f"  {stage}: {seconds:.2f} s")
    for note in summary.notes:
        click.echo(note)
    if summary.held_back:
        click.echo(f"Reasons are in {out / 'report.json'}; `ls-lod validate` explains them.")
    sys.exit(EXIT_HELD_BACK if summary.held_back else EXIT_OK)
