"""The client matrix (issue 15, "What to build" 1 and 6, in part): real clients with their DEFAULT settings against
a started server (uvicorn on 127.0.0.1, over the real seed build, from each store of :mod:`backends`).

* **SPARQLWrapper**, as it comes (no ``setOnlyConneg``: it adds ``format=``, ``output=`` and ``results=`` with its
  own names to every request): every query form x every return format it offers x GET, POST form and POST
  directly; each answer in the format expected (the one asked for, else the form's default as Fuseki answers),
  converted by SPARQLWrapper and counted against the same query run in-process.
* **rdflib**: ``SPARQLStore`` with each ``returnFormat`` and method (CONSTRUCT asked with a results ``Accept`` gets
  Turtle, as from Fuseki), and ``Graph.parse`` of every kind of URL, with each format rdflib can be told.
* **A JSON-LD 1.0 processor** (pyld in ``json-ld-1.0`` mode): every kind of JSON-LD answer reads to the same
  triples as its N-Triples, the described resource first.
* **Comunica's source detection**: its ``Accept`` (RDF types, ``text/html;q=0.2``) on ``/sparql`` gets the
  service description, whose ``sd:endpoint`` is the URL asked, which then answers queries.

Each test fails without its fix (see the README, "HTTP interface").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.dom.minidom import Document

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from pyld import jsonld
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.Wrapper import QueryResult

from backends import BACKENDS, Served, served, store_virtuoso  # noqa: F401 (a fixture)
from conftest import build_into
from kg.settings import Settings
from kg.store.local import open_publication

#: rdflib's and SPARQLWrapper's own deprecation notes (ConjunctiveGraph) on every graph they parse
pytestmark = [pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")]

BASE = "https://kg.example.org"
PRODUCT = f"{BASE}/id/product/pv22-2016-2-4"
GRAPH_KEY = "pv22-2016-programma-2"
PREFIXES = "PREFIX pb: <https://kg.example.org/def/begroting#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
QUERIES = {
    "SELECT": PREFIXES + "SELECT ?r ?l WHERE { ?r a pb:Resultaat ; skos:prefLabel ?l }",
    "ASK": PREFIXES + "ASK { ?d a pb:Doelstelling }",
    "CONSTRUCT": PREFIXES + "CONSTRUCT { ?r skos:prefLabel ?l } WHERE { ?r a pb:Resultaat ; skos:prefLabel ?l }",
    "DESCRIBE": f"DESCRIBE <{PRODUCT}>",
}
#: What Comunica (3.x/4.x) sends when it dereferences a source to find out what it is.
COMUNICA_ACCEPT = (
    "application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,application/n-triples;q=0.8,"
    "text/turtle;q=0.6,application/rdf+xml;q=0.5,text/n3;q=0.35,application/xml;q=0.3,image/svg+xml;q=0.3,"
    "text/xml;q=0.3,text/html;q=0.2,application/xhtml+xml;q=0.18,application/json;q=0.135,text/shaclc;q=0.1,"
    "text/shaclc-ext;q=0.05"
)
SD = "http://www.w3.org/ns/sparql-service-description#"

def isomorphic(first: rdflib.Graph, second: rdflib.Graph) -> bool:
    """Whether two graphs are the same up to blank node labels (compared in RDFC-1.0 canonical form with pyoxigraph:
    rdflib's own comparison takes minutes on a plan's graph of 1,800 blank nodes)."""
    return canonical_form(first) == canonical_form(second)


def canonical_form(graph: rdflib.Graph) -> set[str]:
    """The triples of ``graph`` as N-Triples lines, blank nodes labelled by RDFC-1.0."""
    data = graph.serialize(format="nt", encoding="utf-8")
    dataset = ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad.triple) for quad in dataset}


JSON_RESULTS, XML_RESULTS = "application/sparql-results+json", "application/sparql-results+xml"
TURTLE_TYPE, RDF_XML_TYPE, JSON_LD_TYPE = "text/turtle", "application/rdf+xml", "application/ld+json"


@dataclass(frozen=True)
class Server:
    """A started server, the build's embedded store (for expected answers) and the backend serving it."""

    url: str
    store: ox.Store
    served: Served

    def ntriples(self, path: str) -> rdflib.Graph:
        """The graph ``path`` answers as N-Triples (redirects followed)."""
        response = httpx.get(self.url + path, headers={"Accept": "application/n-triples"}, follow_redirects=True)
        assert response.status_code == 200, response.text
        return rdflib.Graph().parse(data=response.content, format="nt")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The seed, built once for the module."""
    settings, _ = build_into(tmp_path_factory.mktemp("clients"))
    return settings


@pytest.fixture(scope="module", params=BACKENDS)
def server(built: Settings, request: pytest.FixtureRequest) -> Iterator[Server]:
    """The build served from each store in turn."""
    with served(built, request.param, request) as running:
        yield Server(running.url, open_publication(built.data_dir).store, running)


@pytest.fixture(scope="module")
def expected(server: Server) -> dict[str, int | bool]:
    """The size of each query's answer, run in-process on the build's store (rows, a boolean, distinct triples);
    DESCRIBE is the store's own choice (Virtuoso's differs), so it is read from the server's N-Triples answer."""
    sizes: dict[str, int | bool] = {}
    for form, query in QUERIES.items():
        result = server.store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            sizes[form] = bool(result)
        elif isinstance(result, ox.QuerySolutions):
            sizes[form] = len(list(result))
        else:
            sizes[form] = len(set(result))
    if server.served.backend != "embedded":
        response = httpx.get(server.url + "/sparql", params={"query": QUERIES["DESCRIBE"]},
                             headers={"Accept": "application/n-triples"})
        sizes["DESCRIBE"] = len(rdflib.Graph().parse(data=response.content, format="nt"))
    assert sizes["SELECT"] and sizes["ASK"] is True and sizes["CONSTRUCT"] and sizes["DESCRIBE"]
    return sizes


