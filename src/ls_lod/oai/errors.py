"""OAI-PMH error conditions, one exception class per code of the spec (section 3.6).

All share `OAIError`, so the endpoint catches one type; `echoes_arguments` is False for the
two codes after which the `request` element must carry the base URL only (badVerb, badArgument).
A request can raise several at once (`OAIErrors`): the spec asks repositories to report all.
"""

from __future__ import annotations

from typing import ClassVar


class OAIError(Exception):
    """An OAI-PMH error: `code` is the spec's code, the message a sentence for a human reader."""

    code: ClassVar[str] = ""
    echoes_arguments: ClassVar[bool] = True

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def errors(self) -> list[OAIError]:
        return [self]


class BadArgument(OAIError):
    """Illegal, missing or repeated arguments, or argument values of illegal syntax."""

    code = "badArgument"
    echoes_arguments = False


class BadResumptionToken(OAIError):
    """The resumptionToken is invalid (our tokens never expire)."""

    code = "badResumptionToken"


class BadVerb(OAIError):
    """The verb is missing, repeated or not one of the six."""

    code = "badVerb"
    echoes_arguments = False


class CannotDisseminateFormat(OAIError):
    """The metadataPrefix is not supported by the item or by the repository."""

    code = "cannotDisseminateFormat"


class IdDoesNotExist(OAIError):
    """The identifier is unknown or illegal in this repository."""

    code = "idDoesNotExist"


class NoRecordsMatch(OAIError):
    """from, until, set and metadataPrefix select an empty list."""

    code = "noRecordsMatch"


class NoMetadataFormats(OAIError):
    """No metadata formats are available for the item."""

    code = "noMetadataFormats"


class NoSetHierarchy(OAIError):
    """The repository has no sets."""

    code = "noSetHierarchy"


class OAIErrors(OAIError):
    """Several errors of one request, reported together."""

    def __init__(self, errors: list[OAIError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self._errors = errors
        self.echoes_arguments = all(e.echoes_arguments for e in errors)  # type: ignore[misc]

    @property
    def errors(self) -> list[OAIError]:
        return list(self._errors)


ERROR_CLASSES: dict[str, type[OAIError]] = {
    cls.code: cls
    for cls in (
        BadArgument,
        BadResumptionToken,
        BadVerb,
        CannotDisseminateFormat,
        IdDoesNotExist,
        NoRecordsMatch,
        NoMetadataFormats,
        NoSetHierarchy,
    )
}
