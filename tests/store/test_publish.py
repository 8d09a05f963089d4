"""``kg publish --to``: the built graphs pushed to a real Virtuoso with the SPARQL 1.1 Graph Store Protocol.

The graphs of a build of every seed are published to a throwaway Virtuoso (``virtuoso`` fixture,
tests/virtuoso.py), then counted there with SPARQL (SPARQLWrapper) and compared with the same counts in kg's
own store: triples per named graph, and distinct blank nodes per graph (a blank node split over two requests
would be two).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper
from typer.testing import CliRunner

from conftest import copy_seeds
from kg.build.pipeline import run_build
from kg.cli import app
from kg.settings import Settings
from kg.store.local import open_publication
from kg.store.push import graph_chunks
from virtuoso import Virtuoso, free_port

TRIPLES_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g IN (%s)) } GROUP BY ?g"
#: The Drenthe 2016 seed's graph, the largest.
GRAPH = "https://kg.example.org/graph/pv22-2016-programma-2"
BLANK_NODES_PER_GRAPH = """SELECT ?g (COUNT(DISTINCT ?b) AS ?n) WHERE {
  GRAPH ?g { { ?b ?p ?o } UNION { ?s ?p ?b } FILTER(isBlank(?b)) } FILTER(?g IN (%s)) } GROUP BY ?g"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding one build of every seed document."""
    folder = tmp_path_factory.mktemp("publish")
    settings = Settings(data_dir=folder / "data", seeds_dir=copy_seeds(folder, everything=True))
    run_build(settings)
    return settings.data_dir


def graphs_of(data_dir: Path) -> list[str]:
    """The IRIs of the named graphs of the current build."""
    store = open_publication(data_dir).store
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def kg_counts(data_dir: Path, query: str) -> dict[str, int]:
    """``query`` (a per-graph count over the build's graphs) run on kg's own store."""
    store = open_publication(data_dir).store
    solutions = store.query(query % ", ".join(f"<{g}>" for g in graphs_of(data_dir)))
    assert isinstance(solutions, ox.QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in solutions}


def virtuoso_counts(virtuoso: Virtuoso, data_dir: Path, query: str) -> dict[str, int]:
    """The same count run on Virtuoso's SPARQL endpoint."""
    endpoint = SPARQLWrapper(virtuoso.sparql_url)
    endpoint.setQuery(query % ", ".join(f"<{g}>" for g in graphs_of(data_dir)))
    endpoint.setReturnFormat(JSON)
    answer = endpoint.queryAndConvert()
    assert isinstance(answer, dict)
    return {row["g"]["value"]: int(row["n"]["value"]) for row in answer["results"]["bindings"]}


def publish(data_dir: Path, to: str, *options: str, user: str | None = "dba", password: str = "dba") -> tuple[int, str]:
    """Run ``kg publish`` (as ``user``, or anonymously when None) and return its exit status and output."""
    login = ["--user", user, "--password", password] if user else []
    result = CliRunner().invoke(app, ["publish", "--to", to, "--data-dir", str(data_dir), *login, *options])
    return result.exit_code, result.output


def test_publish_sends_every_graph_with_its_exact_triple_count(virtuoso: Virtuoso, data_dir: Path) -> None:
    status, output = publish(data_dir, virtuoso.graph_store_url)
    assert status == 0, output
    expected = kg_counts(data_dir, TRIPLES_PER_GRAPH)
    assert len(expected) == len(graphs_of(data_dir)) >= 10  # every seed's graph, ontology, vocabularies, shapes
    assert f"published {sum(expected.values())} triples in {len(expected)} graphs" in output
    assert f"{GRAPH}: {expected[GRAPH]} triples, 1 request, HTTP 201" in output  # new in this store: Created
    assert virtuoso_counts(virtuoso, data_dir, TRIPLES_PER_GRAPH) == expected
    assert virtuoso_counts(virtuoso, data_dir, BLANK_NODES_PER_GRAPH) == kg_counts(data_dir, BLANK_NODES_PER_GRAPH)


def test_publish_twice_replaces_each_graph(virtuoso: Virtuoso, data_dir: Path) -> None:
    assert publish(data_dir, virtuoso.graph_store_url)[0] == 0
    extra = b"<urn:kg:test:s> <urn:kg:test:p> <urn:kg:test:o> .\n"  # a stray triple: the next PUT drops it
    added = httpx.post(virtuoso.graph_store_url, params={"graph": GRAPH}, content=extra,
                       headers={"Content-Type": "application/n-triples"},
                       auth=httpx.DigestAuth(virtuoso.user, virtuoso.password))
    assert added.is_success, added.text
    expected = kg_counts(data_dir, TRIPLES_PER_GRAPH)
    assert virtuoso_counts(virtuoso, data_dir, TRIPLES_PER_GRAPH)[GRAPH] == expected[GRAPH] + 1
    status, output = publish(data_dir, virtuoso.graph_store_url)
    assert status == 0, output
    assert virtuoso_counts(virtuoso, data_dir, TRIPLES_PER_GRAPH) == expected


