"""Writing OAI-PMH XML: one jinja2 template for every response, and the character filter.

Every value that reaches the template is escaped and stripped of characters XML 1.0 forbids
(the environment's `finalize` does it, so no template can forget); stored payloads come in as
Markup, made well-formed by lxml or pyoxigraph at build time. Measured against building an
lxml tree per response, the template is several times faster because payloads are never
re-parsed (bench/bench_oai.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """The text without the characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return XML_ILLEGAL.sub("", text)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return clean(value)


_ENVIRONMENT = Environment(loader=PackageLoader("ls_lod.oai", "templates"), autoescape=True,
                           finalize=_finalize, trim_blocks=True, lstrip_blocks=True,
                           undefined=StrictUndefined, keep_trailing_newline=True)
_RESPONSE = _ENVIRONMENT.get_template("response.xml")

_DEFAULTS: dict[str, Any] = {"echo": {}, "errors": [], "items": [], "formats": [], "sets": [],
                             "token": None, "identify": None}


def render(**context: Any) -> bytes:
    """The response document, UTF-8, starting with the XML declaration."""
    return _RESPONSE.render(**{**_DEFAULTS, **context}).lstrip().encode("utf-8")


def stream(template_name: str, **context: Any) -> Iterator[bytes]:
    """A large document (the static repository) rendered piece by piece, UTF-8."""
    first = True
    for chunk in _ENVIRONMENT.get_template(template_name).generate(**context):
        if first and chunk.strip():
            chunk, first = chunk.lstrip(), False
        elif first:
            continue
        yield chunk.encode("utf-8")


def trusted(payload: str) -> Markup:
    """A stored payload: XML the build wrote, put in as it is."""
    return Markup(payload)
