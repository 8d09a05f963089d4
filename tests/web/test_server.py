"""End-to-end tests of the web layer: a real uvicorn server over a published build, real HTTP clients.

The data come from :func:`published_data_dir`: the real seed, built by the real pipeline; assertions use
the seed's own words and counts. Every test runs against both stores (:mod:`backends`): the build's embedded
pyoxigraph store, and a Virtuoso the build was published to, read over the SPARQL 1.1 Protocol; the expected
answers are computed on the embedded store, so both must answer alike.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.dom.minidom import Document, Text

import httpx
import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from backends import BACKENDS, Served, served, serving, store_virtuoso  # noqa: F401 (serving: imported from here)
from conftest import SEED, build_into
from helpers import BROWSER, Html
from kg.settings import Settings
from kg.store.local import open_publication, publish

REPO = Path(__file__).resolve().parents[2]

PREFIXES = """
PREFIX pb: <https://kg.example.org/def/begroting#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
SKOS_PREF_LABEL = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
OBJECTIVE = "Breedband"
POLICY_TASK = "Breedband op het Drentse platteland"
RESULTS = {
    'Actieve inzet op het ontsluiten met snel internet van de "witte" gebieden in Drenthe',
    "Breedband Platform Drenthe",
    "Revolving Fonds Breedband ingericht",
}


def published_data_dir(folder: Path) -> Settings:
    """Build the real seeds into ``folder`` (see ``conftest.build_into``) and return the settings to serve it."""
    settings, _result = build_into(folder)
    return settings


