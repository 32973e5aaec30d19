"""The arguments of an OAI-PMH request, checked against each verb's table (spec section 4).

Every problem is found at once and reported as badVerb or badArgument. A value that passes
here is safe to echo in the response's `request` element: it validates against the type the
schema gives that attribute, and no XML-illegal character gets through.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ls_lod.datestamps import parse_datestamp
from ls_lod.oai.errors import BadArgument, BadVerb, OAIError, OAIErrors
from ls_lod.xmlchars import XML_ILLEGAL


@dataclass(frozen=True)
class VerbArguments:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    exclusive: str | None = None

    @property
    def allowed(self) -> set[str]:
        return {*self.required, *self.optional, *([self.exclusive] if self.exclusive else [])}


_SELECTIVE = VerbArguments(("metadataPrefix",), ("from", "until", "set"), "resumptionToken")
ARGUMENTS: dict[str, VerbArguments] = {
    "Identify": VerbArguments(),
    "ListMetadataFormats": VerbArguments(optional=("identifier",)),
    "ListSets": VerbArguments(exclusive="resumptionToken"),
    "GetRecord": VerbArguments(required=("identifier", "metadataPrefix")),
    "ListIdentifiers": _SELECTIVE,
    "ListRecords": _SELECTIVE,
}

_UNRESERVED = r"A-Za-z0-9\-_\.!~\*'\(\)"
METADATA_PREFIX = re.compile(rf"[{_UNRESERVED}]+")
SET_SPEC = re.compile(rf"[{_UNRESERVED}]+(:[{_UNRESERVED}]+)*")
# A URI reference of RFC 3986 characters; a relative one may not have ':' in its first segment.
_CHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})"
_FIRST_SEGMENT_CHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@?]|%[0-9A-Fa-f]{2})"
IDENTIFIER = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:{_CHAR}+|{_FIRST_SEGMENT_CHAR}+(?:/{_CHAR}*)?|/{_CHAR}*")
# [0-9], not \d: \d takes any script's digits, and strptime reads `٢٠٢٠` as 2020.
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SECONDS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


@dataclass(frozen=True)
class OAIRequest:
    """A request whose verb and arguments passed every check; `arguments` excludes the verb."""

    verb: str
    arguments: dict[str, str]

    def get(self, name: str) -> str | None:
        return self.arguments.get(name)

    def echo(self) -> dict[str, str]:
        """The `request` element's attributes: the request's key=value pairs."""
        return {"verb": self.verb, **self.arguments}


def quoted(value: str, limit: int = 80) -> str:
    """A request value quoted in a message, cut short and without XML-illegal characters."""
    clean = XML_ILLEGAL.sub("", value)
    return f"“{clean[:limit]}...”" if len(clean) > limit else f"“{clean}”"


def parse(pairs: Iterable[tuple[str, str]]) -> OAIRequest:
    """Check a request's key=value pairs; raises BadVerb, BadArgument or OAIErrors of them."""
    pairs = list(pairs)
    verb = _verb([value for key, value in pairs if key == "verb"])
    table = ARGUMENTS[verb]
    arguments = [(key, value) for key, value in pairs if key != "verb"]
    errors = _argument_names(verb, table, arguments)
    given = dict(arguments)
    known = {name: value for name, value in given.items() if name in table.allowed}
    errors += [*_values(known), *_date_range(known)]
    if errors:
        raise errors[0] if len(errors) == 1 else OAIErrors(list(errors))
    return OAIRequest(verb, given)


def _verb(verbs: list[str]) -> str:
    if not verbs:
        raise BadVerb("the request has no verb; give one of " + ", ".join(ARGUMENTS) + ".")
    if len(verbs) > 1:
        raise BadVerb("the verb argument is repeated; give it once.")
    if verbs[0] not in ARGUMENTS:
        raise BadVerb(f"{quoted(verbs[0])} is not an OAI-PMH verb; use one of {', '.join(ARGUMENTS)}.")
    return verbs[0]


def _argument_names(verb: str, table: VerbArguments, arguments: list[tuple[str, str]]) -> list[OAIError]:
    errors: list[OAIError] = []
    names = [key for key, _ in arguments]
    for name in sorted({n for n in names if names.count(n) > 1}):
        errors.append(BadArgument(f"the argument {quoted(name)} is repeated; give it once."))
    for name in sorted(set(names) - table.allowed):
        allowed = ", ".join(sorted(table.allowed)) or "none"
        errors.append(BadArgument(f"{verb} takes no argument {quoted(name)}; its arguments: {allowed}."))
    if table.exclusive and table.exclusive in names:
        if len(set(names)) > 1:
            errors.append(BadArgument(f"{table.exclusive} is exclusive: send it with the verb only."))
    else:
        for name in table.required:
            if name not in names:
                errors.append(BadArgument(f"{verb} needs the argument {name}."))
    return errors


def _values(given: dict[str, str]) -> list[OAIError]:
    checks = {"metadataPrefix": METADATA_PREFIX, "set": SET_SPEC, "identifier": IDENTIFIER}
    errors: list[OAIError] = []
    for name, value in given.items():
        if XML_ILLEGAL.search(value):
            errors.append(BadArgument(f"the value of {name} holds characters that XML does not allow."))
        elif name in checks and not checks[name].fullmatch(value):
            errors.append(BadArgument(f"{name} {quoted(value)} is not of the form the protocol allows."))
        elif name in ("from", "until") and datestamp_bound(value, name == "until") is None:
            errors.append(
                BadArgument(f"{name} {quoted(value)} is not a date; use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC).")
            )
    return errors


def _date_range(given: dict[str, str]) -> list[OAIError]:
    start, end = given.get("from"), given.get("until")
    if start is None or end is None:
        return []
    if len(start) != len(end):
        return [
            BadArgument(
                f"from {quoted(start)} and until {quoted(end)} have different "
                "granularities; give both as days or both to the second."
            )
        ]
    if start > end:
        return [BadArgument(f"from {quoted(start)} is later than until {quoted(end)}.")]
    return []


def datestamp_bound(value: str, upper: bool) -> str | None:
    """`from`/`until` as the inclusive bound in the store's form (YYYY-MM-DDThh:mm:ssZ); None if invalid."""
    try:
        if DAY.fullmatch(value):
            dt.date.fromisoformat(value)
            return value + ("T23:59:59Z" if upper else "T00:00:00Z")
        if SECONDS.fullmatch(value):
            parse_datestamp(value)
            return value
    except ValueError:
        return None
    return None
