"""Property-based test: thousands of random requests, and not one 5xx or malformed response.

Hypothesis draws requests from every route of the server (and made-up ones) with random methods, path
segments (non-ASCII, ``%``, ``..``, invalid escapes), query parameters, ``Accept`` headers (valid, malformed,
with ``q=0``), conditional headers, content types and bodies, and SPARQL queries from a small grammar
(mutated to make syntax errors too), against the real server over the session's build. The grammar only
joins triple patterns on a shared variable, so no query runs into the time limit: a 503 would be a failure.

Each response must be below 500, carry a ``Content-Type`` when it has a body, give errors as
``text/plain``, give redirects a ``Location``, and parse as what its media type says (JSON, XML with
namespaces, Turtle, N-Triples, TriG, N-Quads, JSON-LD, UTF-8 text). Runs are derandomised (the same
examples every run) and bounded by ``max_examples``.
"""

from __future__ import annotations

import json
import xml.parsers.expat
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backends import serving
from kg.build.pipeline import BuildResult
from kg.settings import Settings
from kg.store.local import open_publication
from kg.web import create_app

EXAMPLES = 2500
KNOWN_PATHS = ["/", "/sparql", "/sparql/", "/health", "/doc/product/pv22-2016-2-4", "/id/product/pv22-2016-2-4",
               "/dumps/kg.trig", "/dumps/kg.nq", "/catalog", "/.well-known/void", "/static/", "/docs", "/openapi.json"]
PREFIXES = ["/doc/", "/id/", "/dumps/", "/bronnen/", "/static/", "/def/", "/sparql/", "/"]
MEDIA_TYPES = ["text/turtle", "text/html", "application/ld+json", "application/rdf+xml", "application/n-triples",
               "application/trig", "application/n-quads", "application/sparql-results+json",
               "application/sparql-results+xml", "text/csv", "text/tab-separated-values", "application/json",
               "application/xml", "*/*", "text/*", "application/*", "image/png", "*", "", ";;", "q=1", "text/turtle;q"]
RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
XML_TYPES = {"application/sparql-results+xml", "application/rdf+xml", "application/xml"}
JSON_TYPES = {"application/sparql-results+json", "application/ld+json", "application/json"}
TEXT_TYPES = {"text/plain", "text/csv", "text/tab-separated-values", "text/html"}

# --- strategies -----------------------------------------------------------------------------------------------------

header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=40)
weird_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
segment = st.one_of(
    weird_text.map(lambda text: quote(text, safe="/%")),
    st.sampled_from(["..", "%2e%2e", "..%2F", "%FF", "%", "%zz", "kg.trig", "product/pv22-2016-2-4", "S%C3%BAdwest"]),
)
path = st.one_of(
    st.sampled_from(KNOWN_PATHS), st.builds(lambda prefix, tail: prefix + tail, st.sampled_from(PREFIXES), segment)
)

variable = st.sampled_from(["?s", "?p", "?o", "?x"])
iri = st.sampled_from(["<https://kg.example.org/def/begroting#Doelstelling>", "<urn:1>", "<http://x/a#>",
                       "<http://www.w3.org/2004/02/skos/core#prefLabel>", "rdf:type", "skos:prefLabel"])
literal = weird_text.map(lambda text: json.dumps(text, ensure_ascii=False))  # also a SPARQL string literal
term = st.one_of(variable, iri, literal, st.sampled_from(["1", "2.5", "true", '"\\u0000"', '"x"@nl', "[]"]))
pattern = st.builds(lambda s, p, o: f"?s {p} {o} . OPTIONAL {{ ?o {s} ?x }}" if s.startswith("?") else f"?s {p} {o} .",
                    term, st.one_of(variable, iri), term)
form = st.sampled_from(["SELECT *", "SELECT ?s ?o", "SELECT DISTINCT ?o", "ASK", "CONSTRUCT { ?s ?p ?o }",
                        "DESCRIBE ?s", "SELECT (COUNT(*) AS ?n)", "SELECT (STR(?o) AS ?t)"])
modifier = st.sampled_from(["", " LIMIT 5", " LIMIT 20000", " OFFSET 3 LIMIT 2", " ORDER BY ?o LIMIT 10"])


FILTERS = ["", " FILTER(?o != 1)", ' FILTER(CONTAINS(STR(?o), "a"))', " FILTER(lang(?o) = 'nl')"]
MUTATIONS = ["", "{", "}", "\\", '"', "<", "'", "\x00", "é", "SERVICE"]


