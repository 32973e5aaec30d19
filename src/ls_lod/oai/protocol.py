"""One OAI-PMH exchange, transport aside: key=value pairs in, the response document out."""

from __future__ import annotations

from collections.abc import Iterable

from ls_lod.datestamps import utc_now
from ls_lod.oai import arguments
from ls_lod.oai.errors import BadArgument, OAIError
from ls_lod.oai.repository import Repository
from ls_lod.oai.verbs import VERBS
from ls_lod.oai.xml import response_document

MAX_ARGUMENTS = 50


def respond(
    repository: Repository, pairs: Iterable[tuple[str, str]], base_url: str, problem: str | None = None
) -> bytes:
    """The XML answer to a request; every error condition becomes an <error>, never an exception.

    `problem` is a fault of the HTTP request itself (a POST body of the wrong type): badArgument.
    """
    pairs = list(pairs)
    request = None
    try:
        if problem is not None:
            raise BadArgument(problem)
        if len(pairs) > MAX_ARGUMENTS:
            raise BadArgument(f"the request has {len(pairs)} arguments; OAI-PMH requests have at most 5.")
        request = arguments.parse(pairs)
        context = VERBS[request.verb](repository, request)
        return response_document(
            response_date=utc_now(), base_url=base_url, echo=request.echo(), verb=request.verb, **context
        )
    except OAIError as error:
        echo = request.echo() if request is not None and error.echoes_arguments else {}
        return response_document(
            response_date=utc_now(),
            base_url=base_url,
            echo=echo,
            verb="",
            errors=[(e.code, e.message) for e in error.errors],
        )