# --- SPARQLWrapper, default settings -------------------------------------------------------------------------

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
RETURN_FORMATS = (JSON, XML, TURTLE, N3, RDF, RDFXML, CSV, TSV, JSONLD)  # SPARQLWrapper's _allowedFormats
METHODS = ("GET", "POST form", "POST directly")


def answer_type(form: str, return_format: str) -> str:
    """The media type the answer must have: the one asked for where the query form has it, else the form's
    default (SPARQLWrapper then sends ``Accept: */*`` and a format name that names nothing of this form)."""
    if form in ("SELECT", "ASK"):
        return {XML: XML_RESULTS, CSV: "text/csv", TSV: "text/tab-separated-values"}.get(return_format, JSON_RESULTS)
    # for a graph Fuseki reads json as JSON-LD and xml as RDF/XML; SPARQLWrapper's rdf is RDF/XML, n3 Turtle
    return {XML: RDF_XML_TYPE, RDF: RDF_XML_TYPE, RDFXML: RDF_XML_TYPE, JSONLD: JSON_LD_TYPE,
            JSON: JSON_LD_TYPE}.get(return_format, TURTLE_TYPE)


def answer_size(result: QueryResult) -> int | bool:
    """The rows, boolean or triples of an answer, read from what SPARQLWrapper converts it to."""
    media_type = result.info()["content-type"].split(";")[0]
    converted: Any = result.convert()
    if media_type == JSON_RESULTS:
        return bool(converted["boolean"]) if "boolean" in converted else len(converted["results"]["bindings"])
    if media_type == XML_RESULTS:
        assert isinstance(converted, Document)
        booleans = converted.getElementsByTagName("boolean")
        if booleans:
            return bool(booleans[0].firstChild.data == "true")  # type: ignore[union-attr]
        return len(converted.getElementsByTagName("result"))
    if media_type in ("text/csv", "text/tab-separated-values"):
        text = converted.decode("utf-8")
        if text.strip() in ("true", "false"):
            return text.strip() == "true"
        rows = list(csv.reader(io.StringIO(text), delimiter="," if media_type == "text/csv" else "\t"))
        return len(rows) - 1
    if isinstance(converted, bytes):  # SPARQLWrapper hands Turtle over as it came
        converted = rdflib.Graph().parse(data=converted, format=media_type)
    assert isinstance(converted, rdflib.Graph), media_type
    return len(converted)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # SPARQLWrapper's own note on a format it has no Accept for
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("return_format", RETURN_FORMATS)
@pytest.mark.parametrize("form", FORMS)
def test_sparqlwrapper_with_default_settings(
    server: Server, expected: dict[str, int | bool], form: str, return_format: str, method: str
) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(QUERIES[form])
    client.setReturnFormat(return_format)
    if method != "GET":
        client.setMethod(POST)
    if method == "POST directly":
        client.setRequestMethod(POSTDIRECTLY)
    result = client.query()
    assert result.response.status == 200
    assert result.info()["content-type"].split(";")[0] == answer_type(form, return_format)
    assert answer_size(result) == expected[form]


