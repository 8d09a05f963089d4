"""Read a resource's description from the store with SPARQL (the "services" layer of the web app).

Every query runs with ``use_default_graph_as_union=True``: a thing is described from all the source
graphs and the ontology graph together. IRIs are put in queries only after ``pyoxigraph.NamedNode`` has
validated them, so a query cannot be changed by a crafted path. The store is the build's embedded
pyoxigraph store or a :class:`kg.store.remote.RemoteStore` (both a :class:`kg.store.remote.ReadableStore`); the queries
and what is made of their answers are the same.

A store returns triples in an order of its own (pyoxigraph's is that of its indexes, Virtuoso's another) and
names blank nodes its own way, so a description is put in :func:`canonical` form before it is shown: the
same bytes from either store, and from one store every time (its ``ETag`` names one representation).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.store.remote import QueryResult, ReadableStore, read_solutions
from kg.web.http.errors import NotFound
from kg.web.vocab import LABEL_PROPERTIES, RDFS_SUBPROPERTY_OF, SKOS_BROADER, SKOS_TOP_CONCEPT_OF

#: Inbound triples included in a description (the rest are left out; see Linked Data Fragments paging).
INBOUND_LIMIT = 500
#: How deep chains of blank nodes are followed from the described thing.
BNODE_DEPTH = 4
#: Labels fetched per query (``VALUES`` block size).
LABEL_BATCH = 500


def node(iri: str) -> str:
    """Return ``iri`` as a SPARQL IRI reference ``<...>``.

    Raises:
        NotFound: when ``iri`` is not a valid absolute IRI (it cannot be in the store).
    """
    try:
        return str(ox.NamedNode(iri))
    except ValueError as error:
        raise NotFound(f"not a valid IRI: {iri!r} ({error})") from None


def construct(store: ReadableStore, query: str) -> list[ox.Triple]:
    """Run a CONSTRUCT query over the union of all graphs; return its triples, without duplicates.

    Raises:
        OSError: when the store cannot be read (:class:`kg.store.remote.RemoteError` for a remote store).
    """
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        raise TypeError("expected a CONSTRUCT query")
    return list(dict.fromkeys(result))


def select(store: ReadableStore, query: str) -> list[ox.QuerySolution]:
    """Run a SELECT query over the union of all graphs; return its solutions.

    Raises:
        OSError: when the store cannot be read (:class:`kg.store.remote.RemoteError` for a remote store).
    """
    return read_solutions(_solutions(store.query(query, use_default_graph_as_union=True)))


def _solutions(result: QueryResult) -> ox.QuerySolutions:
    """``result`` as the solutions of a SELECT query (no reference is kept: see
    :func:`kg.store.remote.read_solutions`).

    Raises:
        TypeError: for the result of another query form.
    """
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("expected a SELECT query")
    return result


def exists(store: ReadableStore, iri: str) -> bool:
    """Return True when ``iri`` is the subject or object of a triple in any graph.

    Raises:
        NotFound: when ``iri`` is not a valid IRI.
    """
    this = node(iri)
    return bool(store.query(f"ASK {{ {{ {this} ?p ?o }} UNION {{ ?s ?p {this} }} }}", use_default_graph_as_union=True))


def _bnode_chain(this: str, depth: int) -> str:
    """A pattern binding ``?s ?p ?o`` to the triples of blank nodes ``depth`` steps away from ``this``."""
    steps = [f"{this} ?p0 ?b1 . FILTER(isBlank(?b1))"]
    steps += [f"?b{i} ?p{i} ?b{i + 1} . FILTER(isBlank(?b{i + 1}))" for i in range(1, depth)]
    return "{ " + " ".join(steps) + f" BIND(?b{depth} AS ?s) ?s ?p ?o }}"


def describe(store: ReadableStore, iri: str, inbound_limit: int = INBOUND_LIMIT) -> list[ox.Triple]:
    """Return the description of ``iri``, the graph served at ``/doc/...``.

    It holds: every triple with ``iri`` as subject (in any graph); the triples of the blank nodes reached
    from it (up to :data:`BNODE_DEPTH` steps); at most ``inbound_limit`` triples with ``iri`` as object;
    and the labels (:data:`~kg.web.vocab.LABEL_PROPERTIES`) of every IRI mentioned, so that RDF clients
    get names too (the "concise bounded description" plus inbound links and labels).

    Raises:
        NotFound: when ``iri`` is not a valid IRI.
    """
    this = node(iri)
    branches = [f"{{ {this} ?p ?o BIND({this} AS ?s) }}"]
    branches += [_bnode_chain(this, depth) for depth in range(1, BNODE_DEPTH + 1)]
    branches.append(
        f"{{ {{ SELECT ?s ?p WHERE {{ ?s ?p {this} }} ORDER BY ?p ?s LIMIT {int(inbound_limit)} }}"
        f" BIND({this} AS ?o) }}"
    )
    triples = construct(store, "CONSTRUCT { ?s ?p ?o } WHERE { " + " UNION ".join(branches) + " }")
    mentioned = {term.value for t in triples for term in t if isinstance(term, ox.NamedNode)}
    return canonical(triples + labels(store, mentioned))


def canonical(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """``triples`` without duplicates, blank nodes relabelled by RDF Dataset Canonicalization (RDFC-1.0, W3C
    Recommendation 2024) and sorted by their N-Triples form: the same list for the same graph, whichever
    store it was read from and in whatever order."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted((quad.triple for quad in dataset), key=str)


def labels(store: ReadableStore, iris: Iterable[str]) -> list[ox.Triple]:
    """Return the label triples (:data:`~kg.web.vocab.LABEL_PROPERTIES`) of ``iris`` in any graph.

    The properties are a ``FILTER(?lp IN (...))``, not a second ``VALUES`` block: pyoxigraph 0.5 evaluates
    two ``VALUES`` blocks joined with a triple pattern as a scan of every triple (150 ms at 1M triples,
    against under 1 ms this way).

    Raises:
        NotFound: when one of ``iris`` is not a valid IRI.
    """
    nodes = sorted({node(iri) for iri in iris})
    properties = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    found: list[ox.Triple] = []
    for start in range(0, len(nodes), LABEL_BATCH):
        values = " ".join(nodes[start : start + LABEL_BATCH])
        found += construct(
            store,
            f"CONSTRUCT {{ ?x ?lp ?l }} WHERE {{ VALUES ?x {{ {values} }} ?x ?lp ?l FILTER(?lp IN ({properties})) }}",
        )
    return found


def parent_properties(store: ReadableStore) -> list[str]:
    """Return the properties that link a concept to its parent: ``skos:broader``, every property that is
    (transitively) ``rdfs:subPropertyOf skos:broader`` in the store (the ontology's upward links such as
    ``pb:doelstelling``), and ``skos:topConceptOf`` (a programme's parent is its plan).
    """
    rows = select(store, f"SELECT DISTINCT ?p WHERE {{ ?p <{RDFS_SUBPROPERTY_OF}>+ <{SKOS_BROADER}> }}")
    found = [row["p"].value for row in rows if isinstance(row["p"], ox.NamedNode)]
    return sorted({SKOS_BROADER, SKOS_TOP_CONCEPT_OF, *found})
