"""`ls-lod formats` and `ls-lod settings`: what this ls-lod can read and write, and how it is set."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ls_lod.cli.support import friendly_errors, settings_options
from ls_lod.settings import SettingSpec


@click.command(short_help="List the readers and output formats.")
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


@click.command(name="settings", short_help="Print the settings in force and where each came from.")
@click.option("--markdown", is_flag=True, help="Print the README's table of settings and their defaults instead.")
@settings_options
@friendly_errors
def list_settings(markdown: bool, config: Path | None, overrides: tuple[str, ...]) -> None:
    """List every setting: the value in force, where it came from (default, settings file,
    environment or --set) and what it is for, as an ls-lod.toml one can copy."""
    from ls_lod.settings import Settings, resolve, specs

    if markdown:
        click.echo("| setting | default | allowed | a new value makes the next build | what it is for |")
        click.echo("|---|---|---|---|---|")
        for spec in specs().values():
            default = f"`{spec.default}`" if spec.default != "" else "(empty)"
            rebuilds = "convert every record again" if spec.output else "take every record over"
            click.echo(f"| `{spec.name}` | {default} | {allowed(spec)} | {rebuilds} | {spec.help} |")
        return
    given, origins = resolve(config, overrides)
    settings = Settings.from_values(given)
    for spec in specs().values():
        value = settings[spec.name]
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value).lower()
        click.echo(f"# {spec.help}\n{spec.name} = {text}  # {origins.get(spec.name, 'default')}\n")


KINDS = {
    "http-url": "an http(s) URL",
    "url-template": "an http(s) URL with `{number}`",
    "language": "a BCP 47 language tag",
}


def allowed(spec: SettingSpec) -> str:
    """What settings.toml allows, in a few words for the README's table."""
    if spec.min is not None:
        said = f"at least {spec.min:g}"
    elif spec.choices:
        said = " or ".join(f"`{choice}`" for choice in spec.choices)
    elif spec.kind:
        said = KINDS[spec.kind]
    else:
        said = spec.form.split(", e.g.")[0] or "text"
    return said + (", or empty" if spec.default == "" and said != "text" else "")
