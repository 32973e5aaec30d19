"""`ls-lod build SOURCE... --out DIR`: read, convert, validate and publish into DIR."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ls_lod.cli.support import friendly_errors, progress, settings_options, with_input_format
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
@click.option(
    "--input-format",
    metavar="page|csv|jsonl",
    help="Read every source in this format (default: by its suffix, else by its content).",
)
@click.option(
    "--allow-withdraw",
    is_flag=True,
    help="Withdraw the published records the sources no longer hold, however many (else more than "
    "max_withdraw_fraction of them stops the build).",
)
@settings_options
@friendly_errors
def build(
    sources: tuple[str, ...],
    out: Path,
    vocab_dir: str | None,
    input_format: str | None,
    allow_withdraw: bool,
    config: Path | None,
    overrides: tuple[str, ...],
) -> None:
    """Convert SOURCE... (files, directories, URLs, number:N-M) and publish into --out."""
    from ls_lod.build.driver import build as run_build
    from ls_lod.convert.context import conversion_for
    from ls_lod.validate.validator import validator_for

    settings = Settings.load(config, with_input_format(overrides, input_format))
    conversion = conversion_for(settings, vocab_dir)
    summary = run_build(list(sources), out, conversion, validator_for(conversion), progress, allow_withdraw)
    click.echo(summary.line())
    for note in summary.notes:
        click.echo(note)
    if summary.held_back:
        click.echo(f"Reasons are in {out / 'report.json'}; `ls-lod validate` explains them.")
    sys.exit(EXIT_HELD_BACK if summary.held_back else EXIT_OK)
