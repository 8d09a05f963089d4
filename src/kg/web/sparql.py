"""The SPARQL endpoint: the query operation of the SPARQL 1.1 Protocol, read-only.

Routes ``/sparql`` and ``/sparql/`` take (SPARQL 1.1 Protocol, section 2.1):

* ``GET ?query=...`` (2.1.1), ``POST`` ``application/x-www-form-urlencoded`` (2.1.2) and ``POST``
  ``application/sparql-query`` (2.1.3);
* ``default-graph-uri`` and ``named-graph-uri`` (2.1.4);
* SELECT and ASK answered in JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE in Turtle (default),
  N-Triples, JSON-LD, RDF/XML, TriG or N-Quads; ``?format=`` overrides ``Accept``.

The dataset of a query (SPARQL 1.1 Query, section 13.2): ``default-graph-uri``/``named-graph-uri`` when
given, else the query's own FROM/FROM NAMED, else the union of all named graphs as the default graph
(so ``SELECT * { ?s ?p ?o }`` finds the data) with every named graph available to ``GRAPH``.

Errors: a query that does not parse gets ``400`` with the parser's message, and so does one nested too
deep to parse safely (:mod:`kg.web.query_check`); an update (``update=`` or ``application/sparql-update``,
Protocol section 2.2) gets ``403 Forbidden``: the store is published read-only; a query using ``SERVICE``
gets ``403`` too (the server makes no requests for anonymous clients).

Queries run in a worker thread and are fully serialised there, off the event loop.
A GET without a query answers an HTML form to browsers and ``400`` to other clients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from kg.web.errors import (
    BadRequest,
    FederationDisabled,
    NotAcceptable,
    PayloadTooLarge,
    QuerySyntaxError,
    ReadOnly,
    UnsupportedMediaType,
)
from kg.web.negotiation import HTML, RDF_FORMATS, RESULT_ALIASES, RESULT_FORMATS, choose, negotiate
from kg.web.query_check import inspect_query
from kg.web.responses import representation, serialize_graph
from kg.web.site import Site, SiteDep

router = APIRouter(tags=["sparql"])

#: Largest request body read (bytes).
MAX_BODY = 1_000_000

READ_ONLY_MESSAGE = (
    "This SPARQL endpoint is read-only: SPARQL Update is not accepted (SPARQL 1.1 Protocol, section 2.2). "
    "The data are published by the build; see the dumps for the whole dataset."
)

@dataclass(frozen=True)
class Operation:
    """The parameters of one protocol request (SPARQL 1.1 Protocol, section 2.1)."""

    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None
    example: str | None = None


async def read_operation(request: Request) -> Operation:
    """Read the protocol parameters from the URL and, for POST, the body.

    Raises:
        ReadOnly: for an update request.
        UnsupportedMediaType: for a POST body that is neither a form nor a query.
        PayloadTooLarge: for a body over :data:`MAX_BODY` bytes.
        BadRequest: for more than one ``query``, or a body that is not UTF-8.
    """
    params = list(request.query_params.multi_items())
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type == "application/sparql-update":
            raise ReadOnly(READ_ONLY_MESSAGE)
        body = await _read_body(request)
        if media_type == "application/x-www-form-urlencoded":
            params += parse_qsl(body, keep_blank_values=True)
        elif media_type == "application/sparql-query":
            params.append(("query", body))
        else:
            raise UnsupportedMediaType("POST a query as application/x-www-form-urlencoded or application/sparql-query")
    names = [name for name, _ in params]
    if "update" in names:
        raise ReadOnly(READ_ONLY_MESSAGE)
    if names.count("query") > 1:
        raise BadRequest("more than one query (SPARQL 1.1 Protocol, section 2.1.4)")
    values = dict(params)
    return Operation(
        query=values.get("query"),
        default_graphs=[value for name, value in params if name == "default-graph-uri"],
        named_graphs=[value for name, value in params if name == "named-graph-uri"],
        format=values.get("format") or None,
        example=values.get("example"),
    )


async def _read_body(request: Request) -> str:
    """The request body as text, read through the :data:`MAX_BODY` limit."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise PayloadTooLarge(f"request body over {MAX_BODY} bytes")
        chunks.append(chunk)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"request body is not UTF-8: {error}") from None


def evaluate(store: ox.Store, operation: Operation, accept: str | None) -> tuple[bytes, str]:
    """Run the query of ``operation`` and serialise its result; returns (body, media type).

    Raises:
        QuerySyntaxError: when the query does not parse (message from pyoxigraph's parser).
        BadRequest: when the query is nested too deep (see :func:`kg.web.query_check.inspect_query`).
        FederationDisabled: when the query uses ``SERVICE``.
        BadRequest: for a graph IRI that is not a valid IRI.
        NotAcceptable: when no format for the query's result type fits.
    """
    assert operation.query is not None
    facts = inspect_query(operation.query)
    if facts.service:
        raise FederationDisabled("SERVICE (federated query) is disabled on this endpoint")
    try:
        default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = [
            ox.NamedNode(iri) for iri in operation.default_graphs
        ] or None
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = [
            ox.NamedNode(iri) for iri in operation.named_graphs
        ] or None
    except ValueError as error:
        raise BadRequest(f"not a graph IRI: {error}") from None
    try:
        result = store.query(
            operation.query,
            use_default_graph_as_union=not (default_graph or named_graphs or facts.dataset),
            default_graph=default_graph,
            named_graphs=named_graphs,
        )
    except SyntaxError as error:
        raise QuerySyntaxError(str(error)) from None
    try:
        if isinstance(result, ox.QueryTriples):
            media_type = choose(accept, operation.format, list(RDF_FORMATS))
            return serialize_graph(list(result), media_type), media_type
        media_type = choose(accept, operation.format, list(RESULT_FORMATS), RESULT_ALIASES)
        body = result.serialize(format=RESULT_FORMATS[media_type])
        assert body is not None
        return body, media_type
    finally:
        # pyoxigraph results may only be dropped on the thread that made them, not by a traceback later
        del result


def prefers_html(accept: str | None) -> bool:
    """True when ``Accept`` ranks HTML above JSON query results (a browser)."""
    try:
        return negotiate(accept, ["application/sparql-results+json", HTML]) == HTML
    except NotAcceptable:
        return False


def form_page(site: Site, operation: Operation) -> HTMLResponse:
    """A small HTML form to type a query, with links that load the example queries."""
    query = site.examples.get(operation.example or "", operation.query or "")
    page = site.render("sparql.html", query=query, examples=list(site.examples))
    return HTMLResponse(page, headers={"Vary": "Accept"})


async def sparql(request: Request, site: SiteDep) -> Response:
    """The SPARQL 1.1 Protocol query operation (sections 2.1.1-2.1.4); updates refused (2.2: 403)."""
    operation = await read_operation(request)
    accept = request.headers.get("accept")
    if operation.query is None:
        if prefers_html(accept):
            return form_page(site, operation)
        raise BadRequest("no query: pass the query as ?query=... (SPARQL 1.1 Protocol, section 2.1)")
    body, media_type = await run_in_threadpool(evaluate, site.store, operation, accept)
    return representation(request, body, media_type)


for _path in ("/sparql", "/sparql/"):
    router.add_api_route(_path, sparql, methods=["GET", "HEAD", "POST"])
