"""Store stage, remote: a published build read from a triplestore over the SPARQL 1.1 Protocol.

``kg publish --to`` pushes every named graph of a build to a triplestore (:mod:`kg.store.push`). With the setting
``sparql_endpoint`` (``KG_SPARQL_ENDPOINT``), ``kg serve`` reads every triple from that store's SPARQL endpoint
instead of the embedded pyoxigraph store; the build folder stays the source of the metadata (report,
statistics, discovery documents, dumps, sources). :class:`RemoteStore` is the seam: it offers the part of
pyoxigraph's ``Store`` API that the web layer uses (:class:`ReadableStore`: ``query``, ``contains_named_graph``,
``named_graphs``, ``quads_for_pattern``, ``len``) and answers with pyoxigraph terms and result objects, so the
pages are made by the same code from either store.

Requests (SPARQL 1.1 Protocol, section 2.1.2: query via POST, URL-encoded; 2.1.4: ``default-graph-uri`` and
``named-graph-uri``) ask for SPARQL JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE); answers are
read as a stream, with a deadline and a stop flag checked between reads, so a caller reading only the first
rows stops the transfer there.

**The dataset.** The embedded store's ``use_default_graph_as_union=True`` (the default graph is the union of
all named graphs) is asked of the store in one of two ways (:meth:`RemoteStore.open` tells them apart by the
endpoint's ``Server`` header):

* **Virtuoso**: no dataset is sent. Its default graph without one is already the union of all its graphs, and
  ``GRAPH ?g`` ranges over all of them. Naming the build's graphs instead (``default-graph-uri``, ``FROM``, or
  Virtuoso's ``DEFINE input:default-graph-exclude`` for the others) is what the protocol offers, but Virtuoso
  7.2 then answers some queries wrongly: with 14 or more graphs named (or 5 excluded), a property path ``*``
  joined with another pattern (the history of a plan node) has no solutions at all. So the store should hold
  the build's graphs and its own only: Virtuoso's system graphs (``http://www.openlinksw.com/schemas/virtrdf#``,
  ``http://www.w3.org/ns/ldp#``, ``http://localuriqaserver/sparql``) hold none of kg's IRIs, so pages are
  the same, but a query over every triple (``SELECT (COUNT(*) AS ?n) { ?s ?p ?o }``) or every graph counts
  them too.
* **any other store**: every graph of the build is sent as ``default-graph-uri`` and as ``named-graph-uri``
  (SPARQL 1.1 Protocol, section 2.1.4).

The methods that list or read graphs (:meth:`RemoteStore.named_graphs`, ``quads_for_pattern``, ``len`` ...)
name the build's graphs in the query itself (``VALUES ?g``), so they never show a graph outside the build.
Graphs given by the caller are sent as given, a graph outside the build as :data:`NO_GRAPH` (which holds
nothing, like a graph the embedded store does not have), and a missing side is filled in as pyoxigraph does
(default graph given alone: every graph stays available to ``GRAPH``; named graphs alone: an empty default
graph).

**Queries are parsed here first**, by pyoxigraph against an empty store: a syntax error is pyoxigraph's
``SyntaxError`` with its message (as with the embedded store), and the query form decides the result format
asked for (an endpoint negotiates per form: Virtuoso answers a CONSTRUCT asked for JSON with a table).

**Differences of Virtuoso 7.2 handled here** (see the README, "When one machine is not enough"):

* blank nodes in JSON results are ``"nodeID://b10914"``, which is no blank node label; the answer is rewritten
  to ``b10914`` as it streams (:class:`_BlankNodeLabels`), the label its N-Triples answers use, so a blank
  node has one label across queries (Virtuoso's labels are stable, like the embedded store's);
* SPARQL XML results are not used: pyoxigraph's XML results parser trims white space at both ends of a
  literal;
* a second ``BASE`` in a prologue is a syntax error to Virtuoso, so the base IRI is prepended only to a query
  that declares none;
* Virtuoso stops a query at its own time limit (``MaxQueryExecutionTime``) with a ``500`` whose message has
  SQL state ``S1T00``; that is a time-out here, as is an "anytime" partial answer (header ``X-SQL-State``).

Errors are :class:`RemoteError` (an ``OSError``, as the embedded store raises for a store it cannot read):
:class:`RemoteUnavailable` (no connection, ``503``), :class:`RemoteTimeout`, :class:`RemoteStopped`,
:class:`RemoteRefused` (``4xx``: the store refused the query, with its message) and :class:`RemoteFailed`
(any other failure, or an answer that cannot be read).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Literal, Protocol, cast

import httpx
import pyoxigraph as ox

from kg.store.push import server_message

#: Media types asked of the endpoint: SPARQL 1.1 Query Results JSON, RDF 1.1 N-Triples.
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
#: Seconds allowed to open a connection (within the time allowed for the whole answer).
CONNECT_TIMEOUT = 5.0
#: Bytes of an error answer read for its message.
MAX_ERROR_BYTES = 64 * 1024
#: Virtuoso's SQL state for a query stopped at its time limit (``MaxQueryExecutionTime``).
VIRTUOSO_TIMEOUT_STATE = "S1T00"
#: The name sent for a graph outside the build: no store holds a graph by this name.
NO_GRAPH = "urn:x-kg:no-graph"

#: What a query returns: solutions (SELECT), a boolean (ASK), or triples (CONSTRUCT, DESCRIBE).
QueryResult = ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph

#: An empty store, only used to parse queries (pyoxigraph has no parser of its own for them).
_GRAMMAR = ox.Store()
#: A prologue part (SPARQL 1.1 Query, section 4.1.1): white space, a comment, a PREFIX or a BASE declaration.
_PROLOGUE_PART = re.compile(r"\s+|#[^\r\n]*|PREFIX\s*[^\s:]*:\s*<[^>]*>|(?P<base>BASE)\s*<[^>]*>", re.IGNORECASE)


class RemoteError(OSError):
    """The remote store could not answer (base class).

    Attributes:
        endpoint: the URL of the SPARQL endpoint.
    """

    def __init__(self, message: str, endpoint: str) -> None:
        super().__init__(message)
        self.endpoint = endpoint


class RemoteUnavailable(RemoteError):
    """No answer: the connection failed or broke off, or the endpoint answered ``503``."""


class RemoteTimeout(RemoteError):
    """No complete answer within the time allowed (here, or by the store's own time limit)."""


class RemoteStopped(RemoteError):
    """The caller stopped the query (its stop flag was set) before the answer was read."""


class RemoteRefused(RemoteError):
    """The endpoint refused the query with a ``4xx`` status (e.g. a feature the store does not implement);
    the message is the store's."""


class RemoteFailed(RemoteError):
    """The endpoint failed otherwise (a ``5xx`` status, authentication refused), or answered something that
    cannot be read as the format asked for."""


class ReadableStore(Protocol):
    """What the web layer reads from a published store: the part of ``pyoxigraph.Store`` it uses, which a
    :class:`RemoteStore` offers too.

    Every method may raise ``OSError`` (a :class:`RemoteError` for a remote store) when the store cannot be read.
    """

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query (raises ``SyntaxError`` when it does not parse)."""
        ...

    def contains_named_graph(self, graph_name: GraphName) -> bool:
        """True when the store holds the named graph."""
        ...

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        """The names of the store's named graphs."""
        ...

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
        predicate: ox.NamedNode | None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads matching a pattern (None matches anything)."""
        ...

    def __len__(self) -> int:
        """The number of quads."""
        ...


@dataclass(frozen=True)
class Deadline:
    """When a request must be answered by, and the flag that stops it earlier.

    Attributes:
        ends: the ``time.monotonic()`` by which the whole answer must have been read.
        seconds: the time allowed, for messages.
        stop: set by another thread to stop the request at its next read, or None.
    """

    ends: float
    seconds: float
    stop: threading.Event | None = None

    @classmethod
    def after(cls, seconds: float, stop: threading.Event | None = None) -> Deadline:
        """The deadline ``seconds`` from now."""
        return cls(time.monotonic() + seconds, seconds, stop)

    def remaining(self, endpoint: str) -> float:
        """Seconds left.

        Raises:
            RemoteStopped: when the stop flag is set.
            RemoteTimeout: when no time is left.
        """
        if self.stop is not None and self.stop.is_set():
            raise RemoteStopped("the query was stopped", endpoint)
        left = self.ends - time.monotonic()
        if left <= 0:
            raise RemoteTimeout(f"the SPARQL endpoint {endpoint} did not answer within {self.seconds:g} s", endpoint)
        return left


class SparqlEndpoint:
    """A SPARQL 1.1 Protocol query service and a pool of HTTP connections to it (thread-safe)."""

    def __init__(self, url: str, auth: httpx.Auth | None = None, connections: int = 20) -> None:
        """Prepare requests to ``url`` (no connection is opened yet).

        Args:
            url: the query service, e.g. ``http://127.0.0.1:8890/sparql``.
            auth: HTTP authentication (see :func:`kg.store.push.http_auth`), or None.
            connections: the most connections open at once (requests beyond wait for one).

        Raises:
            ValueError: when ``url`` is not an absolute http(s) URL.
        """
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValueError(f"not an http(s) URL of a SPARQL endpoint: {url!r}")
        self.url = url
        self.server = ""
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self._client = httpx.Client(auth=auth, limits=limits, follow_redirects=False)

    @property
    def virtuoso(self) -> bool:
        """True when the last answer came from OpenLink Virtuoso (its ``Server`` header)."""
        return self.server.lower().startswith("virtuoso")

    def send(self, query: str, accept: str, default_graphs: Iterable[str], named_graphs: Iterable[str],
             deadline: Deadline) -> _Body:
        """POST ``query`` (SPARQL 1.1 Protocol, section 2.1.2) with the dataset given (2.1.4), asking for
        ``accept``; return the answer's body, to be read before ``deadline``.

        Raises:
            RemoteUnavailable, RemoteTimeout, RemoteStopped, RemoteRefused, RemoteFailed: see the module notes.
        """
        left = deadline.remaining(self.url)
        data: dict[str, str | list[str]] = {"query": query}
        if defaults := list(default_graphs):
            data["default-graph-uri"] = defaults
        if names := list(named_graphs):
            data["named-graph-uri"] = names
        timeout = httpx.Timeout(left, connect=min(left, CONNECT_TIMEOUT))
        request = self._client.build_request("POST", self.url, data=data, headers={"Accept": accept}, timeout=timeout)
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException as error:
            raise RemoteTimeout(f"the SPARQL endpoint {self.url} did not answer within {left:.3g} s", self.url) \
                from error
        except httpx.HTTPError as error:
            raise RemoteUnavailable(f"the SPARQL endpoint {self.url} cannot be reached: {error}", self.url) \
                from error
        self.server = response.headers.get("server", "")
        if not response.is_success:
            raise self._refusal(response)
        if "x-sql-state" in response.headers:  # Virtuoso's "anytime" answer: a partial result
            response.close()
            raise RemoteTimeout(f"the SPARQL endpoint {self.url} answered a partial result "
                                f"({response.headers['x-sql-state']}): it ran out of time", self.url)
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != accept:
            response.close()
            raise RemoteFailed(f"the SPARQL endpoint {self.url} answered {media_type or 'no media type'} "
                               f"where {accept} was asked for", self.url)
        rewrite = _BlankNodeLabels() if accept == RESULTS_JSON else None
        return _Body(response, deadline, self.url, rewrite)

    def _refusal(self, response: httpx.Response) -> RemoteError:
        """The error for an answer with a status outside 2xx (its body read for the message, then closed)."""
        try:
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) >= MAX_ERROR_BYTES:
                    break
        except httpx.HTTPError:
            pass
        finally:
            response.close()
        message = server_message(httpx.Response(response.status_code, headers=response.headers, content=body))
        said = f"the SPARQL endpoint {self.url} answered {response.status_code} {response.reason_phrase}: " + (
            message or "(no message)")
        status = response.status_code
        if status == 503:
            return RemoteUnavailable(said, self.url)
        if VIRTUOSO_TIMEOUT_STATE in message:
            return RemoteTimeout(said, self.url)
        if status in (401, 403, 407):
            return RemoteFailed(said + " (check KG_SPARQL_ENDPOINT_USER and KG_SPARQL_ENDPOINT_PASSWORD)", self.url)
        if 400 <= status < 500:
            return RemoteRefused(said, self.url)
        return RemoteFailed(said, self.url)

    def close(self) -> None:
        """Close the connections."""
        self._client.close()


class _BlankNodeLabels:
    """Rewrites Virtuoso's blank nodes in SPARQL JSON results, ``"nodeID://b10914"``, to ``"b10914"`` as the
    answer streams. The pattern is matched in JSON syntax (outside strings: a string cannot hold an unescaped
    ``"``), and a tail that may hold the start of a match is kept for the next chunk."""

    PATTERN = re.compile(rb'("type"\s{0,4}:\s{0,4}"bnode"\s{0,4},\s{0,4}"value"\s{0,4}:\s{0,4}")nodeID://')
    #: Longer than any match of :data:`PATTERN` (57 bytes).
    KEEP = 64

    def __init__(self) -> None:
        self._tail = b""

    def __call__(self, chunk: bytes) -> bytes:
        """Return the rewritten part of ``chunk`` that is final; an empty ``chunk`` ends the stream."""
        data = self._tail + chunk
        cut = len(data) if not chunk else max(0, len(data) - self.KEEP)
        parts, start = [], 0
        for match in self.PATTERN.finditer(data):
            if match.end() > cut:
                cut = min(cut, match.start())
                break
            parts += [data[start : match.start()], match.group(1)]
            start = match.end()
        parts.append(data[start:cut])
        self._tail = data[cut:]
        return b"".join(parts)


class _Body:
    """An answer's body as the file pyoxigraph's parsers read (``read(size)``), with the deadline checked
    before each chunk is fetched and the transfer closed at its end, on an error, or when dropped."""

    def __init__(self, response: httpx.Response, deadline: Deadline, endpoint: str,
                 rewrite: _BlankNodeLabels | None) -> None:
        self._response = response
        self._chunks = response.iter_bytes()
        self._deadline = deadline
        self._endpoint = endpoint
        self._rewrite = rewrite
        self._buffer = b""
        self._offset = 0
        self._done = False

    def read(self, size: int = -1) -> bytes:
        """At most ``size`` bytes (all that is left for a negative ``size``); ``b""`` at the end.

        Raises:
            RemoteTimeout, RemoteStopped: when the deadline passes or the stop flag is set between chunks.
            RemoteUnavailable: when the transfer breaks off.
        """
        while self._offset >= len(self._buffer) and not self._done:
            self._buffer, self._offset = self._next(), 0
        if size is None or size < 0:
            size = len(self._buffer) - self._offset
        data = self._buffer[self._offset : self._offset + size]
        self._offset += len(data)
        return data

    def _next(self) -> bytes:
        """The next chunk (rewritten), or the rest at the end of the transfer."""
        try:
            self._deadline.remaining(self._endpoint)
            chunk = next(self._chunks, b"")
        except httpx.TimeoutException as error:
            self.close()
            raise RemoteTimeout(f"the SPARQL endpoint {self._endpoint} did not answer within "
                                f"{self._deadline.seconds:g} s", self._endpoint) from error
        except httpx.HTTPError as error:
            self.close()
            raise RemoteUnavailable(f"the answer of the SPARQL endpoint {self._endpoint} broke off: {error}",
                                    self._endpoint) from error
        except RemoteError:
            self.close()
            raise
        if not chunk:
            self.close()
        return self._rewrite(chunk) if self._rewrite is not None else chunk

    def close(self) -> None:
        """End the transfer (the connection goes back to the pool once the body was read whole)."""
        self._done = True
        self._response.close()

    def __del__(self) -> None:
        self._response.close()


class RemoteStore:
    """The graphs of one build, read from a SPARQL endpoint (see the module notes); a :class:`ReadableStore`.

    Thread-safe; copies made by :meth:`bounded` share the endpoint's connections.
    """

    def __init__(self, endpoint: SparqlEndpoint, graphs: Iterable[str], timeout: float = 10.0,
                 stop: threading.Event | None = None, store_union: bool = False) -> None:
        """Read ``graphs`` (the IRIs of the build's named graphs) from ``endpoint``; see also :meth:`open`.

        Args:
            endpoint: the SPARQL endpoint of the store that ``kg publish`` pushed the build to.
            graphs: the named graphs of the build; only they are listed and read by graph.
            timeout: seconds allowed for each query's whole answer.
            stop: a flag that stops a query at its next read when set, or None.
            store_union: the store's default graph is the union of its graphs (Virtuoso), so the union of the
                build's graphs is asked for by sending no dataset; False: by sending the build's graphs.
        """
        self.endpoint = endpoint
        self.graphs = tuple(dict.fromkeys(graphs))
        self.timeout = timeout
        self.stop = stop
        self.store_union = store_union

    @classmethod
    def open(cls, endpoint: SparqlEndpoint, graphs: Iterable[str], timeout: float = 10.0) -> RemoteStore:
        """The store of ``endpoint`` read as holding ``graphs``, with ``store_union`` for a Virtuoso (told by
        the ``Server`` header of its answer to ``ASK {}``).

        Raises:
            RemoteError: when the endpoint does not answer.
        """
        cls(endpoint, graphs, timeout).query("ASK {}")
        return cls(endpoint, graphs, timeout, store_union=endpoint.virtuoso)

    def bounded(self, timeout: float, stop: threading.Event | None) -> RemoteStore:
        """A copy whose queries are allowed ``timeout`` seconds each and stop when ``stop`` is set."""
        return RemoteStore(self.endpoint, self.graphs, timeout, stop, self.store_union)

    def __bool__(self) -> bool:
        """Always True (``len`` would count the quads remotely)."""
        return True

    def __len__(self) -> int:
        """The quads in the build's graphs (one ``COUNT`` on the endpoint)."""
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._values()} GRAPH ?g {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"].value) if rows else 0

    def _values(self) -> str:
        """``VALUES ?g { ... }``: the build's graphs, to name them in a query itself."""
        return "VALUES ?g { " + " ".join(f"<{graph}>" for graph in self.graphs) + " }"

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
    ) -> QueryResult:
        """Run ``query`` on the endpoint, like ``pyoxigraph.Store.query``.

        Args:
            query: a SPARQL 1.1 query.
            base_iri: what relative IRIs resolve against (sent as a ``BASE`` unless the query declares one).
            use_default_graph_as_union: the default graph is the union of the build's graphs (see the module
                notes for how that is asked of the store).
            default_graph: the default graph's named graphs (``default-graph-uri``), or None.
            named_graphs: the graphs ``GRAPH`` may read (``named-graph-uri``), or None.
            Without any of the last three the query's own dataset (FROM, FROM NAMED) is used, else the
            store's own default graph (for Virtuoso: the union of all its graphs).

        Returns:
            ``QuerySolutions`` (SELECT) or ``QueryBoolean`` (ASK), parsed from the answer as it streams, or an
            iterator of ``Triple`` (CONSTRUCT, DESCRIBE).

        Raises:
            SyntaxError: when the query does not parse (pyoxigraph's message).
            ValueError: for a graph that is not a ``NamedNode`` (a remote store names its graphs by IRI).
            RemoteError: when the endpoint does not answer, refuses, or answers what cannot be read.
        """
        form = query_form(query, base_iri)
        text = query if base_iri is None or declares_base(query) else f"BASE <{base_iri}>\n{query}"
        defaults, names = self._dataset(use_default_graph_as_union, default_graph, named_graphs)
        deadline = Deadline.after(self.timeout, self.stop)
        if form == "triples":
            return self._triples(self.endpoint.send(text, N_TRIPLES, defaults, names, deadline))
        body = self.endpoint.send(text, RESULTS_JSON, defaults, names, deadline)
        try:
            result = ox.parse_query_results(_file(body), ox.QueryResultsFormat.JSON)
        except SyntaxError as error:
            body.close()
            raise self.unreadable(error) from error
        if isinstance(result, ox.QueryBoolean) == (form == "boolean"):
            return result
        del result  # dropped in this thread (pyoxigraph's results may not be dropped in another)
        body.close()
        raise RemoteFailed(f"the SPARQL endpoint {self.endpoint.url} answered the wrong kind of result",
                           self.endpoint.url)

    def _dataset(self, union: bool, default_graph: GraphName | list[GraphName] | None,
                 named_graphs: list[ox.NamedNode | ox.BlankNode] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The ``default-graph-uri`` and ``named-graph-uri`` values of a query (see :meth:`query` and the
        module notes)."""
        everything = () if self.store_union else self.graphs  # the store's union: send none
        if default_graph is not None:
            given = default_graph if isinstance(default_graph, list) else [default_graph]
            return self._in_build(given), everything if named_graphs is None else self._in_build(named_graphs)
        if named_graphs is not None:
            names = self._in_build(named_graphs)
            return (names if union else ()), names
        return (everything, everything) if union else ((), ())

    def _in_build(self, graphs: Iterable[GraphName]) -> tuple[str, ...]:
        """The IRIs of ``graphs``, :data:`NO_GRAPH` for each outside the build.

        Raises:
            ValueError: for a blank node or the default graph, which a remote store cannot be asked for by name.
        """
        iris = []
        for graph in graphs:
            if not isinstance(graph, ox.NamedNode):
                raise ValueError(f"a remote store names its graphs by IRI, not {graph!r}")
            iris.append(graph.value if graph.value in self.graphs else NO_GRAPH)
        return tuple(dict.fromkeys(iris))

    def _triples(self, body: _Body) -> Iterator[ox.Triple]:
        """The triples of an N-Triples answer, as they are read.

        Raises:
            RemoteFailed: when the answer is not N-Triples.
        """
        try:
            for quad in ox.parse(_file(body), format=ox.RdfFormat.N_TRIPLES):
                yield quad.triple
        except SyntaxError as error:
            raise self.unreadable(error) from error
        finally:
            body.close()

    def unreadable(self, error: SyntaxError) -> RemoteFailed:
        """The error for an answer of the endpoint that the parser refused with ``error``."""
        return RemoteFailed(f"the answer of the SPARQL endpoint {self.endpoint.url} cannot be read: {error}",
                            self.endpoint.url)

    def _select(self, query: str) -> list[ox.QuerySolution]:
        """The solutions of a SELECT query over the union of the build's graphs, read whole.

        Raises:
            RemoteError: as :meth:`query`; ``RemoteFailed`` also for an answer that cannot be read.
        """
        result = self.query(query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return read_solutions(result, f"the SPARQL endpoint {self.endpoint.url}")

    def contains_named_graph(self, graph_name: GraphName) -> bool:
        """True when ``graph_name`` is a graph of the build and the store holds triples in it."""
        if not isinstance(graph_name, ox.NamedNode) or graph_name.value not in self.graphs:
            return False
        return bool(self.query(f"ASK {{ GRAPH {graph_name} {{ ?s ?p ?o }} }}", use_default_graph_as_union=True))

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The graphs of the build that the store holds triples in (never the store's other graphs), in
        the build's order."""
        if not self.graphs:
            return iter(())
        rows = self._select(f"SELECT ?g WHERE {{ {self._values()} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}")
        held = {row["g"].value for row in rows}
        return (ox.NamedNode(graph) for graph in self.graphs if graph in held)

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
        predicate: ox.NamedNode | None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads of the build's graphs matching the pattern (None matches anything), as they are read.

        Raises:
            ValueError: for a blank node or quoted triple in the pattern, or a graph that is not a ``NamedNode``
                (they cannot be named in a query to another store).
            RemoteError: as :meth:`query`.
        """
        terms = {"s": subject, "p": predicate, "o": object, "g": graph_name}
        for term in terms.values():
            if term is not None and not isinstance(term, ox.NamedNode | ox.Literal):
                raise ValueError(f"a remote store cannot be asked for {term!r}: name terms by IRI or literal")
        if isinstance(graph_name, ox.NamedNode) and graph_name.value not in self.graphs:
            return iter(())
        where = " ".join(str(terms[name]) if terms[name] is not None else f"?{name}" for name in "spo")
        graph = f"GRAPH {graph_name}" if graph_name is not None else f"{self._values()} GRAPH ?g"
        result = self.query(f"SELECT * WHERE {{ {graph} {{ {where} }} }}", use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return self._quads(result, terms)

    def _quads(self, rows: ox.QuerySolutions, terms: Mapping[str, object]) -> Iterator[ox.Quad]:
        """The quads of the solutions of :meth:`quads_for_pattern` (bound terms from the pattern)."""
        try:
            for row in rows:
                s, p, o, g = (terms[name] if terms[name] is not None else row[name] for name in "spog")
                yield ox.Quad(s, p, o, g)  # type: ignore[arg-type]
        except SyntaxError as error:
            raise self.unreadable(error) from error

    def graph_sizes(self) -> dict[str, int]:
        """The number of triples the store holds in each graph of the build (0 for a graph it lacks)."""
        query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {self._values()} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        rows = self._select(query)
        sizes = {row["g"].value: int(row["n"].value) for row in rows}
        return {graph: sizes.get(graph, 0) for graph in self.graphs}

    def problem(self) -> str | None:
        """Why the store cannot be read now (the endpoint's error), or None when it answers a query."""
        try:
            self.query("ASK { GRAPH ?g { ?s ?p ?o } }", use_default_graph_as_union=True)
        except RemoteError as error:
            return str(error)
        return None


def read_solutions(result: ox.QuerySolutions, source: str = "the remote store") -> list[ox.QuerySolution]:
    """Read all solutions of ``result``, an answer of ``source``.

    On an error ``result`` is let go of here: pyoxigraph's result objects must be dropped in the thread that
    made them, and an exception may be handled in another (a web request's event loop).

    Raises:
        RemoteFailed: when the answer cannot be read (pyoxigraph parses a remote store's answer while it is
            iterated, so a ``SyntaxError`` then is the store's fault, not the query's; an embedded store's
            solutions are never parsed).
        RemoteError: when the answer broke off or ran out of time.
    """
    try:
        return list(result)
    except SyntaxError as error:
        del result
        raise RemoteFailed(f"the answer of {source} cannot be read: {error}", source) from error
    except BaseException:
        del result
        raise


def query_form(query: str, base_iri: str | None = None) -> Literal["solutions", "boolean", "triples"]:
    """What ``query`` returns: ``solutions`` (SELECT), ``boolean`` (ASK) or ``triples`` (CONSTRUCT, DESCRIBE),
    as told by pyoxigraph's parser (against an empty store: nothing is evaluated but an ASK of constants).

    Raises:
        SyntaxError: when the query does not parse (pyoxigraph's message).
    """
    parsed = _GRAMMAR.query(query, base_iri=base_iri)
    if isinstance(parsed, ox.QueryBoolean):
        return "boolean"
    return "solutions" if isinstance(parsed, ox.QuerySolutions) else "triples"


def declares_base(query: str) -> bool:
    """True when the prologue of ``query`` declares a ``BASE`` (SPARQL 1.1 Query, section 4.1.1)."""
    position = 0
    while (part := _PROLOGUE_PART.match(query, position)) and part.end() > position:
        if part.group("base"):
            return True
        position = part.end()
    return False


def _file(body: _Body) -> IO[bytes]:
    """``body`` as the file type pyoxigraph's parsers are declared to take (they only call ``read(size)``)."""
    return cast(IO[bytes], body)