@pytest.mark.parametrize(("parameter", "value", "form", "media_type"), [
    ("output", "json", "CONSTRUCT", JSON_LD_TYPE),  # Fuseki's names, under Fuseki's parameter
    ("output", "xml", "SELECT", XML_RESULTS),
    ("results", "tsv", "SELECT", "text/tab-separated-values"),
    ("format", "text/turtle", "DESCRIBE", TURTLE_TYPE),  # Virtuoso's: a media type
    ("format", "application/sparql-results+xml", "ASK", XML_RESULTS),
])
def test_fuseki_and_virtuoso_format_parameters(server: Server, parameter: str, value: str, form: str,
                                               media_type: str) -> None:
    response = httpx.get(server.url + "/sparql", params={"query": QUERIES[form], parameter: value},
                         headers={"Accept": "image/png"})
    assert (response.status_code, response.headers["content-type"]) == (200, media_type)


# --- rdflib ----------------------------------------------------------------------------------------------------

STORE_CALLS = [
    (form, return_format, method)
    for form in FORMS
    for return_format in ("xml", "json", "csv", "tsv")
    for method in ("GET", "POST", "POST_FORM")
    if not (form == "ASK" and return_format in ("csv", "tsv"))  # no boolean in SPARQL CSV/TSV (rdflib reads none)
]


@pytest.mark.parametrize(("form", "return_format", "method"), STORE_CALLS)
def test_rdflib_sparqlstore(server: Server, expected: dict[str, int | bool], form: str, return_format: str,
                            method: str) -> None:
    # CONSTRUCT and DESCRIBE with returnFormat json, csv or tsv send only a results type in Accept: Turtle comes back
    store = SPARQLStore(server.url + "/sparql", returnFormat=return_format, method=method)
    result = rdflib.Graph(store=store).query(QUERIES[form])
    if form == "ASK":
        assert result.askAnswer is expected[form]
    elif form == "SELECT":
        assert len(list(result)) == expected[form]
    else:
        assert result.graph is not None and len(result.graph) == expected[form]


PARSED_PATHS = [
    "/id/product/pv22-2016-2-4",  # 303 to /doc/
    "/doc/product/pv22-2016-2-4",
    f"/graph/{GRAPH_KEY}",
    "/catalog",
    "/.well-known/void",
    "/def/begroting",
    "/def/realisatiestatus",
    "/shapes/begroting",
    "/def/begroting/shapes",  # 303 to /shapes/
    "/sparql",  # the service description
]


