"""SPARQL queries run in worker processes, so a query past its time can be stopped.

pyoxigraph cannot interrupt a running query, and a thread cannot be killed; a process
can. Each worker opens the store read-only and answers one query at a time; a worker whose
query runs past the timeout is killed and replaced. The server's event loop only waits.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
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
    def __init__(self, store_path: str) -> None:
        self.connection, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child, store_path), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """`await pool.run(job, timeout)`; at most `size` queries run at once, the rest wait."""

    def __init__(self, store_path: str, size: int = 2) -> None:
        self.store_path = store_path
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._started = 0
        self._lock = threading.Lock()

    def _take(self, timeout: float) -> _Worker:
        with self._lock:
            if self._idle.empty() and self._started < self.size:
                self._started += 1
                return _Worker(self.store_path)
        try:
            return self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout("every query worker stayed busy") from None

    def _run(self, job: QueryJob, timeout: float) -> QueryOutcome:
        worker = self._take(timeout)
        try:
            worker.connection.send(job)
            if worker.connection.poll(timeout):
                outcome: QueryOutcome = worker.connection.recv()
                self._idle.put(worker)
                return outcome
        except (EOFError, OSError, BrokenPipeError):
            pass
        worker.stop()
        with self._lock:
            self._started -= 1
        raise QueryTimeout(f"the query ran for more than {timeout:g} s")

    async def run(self, job: QueryJob, timeout: float) -> QueryOutcome:
        return await to_thread.run_sync(self._run, job, timeout)

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().stop()


def _serve(connection: Connection, store_path: str) -> None:
    """The worker's loop: open the store once, answer jobs until the pipe closes."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(store_path)
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
        result = store.query(job.query, default_graph=[NamedNode(g) for g in job.default_graphs] or None,
                             named_graphs=[NamedNode(g) for g in job.named_graphs] or None)
        if isinstance(result, (QuerySolutions, QueryBoolean)):
            form, fmt = ("select" if isinstance(result, QuerySolutions) else "ask"), job.results_format
            if fmt is None:
                return QueryOutcome("not-acceptable", form=form)
            written = (sparql_results.solutions(result, fmt, job.limit) if form == "select"
                       else sparql_results.boolean(result, fmt))
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
