"""The `ls-lod` command line: thin wrappers over build, validate, serve, publish and vocab.

Exit codes everywhere: 0 all good, 1 some records held back (or violations), 2 usage or
configuration error. Errors are sentences; tracebacks only with --debug.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ls_lod import __version__
from ls_lod.cli_support import EXIT_HELD_BACK, EXIT_OK, friendly_errors, progress, settings_options
from ls_lod.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ls-lod")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Publish the La Strada Documentation Center catalogue as Linked Open Data."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the dumps, void.ttl, report.json and the catalog store.")
@click.option("--vocab", "vocab_dir", type=click.Path(file_okay=False, exists=True),
              help="Vocabulary directory (default: ./vocab, else the bundled one).")
@settings_options
@friendly_errors
def build(sources: tuple[str, ...], out: Path, vocab_dir: str | None, config: Path | None,
          overrides: tuple[str, ...]) -> None:
    """Convert SOURCE... (files, directories, URLs, number:N-M) and publish into --out."""
    from ls_lod.build import build as run_build
    from ls_lod.pipeline import conversion_for
    from ls_lod.validation import validator_for

    settings = Settings.load(config, overrides)
    conversion = conversion_for(settings, vocab_dir)
    summary = run_build(list(sources), out, conversion, validator_for(conversion), progress)
    click.echo(summary.line())
    for note in summary.notes:
        click.echo(note)
    if summary.held_back:
        click.echo(f"Reasons are in {out / 'report.json'}; `ls-lod validate` explains them.")
    sys.exit(EXIT_HELD_BACK if summary.held_back else EXIT_OK)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Worker processes.")
@friendly_errors
def serve(directory: Path, host: str, port: int, workers: int) -> None:
    """Serve what `ls-lod build` wrote in DIRECTORY: /oai, linked data, /sparql, dumps."""
    import uvicorn

    from ls_lod.web.app import create_app
    from ls_lod.web.serving import SERVE_DIR

    create_app(directory)  # fail here, with a clear message, before the server starts
    os.environ[SERVE_DIR] = str(directory.resolve())
    click.echo(f"Serving {directory} on http://{host}:{port}/ (OAI-PMH at /oai, SPARQL at /sparql)")
    uvicorn.run("ls_lod.web.serving:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning")


@main.command()
def formats() -> None:
    """List the readers and output formats."""
    from ls_lod import exporters, readers

    click.echo("readers: " + ", ".join(
        f"{r.name} ({' '.join(r.file_extensions)})" for r in readers.READERS.values()))
    click.echo("dumps: " + ", ".join(
        f"{d.name} ({d.file_name})" for d in exporters.DUMP_FORMATS.values()))
    click.echo("record payloads: " + ", ".join(exporters.RECORD_FORMATS))


@main.command(name="settings")
@click.option("--markdown", is_flag=True, help="As the README's table.")
def list_settings(markdown: bool) -> None:
    """List every setting with its default and what it is for."""
    from ls_lod.settings import specs

    if markdown:
        click.echo("| setting | default | what it is for |\n|---|---|---|")
    for spec in specs().values():
        if markdown:
            default = f"`{spec.default}`" if spec.default != "" else "(empty)"
            click.echo(f"| `{spec.name}` | {default} | {spec.help} |")
        else:
            click.echo(f"{spec.name} = {spec.default!r}\n    {spec.help}")


def _register_optional() -> None:
    """Commands that live in their own modules."""
    from ls_lod.publish_cli import publish
    from ls_lod.validate_cli import validate
    from ls_lod.vocab_cli import vocab

    main.add_command(vocab)
    main.add_command(publish)
    main.add_command(validate)


_register_optional()
