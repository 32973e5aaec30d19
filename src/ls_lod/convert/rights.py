"""Rights of a record: the metadata's licence (a setting) and the document's COAR access right.

The access rights are the COAR vocabulary's four values (access_rights.toml, data); the
`access_rights` setting names the one that holds for documents with a PDF.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ls_lod.errors import ConfigError

METADATA_ONLY = "metadata only access"


@dataclass(frozen=True)
class AccessRight:
    label: str  # the COAR prefLabel, e.g. "open access"
    iri: str  # http://purl.org/coar/access_right/...
    eu_repo: str  # info:eu-repo/semantics/... (the OpenAIRE v3 form some harvesters still read)


@cache
def access_rights() -> dict[str, AccessRight]:
    text = resources.files("ls_lod.convert").joinpath("access_rights.toml").read_text("utf-8")
    return {label: AccessRight(label, **row) for label, row in tomllib.loads(text).items()}


def check_access_rights(name: str) -> AccessRight:
    """The setting's access right; an unknown name is a configuration error listing the known ones."""
    known = access_rights()
    if name not in known:
        raise ConfigError(
            f"setting access_rights is {name!r}, which is no COAR access right; use one of: {', '.join(known)}."
        )
    return known[name]


def access_right(name: str, has_file: bool) -> AccessRight:
    """What a reader can get: the setting's access right for a PDF, metadata only without one."""
    return access_rights()[name] if has_file else access_rights()[METADATA_ONLY]


@cache
def by_iri(iri: str) -> AccessRight:
    return next(right for right in access_rights().values() if right.iri == iri)
