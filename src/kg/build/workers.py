"""Worker processes of a build: tasks on documents (and on parts of the links) run side by side.

:class:`Workers` runs a task ``task(item, context)`` (a module-level function, such as
:func:`kg.build.document.build_result`) on each of several items in ``settings.build_workers`` processes (default
one per CPU), each of which loads the :class:`kg.build.document.Context` once. The processes start from
``multiprocessing``'s fork server, not by forking the build's process, which may run threads (a server in
tests). With one worker, or for fewer than two items, the tasks run in the build's own process.

Results come back in the order of the items. When tasks fail, the error of the first failing item in that
order is raised, as the task raised it (a :class:`kg.model.source.SourceError` with its file and line, as in a
sequential build); an error that cannot travel between processes is raised as a :class:`WorkerError` with its
type and message. Tasks after a failed one are cancelled.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from types import TracebackType
from typing import TypeVar

from kg.build.document import Context, load_context
from kg.settings import Settings

T = TypeVar("T")
R = TypeVar("R")

#: The context of a worker process, loaded when it starts (:func:`_start`).
_context: Context | None = None


class WorkerError(RuntimeError):
    """A task failed in a worker process with an error that cannot be sent back as it is."""


def _start(settings: Settings) -> None:
    """Load the context of a worker process."""
    global _context
    _context, _ = load_context(settings)


def _run(task: Callable[[T, Context], R], item: T) -> R:
    """Run ``task`` on ``item`` in a worker process with its context."""
    if _context is None:
        raise WorkerError("the worker process has no context")
    try:
        return task(item, _context)
    except Exception as err:
        try:
            pickle.loads(pickle.dumps(err))
        except Exception:
            raise WorkerError(f"{type(err).__name__}: {err}") from None
        raise


class Workers:
    """The worker processes of one build (a context manager; the processes start on first use).

    Args:
        settings: the build's settings (``build_workers``; the context is loaded from them in each worker).
        context: the build's own context, for tasks run in the build's process.
    """

    def __init__(self, settings: Settings, context: Context) -> None:
        self.settings = settings
        self.context = context
        self.count = settings.build_workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes (tasks not started are cancelled)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map(
        self, task: Callable[[T, Context], R], items: Sequence[T], done: Callable[[R], None] | None = None
    ) -> list[R]:
        """Run ``task`` on every item and return the results in the order of ``items``.

        Args:
            task: a module-level function (worker processes import it by name).
            items: what to run it on (each must pickle).
            done: called in the build's process with each result as it comes (progress).

        Raises:
            Whatever the first failing task (in the order of ``items``) raised; :class:`WorkerError` for an error
            that cannot be pickled.
        """
        if self.count == 1 or len(items) < 2:
            results = []
            for item in items:
                results.append(task(item, self.context))
                if done is not None:
                    done(results[-1])
            return results
        futures = [self._executor().submit(_run, task, item) for item in items]
        if done is not None:
            for future in futures:
                future.add_done_callback(_reporter(done))
        _wait_for_failure_or_all(futures)
        return [future.result() for future in futures]

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.count, mp_context=multiprocessing.get_context("forkserver"),
                                             initializer=_start, initargs=(self.settings,))
        return self._pool


def _reporter(done: Callable[[R], None]) -> Callable[[Future[R]], None]:
    """A done-callback of a future that calls ``done`` with its result, when it has one."""

    def report(future: Future[R]) -> None:
        if not future.cancelled() and future.exception() is None:
            done(future.result())

    return report


def _wait_for_failure_or_all(futures: list[Future[R]]) -> None:
    """Wait until every future is done, or until one failed and every future before it is done; then cancel the
    futures after the first failed one."""
    pending = set(futures)
    while pending:
        _done, pending = wait(pending, return_when=FIRST_EXCEPTION)
        failed = [i for i, f in enumerate(futures) if f.done() and not f.cancelled() and f.exception() is not None]
        if failed:
            for future in futures[failed[0] + 1:]:
                future.cancel()
            pending = {future for future in futures[: failed[0]] if not future.done()}
            if pending:
                wait(pending)
            return
