"""``kg serve`` reading a remote store (:mod:`kg.store.remote`): what only a remote store does.

The behaviour both stores share is tested against both in ``test_server.py`` and ``test_w3c_protocol.py``
(:mod:`backends`). Here: every page of the seed is the same bytes from Virtuoso as from the embedded store;
the remote store's refusals, limits, time-outs and absence are answered as the README says; and the pieces of
:mod:`kg.store.remote` that have no server of their own to be tested through (blank node labels split over chunks,
the ``BASE`` of a prologue).
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from backends import Served, served, serving, store_virtuoso  # noqa: F401 (a fixture)
from conftest import build_into
from kg.cli import app
from kg.settings import Settings
from kg.store.local import open_publication
from kg.store.remote import _BlankNodeLabels, declares_base
from kg.web import create_app
from virtuoso import free_port

BROWSER = "text/html"


@pytest.fixture(scope="module")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The Drenthe 2016 seed, built."""
    settings, _result = build_into(tmp_path_factory.mktemp("remote"))
    return settings


@pytest.fixture(scope="module")
def both(seed_settings: Settings, request: pytest.FixtureRequest) -> Iterator[tuple[Served, Served]]:
    """The seed served from the embedded store and from Virtuoso, side by side."""
    with served(seed_settings, "embedded", request) as embedded, served(seed_settings, "virtuoso", request) as remote:
        yield embedded, remote


def test_every_page_is_the_same_from_either_store(both: tuple[Served, Served]) -> None:
    embedded, remote = both
    store = open_publication(embedded.settings.data_dir).store
    base = embedded.settings.base + "/id/"
    things = sorted({q.subject.value for q in store.quads_for_pattern(None, None, None)
                     if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(base)})
    paths = ["/", "/graph/pv22-2016-programma-2", "/graph/referentie/gebieden"]
    paths += ["/doc/" + thing[len(base):] for thing in things]
    assert len(paths) > 300
    with httpx.Client(base_url=embedded.url) as one, httpx.Client(base_url=remote.url) as other:
        for path in paths:
            for media_type in (BROWSER, "application/n-triples"):
                expected = one.get(path, headers={"Accept": media_type})
                answered = other.get(path, headers={"Accept": media_type})
                assert (answered.status_code, answered.headers["etag"]) == (200, expected.headers["etag"]), path
                assert answered.content == expected.content, f"{path} as {media_type}"


def test_service_description_and_graphs_show_only_the_builds_graphs(both: tuple[Served, Served]) -> None:
    embedded, remote = both
    # one Host for both: the description names the URL it was asked at (sd:endpoint)
    described = [httpx.get(server.url + "/sparql", headers={"Accept": "application/n-triples", "Host": "kg.test"}).text
                 for server in (embedded, remote)]
    graphs = [rdflib.Graph().parse(data=text, format="nt") for text in described]
    assert isomorphic(*graphs)  # the same graphs, with the same counts
    assert "openlinksw" not in described[1] and "localuriqaserver" not in described[1]
    assert httpx.get(remote.url + "/graph/no-such-graph").status_code == 404


def test_a_query_the_store_refuses_is_400_with_its_message(both: tuple[Served, Served]) -> None:
    _, remote = both
    response = httpx.get(remote.url + "/sparql", params={"query": "SELECT (BNODE() AS ?b) {}"})
    assert response.status_code == 400
    assert response.text.startswith("the triplestore refused the query: ")
    assert "Built-in function is not implemented" in response.text  # Virtuoso's own words


@pytest.mark.parametrize("query", ["SELECT * { ?s <bif:contains> ?o }",
                                   "PREFIX sql: <SQL:> SELECT (sql:f(1) AS ?x) {}"])
def test_a_triplestores_own_functions_are_refused(both: tuple[Served, Served], query: str) -> None:
    for server in both:
        response = httpx.get(server.url + "/sparql", params={"query": query})
        assert (response.status_code, response.text.startswith("functions of a triplestore")) == (403, True)


