"""The endpoint's queries on a remote store: run in threads of the server, under the same limits as the
query workers of :mod:`kg.web.querying.workers`.

With a remote store (:mod:`kg.store.remote`) no query runs here: the server parses it, sends it, and parses and
writes the answer (:func:`kg.web.querying.evaluation.evaluate`). Worker processes are not needed for that: they exist
because a pyoxigraph query cannot be stopped from outside, while a remote query is bounded by its HTTP
transfer, which :class:`kg.store.remote.RemoteStore` reads with a deadline and a stop flag. So
:class:`RemoteQueries` runs each query in a thread of its own small pool (page lookups use others, so a slow
query never holds one up) and keeps the limits of :class:`~kg.web.querying.workers.QueryPool`:

* at most ``query_workers`` queries run at once, up to ``max_concurrent_queries`` run or wait (at most
  ``query_timeout`` for a thread), one more is answered ``503`` with ``Retry-After`` at once;
* a query is stopped (its transfer closed) ``query_timeout`` seconds after it was sent (``503``), or when its
  client disconnects (``499``); its thread counts as running until the transfer is closed, at most about
  ``query_timeout`` more (an HTTP read waits at most that long);
* ``max_result_rows`` (``422``) and the result formats are those of :func:`~kg.web.querying.evaluation.evaluate`, which
  reads the answer only up to the limit.

The remote store's own limits still apply (for Virtuoso ``MaxQueryExecutionTime`` and ``ResultSetMaxRows``):
keep them above ``query_timeout`` and ``max_result_rows``, or a result may be cut short there (see the README).
A query stopped here may run on in the store until its own time limit.
"""

from __future__ import annotations

import asyncio
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kg.store.remote import RemoteError, RemoteStore, RemoteTimeout
from kg.web.http.errors import ClientClosedRequest, QueryTimeout, WebError, from_remote, timeout_message
from kg.web.querying.evaluation import Answer, QueryJob, evaluate
from kg.web.querying.workers import Admission, take_slot

#: Seconds the server waits past the time limit for a query's thread to report its time-out itself.
GRACE = 1.0


class RemoteQueries:
    """Runs the endpoint's queries on the remote store of the current build, in a pool of threads.

    Use from one event loop; the same methods as :class:`~kg.web.querying.workers.QueryPool`.
    """

    def __init__(self, store: Callable[[], RemoteStore], size: int, max_admitted: int, timeout: float) -> None:
        """Args: ``store`` gives the remote store of the build currently served; ``size`` queries run at
        once; ``max_admitted`` run or wait at most; ``timeout`` seconds per query (and per wait for a thread)."""
        self.store, self.size, self.timeout = store, size, timeout
        self.admission = Admission(max(size, max_admitted))
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="kg-remote-query")
        self._slots = asyncio.Semaphore(size)
        self._running = 0

    def start(self, store_path: str) -> None:
        """Nothing to start (threads start with the first queries); the same call as ``QueryPool.start``."""

    def stats(self) -> dict[str, int]:
        """Threads, queries running, and queries waiting for a thread."""
        return {"workers": self.size, "running": self._running, "waiting": self.admission.count - self._running}

    async def run(self, job: QueryJob, gone: asyncio.Future[Any] | None = None) -> Answer:
        """Run ``job`` on the remote store and return its answer.

        Args:
            job: the query (``job.store``, the embedded store's folder, is not used).
            gone: completes when the client disconnects (the query is then stopped), or None.

        Raises:
            Overloaded: when too many queries run or wait, or no thread became free in time.
            QueryTimeout: when the query ran past the time limit (stopped).
            ClientClosedRequest: when the client left (the query was stopped).
            WebError: what :func:`kg.web.querying.evaluation.evaluate` raises, and the answers of
                :func:`kg.web.http.errors.from_remote` to the remote store's errors.
        """
        with self.admission.admit():
            await self._acquire(gone)
            return await self._run(job, gone)

    async def _acquire(self, gone: asyncio.Future[Any] | None) -> None:
        """Take a thread slot, waiting at most the time limit (:func:`kg.web.querying.workers.take_slot`)."""
        await take_slot(self._slots.acquire(), gone, self.timeout, lambda _taken: self._slots.release(), "thread")

    async def _run(self, job: QueryJob, gone: asyncio.Future[Any] | None) -> Answer:
        """Run ``job`` in a thread holding the slot taken; the slot is given back when the thread ends."""
        stop = threading.Event()
        try:
            running = self._executor.submit(_evaluate, self.store().bounded(self.timeout, stop), job)
        except BaseException:
            self._slots.release()
            raise
        self._running += 1
        future = asyncio.wrap_future(running)
        future.add_done_callback(lambda _: self._finished())
        waiting: set[asyncio.Future[Any]] = {future} if gone is None else {future, gone}
        done, _pending = await asyncio.wait(waiting, timeout=self.timeout + GRACE,
                                            return_when=asyncio.FIRST_COMPLETED)
        if future in done:
            return future.result()
        stop.set()
        future.add_done_callback(_ignore_outcome)
        if done:
            raise ClientClosedRequest("the client closed the connection; the query was stopped")
        raise QueryTimeout(timeout_message(self.timeout))

    def _finished(self) -> None:
        """A query thread ended: its slot is free."""
        self._running -= 1
        self._slots.release()

    def close(self) -> None:
        """Stop taking queries; running ones end with their transfers (not waited for)."""
        self._executor.shutdown(wait=False, cancel_futures=True)


def _evaluate(store: RemoteStore, job: QueryJob) -> Answer:
    """Evaluate ``job`` on ``store`` (in a query thread), with the remote store's errors as web errors.

    Raises:
        WebError: see :meth:`RemoteQueries.run`.
    """
    try:
        return evaluate(store, job)
    except BaseException as error:
        _release(error)
        if isinstance(error, WebError):
            raise
        if isinstance(error, SyntaxError):  # raised while the answer was read: the store's fault, not the query's
            raise from_remote(store.unreadable(error)) from None
        if isinstance(error, RemoteTimeout):
            raise QueryTimeout(timeout_message(store.timeout)) from None
        if isinstance(error, RemoteError):
            raise from_remote(error) from None
        raise


def _release(error: BaseException) -> None:
    """Let go of the local variables of the finished frames in the tracebacks of ``error`` and the errors it
    chains, here in the query thread: they may hold pyoxigraph result objects (the query's solutions), which
    must be dropped in the thread that made them, while the error is handled in the event loop's."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def _ignore_outcome(future: asyncio.Future[Any]) -> None:
    """Retrieve the outcome of a query given up on, so that its error is not logged as never retrieved."""
    if not future.cancelled():
        future.exception()
