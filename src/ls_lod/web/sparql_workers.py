"""SPARQL queries run in worker processes, so a query past its time can be stopped.

pyoxigraph cannot interrupt a running query, and a thread cannot be killed; a process
can. Each worker opens the store read-only and answers one query at a time; a worker whose
query runs past the timeout is killed and replaced. The server's event loop only waits.
"""

from __future__ import annotations

import multiprocessing
import queue
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from anyio import to_thread

_CONTEXT = multiprocessing.get_context("spawn")  # no fork of a server's threads


@dataclass(frozen=True)
class QueryJob:
    query: str
    results_format: str | None  # for SELECT and ASK
    graph_format: str | None  # for CONSTRUCT and DESCRIBE
    limit: int
    prefixes: dict[str, str]
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryOutcome:
    """`kind` is `ok`, `syntax` (a bad query), `not-acceptable` or `error`."""

    kind: str
    body: bytes = b""
    format: str = ""
    form: str = ""
    truncated: bool = False
    rows: int = 0
    message: str = ""


class QueryTimeout(Exception):
    pass


class _Worker:
    """One process with its own copy of the store; `ready` once the store is open or loaded."""

    def __init__(self, source: StoreSource) -> None:
        self.connection, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child, source), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> bool:
        """True once the worker said it is ready (loading a store into memory takes a while)."""
        if not self.ready and self.connection.poll(timeout):
            self.ready = self.connection.recv() == "ready"
        return self.ready

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


@dataclass(frozen=True)
class StoreSource:
    """Where workers get the dataset: the on-disk store, or an N-Triples dump to hold in memory.

    pyoxigraph answers sorting and aggregating queries 10-20 times faster from memory (a
    disk store decodes every term it compares); a dataset small enough is therefore loaded
    into each worker's memory, a larger one is queried on disk (bench/bench_sparql.py).
    """

    store_path: str
    in_memory_from: str | None = None


class QueryPool:
    """`await pool.run(job, timeout)`; at most `size` queries run at once, the rest wait.

    Workers start at once in the background, so loading the store is not counted against
    the first queries' time limit.
    """

    def __init__(self, source: StoreSource, size: int = 2, start_timeout: float = 600.0) -> None:
        self.source = source
        self.size = size
        self.start_timeout = start_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self.closed = False
        for _ in range(size):
            self._idle.put(_Worker(source))

    def _take(self, timeout: float) -> _Worker:
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout("every query worker stayed busy") from None
        if not worker.wait_ready(self.start_timeout):
            self._replace(worker)
            raise QueryTimeout("the query service is still loading the dataset")
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        self._idle.put(_Worker(self.source))

    def _run(self, job: QueryJob, timeout: float) -> QueryOutcome:
        worker = self._take(timeout)
        try:
            worker.connection.send(job)
            if worker.connection.poll(timeout):
                outcome: QueryOutcome = worker.connection.recv()
                if self.closed:  # a new build came while it ran: this store is retired
                    worker.stop()
                else:
                    self._idle.put(worker)
                return outcome
        except (EOFError, OSError):
            pass
        self._replace(worker)
        raise QueryTimeout(f"the query ran for more than {timeout:g} s")

    async def run(self, job: QueryJob, timeout: float) -> QueryOutcome:
        return await to_thread.run_sync(self._run, job, timeout)

    def close(self) -> None:
        self.closed = True
        while not self._idle.empty():
            self._idle.get_nowait().stop()


def _serve(connection: Connection, source: StoreSource) -> None:
    """The worker's loop: open or load the store once, answer jobs until the pipe closes."""
    import pyoxigraph

    if source.in_memory_from:
        store = pyoxigraph.Store()
        store.bulk_load(path=source.in_memory_from, format=pyoxigraph.RdfFormat.N_TRIPLES)
    else:
        store = pyoxigraph.Store.read_only(source.store_path)
    connection.send("ready")
    while True:
        try:
            job: QueryJob = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(answer(store, job))


def answer(store: Any, job: QueryJob) -> QueryOutcome:
    from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions

    from ls_lod.web import sparql_results

    try:
        result = store.query(
            job.query,
            default_graph=[NamedNode(g) for g in job.default_graphs] or None,
            named_graphs=[NamedNode(g) for g in job.named_graphs] or None,
        )
        if isinstance(result, (QuerySolutions, QueryBoolean)):
            form, fmt = ("select" if isinstance(result, QuerySolutions) else "ask"), job.results_format
            if fmt is None:
                return QueryOutcome("not-acceptable", form=form)
            written = (
                sparql_results.solutions(result, fmt, job.limit)
                if isinstance(result, QuerySolutions)
                else sparql_results.boolean(result, fmt)
            )
        else:
            form, fmt = "graph", job.graph_format
            if fmt is None:
                return QueryOutcome("not-acceptable", form=form)
            written = sparql_results.graph(result, fmt, job.limit, job.prefixes)
        return QueryOutcome("ok", written.body, fmt, form, written.truncated, written.rows)
    except SyntaxError as error:
        return QueryOutcome("syntax", message=str(error))
    except Exception as error:  # a query can fail at evaluation (bad regex, ...): tell the user
        return QueryOutcome("error", message=f"{type(error).__name__}: {error}")
