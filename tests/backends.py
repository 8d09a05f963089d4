"""The two stores a build is served from, for the tests that run the same checks against both.

* ``embedded``: the build's own pyoxigraph store (``kg serve``);
* ``virtuoso``: a Virtuoso on loopback (:mod:`virtuoso`, started once per session, on demand), holding the
  build as ``kg publish --to`` pushes it, served with the setting ``sparql_endpoint`` (``KG_SPARQL_ENDPOINT``),
  so that every triple a page, ``/graph``, ``/health``, the service description or a query needs is read
  from Virtuoso over the SPARQL 1.1 Protocol (:mod:`kg.store.remote`).

A test module parametrizes its server fixture with :data:`BACKENDS` (``params=BACKENDS``) and opens it with
:func:`served`. Where Virtuoso cannot be installed, the ``virtuoso`` tests are skipped with the reason (or
fail, with ``KG_REQUIRE_VIRTUOSO=1`` as ``.ci/run`` sets). This Virtuoso is not the one of the ``kg publish``
tests (``conftest.virtuoso``), whose checks need a store of their own.

One Virtuoso holds the builds of several tests (the seeds, the W3C protocol suite's data ...), each in its
own named graphs. Virtuoso's default graph is the union of all its graphs (:mod:`kg.store.remote`), so a test that
counts every triple adds :meth:`Served.outside_triples`; pages and graphs read only the build's IRIs.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from kg.settings import Settings
from kg.store.local import open_publication
from kg.store.push import publish_current
from kg.web import create_app
from kg.web.server import server_options
from kg.web.site import build_graphs
from virtuoso import Virtuoso, running_virtuoso

BACKENDS = ("embedded", "virtuoso")


def wait_for_health(url: str, alive: Callable[[], bool], seconds: float = 60) -> None:
    """Wait until the server at ``url`` answers ``/health`` with 200 (polled every 0.05 s, at most ``seconds``).

    Raises:
        AssertionError: when it does not in time, or ``alive()`` says the server is gone.
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or not alive():
            raise AssertionError(f"the server at {url} did not answer /health")
        time.sleep(0.05)


@dataclass(frozen=True)
class Served:
    """A server over a build: its URL, the store it reads (embedded or remote), and the Virtuoso, if any.

    Attributes:
        url: the server's base URL (``http://127.0.0.1:<port>``).
        backend: ``embedded`` or ``virtuoso``.
        settings: the settings it was started with.
        virtuoso: the Virtuoso holding the build, for the ``virtuoso`` backend.
    """

    url: str
    backend: str
    settings: Settings
    virtuoso: Virtuoso | None = None

    def outside_triples(self) -> int:
        """Triples the store holds outside the build's graphs: Virtuoso's own (its default graph is the union
        of all its graphs, see :mod:`kg.store.remote`) and any a test added; 0 for the embedded store."""
        if self.virtuoso is None:
            return 0
        graphs = ", ".join(f"<{g}>" for g in build_graphs(open_publication(self.settings.data_dir)))
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({graphs})) }}"
        return int(sparql(self.virtuoso, query)[0]["n"]["value"])


def sparql(virtuoso: Virtuoso, query: str) -> list[dict[str, dict[str, str]]]:
    """The bindings of a SELECT query asked of Virtuoso directly (its own dataset: all its graphs)."""
    answer = httpx.post(virtuoso.sparql_url, data={"query": query},
                        headers={"Accept": "application/sparql-results+json"}, timeout=30)
    answer.raise_for_status()
    bindings: list[dict[str, dict[str, str]]] = answer.json()["results"]["bindings"]
    return bindings


def load(virtuoso: Virtuoso, data_dir: Path) -> None:
    """Publish the current build of ``data_dir`` to ``virtuoso`` as ``kg publish --to`` does (each of its
    graphs replaced; graphs of other builds stay, see :meth:`Served.outside_triples`)."""
    publish_current(data_dir, virtuoso.graph_store_url, httpx.DigestAuth(virtuoso.user, virtuoso.password))


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free port of 127.0.0.1 (in a thread), with the options ``kg serve`` uses
    and the app's lifespan (which starts and stops its query workers); yield its URL once it answers."""
    options = server_options(app.state.sites.settings)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", **options))
    # IPPROTO_TCP, so that asyncio turns Nagle's algorithm off as for sockets uvicorn binds itself
    # (else every response waits ~40 ms for the client's delayed ACK between its head and its body)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_for_health(url, thread.is_alive, seconds=15)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def store_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """The Virtuoso the ``virtuoso`` backend reads from, for the session (skipped when it cannot be had)."""
    with running_virtuoso(tmp_path_factory.mktemp("store-virtuoso")) as server:
        yield server


@contextmanager
def served(settings: Settings, backend: str, request: pytest.FixtureRequest) -> Iterator[Served]:
    """Serve the current build of ``settings.data_dir`` from ``backend`` with a real uvicorn on 127.0.0.1.

    For ``virtuoso`` the session's Virtuoso (fixture :func:`store_virtuoso`, started on first use) is loaded
    with the build, and the server reads every triple from its SPARQL endpoint.
    """
    virtuoso = None
    if backend == "virtuoso":
        virtuoso = request.getfixturevalue("store_virtuoso")
        load(virtuoso, settings.data_dir)
        settings = settings.model_copy(update={"sparql_endpoint": virtuoso.sparql_url})
    elif backend != "embedded":
        raise ValueError(f"no backend {backend!r}")
    with serving(create_app(settings, open_publication(settings.data_dir))) as url:
        yield Served(url, backend, settings, virtuoso)
