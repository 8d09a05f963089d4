"""Query workers: SPARQL queries run in a small pool of processes that can be stopped.

pyoxigraph cannot cancel a running query, and a Python thread cannot be stopped, so a runaway query in a
thread keeps that thread (and its CPU) until it ends, however long after the client left. Here every
query runs in a worker process of :class:`QueryPool`, which opens the published store read-only
(``pyoxigraph.Store.read_only``) and answers :class:`~kg.web.querying.evaluation.QueryJob` after job. The server
waits for the answer without holding a thread (the event loop watches the worker's pipe), and:

* a query that runs past ``query_timeout`` gets its worker killed (SIGKILL) and replaced by a fresh one
  (answer: ``503``); so does a query whose client disconnects;
* at most ``query_workers`` queries run at once; up to ``max_concurrent_queries`` run or wait for a
  worker (at most ``query_timeout``), and one more is refused at once with ``503`` and ``Retry-After``;
* each worker has an address-space limit (``query_memory_mb``): a query that needs more ends its worker,
  answered ``500`` and replaced, not the server; workers run at a lower CPU priority than the server, so
  page lookups in the server process are not slowed by queries.

A job names the store folder of the build its request is served from, and a worker re-opens the store when
that changes, so a query never sees another build than the request's (:class:`kg.web.site.Sites`).
Workers start from a fork server (``multiprocessing`` "forkserver", with pyoxigraph and the evaluation code
preloaded), so a replacement is ready in milliseconds; each logs how long that took. As with any
``multiprocessing`` start method but "fork", a program that builds the app in its main script must do so
under ``if __name__ == "__main__":`` (``kg serve``, uvicorn and pytest do). The worker side is
:mod:`kg.web.querying.worker_process`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from kg.web.http.errors import (
    RETRY_AFTER,
    ClientClosedRequest,
    Overloaded,
    QueryFailed,
    QueryTimeout,
    WebError,
    timeout_message,
)
from kg.web.querying.evaluation import Answer, QueryJob
from kg.web.querying.worker_process import work

T = TypeVar("T")

log = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["kg.web.querying.worker_process"])


class Worker:
    """The server's handle on one worker process."""

    def __init__(self, store_path: str | None, memory_mb: int, timeout: float) -> None:
        """Start a worker process (opening ``store_path`` first when given).

        Raises:
            OSError: when the process cannot be started.
        """
        self.connection, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(
            target=work, args=(child, store_path, memory_mb, timeout), name="kg-query-worker", daemon=True
        )
        self.process.start()
        child.close()

    @property
    def alive(self) -> bool:
        """True while the process runs."""
        return self.process.is_alive()

    async def call(self, job: QueryJob, timeout: float, gone: asyncio.Future[Any] | None) -> Answer | WebError:
        """Send ``job`` and wait for the answer: an :class:`Answer`, or the error the query raised.

        Raises:
            QueryTimeout: when no answer came within ``timeout`` seconds.
            ClientClosedRequest: when ``gone`` completed (the client left) before the answer.
            QueryFailed: when the process ended before answering.
        """
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        try:
            self.connection.send(job)
            loop.add_reader(self.connection.fileno(), _resolve, ready)
            waiting: set[asyncio.Future[Any]] = {ready} if gone is None else {ready, gone}
            done, _pending = await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            if ready not in done:
                if done:
                    raise ClientClosedRequest("the client closed the connection; the query was stopped")
                raise QueryTimeout(timeout_message(timeout))
            kind, value = self.connection.recv()
        except (EOFError, OSError):
            self.process.join(1)
            raise QueryFailed(
                f"the query worker ended while running this query (exit code {self.process.exitcode}); "
                "the query may need more memory than a query may use (query_memory_mb)"
            ) from None
        finally:
            with contextlib.suppress(ValueError, OSError):
                loop.remove_reader(self.connection.fileno())
        assert kind in ("ok", "error")
        assert isinstance(value, Answer | WebError)
        return value

    def stop(self) -> None:
        """Kill the process (SIGKILL), reap it and close the pipe."""
        self.process.kill()
        self.process.join(5)
        self.connection.close()


def _resolve(future: asyncio.Future[None]) -> None:
    """Mark ``future`` done (the worker's pipe became readable); later calls do nothing."""
    if not future.done():
        future.set_result(None)