@pytest.mark.parametrize("rdflib_format", [None, "xml", "n3", "turtle", "nt", "json-ld"])
@pytest.mark.parametrize("path", PARSED_PATHS)
def test_rdflib_graph_parse_of_every_kind_of_url(server: Server, path: str, rdflib_format: str | None) -> None:
    # rdflib's Accept for format="nt" is text/plain (N-Triples before RDF 1.1), for "n3" text/n3 (answered as Turtle)
    parsed = rdflib.Graph().parse(server.url + path, format=rdflib_format)
    assert len(parsed) > 0
    assert isomorphic(parsed, server.ntriples(path))


def test_rdflib_parses_the_dumps(server: Server) -> None:
    trig = rdflib.Dataset().parse(server.url + "/dumps/kg.trig")
    quads = httpx.get(server.url + "/dumps/kg.nq").text.splitlines()
    assert len(list(trig.quads())) == len([line for line in quads if line.strip()])


# --- JSON-LD 1.0 ---------------------------------------------------------------------------------------------

#: The kinds of JSON-LD answer, and the class (or IRI) of the resource that must come first.
JSONLD_ANSWERS = [
    ("/doc/product/pv22-2016-2-4", PRODUCT),
    (f"/graph/{GRAPH_KEY}", "http://www.w3.org/2004/02/skos/core#ConceptScheme"),
    ("/catalog", "http://www.w3.org/ns/dcat#Catalog"),
    ("/.well-known/void", "http://rdfs.org/ns/void#DatasetDescription"),
    ("/def/begroting", "http://www.w3.org/2002/07/owl#Ontology"),
    ("/def/realisatiestatus", "http://www.w3.org/2004/02/skos/core#ConceptScheme"),
    ("/shapes/begroting", "http://www.w3.org/2002/07/owl#Ontology"),
    ("/sparql", SD + "Service"),
]


