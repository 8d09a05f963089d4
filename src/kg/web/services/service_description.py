"""The SPARQL service description, answered on ``GET /sparql`` without a query for RDF ``Accept`` types.

Generated from the format tables the endpoint negotiates with (:data:`kg.web.http.negotiation.RDF_FORMATS`,
:data:`~kg.web.http.negotiation.RESULT_FORMATS`), so the description and the endpoint cannot disagree, and from
the published build: the default dataset lists every named graph of the store
(``publication.store.named_graphs()``) with its triple count (``void:triples``, counted at build time,
:mod:`kg.store.statistics`); the default graph is the union of the named graphs (``sd:UnionDefaultGraph``).

``sd:endpoint`` is the URL the description was asked at (scheme, host and path of the request, as a client that
read it at ``http://127.0.0.1:8000/sparql`` must query there, not at the configured base), so a client finds the
endpoint it is talking to (Comunica queries ``sd:endpoint``). The host comes from the request's ``Host``
header: it is used only here, only when it is a valid ``host[:port]`` (RFC 3986, 3.2.2 and 3.2.3; else the
configured ``{base}/sparql`` is named), never kept in a cache shared between requests, and the answer's
``ETag`` is computed from its bytes (:func:`kg.web.http.conditional.content_validators`), so one host's answer
never validates another's. Its blank nodes are in canonical form (:func:`kg.web.querying.describe.canonical`):
the same request gets the same bytes.

Standard: SPARQL 1.1 Service Description (W3C Recommendation, 2013), sections 2 and 3; format IRIs from
https://www.w3.org/ns/formats/.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from kg.store.statistics import build_statistics
from kg.web.http.conditional import content_validators
from kg.web.http.errors import BadRequest, NotAcceptable
from kg.web.http.negotiation import RDF_ALIASES, RDF_FORMATS, RESULT_FORMATS, SHORT_NAMES, choose, format_values
from kg.web.http.responses import representation, serialize_graph
from kg.web.querying.describe import canonical
from kg.web.site import Site

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
#: pyoxigraph 0.5 names JSON-LD https://www.w3.org/ns/formats/data/JSON-LD; the W3C registry's IRI is this one.
JSON_LD_FORMAT = "http://www.w3.org/ns/formats/JSON-LD"


def format_iri(media_type: str) -> str | None:
    """Return the W3C format IRI (https://www.w3.org/ns/formats/) of ``media_type``, as pyoxigraph's
    ``RdfFormat.iri`` / ``QueryResultsFormat.iri`` give it (JSON-LD corrected), or None for an unknown type."""
    if media_type == "application/ld+json":
        return JSON_LD_FORMAT
    found = ox.RdfFormat.from_media_type(media_type) or ox.QueryResultsFormat.from_media_type(media_type)
    return found.iri if found else None


#: Features of the service (SD, section 3.3) that hold: the default graph is the union of the named graphs.
#: Not claimed: sd:BasicFederatedQuery (SERVICE is refused), sd:DereferencesURIs, sd:RequiresDataset,
#: sd:EmptyGraphs (the store is read-only).
FEATURES = (SD + "UnionDefaultGraph",)
NO_QUERY = "no query: pass the query as ?query=... (SPARQL 1.1 Protocol, section 2.1)"


#: A host and optional port as a ``Host`` header names them: a registered name, IPv4 address or bracketed IP
#: literal (RFC 3986, 3.2.2), then ``:`` and digits (3.2.3).
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{{1,5}})?")


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def endpoint_iri(request: Request, site: Site) -> str:
    """The URL ``request`` was sent to, without its query: the endpoint the description names (see the module
    documentation); ``{base}/sparql`` when the ``Host`` header is not a valid ``host[:port]``."""
    host = request.headers.get("host", "")
    scheme = request.url.scheme
    if not _HOST.fullmatch(host) or scheme not in ("http", "https"):
        return f"{site.base}/sparql"
    path = request.scope.get("root_path", "") + request.scope["path"]
    try:
        return ox.NamedNode(f"{scheme}://{host.lower()}{path}").value
    except ValueError:
        return f"{site.base}/sparql"


def service_description(site: Site, endpoint: str | None = None) -> list[ox.Triple]:
    """The service description of the endpoint over the current build, in canonical form.

    Args:
        site: the build served.
        endpoint: the endpoint's URL (``sd:endpoint``); default ``{base}/sparql``.

    Returns:
        Its triples: the service (endpoint, language, result formats, features, entailment regime) and
        its default dataset (default graph and named graphs, with triple counts when the build counted
        them), blank nodes labelled canonically (:func:`kg.web.querying.describe.canonical`).
    """
    service, dataset, default = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint or f"{site.base}/sparql")),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
    ]
    triples += [ox.Triple(service, _sd("feature"), ox.NamedNode(feature)) for feature in FEATURES]
    iris = (format_iri(media_type) for media_type in [*RESULT_FORMATS, *RDF_FORMATS])
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(iri)) for iri in iris if iri]
    statistics = build_statistics(site.publication.root)
    sizes = statistics.graphs if statistics else {}
    if statistics is not None:
        triples.append(ox.Triple(default, VOID_TRIPLES, ox.Literal(str(statistics.whole.triples), datatype=_INTEGER)))
    for graph in sorted(site.store.named_graphs(), key=str):
        if not isinstance(graph, ox.NamedNode):
            continue
        named, description = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), graph),
            ox.Triple(named, _sd("graph"), description),
            ox.Triple(description, RDF_TYPE, _sd("Graph")),
        ]
        if graph.value in sizes:
            triples.append(ox.Triple(description, VOID_TRIPLES, ox.Literal(str(sizes[graph.value]), datatype=_INTEGER)))
    return canonical(triples)


async def describe_service(request: Request, site: Site) -> Response:
    """Answer a query-less request to ``/sparql`` with the service description in the negotiated RDF format
    (Turtle for ``*/*`` or no ``Accept``; format parameters and generic types as for any graph), naming the
    URL asked as ``sd:endpoint``, with an ``ETag`` computed from the bytes.

    Raises:
        BadRequest: for a POST, or when the client accepts no RDF format (it meant to send a query).

    Standard: SPARQL 1.1 Service Description, section 2 (service description discovery).
    """
    if request.method == "POST":
        raise BadRequest(NO_QUERY)
    formats = format_values(request.query_params.multi_items())
    try:
        media_type = choose(request.headers.get("accept"), formats, list(RDF_FORMATS), RDF_ALIASES)
    except NotAcceptable:
        raise BadRequest(NO_QUERY) from None
    endpoint = endpoint_iri(request, site)
    body = await run_in_threadpool(lambda: serialize_graph(service_description(site, endpoint), media_type))
    validators = content_validators(site.publication, f"service-{SHORT_NAMES[media_type]}", body)
    return representation(request, body, media_type, validators)
