"""`ls-lod rollback DIR`: make the generation before the live one live again."""

from __future__ import annotations

from pathlib import Path

import click

from ls_lod.cli.support import friendly_errors


@click.command(short_help="Serve the build before the last one again (DIR's previous generation).")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False, exists=True, path_type=Path))
@friendly_errors
def rollback(directory: Path) -> None:
    """Switch DIR back to the generation the last build replaced, in one step: its dumps, store,
    indexes and report become live again, and a running `ls-lod serve` follows within a second.
    Exit 2 with a sentence when DIR keeps no earlier generation."""
    from ls_lod.build.lock import build_lock
    from ls_lod.datestamps import build_now
    from ls_lod.store.generations import rollback as switch_back

    with build_lock(directory, build_now()):  # never under a running build's feet
        number = switch_back(directory)
    click.echo(f"{directory} serves generation {number} again; the next build replaces it.")
