"""`ls-lod serve DIR`: serve what `ls-lod build` wrote, with a production ASGI server (uvicorn).

The address is checked before anything is announced, so a bad or busy port is one sentence
and exit code 2; Ctrl-C (SIGINT) and SIGTERM stop the server without a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
from pathlib import Path

import click

from ls_lod.cli.support import friendly_errors
from ls_lod.errors import EXIT_INTERRUPTED, ConfigError
from ls_lod.settings import specs


@click.command(short_help="Serve a build: pages, /oai, /sparql and the dumps.")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Server processes.")
@click.option(
    "--keep-alive",
    default=75,
    show_default=True,
    type=click.IntRange(1, 3600),
    metavar="SECONDS",
    help="How long an idle client connection stays open for its next request.",
)
@click.option(
    "--proxy-headers/--no-proxy-headers",
    default=True,
    show_default=True,
    help="Take the client address and scheme from X-Forwarded-For and X-Forwarded-Proto.",
)
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1",
    show_default=True,
    help="Comma-separated addresses of the proxies whose X-Forwarded-* headers are trusted ('*': any).",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a setting of the server (see `ls-lod settings`).",
)
@friendly_errors
def serve(
    directory: Path,
    host: str,
    port: int,
    workers: int,
    keep_alive: int,
    proxy_headers: bool,
    forwarded_allow_ips: str,
    overrides: tuple[str, ...],
) -> None:
    """Serve what `ls-lod build` wrote in DIRECTORY: /oai, linked data, /sparql, dumps.

    Settings are those the build used; LS_LOD_<NAME> variables and --set change them for the
    server. Exit codes: 0 stopped, 2 bad directory, address or setting, 130 stopped by Ctrl-C.
    """
    try:
        import uvicorn

        from ls_lod.web.app import create_app
        from ls_lod.web.serving import SERVE_DIR, SERVE_OVERRIDES

        given = [*_from_environment(), *overrides]
        check_address(host, port)
        create_app(directory, given)  # fail here, with a clear message, before the server starts
        os.environ[SERVE_DIR] = str(directory.resolve())
        os.environ[SERVE_OVERRIDES] = json.dumps(given)
        click.echo(f"Serving {directory} on http://{host}:{port}/ (OAI-PMH at /oai, SPARQL at /sparql)")
        uvicorn.run(
            "ls_lod.web.serving:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            # longer than uvicorn's 5 s, as nginx's 75 s: a harvester that pauses between pages
            # must not send its next request into a connection the server is closing
            timeout_keep_alive=keep_alive,
            log_level="warning",
            access_log=False,  # ours, in the format the access_log setting asks for (web/access_log.py)
            proxy_headers=proxy_headers,
            forwarded_allow_ips=forwarded_allow_ips,
        )
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)


def _from_environment() -> list[str]:
    """LS_LOD_<NAME> variables, which change the build's settings for the server, as NAME=VALUE."""
    return [
        f"{name}={os.environ[f'LS_LOD_{name.upper()}']}" for name in specs() if f"LS_LOD_{name.upper()}" in os.environ
    ]


def check_address(host: str, port: int) -> None:
    """ConfigError with a sentence when the server could not listen on host:port."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ConfigError(
            f"cannot listen on --host {host!r}: {error.strerror}; give an IP address or a known host name"
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"port {port} on {host} is in use by another program; stop it or choose another --port"
                ) from None
            if error.errno == errno.EACCES:
                raise ConfigError(f"no permission to listen on port {port}; choose a port above 1023") from None
            raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror}; check --host and --port") from None
