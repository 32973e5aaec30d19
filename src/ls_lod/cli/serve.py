"""`ls-lod serve DIR`: serve what `ls-lod build` wrote, with a production ASGI server (uvicorn)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ls_lod.cli.support import friendly_errors


@click.command(short_help="Serve a build: pages, /oai, /sparql and the dumps.")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port to listen on.")
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
    uvicorn.run(
        "ls_lod.web.serving:app_from_env", factory=True, host=host, port=port, workers=workers, log_level="warning"
    )
