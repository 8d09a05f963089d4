"""``kg publish``: push the named graphs of the current build to a triplestore over the SPARQL 1.1 Graph Store
HTTP Protocol (W3C Recommendation, 21 March 2013; https://www.w3.org/TR/sparql11-http-rdf-update/).

Every named graph of the published build (:func:`kg.store.local.open_publication`, read-only) is sent to the graph
store with *indirect graph identification* (section 4.2: ``{graph-store}?graph={graph IRI}``) as N-Triples
(``application/n-triples``):

- the first request of a graph is an ``HTTP PUT`` (section 5.3), which replaces whatever the store held in that
  graph, so publishing the same build twice leaves the store as after once (idempotent);
- a graph larger than ``chunk_triples`` is sent in several requests: the first chunk with ``PUT``, the others
  with ``HTTP POST`` (section 5.5, which merges them into the graph). Triples that share a blank node always
  travel in one request, since a blank node label is scoped to the document it is in (RDF 1.1 Concepts,
  section 3.4); a set of triples linked by blank nodes larger than a chunk is sent whole.

A graph sent in chunks is not replaced atomically: if a later chunk fails, the store holds part of the graph
until the next successful publish. Virtuoso 7.2 accepts one ``PUT`` of at least 100 MB (1 million triples,
see ``benchmarks/VIRTUOSO.md``); chunks keep the requests, and the store's transactions, of a bounded size.

Graphs the store holds but the build does not are left alone (the protocol has no "list graphs"; remove them
with ``HTTP DELETE``, section 5.4, if needed).
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import httpx
import pyoxigraph as ox
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from kg.store.local import open_publication

#: Media type of the request bodies (RDF 1.1 N-Triples, section 7).
N_TRIPLES = "application/n-triples"

#: Triples per request by default (about 2.5 MB of N-Triples; see benchmarks/VIRTUOSO.md for the choice).
DEFAULT_CHUNK_TRIPLES = 25_000

#: The longest part of a server's error message repeated in a :class:`PublishError`.
MAX_SERVER_MESSAGE = 600

AuthScheme = Literal["digest", "basic"]


class PublishError(RuntimeError):
    """Raised when a graph cannot be published.

    Attributes:
        graph: the IRI of the graph being sent, or None when the failure is not about one graph.
        status: the HTTP status code of the refusal, or None when no answer came (connection failed).
        server_message: the text of the server's answer (HTML stripped, shortened), or the transport error.
    """

    def __init__(self, message: str, graph: str | None = None, status: int | None = None,
                 server_message: str = "") -> None:
        super().__init__(message)
        self.graph = graph
        self.status = status
        self.server_message = server_message


@dataclass(frozen=True)
class GraphPublished:
    """One graph sent: its IRI, triples, the requests it took, the last status code and the seconds spent."""

    graph: str
    triples: int
    requests: int
    status: int
    seconds: float


@dataclass
class PublishResult:
    """What :func:`publish_current` did: the build published, to which graph store, graph by graph."""

    build_id: str
    graph_store: str
    graphs: list[GraphPublished] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        """Triples sent, over all graphs."""
        return sum(graph.triples for graph in self.graphs)


class PublishListener(Protocol):
    """Told how far a publish is (e.g. :class:`RichPublishProgress`)."""

    def graph_started(self, graph: str, triples: int) -> None:
        """Sending ``graph`` (of ``triples`` triples) begins."""

    def chunk_sent(self, graph: str, triples: int) -> None:
        """A request of ``triples`` triples of ``graph`` was accepted."""

    def graph_finished(self, result: GraphPublished) -> None:
        """The whole graph was accepted."""


def graph_chunks(triples: Iterable[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Split a graph's triples into lists of about ``size`` triples, keeping each set of triples linked by
    blank nodes in one list (a blank node is local to the document it is sent in).

    Args:
        triples: the graph's triples, in any order.
        size: the most triples of a list, unless one set linked by blank nodes is larger (then it is a list
            of its own).

    Returns:
        An iterator of lists; at least one list, empty for an empty graph (so that its ``PUT`` empties the
        graph in the store).

    Raises:
        ValueError: when ``size`` is below 1.
    """
    if size < 1:
        raise ValueError(f"chunk size must be at least 1 triple, not {size}")
    batch: list[ox.Triple] = []
    linked: list[tuple[ox.Triple, list[str]]] = []
    sent = False
    for triple in triples:
        blanks = _blank_nodes(triple)
        if blanks:
            linked.append((triple, blanks))
            continue
        batch.append(triple)
        if len(batch) >= size:
            yield batch
            batch, sent = [], True
    for component in _components(linked):
        if batch and len(batch) + len(component) > size:
            yield batch
            batch, sent = [], True
        batch.extend(component)
    if batch or not sent:
        yield batch


