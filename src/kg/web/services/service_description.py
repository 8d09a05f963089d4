"""The SPARQL service description, answered on ``GET /sparql`` without a query for RDF ``Accept`` types.

Generated from the format tables the endpoint negotiates with (:data:`kg.web.http.negotiation.RDF_FORMATS`,
:data:`~kg.web.http.negotiation.RESULT_FORMATS`), so the description and the endpoint cannot disagree, and from
the published build: the default dataset lists every named graph of the store
(``publication.store.named_graphs()``) with its triple count (``void:triples``, counted at build time,
:mod:`kg.store.statistics`); the default graph is the union of the named graphs (``sd:UnionDefaultGraph``).

Standard: SPARQL 1.1 Service Description (W3C Recommendation, 2013), sections 2 and 3; format IRIs from
https://www.w3.org/ns/formats/.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from kg.store.statistics import build_statistics
from kg.web.http.conditional import build_validators
from kg.web.http.errors import BadRequest, NotAcceptable
from kg.web.http.negotiation import FORMAT_NAMES, RDF_FORMATS, RESULT_FORMATS, choose
from kg.web.http.responses import representation, serialize_graph
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


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def service_description(site: Site) -> list[ox.Triple]:
    """The service description of the endpoint ``{base}/sparql`` over the current build.

    Returns:
        Its triples: the service (endpoint, language, result formats, features, entailment regime) and
        its default dataset (default graph and named graphs, with triple counts when the build counted
        them).
    """
    service, dataset, default = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(f"{site.base}/sparql")),
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
    return triples


async def describe_service(request: Request, site: Site) -> Response:
    """Answer a query-less request to ``/sparql`` with the service description in the negotiated RDF format
    (Turtle for ``*/*`` or no ``Accept``), with the build's validators.

    Raises:
        BadRequest: for a POST, or when the client accepts no RDF format (it meant to send a query).
    """
    if request.method == "POST":
        raise BadRequest(NO_QUERY)
    try:
        media_type = choose(request.headers.get("accept"), request.query_params.get("format"), list(RDF_FORMATS))
    except NotAcceptable:
        raise BadRequest(NO_QUERY) from None
    body = await run_in_threadpool(lambda: serialize_graph(service_description(site), media_type))
    short = next(name for name, value in FORMAT_NAMES.items() if value == media_type)
    return representation(request, body, media_type, build_validators(site.publication, f"service-{short}"))
