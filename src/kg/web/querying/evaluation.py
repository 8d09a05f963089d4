"""Running one SPARQL query against a store and writing its result: what a query worker does.

This module knows nothing of HTTP or FastAPI: a :class:`QueryJob` (picklable) goes in, an :class:`Answer`
(body and media type) comes out, or a :class:`~kg.web.http.errors.WebError` is raised. It runs in the query
worker processes (:mod:`kg.web.querying.workers`), so everything it does, including the SERVICE and nesting checks
of :mod:`kg.web.querying.query_check`, counts against the query time limit. With a remote store it runs in a thread
of the server instead (:mod:`kg.web.querying.remote_queries`): the store is then a :class:`kg.store.remote.RemoteStore`,
whose answer is parsed into the same pyoxigraph results, so limits, negotiation and serialisation are the
same for both stores.

The dataset of a query (SPARQL 1.1 Query, section 13.2; Protocol, section 2.1.4): ``default-graph-uri``/
``named-graph-uri`` when given, else the query's own FROM/FROM NAMED, else the union of all named graphs as
the default graph, with every named graph available to ``GRAPH``.

Results are read up to ``max_rows`` rows (solutions or triples) and refused beyond, so a runaway result
stops as soon as it passes the limit. The format is negotiated after the query ran, from the formats of
its result type (format parameters first, then ``Accept``: :func:`kg.web.http.negotiation.choose`); a format that
cannot carry this particular result (:mod:`kg.web.http.serialize`) gives way to the client's next acceptable one,
or a ``406`` that says why. A client whose ``Accept`` names only formats of the other kind of answer (SPARQL
results for a CONSTRUCT, as rdflib's ``SPARQLStore`` sends; RDF for a SELECT) gets this kind's default (Turtle;
SPARQL JSON results), as Fuseki answers it; ``406`` only when ``Accept`` fits no format of either kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

import pyoxigraph as ox

from kg.store.remote import ReadableStore
from kg.web.http.errors import (
    BadRequest,
    ExtensionDisabled,
    FederationDisabled,
    NotAcceptable,
    QuerySyntaxError,
    ResultTooLarge,
)
from kg.web.http.negotiation import (
    RDF_ALIASES,
    RDF_FORMATS,
    RESULT_ALIASES,
    RESULT_FORMATS,
    choose,
    named_format,
    negotiate,
)
from kg.web.http.serialize import (
    RDF_XML_MEDIA_TYPE,
    XML_RESULTS_MEDIA_TYPE,
    serialize_graph,
    serialize_solutions,
    xml_error,
    xml_obstacle,
)
from kg.web.querying.query_check import inspect_query

T = TypeVar("T")

XML_MEDIA_TYPES = frozenset({RDF_XML_MEDIA_TYPE, XML_RESULTS_MEDIA_TYPE})


@dataclass(frozen=True)
class Kind:
    """The formats of one kind of answer: SPARQL results (SELECT, ASK) or a graph (CONSTRUCT, DESCRIBE).

    Attributes:
        offered: its media types, the default first.
        aliases: generic media types answered with one of ``offered``.
        others: the media types of the other kind (with its aliases): an ``Accept`` that fits only these gets
            this kind's default (see the module documentation).
    """

    offered: tuple[str, ...]
    aliases: dict[str, str]
    others: tuple[str, ...]


RESULTS = Kind(tuple(RESULT_FORMATS), RESULT_ALIASES, (*RDF_FORMATS, *RDF_ALIASES))
GRAPHS = Kind(tuple(RDF_FORMATS), RDF_ALIASES, (*RESULT_FORMATS, *RESULT_ALIASES))


@dataclass(frozen=True)
class QueryJob:
    """One query to run, as sent to a worker process.

    Attributes:
        store: the folder of the published pyoxigraph store to query (opened read-only).
        query: the SPARQL query text.
        base_iri: the base IRI relative IRIs in the query resolve against (the endpoint's IRI), or None.
        default_graphs: ``default-graph-uri`` values (protocol dataset).
        named_graphs: ``named-graph-uri`` values (protocol dataset).
        accept: the request's ``Accept`` header, or None.
        format: the values of the format parameters, ``format``, ``output`` and ``results`` in that order
            (:func:`kg.web.http.negotiation.format_values`); those that name no format of the answer are ignored.
        max_rows: the most solutions or triples answered; more is refused.
    """

    store: str
    query: str
    base_iri: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str | None = None
    format: tuple[str, ...] = ()
    max_rows: int = 10_000


@dataclass(frozen=True)
class Answer:
    """A serialised query result and its registered media type."""

    body: bytes
    media_type: str


def evaluate(store: ReadableStore, job: QueryJob) -> Answer:
    """Run ``job``'s query on ``store`` and serialise the result in the negotiated format.

    Raises:
        QuerySyntaxError: when the query does not parse (the message is pyoxigraph's parser's).
        BadRequest: when the query nests too deep or cannot be checked for SERVICE
            (:func:`kg.web.querying.query_check.inspect_query`), or a graph IRI is not an IRI.
        FederationDisabled: when the query uses ``SERVICE``.
        ExtensionDisabled: when the query names a triplestore's own functions (``bif:``, ``sql:``).
        ResultTooLarge: when the result has more than ``job.max_rows`` rows.
        NotAcceptable: when no acceptable format fits the result.
        kg.store.remote.RemoteError: when a remote store cannot answer.
    """
    facts = inspect_query(job.query)
    if facts.service:
        raise FederationDisabled("SERVICE (federated query) is disabled on this endpoint")
    if facts.store_functions:
        raise ExtensionDisabled("functions of a triplestore's own (bif:, sql:) are disabled on this endpoint")
    try:
        default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = [
            ox.NamedNode(iri) for iri in job.default_graphs
        ] or None
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = [ox.NamedNode(iri) for iri in job.named_graphs] or None
    except ValueError as error:
        raise BadRequest(f"not a graph IRI: {error}") from None
    try:
        result = store.query(
            job.query,
            base_iri=job.base_iri,
            use_default_graph_as_union=not (default_graph or named_graphs or facts.dataset),
            default_graph=default_graph,
            named_graphs=named_graphs,
        )
    except SyntaxError as error:
        raise QuerySyntaxError(str(error)) from None
    if isinstance(result, ox.QueryBoolean):
        boolean = result
        return _answer(job, RESULTS, lambda media_type: _boolean(boolean, media_type))
    if not isinstance(result, ox.QuerySolutions):
        triples = _bounded(result, job.max_rows, "triples")
        del result  # read: let go of it in this thread (see _bounded)
        return _answer(
            job,
            GRAPHS,
            lambda media_type: serialize_graph(triples, media_type),
            lambda: xml_obstacle(_triple_terms(triples), (t.predicate for t in triples)),
        )
    variables = result.variables
    rows = _bounded(result, job.max_rows, "rows")
    del result  # read: let go of it in this thread (see _bounded)
    return _answer(
        job,
        RESULTS,
        lambda media_type: serialize_solutions(variables, rows, RESULT_FORMATS[media_type]),
        lambda: xml_obstacle(term for row in rows for term in row if term is not None),
    )


def _bounded(result: Iterable[T], max_rows: int, unit: str) -> list[T]:
    """The first rows of ``result``; refuse when there are more than ``max_rows``.

    The caller lets go of ``result`` once it is read: pyoxigraph's result objects may only be dropped in the
    thread that made them (a remote store's query runs in a thread, :mod:`kg.web.querying.remote_queries`), and a
    frame of the caller can outlive the call (a reference cycle made by the SERVICE check's parser holds it).
    """
    rows = list(islice(result, max_rows + 1))
    if len(rows) > max_rows:
        raise ResultTooLarge(
            f"the result has more than {max_rows} {unit}, the most this endpoint returns (max_result_rows); "
            "page through it with LIMIT and OFFSET, or download the dumps (/dumps/kg.trig)"
        )
    return rows


def _triple_terms(triples: list[ox.Triple]) -> Iterable[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]:
    """Every term of ``triples``."""
    for triple in triples:
        yield triple.subject
        yield triple.predicate
        yield triple.object


def _boolean(result: ox.QueryBoolean, media_type: str) -> bytes:
    """An ASK result in the results format of ``media_type``."""
    body = result.serialize(format=RESULT_FORMATS[media_type])
    assert body is not None
    return body


def _answer(
    job: QueryJob,
    kind: Kind,
    write: Callable[[str], bytes],
    obstacle: Callable[[], str | None] = lambda: None,
) -> Answer:
    """Negotiate among the formats of ``kind``, write the result, and fall back when XML cannot carry it.

    Args:
        job: the query job (its ``accept`` and ``format``).
        kind: the formats of the result type.
        write: serialises the result as a media type.
        obstacle: why this result cannot be written as XML, or None (asked only when XML is chosen).

    Raises:
        NotAcceptable: when nothing acceptable fits, with the reason an XML format was refused.
    """
    chosen = _format(job, kind)
    if chosen not in XML_MEDIA_TYPES:
        return Answer(write(chosen), chosen)
    reason = obstacle()
    body = write(chosen) if reason is None else b""
    reason = reason or xml_error(body)
    if reason is None:
        return Answer(body, chosen)
    rest = tuple(media_type for media_type in kind.offered if media_type != chosen)
    if named_format(job.format, kind.offered, kind.aliases) is None:
        aliases = {alias: target for alias, target in kind.aliases.items() if target != chosen}
        try:
            other = choose(job.accept, None, list(rest), aliases)
        except NotAcceptable:
            pass
        else:
            return Answer(write(other), other)
    raise NotAcceptable(f"{reason}; ask for one of {', '.join(rest)}")


def _format(job: QueryJob, kind: Kind) -> str:
    """The format of the answer: named by a format parameter, else negotiated; this kind's default when
    ``Accept`` fits only formats of the other kind (see the module documentation).

    Raises:
        NotAcceptable: when ``Accept`` fits no format of either kind.

    Standard: SPARQL 1.1 Protocol, section 2.1.5 (accepted response formats); RFC 9110, section 12.5.1.
    """
    try:
        return choose(job.accept, job.format, list(kind.offered), kind.aliases)
    except NotAcceptable as refused:
        try:
            negotiate(job.accept, list(kind.others))
        except NotAcceptable:
            raise refused from None
        return kind.offered[0]