def _blank_nodes(term: ox.Triple) -> list[str]:
    """Labels of the blank nodes in a triple (also inside quoted triples)."""
    labels: list[str] = []
    for part in (term.subject, term.object):
        if isinstance(part, ox.BlankNode):
            labels.append(part.value)
        elif isinstance(part, ox.Triple):
            labels.extend(_blank_nodes(part))
    return labels


def _components(linked: list[tuple[ox.Triple, list[str]]]) -> list[list[ox.Triple]]:
    """Group triples into the sets connected through shared blank nodes (union-find on the labels)."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        parent.setdefault(label, label)
        while parent[label] != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    for _triple, blanks in linked:
        first = root(blanks[0])
        for other in blanks[1:]:
            parent[root(other)] = first
    groups: dict[str, list[ox.Triple]] = {}
    for triple, blanks in linked:
        groups.setdefault(root(blanks[0]), []).append(triple)
    return list(groups.values())


def server_message(response: httpx.Response) -> str:
    """The gist of an error answer: its text with HTML tags removed and white space collapsed, shortened.

    Virtuoso wraps its message in ``<xmp>``; when there is one, only that is kept.
    """
    text = response.text
    if "html" in response.headers.get("content-type", "") or text.lstrip().startswith("<"):
        quoted = re.findall(r"<xmp>(.*?)</xmp>", text, flags=re.S | re.I)
        text = " ".join(quoted) if quoted else re.sub(r"<[^>]+>", " ", text)
        text = html.unescape(text)
    text = " ".join(text.split())
    return text if len(text) <= MAX_SERVER_MESSAGE else text[:MAX_SERVER_MESSAGE] + " ..."


def send_graph(client: httpx.Client, graph_store: str, graph: str, triples: Iterable[ox.Triple],
               total: int, chunk_triples: int = DEFAULT_CHUNK_TRIPLES,
               listener: PublishListener | None = None) -> GraphPublished:
    """Replace ``graph`` in the graph store by ``triples``: ``PUT`` of the first chunk (section 5.3), ``POST``
    of the others (section 5.5), each as N-Triples to ``{graph_store}?graph={graph}`` (section 4.2).

    Args:
        client: the HTTP client (with the authentication and time-outs to use).
        graph_store: the graph store's URL (e.g. Virtuoso's ``http://host:8890/sparql-graph-crud-auth``).
        graph: the IRI of the named graph.
        triples: its triples.
        total: how many there are (for the listener).
        chunk_triples: the most triples per request (see :func:`graph_chunks`).
        listener: told of each accepted request, or None.

    Returns:
        What was sent.

    Raises:
        PublishError: when a request fails or is refused (any status outside 2xx), naming the graph, the
            status and the server's message.
    """
    started = time.perf_counter()
    if listener is not None:
        listener.graph_started(graph, total)
    requests = sent = status = 0
    for chunk in graph_chunks(triples, chunk_triples):
        method = "PUT" if requests == 0 else "POST"
        body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b""
        try:
            response = client.request(method, graph_store, params={"graph": graph}, content=body,
                                      headers={"Content-Type": N_TRIPLES})
        except httpx.HTTPError as err:
            raise PublishError(f"graph <{graph}>: {method} to {graph_store} failed: {err}", graph=graph,
                               server_message=str(err)) from err
        if not response.is_success:
            message = server_message(response)
            hint = " (check --user, --password and --auth)" if response.status_code in (401, 403) else ""
            raise PublishError(
                f"graph <{graph}>: {method} to {graph_store} answered {response.status_code} "
                f"{response.reason_phrase}{hint}: {message or '(no message)'}",
                graph=graph, status=response.status_code, server_message=message,
            )
        requests, sent, status = requests + 1, sent + len(chunk), response.status_code
        if listener is not None:
            listener.chunk_sent(graph, len(chunk))
    result = GraphPublished(graph, sent, requests, status, time.perf_counter() - started)
    if listener is not None:
        listener.graph_finished(result)
    return result


def http_auth(user: str | None, password: str | None, scheme: AuthScheme = "digest") -> httpx.Auth | None:
    """The HTTP authentication for ``user`` (RFC 7616 digest or RFC 7617 basic), or None without a user.

    Raises:
        PublishError: when a user is given without a password.
    """
    if not user:
        return None
    if password is None:
        raise PublishError(f"a password is needed for user {user!r} (--password or KG_PUBLISH_PASSWORD)")
    return httpx.DigestAuth(user, password) if scheme == "digest" else httpx.BasicAuth(user, password)


def publish_current(data_dir: Path, graph_store: str, auth: httpx.Auth | None = None,
                    chunk_triples: int = DEFAULT_CHUNK_TRIPLES, timeout: float = 300.0,
                    listener: PublishListener | None = None) -> PublishResult:
    """Send every named graph of the current build in ``data_dir`` to ``graph_store`` (see the module notes).

    Args:
        data_dir: the data folder whose current build is published (opened read-only).
        graph_store: the URL of the graph store (``http`` or ``https``).
        auth: the HTTP authentication, or None.
        chunk_triples: the most triples per request.
        timeout: seconds to wait for each answer (a large graph takes the store a while to load).
        listener: told of each graph and request, or None.

    Returns:
        The graphs sent, in IRI order, with their triple counts.

    Raises:
        kg.store.local.NoPublicationError: when nothing is published in ``data_dir``.
        PublishError: when the URL is not an HTTP(S) URL, or a graph is refused or cannot be sent (the
            graphs before it are published).
    """
    url = httpx.URL(graph_store)
    if url.scheme not in ("http", "https") or not url.host:
        raise PublishError(f"not an http(s) URL of a graph store: {graph_store!r}")
    started = time.perf_counter()
    publication = open_publication(data_dir)
    store = publication.store
    result = PublishResult(build_id=publication.build_id, graph_store=graph_store)
    graphs = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    with httpx.Client(auth=auth, timeout=httpx.Timeout(timeout, connect=10.0)) as client:
        for graph in graphs:
            total = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
            triples = (quad.triple for quad in store.quads_for_pattern(None, None, None, graph))
            result.graphs.append(send_graph(client, graph_store, graph.value, triples, total, chunk_triples,
                                            listener))
    result.seconds = time.perf_counter() - started
    return result


class RichPublishProgress:
    """A :class:`PublishListener` that shows each graph as a line of a :class:`rich.progress.Progress`."""

    def __init__(self, progress: Progress) -> None:
        """Show graphs on ``progress`` (started and stopped by the caller)."""
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def graph_started(self, graph: str, triples: int) -> None:
        """Add a line for ``graph``, counting its triples."""
        self.tasks[graph] = self.progress.add_task(graph, total=max(triples, 1))

    def chunk_sent(self, graph: str, triples: int) -> None:
        """Advance the line of ``graph`` by the triples accepted."""
        self.progress.update(self.tasks[graph], advance=triples)

    def graph_finished(self, result: GraphPublished) -> None:
        """Complete the line of the graph."""
        task = self.tasks[result.graph]
        self.progress.update(task, completed=self.progress.tasks[task].total or 1)


def summary_lines(result: PublishResult) -> list[str]:
    """A line per graph sent (triples, requests, the last HTTP status, seconds) and a total line."""
    lines = []
    for graph in result.graphs:
        requests = f"{graph.requests} requests" if graph.requests > 1 else "1 request"
        lines.append(f"{graph.graph}: {graph.triples} triples, {requests}, HTTP {graph.status}, "
                     f"{graph.seconds:.2f} s")
    lines.append(f"published {result.triples} triples in {len(result.graphs)} graphs of build {result.build_id} "
                 f"to {result.graph_store} in {result.seconds:.2f} s")
    return lines


@contextmanager
def publish_progress(console: Console) -> Iterator[RichPublishProgress]:
    """Show publish progress on ``console`` while the block runs; yields the listener to pass on."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        yield RichPublishProgress(progress)
