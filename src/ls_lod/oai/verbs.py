"""The six OAI-PMH verbs: each turns a checked request into what the response template shows.

Lists run in (datestamp, document number) order and are paged by keyset: a page asks the store
for the records after the last one the previous page returned, whatever the depth. A record
changed during a harvest moves to the end of the order, so a list request sequence never misses
a record whose datestamp stayed in range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ls_lod.oai import tokens
from ls_lod.oai.arguments import OAIRequest, datestamp_bound, quoted
from ls_lod.oai.errors import (
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoMetadataFormats,
    NoRecordsMatch,
    NoSetHierarchy,
    OAIError,
    OAIErrors,
)
from ls_lod.oai.formats import MetadataFormat
from ls_lod.oai.repository import Repository
from ls_lod.oai.tokens import ResumptionToken
from ls_lod.oai.xml import headers_and_records
from ls_lod.store.catalog import OAIRow, OAISelection

Context = dict[str, Any]


@dataclass(frozen=True)
class Item:
    """One header (and its metadata) as the template writes it."""

    identifier: str
    datestamp: str
    sets: str  # setSpecs separated by spaces
    deleted: bool
    content: bytes | None = None  # the stored payload as UTF-8


def identify(repository: Repository, request: OAIRequest) -> Context:
    return {"identify": repository.identify()}


def list_metadata_formats(repository: Repository, request: OAIRequest) -> Context:
    formats = list(repository.formats().values())
    identifier = request.get("identifier")
    if identifier is not None:
        number = _number(repository, identifier)
        stored = set(repository.store.oai_formats(number))
        formats = [f for f in formats if f.payload in stored]
        if not formats:
            raise NoMetadataFormats(f"no metadata format is available for {quoted(identifier)}.")
    return {"formats": formats}


def list_sets(repository: Repository, request: OAIRequest) -> Context:
    if not repository.sets:
        raise NoSetHierarchy(
            "this repository has no sets: its vocabularies define no document types and no top concepts."
        )
    after, cursor = "", 0
    if (token := request.get("resumptionToken")) is not None:
        position = tokens.decode(token, request.verb)
        after, cursor = str(position.after), position.cursor
    remaining = [s for s in repository.sets if s.spec > after]
    page = remaining[: repository.page_size]
    more = len(remaining) > len(page)
    token_value = ResumptionToken(request.verb, {}, page[-1].spec, cursor + len(page)).encode() if more else ""
    return {"sets": page, "token": _token(token_value, len(repository.sets), cursor, more or bool(after))}


def get_record(repository: Repository, request: OAIRequest) -> Context:
    identifier = str(request.get("identifier"))
    number, fmt = _all(
        lambda: _number(repository, identifier), lambda: _format(repository, str(request.get("metadataPrefix")))
    )
    record = repository.store.record(number)
    content = repository.store.payload(number, fmt.payload)
    if record is None or content is None:
        raise CannotDisseminateFormat(
            f"{identifier} is not available as {fmt.prefix}; "
            "ListMetadataFormats with this identifier lists its formats."
        )
    sets = " ".join(repository.store.oai_sets_of([number]).get(number, []))
    row = OAIRow(number, int(number), record.datestamp, record.deleted, content.encode("utf-8"), sets)
    return {"body": headers_and_records(_items(repository, [row], with_content=True), records=True)}


def list_records(repository: Repository, request: OAIRequest) -> Context:
    return _list(repository, request, with_content=True)


def list_identifiers(repository: Repository, request: OAIRequest) -> Context:
    return _list(repository, request, with_content=False)


def _list(repository: Repository, request: OAIRequest, with_content: bool) -> Context:
    after: tuple[str, int] | None = None
    cursor, selected = 0, request
    if (token := request.get("resumptionToken")) is not None:
        position = tokens.decode(token, request.verb)
        selected, cursor = position.request(), position.cursor
        after = position.after if isinstance(position.after, tuple) else None
    fmt, selection = _all(
        lambda: _format(repository, str(selected.get("metadataPrefix"))), lambda: _selection(repository, selected)
    )
    rows = repository.store.oai_page(fmt.payload, selection, after, repository.page_size + 1, with_content)
    if not rows:
        raise NoRecordsMatch(
            "no record matches the selection (from, until, set, metadataPrefix)"
            + (" after the position of this token." if after else ".")
        )
    more = len(rows) > repository.page_size
    rows = rows[: repository.page_size]
    token_value = ""
    if more:
        last = rows[-1]
        token_value = ResumptionToken(
            request.verb, selected.arguments, (last.datestamp, last.sort_key), cursor + len(rows)
        ).encode()
    size = max(repository.count(selection), cursor + len(rows) + more)
    return {
        "body": headers_and_records(_items(repository, rows, with_content), records=with_content),
        "token": _token(token_value, size, cursor, more or after is not None),
    }


def _selection(repository: Repository, request: OAIRequest) -> OAISelection:
    set_spec = request.get("set")
    if set_spec is not None and not repository.sets:
        raise NoSetHierarchy("this repository has no sets, so it cannot select by set.")
    since, until = request.get("from"), request.get("until")
    return repository.selection(
        set_spec, datestamp_bound(since, False) if since else None, datestamp_bound(until, True) if until else None
    )


def _items(repository: Repository, rows: list[OAIRow], with_content: bool) -> list[Item]:
    minter = repository.minter
    return [
        Item(
            minter.oai_identifier(row.number),
            row.datestamp,
            row.sets,
            row.deleted,
            row.content if with_content else None,
        )
        for row in rows
    ]


def _token(value: str, size: int, cursor: int, shown: bool) -> dict[str, object] | None:
    """The resumptionToken element: on every page of a multi-page list, empty on the last."""
    return {"value": value, "size": max(size, 1), "cursor": cursor} if shown else None


def _number(repository: Repository, identifier: str) -> str:
    number = repository.number(identifier)
    if number is None:
        raise IdDoesNotExist(
            f"{quoted(identifier)} is not an identifier of this repository; they look like "
            f"{repository.minter.oai_identifier('3039')}."
        )
    return number


def _format(repository: Repository, prefix: str) -> MetadataFormat:
    formats = repository.formats()
    if prefix not in formats:
        raise CannotDisseminateFormat(
            f"metadataPrefix {quoted(prefix)} is not supported; use one of {', '.join(formats)}."
        )
    return formats[prefix]


def _all(*checks: Callable[[], Any]) -> list[Any]:
    """Run every check and report all their errors together, as the spec recommends."""
    results, errors = [], []
    for check in checks:
        try:
            results.append(check())
        except OAIError as error:
            errors.extend(error.errors)
    if errors:
        raise errors[0] if len(errors) == 1 else OAIErrors(errors)
    return results


VERBS: dict[str, Callable[[Repository, OAIRequest], Context]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