@dataclass(frozen=True)
class Live:
    """A running server: its URL, the build's embedded store (to compute expected answers), its base IRI,
    and what serves it (:class:`backends.Served`)."""

    url: str
    store: ox.Store
    base: str
    served: Served

    def one(self, query: str) -> str:
        """The value of the single solution's single variable of a SELECT query, run in-process."""
        result = self.store.query(PREFIXES + query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        rows = [row[0].value for row in result]
        assert len(rows) == 1, rows
        return str(rows[0])

    def local(self, iri: str) -> str:
        """The server path of a thing's description (``{base}/id/x`` -> ``/doc/x``)."""
        assert iri.startswith(self.base + "/id/")
        return "/doc/" + iri[len(self.base) + 4 :]


@pytest.fixture(scope="module", params=BACKENDS)
def live(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Live]:
    """Serve the published test data (see :func:`published_data_dir`) from each store in turn."""
    settings = published_data_dir(tmp_path_factory.mktemp("web"))
    with served(settings, request.param, request) as server:
        yield Live(url=server.url, store=open_publication(settings.data_dir).store, base=settings.base, served=server)


@pytest.fixture(scope="module")
def objective(live: Live) -> str:
    """IRI of the objective "Breedband"."""
    return live.one(f'SELECT ?d WHERE {{ ?d a pb:Doelstelling ; skos:prefLabel "{OBJECTIVE}"@nl }}')




# --- SPARQL 1.1 Protocol ---------------------------------------------------------------------------------


def test_sparqlwrapper_select_count_in_json_and_xml(live: Live) -> None:
    query = PREFIXES + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a pb:Doelstelling }"
    expected = 15  # the objectives (Doelstelling) of the seed
    client = SPARQLWrapper(live.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    as_json = client.queryAndConvert()
    assert isinstance(as_json, dict)
    assert int(as_json["results"]["bindings"][0]["n"]["value"]) == expected
    client.setReturnFormat(XML)
    as_xml = client.queryAndConvert()
    assert isinstance(as_xml, Document)
    literal = as_xml.getElementsByTagName("literal")[0].firstChild
    assert isinstance(literal, Text)
    assert int(literal.data) == expected


def test_one_objective_under_product_breedband(live: Live) -> None:
    client = SPARQLWrapper(live.url + "/sparql/")
    client.setQuery(
        PREFIXES + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { "
        '?d a pb:Doelstelling ; pb:beleidsopgave/pb:product ?p . ?p skos:notation "2.4" }'
    )
    client.setReturnFormat(JSON)
    results = client.queryAndConvert()
    assert isinstance(results, dict)
    assert results["results"]["bindings"][0]["n"]["value"] == "1"


def test_construct_as_turtle_parses_back_with_the_exact_triples(live: Live) -> None:
    query = PREFIXES + (
        "CONSTRUCT { ?r skos:prefLabel ?l } WHERE { "
        f'?d a pb:Doelstelling ; skos:prefLabel "{OBJECTIVE}"@nl . ?r pb:doelstelling ?d ; skos:prefLabel ?l }}'
    )
    response = httpx.get(live.url + "/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle"
    assert "Accept" in response.headers["vary"]
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert len(graph) == 3
    assert {str(label) for label in graph.objects(None, SKOS_PREF_LABEL)} == RESULTS
    client = SPARQLWrapper(live.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(TURTLE)
    client.setOnlyConneg(True)
    through_wrapper = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert rdflib.compare.isomorphic(through_wrapper, graph)


def test_ask_and_csv_results(live: Live) -> None:
    ask = httpx.get(live.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ask.headers["content-type"] == "application/sparql-results+json"
    assert ask.json()["boolean"] is True
    query = (
        PREFIXES + f'SELECT ?l WHERE {{ ?d skos:prefLabel "{OBJECTIVE}"@nl ; a pb:Doelstelling ; skos:prefLabel ?l }}'
    )
    csv = httpx.get(live.url + "/sparql", params={"query": query, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.split() == ["l", OBJECTIVE]


def test_post_form_and_post_sparql_query(live: Live) -> None:
    query = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?r a pb:Resultaat }"
    expected = live.one("SELECT (COUNT(*) AS ?n) WHERE { ?r a pb:Resultaat }")
    form = httpx.post(live.url + "/sparql", data={"query": query})
    direct = httpx.post(
        live.url + "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    for response in (form, direct):
        assert response.status_code == 200, response.text
        assert response.json()["results"]["bindings"][0]["n"]["value"] == expected


def test_default_and_named_graph_uri(live: Live) -> None:
    query = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?d a pb:Doelstelling }"
    ontology = "https://kg.example.org/def/begroting"
    response = httpx.get(live.url + "/sparql", params={"query": query, "default-graph-uri": ontology})
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "0"
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = httpx.get(live.url + "/sparql", params={"query": graphs, "named-graph-uri": ontology})
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [ontology]


def test_syntax_error_is_400_with_the_parser_message(live: Live) -> None:
    query = "SELEKT * WHERE { ?s ?p ?o }"
    with pytest.raises(SyntaxError) as parser:
        live.store.query(query)
    response = httpx.get(live.url + "/sparql", params={"query": query})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert str(parser.value) in response.text


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("POST", {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        (
            "POST",
            {
                "content": b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                "headers": {"Content-Type": "application/sparql-update"},
            },
        ),
        ("GET", {"params": {"update": "CLEAR ALL"}}),
    ],
)
def test_update_is_refused_with_403(live: Live, method: str, kwargs: dict[str, object]) -> None:
    response = httpx.request(method, live.url + "/sparql", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert "read-only" in response.text


def test_service_is_refused(live: Live) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert httpx.get(live.url + "/sparql", params={"query": query}).status_code == 403
    harmless = 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) }'
    assert httpx.get(live.url + "/sparql", params={"query": harmless}).status_code == 200


def test_no_query_is_400_for_result_clients_but_a_form_for_browsers(live: Live) -> None:
    # RDF clients (and */*) get the service description instead: see test_discovery.py
    assert httpx.get(live.url + "/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 400
    form = httpx.get(live.url + "/sparql", headers={"Accept": BROWSER})
    assert form.status_code == 200
    assert form.headers["content-type"].startswith("text/html")
    assert "<textarea" in form.text


def test_results_406_when_nothing_fits(live: Live) -> None:
    response = httpx.get(live.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    # an Accept of RDF types only gets the results default, as Fuseki answers (tests/web/test_clients.py)
    response = httpx.get(live.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/turtle"})
    assert (response.status_code, response.headers["content-type"]) == (200, "application/sparql-results+json")


# --- Linked-data pages -----------------------------------------------------------------------------------


def test_id_redirects_303_to_doc(live: Live, objective: str) -> None:
    path = objective[len(live.base) :]
    response = httpx.get(live.url + path, headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["location"] == live.local(objective)
    assert "Accept" in response.headers["vary"]
    with_query = httpx.get(live.url + path + "?format=ttl")
    assert with_query.headers["location"] == live.local(objective) + "?format=ttl"


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
    ],
)
def test_doc_in_each_rdf_format_names_the_three_results(
    live: Live, objective: str, media_type: str, rdflib_format: str
) -> None:
    response = httpx.get(live.url + objective[len(live.base) :], headers={"Accept": media_type}, follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert "Accept" in response.headers["vary"]
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    this = rdflib.URIRef(objective)
    assert (this, SKOS_PREF_LABEL, rdflib.Literal(OBJECTIVE, lang="nl")) in graph
    results = set(graph.subjects(None, this))
    labels = {str(label) for result in results for label in graph.objects(result, SKOS_PREF_LABEL)}
    assert labels >= RESULTS


def test_doc_negotiates_by_q_value(live: Live, objective: str) -> None:
    accept = "text/turtle;q=0.5, application/ld+json"
    response = httpx.get(live.url + live.local(objective), headers={"Accept": accept})
    assert response.headers["content-type"] == "application/ld+json"


def test_doc_format_parameter_overrides_accept(live: Live, objective: str) -> None:
    response = httpx.get(live.url + live.local(objective) + "?format=nt", headers={"Accept": BROWSER})
    assert response.headers["content-type"] == "application/n-triples"


def test_doc_406_when_nothing_fits(live: Live, objective: str) -> None:
    response = httpx.get(live.url + live.local(objective), headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_unknown_iri_is_404(live: Live) -> None:
    for path in ("/id/doelstelling/pv22-2016-00000000", "/doc/doelstelling/pv22-2016-00000000", "/doc/%ZZ"):
        assert httpx.get(live.url + path, headers={"Accept": "text/turtle"}).status_code == 404, path


def test_etag_answers_304(live: Live, objective: str) -> None:
    first = httpx.get(live.url + live.local(objective), headers={"Accept": "text/turtle"})
    again = httpx.get(
        live.url + live.local(objective), headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    vary = {part.strip() for part in first.headers["vary"].split(",")}
    assert "Accept-Encoding" in vary and vary == {part.strip() for part in again.headers["vary"].split(",")}


def test_html_page_shows_the_label_links_the_parent_by_label_and_lists_the_results(live: Live, objective: str) -> None:
    response = httpx.get(live.url + live.local(objective), headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = Html(response.text)
    assert page.h1.strip() == OBJECTIVE
    assert f"<title>{OBJECTIVE} (doelstelling)</title>" in response.text
    assert "<title>Breedband (product)</title>" in httpx.get(
        live.url + "/doc/product/pv22-2016-2-4", headers={"Accept": BROWSER}
    ).text
    policy_task = live.one(f'SELECT ?b WHERE {{ ?b a pb:Beleidsopgave ; skos:prefLabel "{POLICY_TASK}"@nl }}')
    assert (live.local(policy_task), POLICY_TASK) in page.links
    assert {text for _, text in page.links} >= RESULTS
    assert page.alternates["text/turtle"] == "?format=ttl"
    assert not any(text.startswith(live.base) for _, text in page.links), "an IRI shown where a label exists"


def test_html_page_of_a_result_shows_its_source_line(live: Live, objective: str) -> None:
    result = live.one(
        f'SELECT ?r WHERE {{ ?r pb:doelstelling <{objective}> ; skos:prefLabel "Breedband Platform Drenthe"@nl }}'
    )
    page = Html(httpx.get(live.url + live.local(result), headers={"Accept": BROWSER}).text)
    text = "".join(page.text)
    assert " 186  Breedband Platform Drenthe" in text
    assert (live.local(objective), OBJECTIVE) in page.links


def test_landing_page_shows_counts_per_class(live: Live) -> None:
    response = httpx.get(live.url + "/", headers={"Accept": BROWSER})
    assert response.status_code == 200
    page = Html(response.text)
    count = live.one(
        "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d a pb:Doelstelling } "
        f'FILTER(STRSTARTS(STR(?g), "{live.base}/graph/")) }}'
    )
    assert [label.lower() for label, n in (row for row in page.rows if len(row) == 2) if n == count].count(
        "doelstelling"
    ) == 1
    counted = [(label.strip(), n.strip()) for label, n in (row for row in page.rows if len(row) == 2)]
    assert counted[1:4] == [("prestatie", "78"), ("resultaat", "63"), ("doel", "20")]  # after the header row
    assert any(href == "/sparql" for href, _ in page.links)
    assert any(href == "/dumps/kg.trig" for href, _ in page.links)
    assert any(text == "Regionale economie" for _, text in page.links)


def test_named_graph_is_served_whole_and_an_unknown_one_is_404(live: Live) -> None:
    graph = f"{live.base}/graph/pv22-2016-programma-2"
    response = httpx.get(live.url + "/graph/pv22-2016-programma-2", headers={"Accept": "application/n-triples"})
    assert (response.status_code, response.headers["content-type"]) == (200, "application/n-triples")
    served = rdflib.Graph().parse(data=response.text, format="nt")
    expected = rdflib.Graph().parse(data=ox.serialize(
        [q.triple for q in live.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))],
        format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert len(served) == len(expected) > 3000
    assert rdflib.compare.isomorphic(served, expected)
    page = httpx.get(live.url + "/graph/pv22-2016-programma-2", headers={"Accept": BROWSER})
    assert (page.status_code, "Breedband Platform Drenthe" in page.text) == (200, True)
    for unknown in ("/graph/no-such-graph", "/graph/referentie"):
        assert httpx.get(live.url + unknown, headers={"Accept": "text/turtle"}).status_code == 404, unknown


# --- Files and health --------------------------------------------------------------------------------------


def test_dump_is_served_as_trig_and_parses(live: Live) -> None:
    response = httpx.get(live.url + "/dumps/kg.trig")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/trig"
    dataset = rdflib.Dataset().parse(data=response.content, format="trig")
    assert len(dataset) == len(live.store)
    assert httpx.get(live.url + "/dumps/report.json").status_code == 404


def test_source_file_is_served_as_plain_text(live: Live) -> None:
    response = httpx.get(live.url + f"/bronnen/{SEED}.txt")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.splitlines()[185] == "Breedband Platform Drenthe"


@pytest.mark.parametrize(
    "path", ["/bronnen/../x", "/bronnen/..", "/bronnen/..%2Freport.json", "/bronnen/%2e%2e/x", "/bronnen/" + "a" * 300]
)
def test_source_path_traversal_is_rejected(live: Live, path: str) -> None:
    connection = http.client.HTTPConnection(urlsplit(live.url).netloc, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    assert response.status in (400, 404), path
    connection.close()


def test_health(live: Live) -> None:
    body = httpx.get(live.url + "/health").json()
    assert body["status"] == "ok"
    assert body["triples"] == len(live.store)
    assert body["build"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_iris_with_non_ascii_and_percent_escapes_are_dereferenced_faithfully(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    base = "https://kg.example.org"
    things = [f"{base}/id/organisatie/café-noord", f"{base}/id/organisatie/a%20b"]
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    graph = ox.NamedNode(f"{base}/graph/t")
    quads = [ox.Quad(ox.NamedNode(iri), label, ox.Literal(f"label {i}"), graph) for i, iri in enumerate(things)]
    settings = Settings(data_dir=tmp_path / "data", queries_dir=tmp_path)
    publish(quads, [], {}, settings.data_dir)
    with served(settings, backend, request) as server:
        url = server.url
        accented = httpx.get(url + "/id/organisatie/caf%C3%A9-noord")
        assert accented.status_code == 303
        assert accented.headers["location"] == "/doc/organisatie/caf%C3%A9-noord"
        assert "label 0" in httpx.get(url + accented.headers["location"] + "?format=nt").text
        escaped = httpx.get(url + "/doc/organisatie/a%20b?format=nt")
        assert escaped.status_code == 200
        assert "<https://kg.example.org/id/organisatie/a%20b>" in escaped.text
        page = Html(httpx.get(url + "/doc/organisatie/caf%C3%A9-noord?format=html").text)
        assert page.h1 == "label 0"
        assert httpx.get(url + "/doc/organisatie/a%2520b").status_code == 404


def count_triples(live: Live, query: str, **params: str) -> int:
    """Run a ``SELECT (COUNT(*) AS ?n)`` query over HTTP and return ?n."""
    response = httpx.get(live.url + "/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_query_dataset_from_from_clauses_and_protocol_parameters(live: Live) -> None:
    graph = f"{live.base}/graph/pv22-2016-programma-2"
    in_graph = int(live.one(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
    assert in_graph == len(list(live.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
    everything = count_triples(live, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert everything == len(live.store) + live.served.outside_triples()  # Virtuoso's own graphs: see kg.store.remote
    assert count_triples(live, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> {{ ?s ?p ?o }}") == in_graph
    assert count_triples(live, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> {{ ?s ?p ?o }}") == 0
    named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert count_triples(live, named) == in_graph
    assert count_triples(live, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", **{"named-graph-uri": graph}) == 0
    # "FROM" inside a string is not a dataset clause: the default graph stays the union
    assert count_triples(live, 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o FILTER(?o != "FROM <x>") }') == everything


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", 403, "SERVICE (federated query) is disabled"),
        ('SELECT ?a { BIND("""a\\"""" AS ?x) SERVICE <http://127.0.0.1:9/x> { ?a ?b "y" } }', 403, "SERVICE"),
        ("SELECT * { \\u0053ERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", 403, "SERVICE"),
        # valid SPARQL that rdflib's parser cannot read: refused rather than run unchecked
        (
            "PREFIX ex: <http://x/> SELECT ?a { OPTIONAL { ?s ex:a\\# ?o } "
            "SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c } }",
            400,
            "query mentions SERVICE or FROM and could not be checked",
        ),
    ],
    ids=["plain", "escaped-quote-in-long-string", "unicode-escape", "escaped-hash-in-name"],
)
def test_federated_queries_are_refused(live: Live, query: str, status: int, message: str) -> None:
    response = httpx.get(live.url + "/sparql", params={"query": query})
    assert response.status_code == status
    assert response.text.startswith(message)


@pytest.mark.parametrize(
    "words",
    ["# read from the store, no SERVICE\n", "BIND('''FROM\n<x>''' AS ?w) BIND(<http://x/from#service> AS ?i) ",
     "BIND(1 AS ?from) BIND(?from AS ?service) "],
    ids=["comment", "long-string-and-iri", "variables"],
)
def test_from_and_service_outside_the_code_are_answered_as_written(live: Live, words: str) -> None:
    # see test_query_check.py: such queries are not given to rdflib's parser
    response = httpx.get(live.url + "/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) {{ {words}}}"})
    assert response.status_code == 200, response.text
    assert [int(row["n"]["value"]) for row in response.json()["results"]["bindings"]] == [1]


def test_the_word_service_in_a_string_is_no_federated_query(live: Live) -> None:
    response = httpx.get(live.url + "/sparql", params={"query": 'SELECT ?x { BIND("SERVICE <http://x>" AS ?x) }'})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == [{"x": {"type": "literal", "value": "SERVICE <http://x>"}}]


def test_deeply_nested_query_is_refused_and_the_server_lives_on(live: Live) -> None:
    query = "ASK " + "{" * 3000 + "}" * 3000
    response = httpx.post(live.url + "/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert response.text == "query nests 3000 brackets deep; this endpoint accepts at most 100"
    assert httpx.get(live.url + "/health").status_code == 200


@pytest.mark.parametrize("path", ["/health", "/sparql?query=ASK%7B%7D", "/doc/product/pv22-2016-2-4", "/dumps/kg.nq"])
def test_head_is_answered_wherever_get_is(live: Live, path: str) -> None:
    get, head = httpx.get(live.url + path), httpx.head(live.url + path)
    assert (head.status_code, head.headers["content-type"]) == (get.status_code, get.headers["content-type"])
    assert head.content == b""


def section(html: str, heading: str) -> str:
    """The HTML between ``<h2>heading</h2>`` and the next ``<h2>``."""
    start = html.index(f"<h2>{heading}</h2>")
    end = html.find("<h2>", start + 1)
    return html[start : end if end != -1 else None]


def test_partner_page_lists_the_results_that_name_it_by_product(live: Live) -> None:
    html = httpx.get(live.url + "/doc/organisatie/nom", headers={"Accept": BROWSER}).text
    mentioned = Html(section(html, "Genoemd in"))
    assert [text for _, text in mentioned.links] == [
        "Versterken regionale innovatiekracht",
        "Nieuwe afspraken over een effectieve en efficiënte ondersteuningsstructuur met NOM en clusters",
        "Verkenning van de wenselijkheid om de aandelen NOM over te nemen",
    ]
    assert "(als “NOM”)" in section(html, "Genoemd in")


def test_region_page_shows_containment(live: Live) -> None:
    html = httpx.get(live.url + "/doc/gebied/zuidoost-drenthe", headers={"Accept": BROWSER}).text
    assert [text for _, text in Html(section(html, "Ligt in")).links] == ["Drenthe", "Noord-Nederland"]
    assert [text for _, text in Html(section(html, "Omvat")).links] == ["Emmen"]
    products = Html(section(html, "Genoemd in")).links
    assert ("/doc/product/pv22-2016-2-2", "Versterken regionale innovatiekracht") in products


#: Example queries about links between documents: empty on the seed alone, non-empty on several plans
#: (tests/link/test_crossplan.py runs them there).
ACROSS_DOCUMENTS = {"objective-history", "other-bodies-sharing-a-partner", "results-per-status"}


@pytest.mark.parametrize("name", sorted(p.stem for p in (REPO / "queries").glob("*.rq")))
def test_example_query_runs_on_the_endpoint(live: Live, name: str) -> None:
    query = (REPO / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    client = SPARQLWrapper(live.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]  # type: ignore[index,call-overload]
    expected = live.store.query(query, use_default_graph_as_union=True)
    assert isinstance(expected, ox.QuerySolutions)
    assert len(rows) == len(list(expected))
    assert (len(rows) == 0) == (name in ACROSS_DOCUMENTS)
