"""The SPARQL endpoint: the query operation of the SPARQL 1.1 Protocol, read-only.

Routes ``/sparql`` and ``/sparql/`` take (SPARQL 1.1 Protocol, section 2.1):

* ``GET ?query=...`` (2.1.1), ``POST`` ``application/x-www-form-urlencoded`` (2.1.2) and ``POST``
  ``application/sparql-query`` (2.1.3);
* ``default-graph-uri`` and ``named-graph-uri`` (2.1.4);
* SELECT and ASK answered in JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE in Turtle (default),
  N-Triples, JSON-LD, RDF/XML, TriG or N-Quads; a format parameter (``format``, ``output`` or ``results``, in the
  URL or the form, with the names Fuseki and Virtuoso read) overrides ``Accept``, and one that names no format of
  the answer is ignored (:mod:`kg.web.http.negotiation`), so SPARQLWrapper's default requests are all answered.

The dataset of a query (SPARQL 1.1 Query, section 13.2): ``default-graph-uri``/``named-graph-uri`` when
given, else the query's own FROM/FROM NAMED, else the union of all named graphs as the default graph
(so ``SELECT * { ?s ?p ?o }`` finds the data) with every named graph available to ``GRAPH``.

Errors: a query that does not parse gets ``400`` with the parser's message, and so does one nested too
deep to parse safely (:mod:`kg.web.querying.query_check`), an empty query, and a query string or body that is not
UTF-8 (:mod:`kg.web.http.limits`); an update (``update=`` or ``application/sparql-update``, Protocol section
2.2) gets ``403 Forbidden``: the store is published read-only; a query using ``SERVICE`` gets ``403`` too
(the server makes no requests for anonymous clients); a POST body of another media type, or in another
charset than UTF-8, gets ``415``, and one over ``max_body_bytes`` gets ``413``.

Queries run in worker processes (:mod:`kg.web.querying.workers`, :mod:`kg.web.querying.evaluation`) under a time limit
(``503``), a result-size limit (``422``) and a concurrency limit (``503`` with ``Retry-After``); the event
loop only waits for them, so page lookups are not held up. A query whose client disconnects is stopped.
With a remote store (setting ``sparql_endpoint``) the same checks, limits and formats apply; the query is
sent on to the store from a thread (:mod:`kg.web.querying.remote_queries`) and its answer written here, so clients
see one endpoint whichever store holds the triples.
A GET without a query answers browsers with the query UI (:mod:`kg.web.routes.query_ui`) and RDF clients with
the service description (:mod:`kg.web.services.service_description`; ``400`` when no RDF format is acceptable):
the UI only when ``?format=html`` asks for it, or ``Accept`` ranks HTML above every RDF and results format the
endpoint offers (:func:`prefers_html`), so a client that sends RDF types with ``text/html;q=0.2`` (Comunica,
finding out what a source is) gets the description.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi import APIRouter, Request, Response

from kg.web.http.caching import PER_BUILD
from kg.web.http.errors import BadRequest, NotAcceptable, ReadOnly, UnsupportedMediaType
from kg.web.http.limits import parse_urlencoded, read_body
from kg.web.http.negotiation import (
    HTML,
    RDF_ALIASES,
    RDF_FORMATS,
    RESULT_ALIASES,
    RESULT_FORMATS,
    format_values,
    named_format,
    negotiate,
)
from kg.web.http.responses import representation
from kg.web.querying.evaluation import Answer, QueryJob
from kg.web.routes.query_ui import query_page
from kg.web.services.service_description import describe_service
from kg.web.site import Site, SiteDep

router = APIRouter(tags=["sparql"])

READ_ONLY_MESSAGE = (
    "This SPARQL endpoint is read-only: SPARQL Update is not accepted (SPARQL 1.1 Protocol, section 2.2). "
    "The data are published by the build; see the dumps for the whole dataset."
)

class QueryRunner(Protocol):
    """What runs the endpoint's queries: :class:`kg.web.querying.workers.QueryPool` (embedded store) or
    :class:`kg.web.querying.remote_queries.RemoteQueries` (remote store)."""

    async def run(self, job: QueryJob, gone: asyncio.Future[Any] | None = None) -> Answer:
        """Run ``job``; stop it when ``gone`` completes (raises :class:`~kg.web.http.errors.WebError`)."""
        ...

    def start(self, store_path: str) -> None:
        """Get ready to run queries on the store at ``store_path``."""
        ...

    def stats(self) -> dict[str, int]:
        """``workers``, ``running`` and ``waiting``."""
        ...

    def close(self) -> None:
        """Stop running queries."""
        ...


@dataclass(frozen=True)
class Operation:
    """The parameters of one protocol request (SPARQL 1.1 Protocol, section 2.1)."""

    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: tuple[str, ...] = ()
    example: str | None = None


async def read_operation(request: Request, max_body: int) -> Operation:
    """Read the protocol parameters from the URL and, for POST, the body (at most ``max_body`` bytes).

    Raises:
        ReadOnly: for an update request.
        UnsupportedMediaType: for a POST body that is neither a form nor a query, or not in UTF-8.
        PayloadTooLarge: for a body over ``max_body`` bytes.
        BadRequest: for more than one ``query``, or a query string or body that is not UTF-8.
    """
    params = parse_urlencoded(request.scope.get("query_string", b""))
    if request.method == "POST":
        media_type, _, parameters = request.headers.get("content-type", "").partition(";")
        media_type = media_type.strip().lower()
        if media_type == "application/sparql-update":
            raise ReadOnly(READ_ONLY_MESSAGE)
        if media_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            raise UnsupportedMediaType("POST a query as application/x-www-form-urlencoded or application/sparql-query")
        charset = _charset(parameters)
        if charset not in (None, "utf-8"):
            raise UnsupportedMediaType(f"charset={charset} is not taken: send the query in UTF-8 "
                                       "(SPARQL 1.1 Protocol, section 2.1)")
        body = await read_body(request, max_body)
        if media_type == "application/sparql-query":
            params.append(("query", _utf8(body)))
        else:
            params += parse_urlencoded(body, "the form body")
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
        format=format_values(params),
        example=values.get("example"),
    )


def _charset(parameters: str) -> str | None:
    """The lower-cased ``charset`` of a ``Content-Type`` header's parameters, or None."""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _utf8(body: bytes) -> str:
    """A query body as text.

    Raises:
        BadRequest: when the body is not UTF-8.
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"request body is not UTF-8 ({error.reason} at byte {error.start})") from None


async def run_query(request: Request, site: Site, operation: Operation) -> Answer:
    """Run the query of ``operation`` on the application's query workers over the store of ``site``'s
    build; the query is stopped when the client disconnects.

    Raises:
        BadRequest: for an empty query.
        WebError: what the application's :class:`QueryRunner` and :func:`kg.web.querying.evaluation.evaluate` raise.
    """
    assert operation.query is not None
    if not operation.query.strip():
        raise BadRequest("the query is empty (SPARQL 1.1 Protocol, section 2.1)")
    job = QueryJob(
        store=str(site.publication.store_path),
        query=operation.query,
        base_iri=f"{site.base}/sparql",
        default_graphs=tuple(operation.default_graphs),
        named_graphs=tuple(operation.named_graphs),
        accept=request.headers.get("accept"),
        format=operation.format,
        max_rows=site.settings.max_result_rows,
    )
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        return await query_pool(request).run(job, gone)
    finally:
        gone.cancel()


async def _disconnected(request: Request) -> None:
    """Return once the client has closed the connection (the request body has been read by then)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def query_pool(request: Request) -> QueryRunner:
    """The query runner of the application serving ``request``."""
    pool: QueryRunner = request.app.state.queries
    return pool


