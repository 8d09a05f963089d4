"""Read a resource's description from the store with SPARQL (the "services" layer of the web app).

Every query runs with ``use_default_graph_as_union=True``: a thing is described from all the source
graphs and the ontology graph together. IRIs are put in queries only after ``pyoxigraph.NamedNode`` has
validated them, so a query cannot be changed by a crafted path.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.web.errors import NotFound
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


def construct(store: ox.Store, query: str) -> list[ox.Triple]:
    """Run a CONSTRUCT query over the union of all graphs; return its triples, without duplicates."""
    result = store.query(query, use_default_graph_as_union=True)
    if not isinstance(result, ox.QueryTriples):
        raise TypeError("expected a CONSTRUCT query")
    return list(dict.fromkeys(result))


def select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    """Run a SELECT query over the union of all graphs; return its solutions."""
    result = store.query(query, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("expected a SELECT query")
    return list(result)


def exists(store: ox.Store, iri: str) -> bool:
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


def describe(store: ox.Store, iri: str, inbound_limit: int = INBOUND_LIMIT) -> list[ox.Triple]:
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
    return list(dict.fromkeys(triples + labels(store, mentioned)))


def labels(store: ox.Store, iris: Iterable[str]) -> list[ox.Triple]:
    """Return the label triples (:data:`~kg.web.vocab.LABEL_PROPERTIES`) of ``iris`` in any graph."""
    nodes = sorted({node(iri) for iri in iris})
    properties = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    found: list[ox.Triple] = []
    for start in range(0, len(nodes), LABEL_BATCH):
        values = " ".join(nodes[start : start + LABEL_BATCH])
        found += construct(
            store,
            f"CONSTRUCT {{ ?x ?lp ?l }} WHERE {{ VALUES ?x {{ {values} }} VALUES ?lp {{ {properties} }} ?x ?lp ?l }}",
        )
    return found


def parent_properties(store: ox.Store) -> list[str]:
    """Return the properties that link a concept to its parent: ``skos:broader``, every property that is
    (transitively) ``rdfs:subPropertyOf skos:broader`` in the store (the ontology's upward links such as
    ``pb:doelstelling``), and ``skos:topConceptOf`` (a programme's parent is its plan).
    """
    rows = select(store, f"SELECT DISTINCT ?p WHERE {{ ?p <{RDFS_SUBPROPERTY_OF}>+ <{SKOS_BROADER}> }}")
    found = [row["p"].value for row in rows if isinstance(row["p"], ox.NamedNode)]
    return sorted({SKOS_BROADER, SKOS_TOP_CONCEPT_OF, *found})