def test_too_many_rows_is_422_from_virtuoso_too(seed_settings: Settings, request: pytest.FixtureRequest) -> None:
    limited = seed_settings.model_copy(update={"max_result_rows": 5})
    with served(limited, "virtuoso", request) as remote:
        response = httpx.get(remote.url + "/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
        assert response.status_code == 422
        assert "more than 5 rows" in response.text
        fits = httpx.get(remote.url + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 5"})
        assert len(fits.json()["results"]["bindings"]) == 5


class SlowEndpoint(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint (not a Virtuoso) with no data that answers ASK and SELECT at once, except a query
    over every triple (``?s ?p ?o``) or a CONSTRUCT, which it answers after :attr:`delay` seconds."""

    delay = 5.0

    def do_POST(self) -> None:
        query = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        accept = self.headers.get("Accept", "")
        if b"ASK" in query:
            answer = b'{"head": {}, "boolean": true}'
        else:
            if b"%3Fs+%3Fp+%3Fo" in query or b"CONSTRUCT" in query:
                time.sleep(self.delay)
            empty = b'{"head": {"vars": []}, "results": {"bindings": []}}'
            answer = b"" if accept == "application/n-triples" else empty
        self.send_response(200)
        self.send_header("Content-Type", accept)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class QuietServer(http.server.ThreadingHTTPServer):
    """Says nothing when a client hangs up (the server under test gives up on slow answers)."""

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet."""


@contextmanager
def slow_endpoint() -> Iterator[tuple[str, http.server.ThreadingHTTPServer]]:
    """:class:`SlowEndpoint` on a free port of 127.0.0.1, stopped afterwards."""
    server = QuietServer(("127.0.0.1", free_port()), SlowEndpoint)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", server
    finally:
        server.shutdown()
        server.server_close()


def test_a_slow_store_is_503_after_the_time_limit_and_a_gone_one_503_at_once(seed_settings: Settings) -> None:
    with slow_endpoint() as (url, endpoint):
        settings = seed_settings.model_copy(update={"sparql_endpoint": url, "query_timeout": 1.0,
                                                    "sparql_endpoint_timeout": 1.0})
        application = create_app(settings, open_publication(settings.data_dir))
        with serving(application) as server:
            started = time.monotonic()
            response = httpx.get(server + "/sparql", params={"query": "SELECT * { ?s ?p ?o }"}, timeout=10)
            assert response.status_code == 503
            assert "ran longer than 1 s" in response.text
            assert time.monotonic() - started < 3
            page = httpx.get(server + "/doc/product/pv22-2016-2-4", timeout=10)
            assert page.status_code == 503 and "did not answer within 1 s" in page.text
            assert httpx.get(server + "/health", timeout=10).json()["status"] == "ok"  # ASK is answered
            endpoint.shutdown()
            endpoint.server_close()
            gone = httpx.get(server + "/doc/product/pv22-2016-2-4", timeout=10)
            assert (gone.status_code, gone.headers["retry-after"]) == (503, "5")
            assert "cannot be reached" in gone.text
            health = httpx.get(server + "/health", timeout=10)
            assert (health.status_code, health.json()["status"]) == (503, "unavailable")


def test_kg_serve_from_a_store_does_not_build_and_says_why(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--data-dir", str(tmp_path / "data"),
                                      "--sparql-endpoint", "http://127.0.0.1:1/sparql"])
    assert result.exit_code == 1
    assert "no build of https://kg.example.org" in result.output
    assert "kg publish --to" in result.output


def test_kg_serve_says_when_the_store_cannot_be_reached(seed_settings: Settings) -> None:
    result = CliRunner().invoke(app, ["serve", "--data-dir", str(seed_settings.data_dir),
                                      "--sparql-endpoint", f"http://127.0.0.1:{free_port()}/sparql"])
    assert result.exit_code == 1
    assert "cannot serve: the SPARQL endpoint" in result.output and "cannot be reached" in result.output


def test_blank_node_labels_are_rewritten_across_chunk_boundaries() -> None:
    answer = b'{"x": { "type": "bnode", "value": "nodeID://b1" }, "y": { "type": "literal", "value": "nodeID://b2" }}'
    expected = answer.replace(b"nodeID://b1", b"b1")  # a literal keeps its text
    for size in (1, 2, 7, 30, 64, 1000):
        rewrite = _BlankNodeLabels()
        written = b"".join(rewrite(answer[i : i + size]) for i in range(0, len(answer), size)) + rewrite(b"")
        assert written == expected, size


@pytest.mark.parametrize(("query", "declares"), [
    ("BASE <http://x/> SELECT * {}", True),
    ("PREFIX a: <http://a/>\n# a comment\n  base <http://x/> SELECT * {}", True),
    ('SELECT * { ?s ?p "BASE <http://x/>" }', False),
    ("PREFIX a: <http://a/> SELECT * {}", False),
])
def test_a_base_is_found_in_the_prologue_only(query: str, declares: bool) -> None:
    assert declares_base(query) is declares
