"""What /sparql checks in a query before any engine sees it: its size and federation.

A `SERVICE` clause makes the engine fetch a URL of the client's choosing and hand back what it
got (server-side request forgery; its errors tell which ports are open), so it is refused.
The query is read with pygments' SPARQL lexer, so the word in a string, an IRI, a comment, a
variable (`?service`) or a prefixed name (`service:x`) is not taken for the keyword. SPARQL
lets `\\uXXXX` escapes stand for any character of a query, keywords included, so they are
decoded first, as the engine does.
"""

from __future__ import annotations

import re
from functools import cache

from pygments.lexer import Lexer
from pygments.lexers import SparqlLexer
from pygments.token import Comment, Name, String, Token

from ls_lod.web.responses import BadRequest, PayloadTooLarge

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile(r"(?<![:\w])service(?![:\w])", re.IGNORECASE)
# Tokens whose text is data, not syntax: literals, IRIs, comments, variables.
_DATA_TOKENS = (String, Comment, Name.Label, Name.Variable)


@cache
def _lexer() -> Lexer:
    return SparqlLexer()


def check(query: str, limit: int, federation: tuple[str, ...] = ()) -> None:
    """PayloadTooLarge or BadRequest when the query may not run here; None when it may.

    `federation`: the endpoints a SERVICE clause may name (the setting sparql_federation)."""
    size = len(query.encode("utf-8"))
    if size > limit:
        raise PayloadTooLarge(
            f"A query may be at most {limit:,} bytes; this one has {size:,}. Shorten it, "
            "or run it on your own copy of the dataset (`ls-lod publish`)."
        )
    for target in service_targets(query):
        if target.strip("<>") not in federation:
            allowed = ", ".join(federation) if federation else "none"
            raise BadRequest(
                f"This endpoint does not run federated queries: the query asks for SERVICE {target}. "
                f"Endpoints allowed by the setting sparql_federation: {allowed}. Query that endpoint "
                "yourself and combine the answers, or leave the SERVICE clause out."
            )


def service_targets(query: str) -> list[str]:
    """What follows each SERVICE keyword of the query (`<http://...>`, `?var`), in order."""
    tokens = [(kind, text) for kind, text in _lexer().get_tokens(decode_escapes(query)) if text]
    targets = []
    for index, (kind, text) in enumerate(tokens):
        if kind in Token.Text or any(kind in data for data in _DATA_TOKENS) or not _SERVICE.search(text):
            continue
        if not _is_prefix(tokens, index):
            following = [t for k, t in tokens[index + 1 :] if t.strip() and k not in Comment and t.upper() != "SILENT"]
            targets.append(following[0] if following else "(nothing)")
    return targets


def _is_prefix(tokens: list[tuple[object, str]], index: int) -> bool:
    """`service:` in a PREFIX declaration or `ex:service`: the lexer calls these keywords too."""
    if tokens[index][1].lower() != "service":
        return False
    after = tokens[index + 1][1] if index + 1 < len(tokens) else ""
    before = tokens[index - 1][1] if index > 0 else ""
    return after.startswith(":") or before.endswith(":")


def decode_escapes(query: str) -> str:
    """`\\u0053ERVICE` -> `SERVICE`: SPARQL's codepoint escapes, decoded before parsing (§19.2)."""

    def character(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(character, query)
