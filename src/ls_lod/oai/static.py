"""static-repository.xml: the collection as an OAI Static Repository, when it is small enough.

The Static Repository guidelines are for collections of 1 to 5,000 records, without sets,
deleted records or resumption tokens, at day granularity; beyond that the file is not written
(the build removes a stale one after it commits) and says why. A Static Repository Gateway harvests it
from {oai endpoint}/static-repository.xml, which `ls-lod serve` serves as text/xml.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from markupsafe import Markup

from ls_lod import atomic
from ls_lod.convert.context import Conversion
from ls_lod.oai.formats import MetadataFormat, metadata_formats
from ls_lod.oai.repository import Repository
from ls_lod.oai.xml import stream
from ls_lod.report import counted
from ls_lod.store.catalog import CatalogStore

FILE_NAME = "static-repository.xml"
MOST_RECORDS = 5000


def file_url(conversion: Conversion) -> str:
    """Where the file is published: beside the OAI-PMH endpoint."""
    settings = conversion.settings
    endpoint = str(settings.oai_base_url) or conversion.minter.service("oai")
    return f"{endpoint.rstrip('/')}/{FILE_NAME}"


def gateway_base_url(conversion: Conversion) -> str:
    """The Static Repository base URL: gateway URL, '/', the file's URL without its scheme."""
    gateway = str(conversion.settings.oai_static_gateway)
    url = file_url(conversion)
    if not gateway:
        return url
    return f"{gateway.rstrip('/')}/{url.split('://', 1)[-1]}"


def write_static_repository(store: CatalogStore, conversion: Conversion, out: Path) -> tuple[Path | None, str]:
    """(the file to commit, or None; a sentence for the build's closing lines)."""
    live = store.count()
    if not 1 <= live <= MOST_RECORDS:
        why = "no published record" if live == 0 else f"{live:,} published records"
        return None, (
            f"{FILE_NAME} not written: the catalogue has {why}, and an OAI Static Repository "
            f"holds 1 to {MOST_RECORDS:,}; harvesters use the OAI-PMH endpoint."
        )
    repository = Repository(store, conversion)
    datestamps = {r.number: r.datestamp[:10] for r in store.records()}
    context = {
        "identify": repository.identify(),
        "base_url": gateway_base_url(conversion),
        "earliest": min(datestamps.values()),
        "formats": [f for f in metadata_formats().values() if f.in_static_repository],
        "records": lambda fmt: _records(store, conversion, fmt, datestamps),
    }
    target = out / FILE_NAME
    with atomic.writing(target) as out_file:
        for chunk in stream(FILE_NAME, **context):
            out_file.write(chunk)
    return target, f"{FILE_NAME}: {counted(live, 'record')} as an OAI Static Repository ({file_url(conversion)})."


def _records(
    store: CatalogStore, conversion: Conversion, fmt: MetadataFormat, datestamps: dict[str, str]
) -> Iterator[dict[str, object]]:
    for number, content in store.payloads(fmt.payload):
        yield {
            "identifier": conversion.minter.oai_identifier(number),
            "datestamp": datestamps[number],
            "content": Markup(content),
        }
