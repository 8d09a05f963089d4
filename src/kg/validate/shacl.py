"""Validate stage: SHACL validation of a graph against the published shapes (SHACL 1.0 Core and SPARQL).

The engine is ``shacl`` (PyPI, a SHACL Core and SHACL-SPARQL engine in Rust): on a document of 31k triples it
takes 0.06 s (0.2 s with writing the graph as N-Triples) where pySHACL took four to five seconds
(benchmarks/README.md, "Build at scale"), with the same results on every case of
``tests/validate/test_validate_engine.py``, which compares the two. Only asserted triples count: no inference runs, and
the ontology is not mixed into the data (the shapes say so in their header), so a node lacking its
``rdf:type skos:Concept`` is reported even where its class is a subclass of it.

The report names, for every result, the focus node, the path, the message and, where the focus node
records its provenance, the source document and lines it came from (design notes, section 4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import shacl
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS
from rdflib.term import Node as Term

from kg.model.iris import PB


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


def validate_graph(data: Graph, shapes: Graph, reference: Graph | None = None) -> ValidationReport:
    """Validate ``data`` against ``shapes`` (SHACL 1.0, section 3: focus nodes and evaluation in the data graph).

    Args:
        data: the triples to validate (e.g. one document's named graph).
        shapes: the SHACL shapes graph.
        reference: triples validated together with ``data`` (their union is the data graph), e.g. the reference
            data that links point to; given apart so that the union is never copied in rdflib.

    Returns:
        The report, its results sorted by source, focus node and path; ``conforms`` is False when any result has
        severity ``sh:Violation`` (warnings and infos do not refuse a graph).

    Raises:
        ValueError: when the shapes are not a SHACL shapes graph the engine can compile.
    """
    text = data.serialize(format="nt") + ("" if reference is None else reference.serialize(format="nt"))
    compiled = shacl.Shapes.from_text(shapes.serialize(format="nt"), "ntriples")
    report = compiled.validate_text(text, "ntriples", inference="none")
    violations = tuple(sorted((_violation(r, data) for r in report.results), key=lambda v: (v.source, v.focus, v.path)))
    return ValidationReport(conforms=all(v.severity != "Violation" for v in violations), violations=violations)


def _violation(result: shacl.Result, data: Graph) -> Violation:
    """One result of the engine's report as a :class:`Violation`, its source looked up in ``data``.

    The engine gives terms in N-Triples syntax (``<iri>``, ``_:label``) and a complex path in SPARQL property
    path syntax (``(<a>|<b>)``); an IRI is given bare, as rdflib would print it."""
    focus = _bare(result.focus_node)
    return Violation(
        focus=focus,
        path=_bare(result.path or ""),
        message=result.message or "",
        severity=result.severity,
        source=_source_of(data, URIRef(focus)) if result.focus_node.startswith("<") else "",
    )


def _bare(term: str) -> str:
    """``<iri>`` as ``iri``; anything else (a blank node label, a complex path) as it is."""
    return term[1:-1] if term.startswith("<") and term.endswith(">") and " " not in term and "|" not in term else term


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
        ValueError: naming the file, when a file does not exist or cannot be parsed.
    """
    merged = Graph()
    for path in paths:
        if not path.is_file():
            raise ValueError(f"{path}: no such file")
        dataset = Dataset()
        try:
            dataset.parse(path)
        except Exception as err:  # rdflib raises many parser-specific types
            raise ValueError(f"{path}: not readable as RDF ({err})") from err
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            merged.add((s, p, o))
    return merged
