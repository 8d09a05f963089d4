"""Hostile and malformed input: every case gets a clear 4xx (or a sensible default), never a 5xx.

Two servers: one over the session's real build, one over a small store of things whose IRIs hold what
breaks naive servers (non-ASCII, escaped spaces, ``%``, ``<>``, 5000 characters) and a label that is a
``<script>`` element.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from backends import serving
from kg.build.pipeline import BuildResult
from kg.settings import Settings
from kg.store.local import open_publication, publish
from kg.web import create_app
from kg.web.http.iris import iri_to_uri

BASE = "https://kg.example.org"
PRODUCT = "/doc/product/pv22-2016-2-4"
SCRIPT = "<script>alert(1)</script>"
ODD_THINGS = {
    "gebied/Súdwest-Fryslân": "Súdwest-Fryslân",
    "organisatie/a%20b": "with an escaped space",
    "organisatie/100%25": "with an escaped percent sign",
    "organisatie/x%3Cy%3E": "with escaped angle brackets",
    "organisatie/" + "l" * 5000: "with a 5000-character name",
    "organisatie/xss": SCRIPT,
}


@pytest.fixture(scope="module")
def url(built: tuple[Settings, BuildResult]) -> Iterator[str]:
    """A server over the session's real build."""
    settings = built[0]
    with serving(create_app(settings, open_publication(settings.data_dir))) as address:
        yield address


@pytest.fixture(scope="module")
def odd_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a store of the :data:`ODD_THINGS` (IRI tail -> label)."""
    folder = tmp_path_factory.mktemp("odd")
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    graph = ox.NamedNode(f"{BASE}/graph/odd")
    quads = [ox.Quad(ox.NamedNode(f"{BASE}/id/{tail}"), label, ox.Literal(text, language="nl"), graph)
             for tail, text in ODD_THINGS.items()]
    settings = Settings(data_dir=folder / "data", queries_dir=folder)
    publish(quads, [], {}, settings.data_dir)
    with serving(create_app(settings, open_publication(settings.data_dir))) as address:
        yield address


def raw_get(url: str, target: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET ``target`` exactly as given (no client normalisation); return status, headers, body."""
    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
    try:
        connection.request("GET", target, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


# --- IRIs in /id/ and /doc/ paths -----------------------------------------------------------------------------


@pytest.mark.parametrize("tail", list(ODD_THINGS), ids=["non-ascii", "space", "percent", "brackets", "long", "xss"])
def test_odd_iris_round_trip_through_id_and_doc(odd_url: str, tail: str) -> None:
    iri = f"{BASE}/id/{tail}"
    redirect = httpx.get(odd_url + iri_to_uri(f"/id/{tail}"))
    assert redirect.status_code == 303
    assert redirect.headers["location"] == iri_to_uri(f"/doc/{tail}")
    described = httpx.get(odd_url + redirect.headers["location"] + "?format=nt")
    assert described.status_code == 200
    graph = rdflib.Graph().parse(data=described.text, format="nt")
    assert {str(s) for s in graph.subjects()} == {iri}
    assert {str(o) for o in graph.objects()} == {ODD_THINGS[tail]}


def test_non_ascii_iri_in_lower_case_escapes_is_found_and_double_escapes_are_not(odd_url: str) -> None:
    assert httpx.get(odd_url + "/doc/gebied/S%c3%badwest-Frysl%c3%a2n?format=nt").status_code == 200
    assert httpx.get(odd_url + "/doc/organisatie/a%2520b").status_code == 404
    assert httpx.get(odd_url + "/doc/gebied/S%FAdwest").status_code == 404  # Latin-1, not UTF-8: not an IRI here


def test_labels_with_markup_are_escaped_in_html(odd_url: str) -> None:
    page = httpx.get(odd_url + "/doc/organisatie/xss", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert SCRIPT not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


# --- Paths that try to leave their folders --------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/dumps/../report.json",
        "/dumps/..%2Freport.json",
        "/dumps/%2e%2e/report.json",
        "/dumps/%2E%2E%2F%2E%2E%2Fcurrent%2Freport.json",
        "/bronnen/..%2F..%2Fcurrent%2Freport.json",
        "/static/../app.py",
        "/static/..%2Fapp.py",
        "/static/%2e%2e/%2e%2e/settings.py",
        "/static/%2e%2e%2f%2e%2e%2fsettings.py",
        "/static/....//....//app.py",
    ],
)
def test_path_traversal_on_dumps_sources_and_static_files_is_refused(url: str, target: str) -> None:
    status, headers, body = raw_get(url, target)
    assert status in (400, 404), (target, status)
    assert headers["content-type"].startswith("text/plain")
    assert b"import" not in body and b'"documents"' not in body


