"""Writing OAI-PMH XML: one jinja2 template for every response, and the character filter.

Every value that reaches the template is escaped and stripped of characters XML 1.0 forbids
(the environment's `finalize` does it, so no template can forget); stored payloads come in as
Markup, made well-formed by lxml or pyoxigraph at build time. Measured against building an
lxml tree per response, the template is several times faster because payloads are never
re-parsed (bench/bench_oai.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, Protocol

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ls_lod.xmlchars import strip_xml_illegal


def clean(text: str) -> str:
    """The text without the characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return strip_xml_illegal(text)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return clean(value)


_ENVIRONMENT = Environment(
    loader=PackageLoader("ls_lod.oai", "templates"),
    autoescape=True,
    finalize=_finalize,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
_RESPONSE = _ENVIRONMENT.get_template("response.xml")
_BODY_MARK = Markup("<!-- ls-lod: the body goes here -->")
_BODY_MARK_BYTES = _BODY_MARK.encode("utf-8")

_DEFAULTS: dict[str, Any] = {
    "echo": {},
    "errors": [],
    "body": "",
    "formats": [],
    "sets": [],
    "token": None,
    "identify": None,
}


def response_document(**context: Any) -> bytes:
    """The response document, UTF-8, starting with the XML declaration.

    The body (headers_and_records: a page of records, 1.5 MB in `rdf`) is bytes and does not
    pass through the template: the envelope is rendered around a mark and the body joined in
    its place, so a page's megabytes are copied once (bench/bench_oai.py: the `rdf` page)."""
    body: bytes = context.pop("body", b"")
    envelope = _RESPONSE.render(**{**_DEFAULTS, **context, "body": _BODY_MARK}).lstrip().encode("utf-8")
    head, mark, tail = envelope.partition(_BODY_MARK_BYTES)
    return head + body + tail if mark else envelope


def stream(template_name: str, **context: Any) -> Iterator[bytes]:
    """A large document (the static repository) rendered piece by piece, UTF-8."""
    first = True
    for chunk in _ENVIRONMENT.get_template(template_name).generate(**context):
        if first and chunk.strip():
            chunk, first = chunk.lstrip(), False
        elif first:
            continue
        yield chunk.encode("utf-8")


def headers_and_records(items: Iterable[Listed], records: bool) -> bytes:
    """The headers (ListIdentifiers) or records (ListRecords, GetRecord) of a page, as UTF-8.

    Joined here rather than looped in the template: a jinja2 macro call per record costs more
    than the rest of the page (bench/bench_oai.py). Stored payloads go in as they are, as the
    bytes the store unpacked: an `rdf` page is 1.5 MB with labels in Cyrillic and Greek, and
    decoding it into one str of wide characters, wrapping that in Markup and encoding it again
    cost more than all the rest of the page.
    """
    parts = []
    for item in items:
        header = _header(item).encode("utf-8")
        if not records:
            parts.append(header)
        elif item.deleted or item.content is None:
            parts.append(b"<record>" + header + b"</record>")
        else:
            parts.append(b"".join((b"<record>", header, b"<metadata>", item.content, b"</metadata></record>")))
    return b"\n".join(parts)


class Listed(Protocol):
    @property
    def identifier(self) -> str: ...
    @property
    def datestamp(self) -> str: ...
    @property
    def sets(self) -> str: ...  # setSpecs separated by spaces
    @property
    def deleted(self) -> bool: ...
    @property
    def content(self) -> bytes | None: ...


# What needs no escaping: identifiers and setSpecs as ls-lod makes them. Anything else is escaped.
_PLAIN_IDENTIFIER = re.compile(r"[A-Za-z0-9\-_.!~*'():/;?@=+$,%]+")
_PLAIN_SET_SPECS = re.compile(r"[A-Za-z0-9\-_.!~*'():]+(?: [A-Za-z0-9\-_.!~*'():]+)*")


def _header(item: Listed) -> str:
    status = ' status="deleted"' if item.deleted else ""
    identifier = item.identifier if _PLAIN_IDENTIFIER.fullmatch(item.identifier) else escape(clean(item.identifier))
    return (
        f"<header{status}><identifier>{identifier}</identifier>"
        f"<datestamp>{_text(item.datestamp)}</datestamp>{_set_specs(item.sets)}</header>"
    )


def _set_specs(specs: str) -> str:
    if not specs:
        return ""
    if _PLAIN_SET_SPECS.fullmatch(specs):
        return "<setSpec>" + specs.replace(" ", "</setSpec><setSpec>") + "</setSpec>"
    return "".join(f"<setSpec>{_text(spec)}</setSpec>" for spec in specs.split())


@lru_cache(maxsize=8192)
def _text(value: str) -> str:
    """Escaped and cleaned, remembered: setSpecs and datestamps repeat from record to record."""
    return str(escape(clean(value)))
