"""Load a build into any SPARQL 1.1 Graph Store HTTP Protocol endpoint (Fuseki, Oxigraph,
GraphDB, Virtuoso), for users who outgrow one machine.

The graph is replaced in one PUT whose body streams dataset.nt from disk (the store never
sees a half-sent graph, and memory stays flat at any size); then a SPARQL COUNT on the
endpoint checks that every triple arrived. Failures become PublishError sentences.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph
import requests

from ls_lod.errors import ConfigError, PublishError, RefusedOperation
from ls_lod.indexes import sparql_store
from ls_lod.report import counted
from ls_lod.store.generations import live_directory

NTRIPLES = "application/n-triples"
COUNT = "SELECT (COUNT(*) AS ?triples) WHERE { %s }"
# The guard against shrinking compares documents, not triples: every build also carries the whole
# vocabulary (about 13,500 triples), which would hide a catalogue that lost most of its records.
DOCUMENT = "<http://purl.org/dc/terms/BibliographicResource>"
COUNT_DOCUMENTS = "SELECT (COUNT(DISTINCT ?document) AS ?triples) WHERE { %s }"
DOCUMENT_PATTERN = f"?document a {DOCUMENT}"
# Where a store's query service lives beside its graph store, by the graph store path's last part.
QUERY_PATHS = {"store": "query", "data": "query"}


@dataclass(frozen=True)
class PublishResult:
    graph: str | None
    sent: int
    counted: int
    seconds: float


def query_endpoint_for(endpoint: str) -> str:
    """Oxigraph's /store -> /query, Fuseki's /ds/data -> /ds/query; else the endpoint itself."""
    parts = urlsplit(endpoint)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last in QUERY_PATHS:
        return urlunsplit(parts._replace(path=f"{head}/{QUERY_PATHS[last]}"))
    return endpoint


class GraphStore:
    """A Graph Store Protocol endpoint and the SPARQL query service beside it."""

    def __init__(
        self,
        endpoint: str,
        query_endpoint: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 3600.0,
    ) -> None:
        self.endpoint = endpoint
        self.query_endpoint = query_endpoint or query_endpoint_for(endpoint)
        self.session = requests.Session()
        if user is not None:
            self.session.auth = (user, password or "")
        self.timeout = timeout

    def replace(self, graph: str | None, ntriples: Path) -> None:
        """PUT the file as the graph's new content (the default graph when `graph` is None)."""
        params = {"graph": graph} if graph else {"default": ""}
        with ntriples.open("rb") as body:
            response = self._call("PUT", self.endpoint, params=params, data=body, headers={"Content-Type": NTRIPLES})
        if response.status_code not in (200, 201, 204):
            raise PublishError(_refusal(response, f"replacing {_graph_name(graph)} at {self.endpoint}"))

    def count(self, graph: str | None) -> int:
        """Triples in the graph."""
        return self._count(COUNT, "?s ?p ?o", graph)

    def count_documents(self, graph: str | None) -> int:
        """Catalogue documents (dcterms:BibliographicResource) in the graph."""
        return self._count(COUNT_DOCUMENTS, DOCUMENT_PATTERN, graph)

    def _count(self, query: str, pattern: str, graph: str | None) -> int:
        if graph:
            pattern = f"GRAPH <{graph}> {{ {pattern} }}"
        response = self._call(
            "POST",
            self.query_endpoint,
            data=query % pattern,
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        if response.status_code != 200:
            raise PublishError(_refusal(response, f"counting the triples at {self.query_endpoint}"))
        try:
            return int(response.json()["results"]["bindings"][0]["triples"]["value"])
        except (ValueError, KeyError, IndexError) as error:
            raise PublishError(
                f"{self.query_endpoint} did not answer the COUNT query with SPARQL JSON "
                f"({error}); give the query service with --query-endpoint."
            ) from None

    def _call(self, method: str, url: str, **kwargs: object) -> requests.Response:
        try:
            return self.session.request(method, url, timeout=self.timeout, **kwargs)  # type: ignore[arg-type]
        except requests.exceptions.ConnectionError as error:
            raise PublishError(
                f"cannot reach {url}: {_reason(error)}. Is the triple store running, and is the URL right?"
            ) from None
        except requests.exceptions.Timeout:
            raise PublishError(f"{url} did not answer within {self.timeout:g} s.") from None
        except requests.exceptions.RequestException as error:
            raise PublishError(f"request to {url} failed: {error}") from None


def publish(directory: Path, store: GraphStore, graph: str | None, max_shrink: float | None = None) -> PublishResult:
    """Replace the graph with the build's dataset, then check the endpoint holds every triple.

    With `max_shrink`, a dataset smaller than the graph it would replace by more than that share
    is refused (an emptied build would otherwise empty the triple store without a word)."""
    live = live_directory(directory)  # one generation throughout, even if a build switches meanwhile
    ntriples = live / "dataset.nt"
    if not ntriples.is_file():
        raise ConfigError(f"{directory} holds no dataset.nt; run `ls-lod build SOURCE... --out {directory}` first.")
    expected = expected_triples(live)
    if max_shrink is not None:
        _refuse_shrinking(store, graph, expected_documents(live), max_shrink)
    started = time.perf_counter()
    store.replace(graph, ntriples)
    found = store.count(graph)
    seconds = time.perf_counter() - started
    if found != expected:
        raise PublishError(
            f"{_graph_name(graph)} at {store.endpoint} holds {counted(found, 'triple')} after loading, "
            f"not the {expected:,} of {ntriples}; the endpoint may have rejected part of it."
        )
    return PublishResult(graph, expected, found, seconds)


def _refuse_shrinking(store: GraphStore, graph: str | None, expected: int, max_shrink: float) -> None:
    """Refuse a build that would take away more than `max_shrink` of the documents the graph holds."""
    try:
        current = store.count_documents(graph)
    except PublishError:
        return  # no count to compare with: the PUT or the count after it says what is wrong
    if current and expected < current * (1 - max_shrink):
        raise RefusedOperation(
            f"{_graph_name(graph)} at {store.endpoint} holds {counted(current, 'document')} and this build "
            f"only {expected:,} ({1 - expected / current:.0%} fewer, more than max_withdraw_fraction "
            f"{max_shrink:g}); nothing was sent. "
            "Check the build (its report.json); to replace the graph anyway, publish again with --allow-shrink."
        )


def expected_triples(directory: Path) -> int:
    """Distinct triples of the build (the dump may repeat a line; a store keeps one of each)."""
    return _local_count(directory, COUNT, "?s ?p ?o", lambda line: bool(line.strip()))


def expected_documents(directory: Path) -> int:
    """Catalogue documents in the build, counted as the endpoint counts them."""
    marker = f" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {DOCUMENT} .".encode()
    return _local_count(directory, COUNT_DOCUMENTS, DOCUMENT_PATTERN, lambda line: line.rstrip().endswith(marker))


def _local_count(directory: Path, query: str, pattern: str, keep: Callable[[bytes], bool]) -> int:
    """From the build's SPARQL store, or from dataset.nt when a build wrote none."""
    info = sparql_store.current(directory)
    if info is not None and info.path.is_dir():
        answer = pyoxigraph.Store.read_only(str(info.path)).query(query % pattern)
        assert isinstance(answer, pyoxigraph.QuerySolutions)
        return int(next(answer)["triples"].value)  # type: ignore[union-attr]
    with (directory / "dataset.nt").open("rb") as stream:
        return len({line for line in stream if keep(line)})


def _graph_name(graph: str | None) -> str:
    return f"graph <{graph}>" if graph else "the default graph"


def _refusal(response: requests.Response, doing: str) -> str:
    detail = response.text.strip().replace("\n", " ")[:300]
    if response.status_code in (401, 403):
        return (
            f"the endpoint refused {doing} (HTTP {response.status_code}): give --user and --password "
            f"of an account allowed to write{': ' + detail if detail else ''}."
        )
    return f"HTTP {response.status_code} {response.reason} while {doing}{': ' + detail if detail else ''}."


def _reason(error: Exception) -> str:
    text = str(error)
    return text.rsplit(":", 1)[-1].strip(" ')\"") or text
