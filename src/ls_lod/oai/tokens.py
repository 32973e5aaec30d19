"""Stateless resumption tokens: every argument of the list request plus a keyset position.

The server keeps nothing between requests, so a token never expires, survives restarts and
any number of server processes, and the same token always asks for the same page. The
position is the last item returned (datestamp and sort key of a record, or a setSpec), so a
deep page costs one index seek, never an OFFSET scan. A checksum turns a mangled token into
badResumptionToken instead of a wrong page. The checksum holds no secret (anyone may make a
token), so every part is checked for range as well as form: a forged token is refused with
badResumptionToken, or asks for a page that could be asked for anyway.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from ls_lod.oai.arguments import SECONDS, SET_SPEC, OAIRequest, datestamp_bound, parse
from ls_lod.oai.errors import BadResumptionToken, OAIError

VERSION = 1
_CHECK = 8  # hex digits of checksum
# Sort keys and cursors are compared with SQLite INTEGERs, which hold 64 bits.
INTEGER_RANGE = range(-(2**63), 2**63)
MAX_TOKEN = 4096  # characters; the tokens issued here are a few hundred


@dataclass(frozen=True)
class ResumptionToken:
    """Where a list request sequence stands: its original arguments, the last item, the cursor."""

    verb: str
    arguments: dict[str, str]
    after: tuple[str, int] | str  # (datestamp, sort key) of a record, or a setSpec
    cursor: int

    def encode(self) -> str:
        after = list(self.after) if isinstance(self.after, tuple) else self.after
        body = json.dumps(
            [VERSION, self.verb, self.arguments, after, self.cursor],
            separators=(",", ":"),
            sort_keys=True,
            ensure_ascii=False,
        )
        text = base64.urlsafe_b64encode(body.encode("utf-8")).decode("ascii").rstrip("=")
        return f"{text}.{_checksum(text)}"

    def request(self) -> OAIRequest:
        return OAIRequest(self.verb, dict(self.arguments))


def decode(token: str, verb: str) -> ResumptionToken:
    """The token's content, or BadResumptionToken saying what is wrong with it."""
    if len(token) > MAX_TOKEN:
        raise BadResumptionToken(_bad("it is longer than any this repository issues"))
    text, _, check = token.rpartition(".")
    if not text or check != _checksum(text):
        raise BadResumptionToken(_bad("it is not one this repository issued, or it was cut short"))
    try:
        payload = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError):
        raise BadResumptionToken(_bad("it cannot be read")) from None
    parsed = _from_payload(payload)
    if parsed.verb != verb:
        raise BadResumptionToken(_bad(f"it continues a {parsed.verb} list, not a {verb} list"))
    return parsed


def _from_payload(payload: object) -> ResumptionToken:
    if not (isinstance(payload, list) and len(payload) == 5 and payload[0] == VERSION):
        raise BadResumptionToken(_bad("its format is not one this repository issues"))
    _, verb, arguments, after, cursor = payload
    if not (isinstance(verb, str) and isinstance(arguments, dict) and _integer(cursor) and cursor >= 0):
        raise BadResumptionToken(_bad("its content is damaged"))
    try:
        request = parse([("verb", verb), *((str(k), str(v)) for k, v in arguments.items())])
    except OAIError:
        raise BadResumptionToken(_bad("the arguments it carries are not valid")) from None
    if "resumptionToken" in request.arguments or request.verb not in ("ListRecords", "ListIdentifiers", "ListSets"):
        raise BadResumptionToken(_bad("its content is damaged"))
    return ResumptionToken(verb, request.arguments, _position(verb, after), cursor)


def _position(verb: str, after: object) -> tuple[str, int] | str:
    if verb == "ListSets" and isinstance(after, str) and SET_SPEC.fullmatch(after):
        return after
    if verb != "ListSets" and isinstance(after, list) and len(after) == 2:
        datestamp, sort_key = after
        well_formed = isinstance(datestamp, str) and SECONDS.fullmatch(datestamp) is not None
        if well_formed and datestamp_bound(datestamp, False) and _integer(sort_key):
            return datestamp, sort_key
    raise BadResumptionToken(_bad("its position is damaged"))


def _integer(value: object) -> bool:
    """A JSON integer SQLite can compare (bool is an int in Python, and not one here)."""
    return isinstance(value, int) and not isinstance(value, bool) and value in INTEGER_RANGE


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("ascii", "replace")).hexdigest()[:_CHECK]


def _bad(reason: str) -> str:
    return f"the resumptionToken is not valid: {reason}. Start the list again without a token."
