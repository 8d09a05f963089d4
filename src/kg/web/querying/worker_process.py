"""The worker side of :mod:`kg.web.querying.workers`: the loop a query worker process runs.

A worker receives :class:`~kg.web.querying.evaluation.QueryJob` after job on its pipe, opens (and keeps open) the
store the job names read-only, runs :func:`~kg.web.querying.evaluation.evaluate`, and sends back the answer or the
error. It ignores Ctrl-C (the server stops it), writes no core file, has an address-space limit, runs at a
lower CPU priority, dies with its parent (Linux ``PR_SET_PDEATHSIG``), and ends itself a little after the
time limit should the server not have stopped it.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import resource
import signal
from multiprocessing.connection import Connection

import pyoxigraph as ox

from kg.web.http.errors import QueryFailed, WebError
from kg.web.querying.evaluation import Answer, QueryJob, evaluate

#: Seconds a worker may run past the time limit before it ends itself (in case the server did not stop it).
SELF_STOP_GRACE = 5
#: Lower CPU priority of the workers (added to the server's nice value).
NICENESS = 10
_PR_SET_PDEATHSIG = 1


def work(connection: Connection, store_path: str | None, memory_mb: int, timeout: float) -> None:
    """The main loop of a worker process: receive :class:`QueryJob`, send ``("ok", Answer)`` or
    ``("error", WebError)``, until the connection closes.

    Args:
        connection: the worker's end of the pipe to the server.
        store_path: a store to open before the first job (a replacement opens the current build), or None.
        memory_mb: the address-space limit in MiB (0: none).
        timeout: the query time limit; the worker ends itself (SIGALRM) :data:`SELF_STOP_GRACE` seconds
            after it, should the server not have stopped it.
    """
    _harden(memory_mb)
    path, store = store_path, None
    with contextlib.suppress(OSError):  # e.g. a build pruned meanwhile: opened with the first job instead
        store = ox.Store.read_only(store_path) if store_path else None
    while True:
        try:
            job: QueryJob = connection.recv()
        except (EOFError, OSError):
            return
        signal.alarm(math.ceil(timeout) + SELF_STOP_GRACE)
        reply: tuple[str, Answer | WebError]
        try:
            if store is None or job.store != path:
                store = None
                path, store = job.store, ox.Store.read_only(job.store)
            reply = ("ok", evaluate(store, job))
        except WebError as error:
            reply = ("error", error)
        except MemoryError:
            reply = ("error", QueryFailed(f"the query needs more memory than a query may use ({memory_mb} MiB)"))
        except Exception as error:  # a failure of the query engine: report it, keep serving
            reply = ("error", QueryFailed(f"the query failed: {type(error).__name__}: {error}"))
        signal.alarm(0)
        connection.send(reply)


def _harden(memory_mb: int) -> None:
    """Set up a worker process: no Ctrl-C (the server stops it), no core files, the memory limit, a
    lower priority, and death with the fork server (Linux ``PR_SET_PDEATHSIG``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["RUST_BACKTRACE"] = "0"  # an allocation failure ends the worker with one line, not a backtrace
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.nice(NICENESS)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