@st.composite
def sparql(draw: st.DrawFn) -> str:
    """A query from the grammar, sometimes mutated (a character inserted or removed)."""
    filters = draw(st.sampled_from(FILTERS))
    query = (
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"{draw(form)} WHERE {{ {draw(pattern)}{filters} }}{draw(modifier)}"
    )
    if draw(st.integers(0, 3)):
        return query
    at = draw(st.integers(0, len(query)))
    return query[:at] + draw(st.sampled_from(MUTATIONS)) + query[at + 1 :]


parameter = st.tuples(
    st.sampled_from(["query", "format", "format", "default-graph-uri", "named-graph-uri", "example", "update", "x"]),
    st.one_of(sparql(), weird_text, st.sampled_from(["ttl", "nt", "jsonld", "rdf", "html", "csv", "xml", "pdf"])),
)
accept = st.one_of(
    st.lists(st.builds(lambda t, q: t + q, st.sampled_from(MEDIA_TYPES),
                       st.sampled_from(["", ";q=0", ";q=0.5", ";q=abc", ";q=1.5", ";charset=utf-8"])), max_size=4)
    .map(", ".join),
    header_text,
)


@st.composite
def request(draw: st.DrawFn) -> dict[str, object]:
    """Method, URL path with query string, headers and body of one random request."""
    method = draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "POST", "PUT", "DELETE", "OPTIONS"]))
    params = draw(st.lists(parameter, max_size=3))
    if draw(st.integers(0, 2)) == 0:  # a third are protocol requests: a query from the grammar, maybe more
        params.insert(0, ("query", draw(sparql())))
        method = draw(st.sampled_from(["GET", "POST"]))
    query_string = "&".join(f"{quote(name)}={quote(value, safe='')}" for name, value in params)
    if not draw(st.integers(0, 5)):
        query_string += draw(st.sampled_from(["&%FF", "&query=%C3%28", "&format", "&&=&"]))
    headers: dict[str, bytes] = {"Accept": draw(accept).encode("latin-1")}
    if draw(st.booleans()):
        headers[draw(st.sampled_from(["If-None-Match", "If-Modified-Since", "Accept-Encoding", "Origin"]))] = draw(
            header_text
        ).encode("latin-1")
    body = b""
    if method == "POST":
        headers["Content-Type"] = draw(st.sampled_from([
            b"application/sparql-query", b"application/x-www-form-urlencoded", b"application/sparql-update",
            b"text/plain", b"application/sparql-query; charset=latin-1", b"",
        ]))
        body = draw(st.one_of(sparql().map(lambda q: q.encode("utf-8")), st.binary(max_size=60),
                              st.lists(parameter, max_size=3).map(
                                  lambda ps: "&".join(f"{n}={quote(v)}" for n, v in ps).encode())))
    target = "/sparql" if params and params[0][0] == "query" else draw(path)
    target += f"?{query_string}" if query_string else ""
    headers = {name: value.strip() for name, value in headers.items()}  # h11 sends no value with outer blanks
    return {"method": method, "url": target, "headers": headers, "content": body}


# --- the property ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(built: tuple[Settings, BuildResult]) -> Iterator[httpx.Client]:
    """An HTTP client on a server over the session's build."""
    app_settings = built[0].model_copy(update={"query_timeout": 60.0})
    with serving(create_app(app_settings, open_publication(app_settings.data_dir))) as url, httpx.Client(
        base_url=url, timeout=120
    ) as http:
        yield http


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=request())
def test_random_requests_never_get_a_5xx_or_a_malformed_response(client: httpx.Client, spec: dict[str, object]) -> None:
    response = client.request(**spec)  # type: ignore[arg-type]
    assert response.status_code < 500, (spec, response.status_code, response.text[:500])
    check_well_formed(response, head=spec["method"] == "HEAD")


def check_well_formed(response: httpx.Response, head: bool) -> None:
    """Assert that ``response`` is what its status and media type promise."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        assert response.headers.get("location")
    if status == 304 or head or not response.content:
        return
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    assert media_type, "a body without a Content-Type"
    if status >= 400:
        assert media_type == "text/plain", (status, media_type)
    if media_type in JSON_TYPES:
        json.loads(response.content)
    elif media_type in XML_TYPES:
        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        parser.Parse(response.content, True)
    if media_type in RDF_FORMATS:
        list(ox.parse(response.content, format=RDF_FORMATS[media_type]))
    elif media_type in TEXT_TYPES:
        response.content.decode("utf-8")