# --- Query strings and bodies -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["/sparql?query=ASK%7B%7D%FF", f"{PRODUCT}?format=%C3%28", "/?x=%ED%A0%80", "/health?%FF=1"]
)
def test_invalid_utf8_in_a_query_string_is_400_not_replaced(url: str, target: str) -> None:
    status, _headers, body = raw_get(url, target)
    assert status == 400
    assert body.startswith(b"the query string is not UTF-8 once percent-decoded")


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b"query=ASK%7B%7D%FF", "application/x-www-form-urlencoded", "the form body is not UTF-8"),
        (b"ASK {} # \xff", "application/sparql-query", "request body is not UTF-8"),
    ],
)
def test_invalid_utf8_in_a_body_is_400(url: str, content: bytes, content_type: str, message: str) -> None:
    response = httpx.post(url + "/sparql", content=content, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert response.text.startswith(message)


def test_two_queries_wrong_media_type_and_other_charsets_are_refused(url: str) -> None:
    two = httpx.get(url + "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert (two.status_code, two.text) == (400, "more than one query (SPARQL 1.1 Protocol, section 2.1.4)")
    plain = httpx.post(url + "/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415
    utf16 = "ASK {}".encode("utf-16")
    utf16_type = {"Content-Type": "application/sparql-query; charset=UTF-16"}
    other = httpx.post(url + "/sparql", content=utf16, headers=utf16_type)
    assert other.status_code == 415
    assert "UTF-8" in other.text


def test_empty_and_missing_queries_are_400_with_a_clear_message(url: str) -> None:
    assert httpx.get(url + "/sparql?query=").text == "the query is empty (SPARQL 1.1 Protocol, section 2.1)"
    assert httpx.get(url + "/sparql?query=%20%0A").status_code == 400


def test_a_one_megabyte_query_string_is_414_and_the_same_query_posted_is_answered(url: str) -> None:
    query = "ASK {} #" + "x" * 1_000_000
    status, _, body = raw_get(url, "/sparql?query=" + quote(query))
    assert status == 414
    assert body.decode().endswith("send a long query with POST")
    posted = httpx.post(url + "/sparql", content=query[:900_000].encode(),
                        headers={"Content-Type": "application/sparql-query"})
    assert posted.json()["boolean"] is True


# --- Accept headers and format names -----------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["text/turtle;q=abc", ";;;", "*", "text/turtle;q=2", "x", "*/html", "\u00e9/\u00e9"])
def test_malformed_accept_headers_are_ignored_like_apache_and_fuseki(url: str, accept: str) -> None:
    response = httpx.get(url + PRODUCT, headers={"Accept": accept.encode("utf-8")})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle"  # the default, as for no Accept at all


def test_malformed_parts_are_dropped_and_the_rest_is_honoured(url: str) -> None:
    accept = "text/turtle;q=abc, application/ld+json;q=0.5, ;;"
    assert httpx.get(url + PRODUCT, headers={"Accept": accept}).headers["content-type"] == "application/ld+json"


@pytest.mark.parametrize(
    ("path", "accept", "expected"),
    [
        (PRODUCT, "text/turtle;q=0, */*", "text/html; charset=utf-8"),
        (PRODUCT, "*/*;q=0", None),
        (PRODUCT, "text/*;q=0, application/n-triples;q=0.1", "application/n-triples"),
        ("/sparql?query=ASK%7B%7D", "application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
        ("/sparql?query=SELECT%20*%7B%7D", "application/sparql-results+json;q=0, application/*;q=0, */*", "text/csv"),
        ("/sparql?query=ASK%7B%7D", "application/*;q=0, text/*;q=0", None),
    ],
)
def test_q_zero_exclusions_are_honoured(url: str, path: str, accept: str, expected: str | None) -> None:
    response = httpx.get(url + path, headers={"Accept": accept})
    if expected is None:
        assert response.status_code == 406
    else:
        assert response.headers["content-type"] == expected


@pytest.mark.parametrize(("path", "default"), [
    (f"{PRODUCT}?format=pdf", "text/turtle"),
    ("/sparql?query=ASK%7B%7D&format=ttl", "application/sparql-results+json"),
    (f"{PRODUCT}?format=", "text/turtle"),  # an empty name is no name
])
def test_unsupported_format_names_are_ignored_and_accept_decides(url: str, path: str, default: str) -> None:
    # README "HTTP interface": a format parameter naming nothing offered never makes a 406 by itself (SPARQLWrapper
    # sends one name for every query form); only an Accept that fits nothing does, listing the format names
    response = httpx.get(url + path)
    assert (response.status_code, response.headers["content-type"].split(";")[0]) == (200, default)
    refused = httpx.get(url + path, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "name a format with ?format=" in refused.text


# --- Results pyoxigraph's XML writers cannot carry ----------------------------------------------------------------

CONSTRUCT_URN = 'CONSTRUCT { <urn:a> <urn:1> "x" } WHERE {}'
SELECT_NUL = 'SELECT ("a\\u0000b" AS ?x) {}'


@pytest.mark.parametrize(
    ("query", "accept", "status", "media_type"),
    [
        (CONSTRUCT_URN, "application/rdf+xml", 406, None),
        (CONSTRUCT_URN, "application/rdf+xml, text/turtle;q=0.5", 200, "text/turtle"),
        ('CONSTRUCT { <urn:a> <urn:b#p> "\\u0001" } WHERE {}', "application/rdf+xml", 406, None),
        (SELECT_NUL, "application/sparql-results+xml", 406, None),
        (SELECT_NUL, "application/xml, */*;q=0.1", 200, "application/sparql-results+json"),
        ('SELECT ("ok" AS ?x) {}', "application/sparql-results+xml", 200, "application/sparql-results+xml"),
    ],
)
def test_results_xml_cannot_carry_fall_back_or_get_406(
    url: str, query: str, accept: str, status: int, media_type: str | None
) -> None:
    response = httpx.get(url + "/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == status, response.text
    if status == 406:
        assert "XML" in response.text and "ask for one of" in response.text
        return
    assert response.headers["content-type"] == media_type
    if media_type == "text/turtle":
        assert len(rdflib.Graph().parse(data=response.text, format="turtle")) == 1
    elif media_type.endswith("json"):
        assert json.loads(response.text)["results"]["bindings"][0]["x"]["value"] == "a\x00b"


def test_format_name_for_an_xml_result_xml_cannot_carry_is_406(url: str) -> None:
    response = httpx.get(url + "/sparql", params={"query": SELECT_NUL, "format": "xml"})
    assert response.status_code == 406
    assert "U+0000" in response.text


# --- The framework's own errors ------------------------------------------------------------------------------------


def test_unknown_paths_and_methods_answer_plain_text_like_every_other_error(url: str) -> None:
    missing = httpx.get(url + "/nothing/here")
    assert (missing.status_code, missing.headers["content-type"]) == (404, "text/plain; charset=utf-8")
    wrong = httpx.put(url + "/sparql", content=b"ASK {}")
    assert wrong.status_code == 405
    assert wrong.headers["content-type"] == "text/plain; charset=utf-8"
    assert set(wrong.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}
    assert wrong.text.startswith("Method Not Allowed; this path answers")
    assert httpx.delete(url + PRODUCT).status_code == 405