class Admission:
    """Counts the queries running or waiting for a worker, and refuses one more than ``limit`` (503 with
    ``Retry-After``, RFC 9110 section 15.6.4): the bound of both query pools (embedded and remote).

    Use from one event loop.
    """

    def __init__(self, limit: int) -> None:
        """``limit``: queries running or waiting at most."""
        self.limit = limit
        self.count = 0

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Count one query in for the ``with`` block.

        Raises:
            Overloaded: when ``limit`` queries are already running or waiting.
        """
        if self.count >= self.limit:
            raise Overloaded(
                f"{self.count} queries are running or waiting, the most this endpoint takes "
                f"(max_concurrent_queries); try again in {RETRY_AFTER} s",
                retry_after=RETRY_AFTER,
            )
        self.count += 1
        try:
            yield
        finally:
            self.count -= 1


async def take_slot(getting: Awaitable[T], gone: asyncio.Future[Any] | None, timeout: float,
                    give_back: Callable[[T], None], slot: str) -> T:
    """Wait at most ``timeout`` seconds for a free slot of a query pool (``getting``: a queue's ``get()`` or a
    semaphore's ``acquire()``) or for the client to leave (``gone``), whichever comes first; a slot taken just
    as the wait was given up is handed back with ``give_back``.

    Raises:
        Overloaded: when no slot became free in time (503 with ``Retry-After``).
        ClientClosedRequest: when the client left while waiting.
    """
    task = asyncio.ensure_future(getting)
    waiting: set[asyncio.Future[Any]] = {task} if gone is None else {task, gone}
    done, _pending = await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        return task.result()
    task.cancel()
    if task.done() and not task.cancelled():
        give_back(task.result())
    if done:
        raise ClientClosedRequest(f"the client closed the connection while its query waited for a {slot}")
    raise Overloaded(f"no query {slot} became free within {timeout:g} s; try again in {RETRY_AFTER} s",
                     retry_after=RETRY_AFTER)


class QueryPool:
    """A pool of query worker processes with a time limit, a concurrency limit and a queue bound.

    Workers start when first needed (or all at once with :meth:`start`); use from one event loop.
    """

    def __init__(self, size: int, max_admitted: int, timeout: float, memory_mb: int) -> None:
        """Args: ``size`` worker processes; ``max_admitted`` queries running or waiting at most;
        ``timeout`` seconds per query (and per wait for a worker); ``memory_mb`` per worker (0: none)."""
        self.size, self.timeout, self.memory_mb = size, timeout, memory_mb
        self.admission = Admission(max(size, max_admitted))
        self._slots: asyncio.Queue[Worker | None] = asyncio.Queue()
        for _ in range(size):
            self._slots.put_nowait(None)
        self._live: set[Worker] = set()
        self._store_path: str | None = None
        self._closed = False

    def stats(self) -> dict[str, int]:
        """Workers, queries running, and queries waiting for a worker."""
        running = self.size - self._slots.qsize()
        return {"workers": self.size, "running": running, "waiting": max(0, self.admission.count - running)}

    def start(self, store_path: str) -> None:
        """Start every worker now, each opening ``store_path`` (instead of on the first queries)."""
        self._store_path = store_path
        slots = [self._slots.get_nowait() for _ in range(self._slots.qsize())]
        for slot in slots:
            self._slots.put_nowait(slot or self._spawn())

    async def run(self, job: QueryJob, gone: asyncio.Future[Any] | None = None) -> Answer:
        """Run ``job`` on a free worker and return its answer.

        Args:
            job: the query.
            gone: a future (e.g. a task) that completes when the client has left (the query is then
                stopped), or None; the caller cancels it.

        Raises:
            Overloaded: when ``max_admitted`` queries are running or waiting (:class:`Admission`), or no worker
                became free
                within the time limit.
            QueryTimeout, ClientClosedRequest, QueryFailed: see :meth:`Worker.call`.
            WebError: the error the query raised (syntax, limits, negotiation, ...).
        """
        with self.admission.admit():
            slot = await self._acquire(gone)
            outcome = await self._run_on(slot, job, gone)
        if isinstance(outcome, WebError):
            raise outcome
        return outcome

    async def _acquire(self, gone: asyncio.Future[Any] | None) -> Worker | None:
        """Wait for a free slot (a worker, or None: start one), at most the time limit (:func:`take_slot`)."""
        return await take_slot(self._slots.get(), gone, self.timeout, self._slots.put_nowait, "worker")

    async def _run_on(
        self, slot: Worker | None, job: QueryJob, gone: asyncio.Future[Any] | None
    ) -> Answer | WebError:
        """Run ``job`` on the worker of ``slot`` (started or replaced as needed); put the slot back."""
        self._store_path = job.store
        worker: Worker | None = None
        try:
            worker = slot if slot is not None and slot.alive else self._replace(slot)
            if worker is None:
                raise QueryFailed("no query worker could be started")
            outcome = await worker.call(job, self.timeout, gone)
        except BaseException:
            self._slots.put_nowait(self._replace(worker))
            raise
        self._slots.put_nowait(worker)
        return outcome

    def _replace(self, worker: Worker | None) -> Worker | None:
        """Stop ``worker`` (when given) and start its replacement on the current store; log the time."""
        started = time.perf_counter()
        if worker is not None:
            worker.stop()
            self._live.discard(worker)
        replacement = None if self._closed else self._spawn()
        if worker is not None:
            log.warning(
                "query worker %d stopped (exit code %s); worker free again after %.1f ms (replacement %s)",
                worker.process.pid,
                worker.process.exitcode,
                (time.perf_counter() - started) * 1000,
                replacement.process.pid if replacement else "not started",
            )
        return replacement

    def _spawn(self) -> Worker | None:
        """Start a worker on the current store, or None when that fails (a later query tries again)."""
        try:
            worker = Worker(self._store_path, self.memory_mb, self.timeout)
        except OSError as error:
            log.error("query worker not started: %s", error)
            return None
        self._live.add(worker)
        return worker

    def close(self) -> None:
        """Stop every worker; the pool answers no more queries."""
        self._closed = True
        for worker in list(self._live):
            worker.stop()
        self._live.clear()
