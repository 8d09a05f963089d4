"""Validate stage: SHACL validation of a graph against the published shapes (pyshacl).

The report names, for every result, the focus node, the path, the message and, where the focus node
records its provenance, the source document and lines it came from (design notes, section 4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from pyshacl.graph_abstraction import DataGraph
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, SH
from rdflib.term import Node as Term

from kg.mapping import PB


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    Attributes:
        focus: the focus node (IRI or blank-node label as text).
        path: the result path, or "" for a node-level constraint.
        message: the shape's message (``sh:resultMessage``).
        severity: ``Violation``, ``Warning`` or ``Info``.
        source: ``"<file>:<start>-<end>"`` where the focus node came from, or "" when unknown.
    """

    focus: str
    path: str
    message: str
    severity: str
    source: str

    def __str__(self) -> str:
        where = f" (source {self.source})" if self.source else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{where}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: ``conforms`` and the results (SHACL 1.0, section 3.6)."""

    conforms: bool
    violations: tuple[Violation, ...]


def read_turtle_dir(folder: Path) -> Graph:
    """Return one graph with every ``*.ttl`` file of ``folder``.

    Raises:
        rdflib parser errors (naming the file) when a file is not valid Turtle.
    """
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def validate_graph(data: Graph, shapes: Graph, ontology: Graph, store: ox.Store | None = None) -> ValidationReport:
    """Validate ``data`` against ``shapes``, with ``ontology`` as the ontology graph (no inference).

    Args:
        data: the triples to validate (e.g. one document's named graph).
        shapes: the SHACL shapes graph.
        ontology: the ontology (class and property declarations) mixed into the data graph by pyshacl.
        store: when given, a pyoxigraph store holding the triples of ``data`` in its default graph: pyshacl then
            validates the store, running SPARQL-based constraints in oxigraph (many times faster than rdflib for
            the links between plans, :mod:`kg.linkcheck`; slower for core constraints), and ``data`` only
            names the source lines of the results.

    Returns:
        The report; ``conforms`` is False when any result has severity ``sh:Violation``.
    """
    conforms, results, _text = shacl_validate(
        data if store is None else DataGraph.from_oxigraph_store(store), shacl_graph=shapes, ont_graph=ontology,
        inference="none", allow_warnings=True,
    )
    violations = tuple(
        sorted(
            (_violation(results, r, data) for r in results.subjects(SH.resultSeverity, None)),
            key=lambda v: (v.source, v.focus, v.path),
        )
    )
    return ValidationReport(conforms=bool(conforms), violations=violations)


def _violation(results: Graph, result: Term, data: Graph) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    severity = results.value(result, SH.resultSeverity)
    return Violation(
        focus=str(focus),
        path=str(path) if path is not None else "",
        message=str(results.value(result, SH.resultMessage) or ""),
        severity=str(severity).rsplit("#", 1)[-1],
        source=_source_of(data, focus),
    )


def _source_of(data: Graph, focus: Term | None) -> str:
    """Return ``<file>:<start>-<end>`` from the focus node's provenance, or ""."""
    if focus is None:
        return ""
    start, end = data.value(focus, PB.beginRegel), data.value(focus, PB.eindRegel)
    document = data.value(focus, DCTERMS.source)
    url = data.value(document, DCAT.downloadURL) if document is not None else None
    if start is None:
        return ""
    name = str(url).rsplit("/", 1)[-1] if isinstance(url, URIRef) else "?"
    return f"{name}:{start}-{end if end is not None else start}"


def read_rdf_files(paths: Iterable[Path]) -> Graph:
    """Read RDF files (format from the extension: .ttl, .nt, .jsonld, .rdf, .trig, .nq) into one graph.

    Quads of all named graphs are merged, so a TriG or N-Quads dump validates as a whole.

    Raises:
        ValueError: naming the file, when a file cannot be parsed.
    """
    merged = Graph()
    for path in paths:
        dataset = Dataset()
        try:
            dataset.parse(path)
        except Exception as err:  # rdflib raises many parser-specific types
            raise ValueError(f"{path}: not readable as RDF ({err})") from err
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            merged.add((s, p, o))
    return merged
