"""Dataset statistics, counted on the published store at build time (for VoID and the service description).

Every count is a SPARQL aggregate run by pyoxigraph on the store the build has just written, with the same
dataset semantics as the endpoint (the whole dataset: the union of all named graphs as default graph; a
subset: one named graph as default graph), so ``SELECT (COUNT(*) AS ?n) ...`` on ``/sparql`` gives the same
numbers. Standard: VoID (W3C Interest Group Note, 2011), section 4 (statistics).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.settings import ONTOLOGY_NS
from kg.store.local import STATISTICS_FILE, discovery_dir

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Class whose instances are offered as ``void:exampleResource`` (the plans: the entry points of the tree).
EXAMPLE_CLASS = ONTOLOGY_NS + "Begroting"
#: Most example resources listed per dataset.
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Partition:
    """A class partition (``count`` = distinct instances) or a property partition (``count`` = triples)."""

    iri: str
    count: int


@dataclass(frozen=True)
class Scope:
    """The statistics of one dataset: the whole store or one named graph.

    Attributes:
        triples: ``COUNT(*)`` of its triples (``void:triples``).
        entities: distinct subjects named under the URI space ``{base}/id/`` (``void:entities``).
        distinct_subjects: distinct subjects (``void:distinctSubjects``).
        distinct_objects: distinct objects (``void:distinctObjects``).
        classes: per class, its distinct instances (``void:classPartition``), by class IRI.
        properties: per property, its triples (``void:propertyPartition``), by property IRI.
        examples: instances of :data:`EXAMPLE_CLASS` (``void:exampleResource``), by IRI.
    """

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: tuple[Partition, ...] = ()
    properties: tuple[Partition, ...] = ()
    examples: tuple[str, ...] = ()

    @property
    def vocabularies(self) -> tuple[str, ...]:
        """The namespaces of the classes and properties used (``void:vocabulary``), sorted."""
        return tuple(sorted({namespace(p.iri) for p in self.classes + self.properties}))


@dataclass(frozen=True)
class Statistics:
    """The statistics of a build.

    Attributes:
        whole: the whole dataset (all named graphs).
        subsets: per source-document graph IRI, the statistics of that graph.
        graphs: every named graph IRI of the store -> its number of triples.
    """

    whole: Scope
    subsets: dict[str, Scope] = field(default_factory=dict)
    graphs: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        """The statistics as a JSON document (read back by :meth:`from_json`)."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Statistics:
        """Read statistics written by :meth:`to_json`.

        Raises:
            ValueError: when ``text`` is not such a document.
        """
        try:
            data = json.loads(text)
            return cls(
                whole=_scope(data["whole"]),
                subsets={iri: _scope(scope) for iri, scope in data["subsets"].items()},
                graphs={iri: int(n) for iri, n in data["graphs"].items()},
            )
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
            raise ValueError(f"not a statistics document: {error}") from None


def _scope(data: dict[str, Any]) -> Scope:
    return Scope(
        triples=int(data["triples"]),
        entities=int(data["entities"]),
        distinct_subjects=int(data["distinct_subjects"]),
        distinct_objects=int(data["distinct_objects"]),
        classes=tuple(Partition(p["iri"], int(p["count"])) for p in data["classes"]),
        properties=tuple(Partition(p["iri"], int(p["count"])) for p in data["properties"]),
        examples=tuple(data["examples"]),
    )


def namespace(iri: str) -> str:
    """The namespace of a term IRI: up to and including its last ``#``, else its last ``/``."""
    cut = iri.rfind("#") if "#" in iri else iri.rfind("/")
    return iri[: cut + 1]


def count_statistics(store: ox.Store, subsets: list[str], base: str) -> Statistics:
    """Count the statistics of ``store``.

    Args:
        store: the published store (read only).
        subsets: the named graphs to describe as subsets (the source documents' graphs).
        base: the base IRI; entities are the subjects under ``{base}/id/``.

    Returns:
        The statistics of the whole store, of each subset, and the size of every named graph.
    """
    rows = _select(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", None)
    graphs = {row["g"].value: _int(row["n"]) for row in rows}
    return Statistics(
        whole=count_scope(store, None, base),
        subsets={graph: count_scope(store, graph, base) for graph in subsets},
        graphs=dict(sorted(graphs.items())),
    )


def count_scope(store: ox.Store, graph: str | None, base: str) -> Scope:
    """Count the statistics of one named ``graph`` of ``store``, or of the whole store when ``graph`` is None."""
    uri_space = json.dumps(f"{base}/id/")  # a JSON string is a valid SPARQL string literal
    (totals,) = _select(
        store,
        "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects) "
        "WHERE { ?s ?p ?o }",
        graph,
    )
    (entities,) = _select(
        store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), {uri_space})) }}", graph
    )
    classes = _select(store, f"SELECT ?x (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF_TYPE}> ?x }} GROUP BY ?x", graph)
    properties = _select(store, "SELECT ?x (COUNT(*) AS ?n) WHERE { ?s ?x ?o } GROUP BY ?x", graph)
    examples = _select(
        store,
        f"SELECT DISTINCT ?x WHERE {{ ?x <{RDF_TYPE}> <{EXAMPLE_CLASS}> }} ORDER BY ?x LIMIT {MAX_EXAMPLES}",
        graph,
    )
    return Scope(
        triples=_int(totals["n"]),
        entities=_int(entities["n"]),
        distinct_subjects=_int(totals["subjects"]),
        distinct_objects=_int(totals["objects"]),
        classes=_partitions(classes),
        properties=_partitions(properties),
        examples=tuple(row["x"].value for row in examples if isinstance(row["x"], ox.NamedNode)),
    )


def _partitions(rows: list[ox.QuerySolution]) -> tuple[Partition, ...]:
    found = [Partition(row["x"].value, _int(row["n"])) for row in rows if isinstance(row["x"], ox.NamedNode)]
    return tuple(sorted(found, key=lambda p: p.iri))


def _select(store: ox.Store, query: str, graph: str | None) -> list[ox.QuerySolution]:
    """Run a SELECT query over one named graph (as default graph) or the union of all of them."""
    if graph is None:
        result = store.query(query, use_default_graph_as_union=True)
    else:
        result = store.query(query, default_graph=[ox.NamedNode(graph)])
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def _int(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> int:
    assert isinstance(term, ox.Literal)
    return int(term.value)


def write_statistics(statistics: Statistics, path: Path) -> None:
    """Write ``statistics`` as JSON to ``path``."""
    path.write_text(statistics.to_json(), encoding="utf-8")


def read_statistics(path: Path) -> Statistics | None:
    """Read the statistics a build wrote to ``path``; None when the build wrote none (an older build).

    Raises:
        ValueError: when the file is not a statistics document.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return Statistics.from_json(text)


def build_statistics(root: Path) -> Statistics | None:
    """The statistics of the build in ``root``, or None for a build that wrote none.

    Raises:
        ValueError: when the statistics file is damaged.
    """
    return read_statistics(discovery_dir(root) / STATISTICS_FILE)
