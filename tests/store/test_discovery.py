"""Discovery on a real server over the real seed build: DCAT-AP-NL catalog (validated with the official
shapes), VoID (its counts checked on the endpoint), the service description, the vocabularies and shapes,
the JSON-LD context, the query page, and the build's progress output."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate
from rdflib import RDF, SH, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, VOID
from SPARQLWrapper import CSV, JSON, JSONLD, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from typer.testing import CliRunner

from backends import serving
from conftest import REPO, build_into, copy_seeds
from helpers import BROWSER, dcat_ap_nl_shapes
from kg.build.pipeline import BuildResult
from kg.build.progress import Stages
from kg.cli import app as cli
from kg.rdf.vocabularies import anchor_terms
from kg.settings import Settings
from kg.store.local import open_publication
from kg.store.statistics import Statistics
from kg.web import create_app
from kg.web.http.jsonld import CONTEXT_FILE, CONTEXT_VERSION, context

BASE = "https://kg.example.org"
GRAPH = f"{BASE}/graph/pv22-2016-programma-2"
PB = "https://kg.example.org/def/begroting#"
TOOI_DRENTHE = "https://identifier.overheid.nl/tooi/id/provincie/pv22"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")


@dataclass(frozen=True)
class Served:
    """A server over a fresh build of the seeds: its URL, settings, build result and store."""

    url: str
    settings: Settings
    result: BuildResult
    store: ox.Store

    def get(self, path: str, accept: str | None = None, **params: str) -> httpx.Response:
        """GET ``path``, with ``Accept`` when given (else none at all, as a harvester sends)."""
        headers = {"Accept": accept} if accept is not None else {}
        with httpx.Client() as client:
            request = client.build_request("GET", self.url + path, params=params, headers=headers)
            if accept is None:
                del request.headers["Accept"]
            return client.send(request)

    def graph(self, path: str, accept: str = "text/turtle") -> rdflib.Graph:
        """GET ``path`` as ``accept`` and parse it."""
        response = self.get(path, accept)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == accept
        return rdflib.Graph().parse(data=response.content, format=accept)

    def count(self, query: str) -> int:
        """The single integer a SELECT query answers on the endpoint, read with SPARQLWrapper."""
        client = SPARQLWrapper(self.url + "/sparql")
        client.setQuery(query)
        client.setReturnFormat(JSON)
        results = client.queryAndConvert()
        assert isinstance(results, dict)
        (row,) = results["results"]["bindings"]
        return int(next(iter(row.values()))["value"])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    settings, result = build_into(tmp_path_factory.mktemp("discovery"))
    publication = open_publication(settings.data_dir)
    with serving(create_app(settings, publication)) as url:
        yield Served(url, settings, result, publication.store)




def shacl_results(data: rdflib.Graph) -> tuple[bool, list[tuple[str, str]]]:
    """Validate ``data`` against DCAT-AP-NL: (conforms, [(focus node, result path)])."""
    conforms, report, _text = validate(data, shacl_graph=dcat_ap_nl_shapes(), inference="none")
    results = [(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))
               for r in report.subjects(RDF.type, SH.ValidationResult)]
    return bool(conforms), results


# --- DCAT-AP-NL catalog ------------------------------------------------------------------------------------


def test_catalog_conforms_to_dcat_ap_nl_and_fails_without_a_dataset_title(served: Served) -> None:
    catalog = served.graph("/catalog")
    assert shacl_results(catalog) == (True, [])

    whole = URIRef(f"{BASE}/catalog#kg")
    catalog.remove((whole, DCTERMS.title, None))
    assert shacl_results(catalog) == (False, [(str(whole), str(DCTERMS.title))])


def test_catalog_answers_harvesters_head_and_no_accept_with_turtle(served: Served) -> None:
    with httpx.Client() as client:
        request = client.build_request("HEAD", served.url + "/catalog")
        del request.headers["Accept"]
        head = client.send(request)
    assert (head.status_code, head.headers["content-type"], head.content) == (200, "text/turtle", b"")
    for accept in (None, "*/*"):
        response = served.get("/catalog", accept)
        assert (response.status_code, response.headers["content-type"]) == (200, "text/turtle")
        assert response.headers["etag"] == head.headers["etag"]
    assert served.get("/catalog", "image/png").status_code == 406


@pytest.mark.parametrize(("media_type"), ["application/rdf+xml", "application/ld+json", "application/n-triples"])
def test_catalog_negotiates_rdf_formats_with_the_same_triples(served: Served, media_type: str) -> None:
    assert isomorphic(served.graph("/catalog", media_type), served.graph("/catalog"))


def test_catalog_describes_datasets_dumps_and_the_endpoint_from_the_build(served: Served) -> None:
    g = served.graph("/catalog")
    catalog, whole, service = (URIRef(f"{BASE}/catalog#{name}") for name in ("catalog", "kg", "sparql"))
    plan = URIRef(GRAPH)
    assert set(g.objects(catalog, DCAT.dataset)) == {whole, plan}
    assert g.value(plan, DCTERMS.title) == Literal("Begroting 2016 provincie Drenthe, Programma 2 Regionale economie",
                                                  lang="nl")
    for dataset in (whole, plan):
        assert g.value(dataset, DCTERMS.publisher) == URIRef(TOOI_DRENTHE)
        assert g.value(dataset, DCTERMS.accessRights) == URIRef(
            "http://publications.europa.eu/resource/authority/access-right/PUBLIC")
        assert set(g.objects(dataset, DCAT.theme)) == {
            URIRef(f"http://publications.europa.eu/resource/authority/data-theme/{code}") for code in ("GOVE", "ECON")}
        assert g.value(dataset, DCTERMS.modified) == Literal(served.result.report["built_at"],
                                                             datatype=rdflib.XSD.dateTime)
    assert g.value(URIRef(TOOI_DRENTHE), FOAF.name) == Literal("provincie Drenthe", lang="nl")
    assert g.value(plan, DCTERMS.creator) == URIRef(TOOI_DRENTHE)
    period = g.value(plan, DCTERMS.temporal)
    assert (str(g.value(period, DCAT.startDate)), str(g.value(period, DCAT.endDate))) == ("2016-01-01", "2016-12-31")

    downloads = {str(g.value(d, DCAT.downloadURL)): d for d in g.objects(whole, DCAT.distribution)
                 if g.value(d, DCAT.downloadURL) is not None}
    assert sorted(downloads) == [f"{BASE}/dumps/kg.nq", f"{BASE}/dumps/kg.trig"]
    for url, distribution in downloads.items():
        dump = served.get(url.removeprefix(BASE))
        assert g.value(distribution, DCAT.byteSize) == Literal(len(dump.content),
                                                               datatype=rdflib.XSD.nonNegativeInteger)
        checksum = g.value(distribution, SPDX.checksum)
        assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(dump.content).hexdigest()
        media_type = dump.headers["content-type"]
        assert g.value(distribution, DCAT.mediaType) == URIRef(f"http://www.iana.org/assignments/media-types/{media_type}")
        assert g.value(distribution, DCTERMS.license) == URIRef(CC0)

    assert g.value(service, DCAT.endpointURL) == URIRef(f"{BASE}/sparql")
    assert g.value(service, DCAT.endpointDescription) == URIRef(f"{BASE}/sparql")
    assert set(g.objects(service, DCAT.servesDataset)) == {whole, plan}


def test_landing_page_links_the_catalog_and_void(served: Served) -> None:
    page = served.get("/", BROWSER).text
    assert '<a href="/catalog">' in page and '<a href="/.well-known/void">' in page


# --- VoID --------------------------------------------------------------------------------------------------


def test_void_counts_equal_the_endpoints_counts(served: Served) -> None:
    g = served.graph("/.well-known/void")
    whole = g.value(URIRef(f"{BASE}/.well-known/void"), FOAF.primaryTopic)
    assert whole == URIRef(f"{BASE}/catalog#kg")
    assert int(g.value(whole, VOID.triples)) == served.count("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert int(g.value(whole, VOID.triples)) == len(served.store)
    (subset,) = (s for s in g.objects(whole, VOID.subset) if "/graph/koppelingen/" not in s)  # the linksets too
    assert subset == URIRef(GRAPH)
    in_graph = served.count(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert int(g.value(subset, VOID.triples)) == in_graph
    assert int(g.value(subset, VOID.triples)) == served.result.report["documents"][0]["triples"]
    for partition in g.objects(subset, VOID.classPartition):
        cls = g.value(partition, VOID["class"])
        expected = served.count(f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ GRAPH <{GRAPH}> {{ ?s a <{cls}> }} }}")
        assert int(g.value(partition, VOID.entities)) == expected, cls
    for partition in g.objects(whole, VOID.propertyPartition):
        prop = g.value(partition, VOID.property)
        assert int(g.value(partition, VOID.triples)) == served.count(f"SELECT (COUNT(*) AS ?n) {{ ?s <{prop}> ?o }}")
    doelstelling = next(p for p in g.objects(subset, VOID.classPartition)
                        if g.value(p, VOID["class"]) == URIRef("https://kg.example.org/def/begroting#Doelstelling"))
    assert int(g.value(doelstelling, VOID.entities)) == 15


def test_void_names_endpoint_dumps_uri_space_vocabularies_and_examples(served: Served) -> None:
    g = served.graph("/.well-known/void")
    whole = URIRef(f"{BASE}/catalog#kg")
    assert g.value(whole, VOID.sparqlEndpoint) == URIRef(f"{BASE}/sparql")
    assert set(g.objects(whole, VOID.dataDump)) == {URIRef(f"{BASE}/dumps/kg.trig"), URIRef(f"{BASE}/dumps/kg.nq")}
    assert g.value(whole, VOID.uriSpace) == Literal(f"{BASE}/id/")
    assert URIRef("https://kg.example.org/def/begroting#") in set(g.objects(whole, VOID.vocabulary))
    assert list(g.objects(URIRef(GRAPH), VOID.exampleResource)) == [URIRef(f"{BASE}/id/begroting/pv22-2016")]
    assert g.value(URIRef(GRAPH), DCTERMS.source) == URIRef(f"{BASE}/id/brondocument/pv22-2016-programma-2")
    catalog = served.graph("/catalog")
    assert URIRef(f"{BASE}/.well-known/void") in set(catalog.objects(whole, rdflib.RDFS.seeAlso))


def test_statistics_round_trip_through_json(served: Served) -> None:
    path = served.result.root / "discovery" / "statistics.json"
    statistics = Statistics.from_json(path.read_text(encoding="utf-8"))
    assert Statistics.from_json(statistics.to_json()) == statistics
    assert statistics.graphs[GRAPH] == served.result.report["documents"][0]["triples"]
    with pytest.raises(ValueError, match="not a statistics document"):
        Statistics.from_json('{"whole": {}}')


# --- Service description -----------------------------------------------------------------------------------


def test_service_description_is_answered_without_a_query_and_read_by_rdflib(served: Served) -> None:
    for accept in (None, "*/*", "text/turtle"):
        response = served.get("/sparql", accept)
        assert (response.status_code, response.headers["content-type"]) == (200, "text/turtle"), accept
    g = rdflib.Graph().parse(served.url + "/sparql")  # rdflib's own Accept header
    (service,) = g.subjects(RDF.type, SD.Service)
    assert g.value(service, SD.endpoint) == URIRef(f"{served.url}/sparql")  # where it was read (issue 15)
    assert set(g.objects(service, SD.feature)) == {SD.UnionDefaultGraph}
    assert {str(f) for f in g.objects(service, SD.resultFormat)} == {
        f"http://www.w3.org/ns/formats/{name}" for name in (
            "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads", "SPARQL_Results_JSON",
            "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV")}
    dataset = g.value(service, SD.defaultDataset)
    assert int(g.value(g.value(dataset, SD.defaultGraph), VOID.triples)) == len(served.store)
    sizes = {str(g.value(n, SD.name)): int(g.value(g.value(n, SD.graph), VOID.triples))
             for n in g.objects(dataset, SD.namedGraph)}
    expected = {graph.value: len(list(served.store.quads_for_pattern(None, None, None, graph)))
                for graph in served.store.named_graphs() if isinstance(graph, ox.NamedNode)}
    assert sizes == expected and GRAPH in sizes
    assert isomorphic(served.graph("/sparql", "application/rdf+xml"), g)


@pytest.mark.parametrize(("return_format", "query"), [
    (JSON, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),
    (XML, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),
    (CSV, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),
    (TSV, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),
    (TURTLE, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3"),
    (RDFXML, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3"),
    (JSONLD, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3"),
])
def test_sparqlwrapper_gets_each_format_the_service_description_names(
    served: Served, return_format: str, query: str
) -> None:
    names = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
             "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "rdf+xml": "RDF_XML", "json-ld": "JSON-LD"}
    described = rdflib.Graph().parse(data=served.get("/sparql", "text/turtle").content, format="turtle")
    assert URIRef("http://www.w3.org/ns/formats/" + names[return_format]) in set(described.objects(None,
                                                                                                   SD.resultFormat))
    client = SPARQLWrapper(served.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(return_format)
    result = client.query()
    assert result.response.status == 200
    assert result.convert()


def test_no_query_post_and_results_only_accept_are_400(served: Served) -> None:
    assert httpx.post(served.url + "/sparql", data={"default-graph-uri": GRAPH}).status_code == 400
    assert served.get("/sparql", "application/sparql-results+json").status_code == 400


# --- Vocabularies, shapes, JSON-LD context ------------------------------------------------------------------


def test_ontology_is_served_as_written_and_as_a_pylode_page(served: Served) -> None:
    turtle = served.get("/def/begroting", "text/turtle")
    assert turtle.content == (REPO / "ontology" / "begroting.ttl").read_bytes()
    assert served.get("/def/begroting").headers["content-type"] == "text/turtle"
    page = served.get("/def/begroting", BROWSER)
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert 'id="pylode"' in page.text
    for term in ("Doelstelling", "doelstelling", "Programma", "programma", "beginRegel"):
        assert f'id="{term}"' in page.text and f'href="#{term}"' in page.text, term
    written = rdflib.Graph().parse(REPO / "ontology" / "begroting.ttl")
    for media_type in ("application/ld+json", "application/rdf+xml", "application/n-triples"):
        assert isomorphic(served.graph("/def/begroting", media_type), written), media_type


def test_concept_scheme_and_shapes_pages(served: Served) -> None:
    page = served.get("/def/realisatiestatus", BROWSER).text
    for concept in ("gepland", "gerealiseerd", "deels-gerealiseerd", "niet-gerealiseerd"):
        assert f'<section id="{concept}">' in page
    assert "<h1>Realisatiestatus</h1>" in page
    shapes = served.get("/shapes/begroting", "text/turtle")
    assert shapes.content == (REPO / "shapes" / "begroting.ttl").read_bytes()
    assert "<h1>SHACL-shapes voor de begrotingsontologie</h1>" in served.get("/shapes/begroting", BROWSER).text
    redirect = httpx.get(served.url + "/def/begroting/shapes")
    assert (redirect.status_code, redirect.headers["location"]) == (303, "/shapes/begroting")
    for path in ("/def/nothing", "/shapes/nothing", "/def/nothing/shapes", "/def/..%2Fstore"):
        assert served.get(path, "text/turtle").status_code == 404, path


def test_jsonld_context_is_versioned_like_the_ontology(served: Served) -> None:
    current = served.get("/context.jsonld")
    assert current.headers["content-type"] == "application/ld+json"
    assert current.content == CONTEXT_FILE.read_bytes()
    assert served.get(f"/context/{CONTEXT_VERSION}.jsonld").content == current.content
    assert served.get("/context/9.9.9.jsonld").status_code == 404
    ontology = rdflib.Graph().parse(REPO / "ontology" / "begroting.ttl")
    assert str(ontology.value(URIRef("https://kg.example.org/def/begroting"), OWL.versionInfo)) == CONTEXT_VERSION


def test_resource_jsonld_uses_the_context_and_parses_back_to_the_same_triples(served: Served) -> None:
    path = "/doc/product/pv22-2016-2-4"
    response = served.get(path, "application/ld+json")
    assert response.headers["content-type"] == "application/ld+json"
    document = json.loads(response.content)
    assert document["@context"] == context()
    nodes = {node["id"]: node for node in document["@graph"]}
    product = nodes[f"{BASE}/id/product/pv22-2016-2-4"]
    assert sorted(product["type"]) == ["Concept", "Product"]
    assert product["programma"] == f"{BASE}/id/programma/pv22-2016-2"
    assert product["notation"] == "2.4"
    assert product["prefLabel"] == {"@language": "nl", "@value": "Breedband"}
    line = served.store.query(f"SELECT ?l {{ <{BASE}/id/product/pv22-2016-2-4> <{PB}beginRegel> ?l }}",
                              use_default_graph_as_union=True)
    assert isinstance(line, ox.QuerySolutions)
    assert product["beginRegel"] == next(iter(line))["l"].value
    parsed = rdflib.Graph().parse(data=response.content, format="json-ld")
    assert isomorphic(parsed, served.graph(path, "application/n-triples"))


# --- Query UI ------------------------------------------------------------------------------------------------


def test_query_page_offers_every_example_as_a_titled_tab_from_the_package(served: Served) -> None:
    page = served.get("/sparql", BROWSER)
    assert page.headers["content-type"].startswith("text/html")
    start = page.text.index('<script id="kg-examples" type="application/json">') + 49
    examples = json.loads(page.text[start : page.text.index("</script>", start)])
    queries = sorted((REPO / "queries").glob("*.rq"))
    assert [e["name"] for e in examples] == [q.stem for q in queries]
    assert [e["title"] for e in examples] == [
        q.read_text(encoding="utf-8").splitlines()[0].removeprefix("# title: ") for q in queries]
    for asset in ("/static/yasgui/yasgui.min.js", "/static/yasgui/yasgui.min.css", "/static/sparql-ui.js"):
        assert f'"{asset}"' in page.text
        assert served.get(asset).status_code == 200, asset
    assert "<textarea" in page.text  # the form without JavaScript
    cors = httpx.get(served.url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert cors.headers["access-control-allow-origin"] == "*"


# --- Build progress and pyLODE anchors ------------------------------------------------------------------------


def test_kg_build_shows_each_stage_and_a_summary_table(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--data-dir", str(tmp_path / "data"), "--seeds-dir", str(seeds)])
    assert result.exit_code == 0, result.output
    assert "15 doelstelling, 63 resultaat" in result.output
    for line in ("read: 1 document(s), 104 nodes", "build summary", "stage read", "stage assemble", "stage store",
                 "stage discover", "2 datasets, 4 distributions, 1 subsets, 9 vocabularies",
                 "conforms: 0 violations", "107 node, 15 header, 0 skipped"):
        assert line in result.output, line


def test_stages_time_each_stage_and_tell_the_listener() -> None:
    events: list[tuple[str, ...]] = []

    class Listener:
        def started(self, stage: str, total: int | None) -> None:
            events.append(("started", stage, str(total)))

        def advanced(self, stage: str, detail: str) -> None:
            events.append(("advanced", stage, detail))

        def finished(self, stage: str, summary: str, seconds: float) -> None:
            events.append(("finished", stage, summary))

    stages = Stages(Listener())
    stages.begin("read", 2)
    stages.advance("a.txt")
    stages.begin("store")
    stages.end("done")
    assert events == [("started", "read", "2"), ("advanced", "read", "a.txt"), ("finished", "read", ""),
                      ("started", "store", "None"), ("finished", "store", "done")]
    assert [(t.name, t.summary) for t in stages.timings] == [("read", ""), ("store", "done")]
    with pytest.raises(RuntimeError, match="no build stage is running"):
        stages.end()


def test_anchor_terms_renames_label_ids_to_local_names_unless_taken() -> None:
    html = '<a href="#programma">x</a><div id="programma"></div><div id="programma1"></div><div id="toc"></div>'
    fids = {"https://x/o#Programma": "programma", "https://x/o#programma": "programma1", "https://x/o#toc": "t"}
    assert anchor_terms(html, fids, "https://x/o#") == (
        '<a href="#Programma">x</a><div id="Programma"></div><div id="programma"></div><div id="toc"></div>'
    )


def test_dataset_identifiers_in_the_catalog_dereference_to_their_graphs(served: Served) -> None:
    (doc,) = served.result.report["documents"]
    catalog = rdflib.Graph().parse(data=served.get("/catalog", "text/turtle").text, format="turtle")
    datasets = {str(d) for d in catalog.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset"))}
    assert doc["graph"] in datasets
    path = doc["graph"].removeprefix(served.settings.base)
    turtle = served.get(path, "text/turtle")
    assert turtle.headers["content-type"] == "text/turtle"
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) == doc["triples"]
    page = served.get(path, "text/html")
    assert (page.status_code, "Clusterorganisatie Greenlincs is actief" in page.text) == (200, True)
    assert served.get("/graph/no-such-graph", "text/turtle").status_code == 404
    regions = served.get("/graph/referentie/gebieden", "application/n-triples")
    assert (regions.status_code, regions.headers["content-type"]) == (200, "application/n-triples")
    emmen = '<https://kg.example.org/id/gebied/gm0114> <http://purl.org/dc/terms/identifier> "GM0114" .'
    assert emmen in regions.text
