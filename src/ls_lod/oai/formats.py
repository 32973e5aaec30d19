"""The metadata formats of the OAI-PMH endpoint, read from formats.toml (prefix -> schema,
namespace, stored payload): one table shared by the endpoint, the exporters and the static file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    payload: str
    help: str = ""
    in_static_repository: bool = True

    @property
    def schema_location(self) -> str:
        """The value of the payload root's xsi:schemaLocation, as the spec requires."""
        return f"{self.namespace} {self.schema}"


@cache
def metadata_formats() -> dict[str, MetadataFormat]:
    """metadataPrefix -> format, in the order of formats.toml (oai_dc first)."""
    text = resources.files("ls_lod.oai").joinpath("formats.toml").read_text("utf-8")
    return {prefix: MetadataFormat(prefix, **row) for prefix, row in tomllib.loads(text).items()}


def by_payload(payload: str) -> MetadataFormat:
    """The format whose payload an exporter renders (the exporter needs schema and namespace)."""
    return next(f for f in metadata_formats().values() if f.payload == payload)
