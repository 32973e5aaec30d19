"""/sparql backed by an external SPARQL endpoint (the setting sparql_endpoint): Oxigraph server,
Fuseki, QLever or Virtuoso loaded with `ls-lod publish`, for when one machine is not enough.

The site keeps its URL and its rules: the query has passed the same checks (size, no SERVICE)
before it gets here, it runs under the same time limit and admission bound, and the answer is
read back (SPARQL JSON or N-Triples) and written again by the same writers, so clients get the
same formats and the same result cap as from the embedded store.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph
import requests
from pyoxigraph import QueryResultsFormat, RdfFormat

from ls_lod.web.sparql_workers import Admission, QueryJob, QueryOutcome, QueryTimeout, written

ASKED = "application/sparql-results+json, application/n-triples;q=0.9"
# An answer is read whole before it is written again; past this the store's answer is refused
# (the result cap applies after reading, so a client asking for everything must use a LIMIT).
MAX_ANSWER = 256 * 1024 * 1024


class RemoteEndpoint:
    """`await endpoint.run(job, timeout)`, like QueryPool, against the query service at `url`."""

    def __init__(self, url: str, running: int = 4, waiting: int = 8) -> None:
        self.url = url
        self.admission = Admission(running, waiting)
        self.session = requests.Session()

    async def run(self, job: QueryJob, timeout: float) -> QueryOutcome:
        return await self.admission.run(self._run, job, timeout)

    def close(self) -> None:
        self.admission.close()
        self.session.close()

    def _run(self, job: QueryJob, timeout: float) -> QueryOutcome:
        form = {"query": job.query, "default-graph-uri": list(job.default_graphs)}
        try:
            with self.session.post(
                self.url, data=form, headers={"Accept": ASKED}, timeout=timeout, stream=True
            ) as response:
                body = _read(response)
        except requests.Timeout:
            raise QueryTimeout(f"the query ran for more than {timeout:g} s") from None
        except requests.RequestException as error:
            return QueryOutcome("unavailable", message=f"the SPARQL store at {self.url} did not answer ({error})")
        if body is None:
            return QueryOutcome("error", message=f"its answer is larger than {MAX_ANSWER // 2**20} MiB; add a LIMIT")
        if response.status_code == 400:
            return QueryOutcome("syntax", message=body.decode("utf-8", "replace").strip()[:500])
        if response.status_code != 200:
            return QueryOutcome(
                "unavailable", message=f"the SPARQL store at {self.url} answered HTTP {response.status_code}"
            )
        try:
            return written(_parsed(body, response.headers.get("content-type", "")), job)
        except (SyntaxError, ValueError) as error:
            return QueryOutcome(
                "unavailable", message=f"the SPARQL store at {self.url} sent an unreadable answer ({error})"
            )


def _read(response: requests.Response) -> bytes | None:
    chunks, size = [], 0
    for chunk in response.iter_content(1 << 16):
        size += len(chunk)
        if size > MAX_ANSWER:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _parsed(body: bytes, content_type: str) -> Any:
    """The store's answer as pyoxigraph objects: solutions, a boolean, or triples."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in ("application/sparql-results+json", "application/json"):
        return pyoxigraph.parse_query_results(body, format=QueryResultsFormat.JSON)
    if media_type == "application/n-triples":
        return (quad.triple for quad in pyoxigraph.parse(body, format=RdfFormat.N_TRIPLES))
    raise ValueError(f"it is {media_type or 'untyped'}, not SPARQL JSON or N-Triples")
