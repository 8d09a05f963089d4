"""Bounded work per request: the query time limit that really stops the query, the concurrency limit, the
result-size, body, request-target and memory limits, and page lookups that slow queries do not hold up.

Servers here run over the session's real build (``conftest.built``) with small limits. A runaway query is a
cross join of the whole store with itself three times (tens of billions of rows): it cannot end on its own
during a test, so every wait below is for an event (a status code, a count on ``/health``), in bounded loops.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from backends import serving
from kg.build.pipeline import BuildResult
from kg.settings import Settings
from kg.store.local import open_publication
from kg.web import create_app

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PAGES = ["/", "/doc/product/pv22-2016-2-4", "/doc/programma/pv22-2016-2", "/health", "/dumps/kg.nq"]


@contextmanager
def server(built: tuple[Settings, BuildResult], **limits: object) -> Iterator[str]:
    """Serve the session's build with the settings in ``limits`` changed; yield the URL."""
    settings = built[0].model_copy(update=limits)
    with serving(create_app(settings, open_publication(settings.data_dir))) as url:
        yield url


def wait_for(url: str, **expected: int) -> dict[str, int]:
    """Poll ``/health`` until its query counts equal ``expected`` (bounded: at most 600 polls)."""
    for _ in range(600):
        queries: dict[str, int] = httpx.get(url + "/health").json()["queries"]
        if all(queries[name] == value for name, value in expected.items()):
            return queries
        time.sleep(0.05)
    raise AssertionError(f"/health never showed {expected}: {queries}")


def open_query(url: str, query: str) -> socket.socket:
    """Send a GET query on a raw connection and return it unread (closing it is leaving)."""
    address = urlsplit(url)
    sock = socket.create_connection((address.hostname, address.port), timeout=10)
    target = "/sparql?" + urlencode({"query": query})
    sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {address.netloc}\r\n\r\n".encode())
    return sock


def answered(sock: socket.socket) -> bool:
    """True when the server has sent anything on ``sock`` (without waiting)."""
    sock.setblocking(False)
    try:
        return bool(sock.recv(1, socket.MSG_PEEK))
    except BlockingIOError:
        return False
    finally:
        sock.setblocking(True)


def test_runaway_query_is_stopped_at_the_time_limit_and_its_worker_replaced(
    built: tuple[Settings, BuildResult], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="kg.web.querying.workers")
    with server(built, query_timeout=1.0, query_workers=1) as url:
        response = httpx.get(url + "/sparql", params={"query": RUNAWAY}, timeout=60)
        assert response.status_code == 503
        assert response.text.startswith("the query ran longer than 1 s, the most this endpoint allows (query_timeout)")
        assert response.headers["content-type"].startswith("text/plain")
        assert wait_for(url, running=0, waiting=0) == {"workers": 1, "running": 0, "waiting": 0}
        # the one worker answers again: it was killed and replaced, not left running
        assert httpx.get(url + "/sparql", params={"query": "ASK {}"}).json() == {"head": {}, "boolean": True}
    stopped = [r.getMessage() for r in caplog.records if "stopped (exit code -9)" in r.getMessage()]
    assert len(stopped) == 1, stopped
    assert re.search(r"worker free again after [0-9.]+ ms \(replacement \d+\)", stopped[0])


def test_beyond_the_concurrency_limit_a_query_gets_503_with_retry_after_and_pages_are_not_held_up(
    built: tuple[Settings, BuildResult],
) -> None:
    with server(built, query_timeout=600.0, query_workers=2, max_concurrent_queries=3) as url:
        running = [open_query(url, RUNAWAY) for _ in range(3)]
        try:
            assert wait_for(url, running=2, waiting=1)
            refused = httpx.get(url + "/sparql", params={"query": "ASK {}"})
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "5"
            assert "(max_concurrent_queries)" in refused.text
            for path in PAGES * 4:  # every worker busy and the queue full: pages answer all the same
                assert httpx.get(url + path, headers={"Accept": "text/html"}).status_code == 200, path
            assert not any(answered(sock) for sock in running), "the pages were answered before the queries"
        finally:
            for sock in running:
                sock.close()
        # clients that leave stop their queries: the workers are free again without any time limit
        assert wait_for(url, running=0, waiting=0)
        assert httpx.get(url + "/sparql", params={"query": "ASK {}"}).status_code == 200


def test_results_over_the_row_limit_are_refused_with_422(built: tuple[Settings, BuildResult]) -> None:
    with server(built, max_result_rows=100) as url:
        for query in ("SELECT * { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"):
            response = httpx.get(url + "/sparql", params={"query": query})
            assert response.status_code == 422, query
            assert "more than 100" in response.text and "LIMIT" in response.text
        limited = httpx.get(url + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 100"})
        assert len(limited.json()["results"]["bindings"]) == 100


def test_request_body_over_the_limit_is_413_declared_or_streamed(built: tuple[Settings, BuildResult]) -> None:
    with server(built, max_body_bytes=2048) as url:
        big = b"ASK {} #" + b"x" * 4096
        headers = {"Content-Type": "application/sparql-query"}
        declared = httpx.post(url + "/sparql", content=big, headers=headers)
        streamed = httpx.post(url + "/sparql", content=iter([big[:1000], big[1000:]]), headers=headers)
        for response in (declared, streamed):
            assert response.status_code == 413
            assert "max_body_bytes" in response.text
        assert httpx.post(url + "/sparql", content=b"ASK {}", headers=headers).status_code == 200


def test_a_query_needing_more_memory_than_allowed_ends_only_its_worker(built: tuple[Settings, BuildResult]) -> None:
    with server(built, query_workers=1, query_memory_mb=1024) as url:
        hungry = "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"  # sorts ~10^7 rows in memory
        response = httpx.get(url + "/sparql", params={"query": hungry}, timeout=120)
        assert response.status_code == 500
        assert "query_memory_mb" in response.text
        assert httpx.get(url + "/sparql", params={"query": "ASK {}"}).status_code == 200


def test_queries_wait_for_a_free_worker_rather_than_fail(built: tuple[Settings, BuildResult]) -> None:
    with server(built, query_workers=1, max_concurrent_queries=16) as url:
        statuses: list[int] = []

        def ask() -> None:
            statuses.append(httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60).status_code)

        threads = [threading.Thread(target=ask) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [200] * 12