def no_remote_documents(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld's document loader: nothing may be fetched, the context is embedded."""
    raise AssertionError(f"the processor tried to fetch {url}")


def to_triples(document: dict[str, Any]) -> rdflib.Graph:
    """``document`` read by a JSON-LD 1.0 processor (pyld, processing mode json-ld-1.0), as a graph."""
    options = {"processingMode": "json-ld-1.0", "format": "application/n-quads", "documentLoader": no_remote_documents}
    return rdflib.Graph().parse(data=jsonld.to_rdf(document, options), format="nt")


@pytest.mark.parametrize(("path", "first"), JSONLD_ANSWERS)
def test_jsonld_answers_read_by_a_jsonld_1_0_processor_with_the_resource_first(server: Server, path: str,
                                                                              first: str) -> None:
    response = httpx.get(server.url + path, headers={"Accept": JSON_LD_TYPE})
    assert (response.status_code, response.headers["content-type"]) == (200, JSON_LD_TYPE)
    document = json.loads(response.content)
    assert "@version" not in document["@context"]
    assert isomorphic(to_triples(document), server.ntriples(path))
    expanded = jsonld.expand(document, {"processingMode": "json-ld-1.0", "documentLoader": no_remote_documents})
    top = jsonld.expand({"@context": document["@context"], **document["@graph"][0]},
                        {"processingMode": "json-ld-1.0", "documentLoader": no_remote_documents})[0]
    assert first in (top.get("@id"), *top.get("@type", [])), (first, top.get("@id"), top.get("@type"))
    assert expanded


def test_jsonld_query_answers_and_the_context_document_read_in_1_0_mode(server: Server) -> None:
    answer = httpx.get(server.url + "/sparql", params={"query": QUERIES["CONSTRUCT"]}, headers={"Accept": JSON_LD_TYPE})
    assert len(to_triples(answer.json())) == len(rdflib.Graph().parse(data=answer.content, format="json-ld"))
    context_document = httpx.get(server.url + "/context.jsonld").json()
    assert "@version" not in context_document["@context"]
    example = {"@context": context_document["@context"], "id": PRODUCT, "type": "Product", "programma": "x:y"}
    assert len(to_triples(example)) == 2


# --- Comunica's source detection -------------------------------------------------------------------------------


def test_comunica_detects_the_endpoint_from_the_service_description(server: Server) -> None:
    response = httpx.get(server.url + "/sparql", headers={"Accept": COMUNICA_ACCEPT})
    assert (response.status_code, response.headers["content-type"]) == (200, "application/n-quads")
    description = rdflib.Dataset().parse(data=response.content, format="nquads")
    endpoints = {str(o) for _, _, o, _ in description.quads((None, rdflib.URIRef(SD + "endpoint"), None, None))}
    assert endpoints == {server.url + "/sparql"}  # the URL it was read from, not the configured base
    (endpoint,) = endpoints
    answer = httpx.post(endpoint, data={"query": QUERIES["ASK"]}, headers={"Accept": JSON_RESULTS})
    assert answer.json()["boolean"] is True


@pytest.mark.parametrize(("accept", "params", "page"), [
    ("text/turtle, text/html;q=0.2", {}, False),
    ("application/ld+json;q=0.9, text/html;q=0.5", {}, False),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", {}, True),  # a browser
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", {"format": "ttl"}, False),
    ("text/turtle", {"format": "html"}, True),
    ("*/*", {}, False),
])
def test_the_query_page_only_for_clients_that_prefer_html(server: Server, accept: str, params: dict[str, str],
                                                          page: bool) -> None:
    response = httpx.get(server.url + "/sparql", params=params, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html") is page


def test_the_query_pages_service_description_link_leads_to_the_description(server: Server) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = httpx.get(server.url + "/sparql", headers={"Accept": browser}).text
    assert 'href="/sparql?format=ttl"' in page
    linked = httpx.get(server.url + "/sparql?format=ttl", headers={"Accept": browser})
    assert linked.headers["content-type"] == TURTLE_TYPE
    assert SD + "endpoint" in str(rdflib.Graph().parse(data=linked.content, format="turtle").serialize(format="nt"))


def test_sd_endpoint_takes_the_host_asked_and_nothing_else_does(server: Server) -> None:
    asked = httpx.get(server.url + "/sparql", headers={"Accept": "application/n-triples", "Host": "data.example:8080"})
    assert "<http://data.example:8080/sparql>" in asked.text
    tag = asked.headers["etag"]
    plain = httpx.get(server.url + "/sparql", headers={"Accept": "application/n-triples"})
    assert plain.headers["etag"] != tag  # its tag is computed from its bytes
    # a Host that is no host[:port] is never written: the configured endpoint is named instead
    hostile = httpx.get(server.url + "/sparql", headers={"Accept": "application/n-triples", "Host": "x> <y"})
    assert hostile.status_code in (200, 400)
    if hostile.status_code == 200:
        assert "<x>" not in hostile.text and f"<{BASE}/sparql>" in hostile.text
    # pages, the catalog and the landing page never name the host they were asked at
    for path in ("/", "/catalog", "/doc/product/pv22-2016-2-4", "/.well-known/void"):
        body = httpx.get(server.url + path, headers={"Host": "data.example:8080"}).text
        assert "data.example" not in body, path


@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/xml", RDF_XML_TYPE),
    ("application/json", JSON_LD_TYPE),
    ("text/n3", TURTLE_TYPE),
])
@pytest.mark.parametrize("path", ["/doc/product/pv22-2016-2-4", "/catalog", f"/graph/{GRAPH_KEY}", "/sparql"])
def test_generic_media_types_on_pages_as_peers_map_them(server: Server, path: str, accept: str,
                                                        media_type: str) -> None:
    response = httpx.get(server.url + path, headers={"Accept": accept})
    assert (response.status_code, response.headers["content-type"]) == (200, media_type)
    parsed = rdflib.Graph().parse(data=response.content, format=media_type)
    assert isomorphic(parsed, server.ntriples(path))
