"""The W3C SPARQL 1.1 Protocol test suite, replayed against the real server.

The suite (``tests/data/w3c-sparql11-protocol/``, a verbatim copy of the W3C rdf-tests protocol manifest
and data) is read with rdflib: the graphs its tests name (``ut:graphData``) are loaded into a published test
store under the graph names it gives, the real server is started over that store, and every request of
every test is replayed with the suite's ``/sparql/`` mapped to our ``/sparql/``. Each response is checked
for its status class, result format (boolean, tabular or RDF, by media type and by parsing the body) and
boolean value. The suite runs against both stores (:mod:`backends`): the embedded one, and a Virtuoso the
graphs were published to, which the server reads over the SPARQL 1.1 Protocol. The module prints how many of
the suite's tests passed on each.

The endpoint is read-only, so a SPARQL Update (the ``update_*`` tests, which expect 2xx) is answered
``403 Forbidden``: that exact status is asserted here, and the test's follow-up ASK is asserted to answer
``false`` (nothing was written). The ``bad_update_*`` tests get the 4xx the suite asks for (403 for a
well-formed update request, 415 for a body of another media type).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDFS, Namespace

from backends import BACKENDS, served, store_virtuoso  # noqa: F401 (a fixture)
from kg.settings import Settings
from kg.store.local import publish

SUITE = Path(__file__).resolve().parents[1] / "data" / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SUITE_PATH, OUR_PATH = "/sparql/", "/sparql/"
#: The status this endpoint answers every SPARQL Update with (read-only; SPARQL 1.1 Protocol, 2.2).
UPDATE_STATUS = 403

BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class Exchange:
    """One request of a test and the response the suite expects."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    status_classes: frozenset[int]
    result_format: str | None
    boolean: bool | None

    @property
    def is_update(self) -> bool:
        """True for a SPARQL Update request (by media type, form field or URL parameter)."""
        content_type = self.headers.get("content-type", "")
        return (
            content_type.startswith("application/sparql-update")
            or (content_type == "application/x-www-form-urlencoded" and (self.body or b"").startswith(b"update="))
            or "?update=" in self.path
        )


@dataclass
class Case:
    """One test of the manifest."""

    name: str
    exchanges: list[Exchange] = field(default_factory=list)


def read_manifest() -> tuple[list[Case], dict[str, Path]]:
    """The suite's tests in manifest order, and the graphs they load: graph name -> data file."""
    manifest = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=(SUITE / "manifest.ttl").as_uri())
    root = next(manifest.subjects(MF.entries, None))
    graphs: dict[str, Path] = {}
    cases: list[Case] = []
    for entry in Collection(manifest, manifest.value(root, MF.entries)):
        for data in manifest.objects(entry, UT.graphData):
            graphs[str(manifest.value(data, RDFS.label))] = Path(str(manifest.value(data, UT.graph)).removeprefix("file://"))
        case = Case(name=str(entry).rsplit("#", 1)[-1])
        action = manifest.value(entry, MF.action)
        for request in Collection(manifest, manifest.value(action, HT.requests)):
            case.exchanges.append(_exchange(manifest, request))
        cases.append(case)
    return cases, graphs


def _exchange(manifest: rdflib.Graph, request: rdflib.term.Node) -> Exchange:
    """The request ``request`` of the manifest and its expected response."""
    headers = {
        str(manifest.value(h, HT.fieldName)).lower(): str(manifest.value(h, HT.fieldValue))
        for h in Collection(manifest, manifest.value(request, HT.headers) or rdflib.RDF.nil)
    }
    body_node = manifest.value(request, HT.body)
    body = None
    if body_node is not None:
        encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(manifest.value(body_node, CNT.chars)).encode(encoding)
    response = manifest.value(request, HT.resp)
    statuses = manifest.objects(response, MF.expectedStatus)
    classes = frozenset(int(str(status).rsplit("StatusCode", 1)[1][0]) for status in statuses)
    boolean = manifest.value(response, MF.expectedBoolean)
    path = str(manifest.value(request, HT.absolutePath))
    assert path.startswith(SUITE_PATH), path
    return Exchange(
        method=str(manifest.value(request, HT.methodName)),
        path=OUR_PATH + path[len(SUITE_PATH) :],
        headers=headers,
        body=body,
        status_classes=classes,
        result_format=str(manifest.value(response, MF.expectedFormat) or "") or None,
        boolean=None if boolean is None else bool(boolean.toPython()),
    )


CASES, GRAPHS = read_manifest()
#: (backend, test name) -> passed.
PASSED: dict[tuple[str, str], bool] = {}


@dataclass(frozen=True)
class Endpoint:
    """The server the suite is replayed against, and the store it reads (see :data:`backends.BACKENDS`)."""

    url: str
    backend: str


@pytest.fixture(scope="module", params=BACKENDS)
def endpoint(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config, request: pytest.FixtureRequest
) -> Iterator[Endpoint]:
    """The real server over a store holding the suite's graphs under their names, from each store in turn;
    prints the pass count when it is done with a store."""
    folder = tmp_path_factory.mktemp("w3c")
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
        for name, path in GRAPHS.items()
        for t in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    ]
    settings = Settings(data_dir=folder / "data", queries_dir=folder)
    publish(quads, [], {}, settings.data_dir)
    with served(settings, request.param, request) as server:
        yield Endpoint(server.url, request.param)
    passed = sum(ok for (backend, _), ok in PASSED.items() if backend == request.param)
    summary = f"W3C SPARQL 1.1 Protocol suite, {request.param} store: {passed} of {len(CASES)} tests passed"
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("\n" + summary)


def test_the_suite_is_read_whole() -> None:
    assert len(CASES) == 34
    assert sum(case.name.startswith("bad_") for case in CASES) == 14
    assert set(GRAPHS) == {f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_protocol(endpoint: Endpoint, case: Case) -> None:
    PASSED[endpoint.backend, case.name] = False
    updated = False
    for exchange in case.exchanges:
        response = httpx.request(
            exchange.method, endpoint.url + exchange.path, headers=exchange.headers, content=exchange.body, timeout=30
        )
        if exchange.is_update:
            assert response.status_code == UPDATE_STATUS, response.text
            assert "read-only" in response.text
            updated = True
            if not case.name.startswith("bad_"):
                continue  # the suite expects an update service's 2xx here
        assert response.status_code // 100 in exchange.status_classes, (response.status_code, response.text)
        if exchange.result_format is not None:
            value = check_format(response, exchange.result_format)
            if exchange.boolean is not None:
                assert value == (exchange.boolean and not updated), "an update was refused, so nothing is there"
    PASSED[endpoint.backend, case.name] = True


def check_format(response: httpx.Response, expected: str) -> bool | None:
    """Assert that ``response`` is a well-formed result of the ``expected`` kind; return its boolean."""
    media_type = response.headers["content-type"].split(";")[0].strip()
    if expected == "RDF":
        assert media_type in RDF_TYPES, media_type
        rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media_type])
        return None
    assert media_type in (BOOLEAN_TYPES if expected == "boolean" else TABULAR_TYPES), media_type
    if media_type.endswith("+json"):
        document = json.loads(response.content)
        return document["boolean"] if expected == "boolean" else bool(document["results"]["bindings"] is not None)
    if media_type.endswith("+xml"):
        root = ET.fromstring(response.content)
        found = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
        return found is not None and found.text == "true" if expected == "boolean" else None
    assert response.content.splitlines(), "CSV/TSV results have at least a header line"
    return None