def test_publish_in_small_chunks_keeps_counts_and_blank_nodes(virtuoso: Virtuoso, data_dir: Path) -> None:
    status, output = publish(data_dir, virtuoso.graph_store_url, "--chunk-triples", "100")
    assert status == 0, output
    triples = kg_counts(data_dir, TRIPLES_PER_GRAPH)[GRAPH]
    assert f"{GRAPH}: {triples} triples, {-(-triples // 100)}" in output  # at least one PUT and POSTs
    assert virtuoso_counts(virtuoso, data_dir, TRIPLES_PER_GRAPH) == kg_counts(data_dir, TRIPLES_PER_GRAPH)
    assert virtuoso_counts(virtuoso, data_dir, BLANK_NODES_PER_GRAPH) == kg_counts(data_dir, BLANK_NODES_PER_GRAPH)


def test_publish_to_a_closed_port_fails_clearly(data_dir: Path) -> None:
    to = f"http://127.0.0.1:{free_port()}/sparql-graph-crud-auth"
    status, output = publish(data_dir, to)
    assert status == 1
    assert "publish failed:" in output
    assert f"graph <{graphs_of(data_dir)[0]}>: PUT to {to} failed" in output


def test_publish_with_a_wrong_password_names_the_status(virtuoso: Virtuoso, data_dir: Path) -> None:
    status, output = publish(data_dir, virtuoso.graph_store_url, password="not-the-password")
    assert status == 1
    assert "answered 401 Unauthorized (check --user, --password and --auth)" in output


def test_publish_refused_repeats_the_server_message(virtuoso: Virtuoso, data_dir: Path) -> None:
    # the endpoint without auth writes only once SPARQL_UPDATE is granted to the user "SPARQL": not here
    to = f"{virtuoso.base_url}/sparql-graph-crud"
    status, output = publish(data_dir, to, user=None)
    assert status == 1
    assert f"graph <{graphs_of(data_dir)[0]}>: PUT to {to} answered 403 Forbidden" in output
    assert "SECURITY: Permission denied" in output  # Virtuoso's own words, out of its HTML page
    to = f"{virtuoso.base_url}/no-graph-store-here"
    status, output = publish(data_dir, to)
    assert (status, f"PUT to {to} answered 501 Method Not Implemented" in output) == (1, True)


def test_publish_refuses_what_is_not_a_url_or_not_built(tmp_path: Path, data_dir: Path) -> None:
    status, output = publish(data_dir, "localhost:8890/sparql-graph-crud-auth")
    assert (status, "not an http(s) URL of a graph store" in output) == (1, True)
    status, output = publish(tmp_path / "empty", "http://127.0.0.1:1/gsp")
    assert (status, "no published build" in output) == (1, True)
    status, output = publish(data_dir, "http://127.0.0.1:1/gsp", "--auth", "bearer")
    assert (status, "--auth must be digest or basic" in output) == (2, True)


def test_chunks_keep_triples_linked_by_blank_nodes_together() -> None:
    ex = "http://example.org/"
    named = [ox.Triple(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}p"), ox.Literal(str(i))) for i in range(7)]
    a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    p = ox.NamedNode(f"{ex}p")
    # a and b are linked through b's triple; c is on its own
    linked = [ox.Triple(a, p, ox.Literal("1")), ox.Triple(b, p, a), ox.Triple(b, p, ox.Literal("2")),
              ox.Triple(ox.NamedNode(f"{ex}x"), p, c)]
    triples = [*linked[:2], *named, *linked[2:]]
    chunks = list(graph_chunks(triples, 3))
    assert sorted(str(t) for chunk in chunks for t in chunk) == sorted(map(str, triples))
    assert all(len(chunk) <= 3 for chunk in chunks)
    holding = {label: {i for i, chunk in enumerate(chunks) for t in chunk if f"_:{label}" in str(t)}
               for label in "abc"}
    assert len(holding["a"] | holding["b"]) == 1  # a's and b's triples in one request
    assert len(holding["c"]) == 1
    (big,) = graph_chunks(linked[:3], 2)  # a linked set larger than a chunk is sent whole
    assert len(big) == 3
    assert list(graph_chunks([], 10)) == [[]]  # an empty graph is still PUT (emptying the store's copy)
    with pytest.raises(ValueError, match="at least 1"):
        list(graph_chunks(named, 0))
