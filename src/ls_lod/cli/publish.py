"""`ls-lod publish DIR --endpoint URL`: load a build into a SPARQL 1.1 Graph Store endpoint."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ls_lod.cli.support import friendly_errors, settings_options
from ls_lod.errors import EXIT_OK, ConfigError
from ls_lod.report import counted
from ls_lod.settings import Settings
from ls_lod.uris import http_iri_problem

EXAMPLE = "http://localhost:7878/store"


@click.command(short_help="Load a build into a SPARQL 1.1 Graph Store.")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph) or "
    "http://localhost:3030/ds/data (Fuseki).",
)
@click.option("--graph", metavar="IRI", help="Named graph to replace (default: the default graph).")
@click.option(
    "--query-endpoint",
    metavar="URL",
    help="SPARQL query URL for the triple-count check (default: guessed from --endpoint).",
)
@click.option("--user", metavar="U", help="User name for HTTP basic authentication.")
@click.option(
    "--password",
    metavar="P",
    envvar="LS_LOD_PUBLISH_PASSWORD",
    help="Password (or set LS_LOD_PUBLISH_PASSWORD, which keeps it out of the shell history).",
)
@click.option(
    "--timeout",
    default=3600.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for the endpoint.",
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Replace the graph even when the build holds fewer documents than it by more than max_withdraw_fraction.",
)
@settings_options
@friendly_errors
def publish(
    directory: Path,
    endpoint: str,
    graph: str | None,
    query_endpoint: str | None,
    user: str | None,
    password: str | None,
    timeout: float,
    allow_shrink: bool,
    config: Path | None,
    overrides: tuple[str, ...],
) -> None:
    """Replace a graph of a triple store with the dataset built in DIRECTORY, then check its size."""
    from ls_lod.publish import GraphStore
    from ls_lod.publish import publish as run_publish

    if password is not None and user is None:
        raise ConfigError("--password needs --user; give the user name with --user.")
    for option, url in (("--endpoint", endpoint), ("--query-endpoint", query_endpoint)):
        problem = http_iri_problem(url) if url is not None else None
        if problem:
            raise ConfigError(f"{option} {url!r} is not a URL: {problem}; give the store's URL, e.g. {EXAMPLE}.")
    settings = Settings.load(config, overrides)
    store = GraphStore(endpoint, query_endpoint, user, password, timeout)
    result = run_publish(directory, store, graph, None if allow_shrink else settings.max_withdraw_fraction)
    target = f"<{graph}>" if graph else "the default graph"
    click.echo(
        f"Loaded {counted(result.sent, 'triple')} into {target} at {endpoint} in {result.seconds:.1f} s; "
        f"the endpoint counts {result.counted:,}."
    )
    sys.exit(EXIT_OK)
