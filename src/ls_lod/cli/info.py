"""`ls-lod formats` and `ls-lod settings`: what this ls-lod can read and write, and how it is set."""

from __future__ import annotations

import click


@click.command()
@click.option("--columns", is_flag=True, help="The CSV and JSON Lines columns, as the README's table.")
def formats(columns: bool) -> None:
    """List the readers and output formats."""
    from ls_lod import exporters, fields, readers

    if columns:
        click.echo(fields.columns_markdown())
        return

    click.echo("readers: " + ", ".join(f"{r.name} ({' '.join(r.file_extensions)})" for r in readers.READERS.values()))
    click.echo("dumps: " + ", ".join(f"{d.name} ({d.file_name})" for d in exporters.DUMP_FORMATS.values()))
    click.echo("record payloads: " + ", ".join(exporters.RECORD_FORMATS))


@click.command(name="settings")
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