#: What a GET of ``/sparql`` without a query may be answered with, besides the query page: the service
#: description's RDF formats (the first answers ``*/*``) and the results formats of a query.
NO_QUERY_OFFERS = [*RDF_FORMATS, *RDF_ALIASES, *RESULT_FORMATS, *RESULT_ALIASES, HTML]


def prefers_html(accept: str | None, formats: tuple[str, ...] = ()) -> bool:
    """True when a GET without a query is to get the query page: a format parameter names HTML, or (none names
    an RDF format) ``Accept`` ranks HTML above every other type the endpoint offers, RDF for the service
    description and the results formats (a browser), HTML losing ties.

    Standard: RFC 9110, section 12.5.1.
    """
    named = named_format(formats, [HTML, *RDF_FORMATS], RDF_ALIASES)
    if named is not None:
        return named == HTML
    try:
        return negotiate(accept, NO_QUERY_OFFERS) == HTML
    except NotAcceptable:
        return False


async def sparql(request: Request, site: SiteDep) -> Response:
    """The SPARQL 1.1 Protocol query operation (sections 2.1.1-2.1.4); updates refused (2.2: 403)."""
    operation = await read_operation(request, site.settings.max_body_bytes)
    accept = request.headers.get("accept")
    if operation.query is None:
        if prefers_html(accept, operation.format):
            response: Response = query_page(site, request, operation.example, operation.query)
        else:
            response = await describe_service(request, site)
        response.headers.setdefault("Cache-Control", PER_BUILD)
        return response
    answer = await run_query(request, site, operation)
    return representation(request, answer.body, answer.media_type)


for _path in ("/sparql", "/sparql/"):
    router.add_api_route(_path, sparql, methods=["GET", "HEAD", "POST"])
