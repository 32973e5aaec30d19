"""SPARQL queries run in worker processes, so a query past its time can be stopped.

pyoxigraph cannot interrupt a running query, and a thread cannot be killed; a process
can. Each worker opens the store read-only and answers one query at a time; a worker whose
query runs past the timeout is killed and replaced. The server's event loop only waits,
and the waiting happens on threads of the pool's own, so a crowd of queries never takes the
threads that pages and /oai run on.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import queue
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

_CONTEXT = multiprocessing.get_context("spawn")  # no fork of a server's threads
# pyoxigraph parses and evaluates recursively: 15,000 chained `+` or 5,000 nested brackets
# overflow an 8 MB stack and kill the process. The query size cap (64 KB) bounds the depth;
# this stack holds any query under it (measured: 32,000 levels), and costs only what is used.
WORKER_STACK = 256 * 1024 * 1024
CRASHES_REMEMBERED = 1000


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


class QueryCrashed(Exception):
    """The query killed the worker that ran it (a fault of the engine, not of the time limit)."""


class QueryServiceBusy(Exception):
    """As many queries as the service takes are running or waiting already."""


class Admission:
    """SPARQL's own bound, apart from the threads pages and /oai run on: `running` queries at
    once on threads of its own, `waiting` more queued (waiting costs no thread), and any
    further one refused at once with QueryServiceBusy."""

    def __init__(self, running: int, waiting: int) -> None:
        self.running = running
        self.limit = running + waiting
        self._threads = ThreadPoolExecutor(running, thread_name_prefix="sparql")
        self._admitted = 0
        self._lock = threading.Lock()

    async def run(self, call: Callable[[QueryJob, float], QueryOutcome], job: QueryJob, timeout: float) -> QueryOutcome:
        with self._lock:
            if self._admitted >= self.limit:
                raise QueryServiceBusy(
                    f"{self.running} queries are running and {self.limit - self.running} are waiting"
                )
            self._admitted += 1
        try:
            return await asyncio.wrap_future(self._threads.submit(call, job, timeout))
        finally:
            with self._lock:
                self._admitted -= 1

    def close(self) -> None:
        self._threads.shutdown(wait=False)


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
    """`await pool.run(job, timeout)`; at most `size` queries run at once and `waiting` more
    wait their turn; beyond that `run` raises QueryServiceBusy at once.

    Workers start at once in the background, so loading the store is not counted against
    the first queries' time limit.
    """

    def __init__(self, source: StoreSource, size: int = 2, waiting: int = 8, start_timeout: float = 600.0) -> None:
        self.source = source
        self.size = size
        self.start_timeout = start_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self.admission = Admission(size, waiting)
        self._crashed: dict[str, str] = {}  # digest of a query -> how it ended its worker
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
        key = hashlib.sha256(job.query.encode("utf-8", "replace")).hexdigest()
        if key in self._crashed:  # running it again would only cost another worker
            raise QueryCrashed(self._crashed[key])
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
            self._crashed_by(key, worker)
        self._replace(worker)
        raise QueryTimeout(f"the query ran for more than {timeout:g} s")

    def _crashed_by(self, key: str, worker: _Worker) -> None:
        """The worker ended while running the query: remember the query, and say so."""
        worker.process.join(5)
        code = worker.process.exitcode
        how = f"exit code {code}"
        if code is not None and code < 0:
            how = f"signal {signal.Signals(-code).name}" if -code in signal.valid_signals() else f"signal {-code}"
        self._replace(worker)
        if len(self._crashed) < CRASHES_REMEMBERED:
            self._crashed[key] = how
        raise QueryCrashed(how)

    async def run(self, job: QueryJob, timeout: float) -> QueryOutcome:
        return await self.admission.run(self._run, job, timeout)

    def close(self) -> None:
        self.closed = True
        self.admission.close()
        while not self._idle.empty():
            self._idle.get_nowait().stop()


def _serve(connection: Connection, source: StoreSource) -> None:
    """The worker process: its loop runs on a thread with a stack deep enough for any query.

    Ctrl-C reaches every process of the terminal; the server stops its workers itself, so a
    worker ignores SIGINT rather than print a traceback while the server shuts down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.stack_size(WORKER_STACK)
    loop = threading.Thread(target=_answer_jobs, args=(connection, source), name="sparql-worker")
    loop.start()
    loop.join()


def _answer_jobs(connection: Connection, source: StoreSource) -> None:
    """Open or load the store once, answer jobs until the pipe closes."""
    import pyoxigraph

    if source.in_memory_from:
        store = pyoxigraph.Store()
        store.bulk_load(path=source.in_memory_from, format=pyoxigraph.RdfFormat.N_TRIPLES)
    else:
        store = pyoxigraph.Store.read_only(source.store_path)
    try:
        connection.send("ready")
        while True:
            job: QueryJob = connection.recv()
            connection.send(answer(store, job))
    except (EOFError, OSError):  # the server closed the pipe: it stopped, or replaced this worker
        return


def answer(store: Any, job: QueryJob) -> QueryOutcome:
    from pyoxigraph import NamedNode

    try:
        result = store.query(
            job.query,
            default_graph=[NamedNode(g) for g in job.default_graphs] or None,
            named_graphs=[NamedNode(g) for g in job.named_graphs] or None,
        )
        return written(result, job)
    except SyntaxError as error:
        return QueryOutcome("syntax", message=str(error))
    except Exception as error:  # a query can fail at evaluation (bad regex, ...): tell the user
        return QueryOutcome("error", message=f"{type(error).__name__}: {error}")


def written(result: Any, job: QueryJob) -> QueryOutcome:
    """A query's result (solutions, a boolean or triples) in the format the job asks for.

    pyoxigraph evaluates as the result is read, so evaluation errors come from here too."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    from ls_lod.web import sparql_results

    if isinstance(result, (QuerySolutions, QueryBoolean)):
        form, fmt = ("select" if isinstance(result, QuerySolutions) else "ask"), job.results_format
        if fmt is None:
            return QueryOutcome("not-acceptable", form=form)
        answer = (
            sparql_results.solutions(result, fmt, job.limit)
            if isinstance(result, QuerySolutions)
            else sparql_results.boolean(result, fmt)
        )
    else:
        form, fmt = "graph", job.graph_format
        if fmt is None:
            return QueryOutcome("not-acceptable", form=form)
        answer = sparql_results.graph(result, fmt, job.limit, job.prefixes)
    return QueryOutcome("ok", answer.body, fmt, form, answer.truncated, answer.rows)
