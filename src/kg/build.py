"""The pipeline: read sources -> plan model -> link entities -> keys -> RDF -> validate -> store.

:func:`run_build` is what ``kg build`` (and ``kg serve`` on an empty data folder) runs. It publishes only
when every source is fully accounted for and every graph conforms to the shapes; otherwise it raises
:class:`BuildError` and the previously published build stays current.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from kg.crosslink import cross_link
from kg.discovery import write_discovery
from kg.keys import KeyRegistry, assign_keys
from kg.link import LinkReport, ReferenceData, link_plan, load_reference_data
from kg.linksets import linkset_report, map_linkset
from kg.mapping import map_plan
from kg.model import Level, Plan
from kg.progress import ProgressListener, Stages, StageTiming
from kg.rdfsource import read_rdf_source
from kg.reader import load_curation, load_layout, read_plan
from kg.review import REVIEW_FILE, load_review
from kg.settings import ONTOLOGY_NS, Settings
from kg.sources import discover, read_document
from kg.store import publish
from kg.validate import ValidationReport, Violation, read_turtle_dir, validate_graph

#: Named graph of the SHACL shapes in the published store.
SHAPES_GRAPH = ONTOLOGY_NS.rstrip("#") + "/shapes"


class BuildError(RuntimeError):
    """The build was refused; ``violations`` holds SHACL results when validation was the cause."""

    def __init__(self, message: str, violations: tuple[Violation, ...] = ()) -> None:
        super().__init__(message)
        self.violations = violations


@dataclass
class DocumentBuild:
    """What the build made of one source document."""

    plan: Plan
    links: LinkReport
    graph: Graph
    registry: KeyRegistry
    validation: ValidationReport


@dataclass
class BuildResult:
    """A finished build: where it was published, its report (also written as ``report.json``) and the
    timing of its stages."""

    root: Path
    report: dict[str, Any] = field(default_factory=dict)
    stages: list[StageTiming] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What every document of a build is read, linked and validated with."""

    base: str
    shapes: Graph
    ontology: Graph
    reference: ReferenceData


def build_document(path: Path, context: Context) -> DocumentBuild:
    """Read, link, key, map and validate one source document (nothing is written).

    The document's graph is validated together with the reference data, so that link targets are checked.
    An RDF source (layout ``rdf``, :mod:`kg.rdfsource`) is only parsed and validated: its triples are its graph.

    Raises:
        kg.sources.SourceError: when the source or a sidecar cannot be read or does not fit its layout.
        BuildError: when a non-blank line is not accounted for in the ledger.
    """
    document = read_document(path)
    layout = load_layout(document.layout)
    if layout.format == "rdf":  # published as given, validated like the others (kg.rdfsource)
        plan, graph = read_rdf_source(document, context.base)
        validation = validate_graph(graph + context.reference.graph, context.shapes, context.ontology)
        return DocumentBuild(plan, LinkReport(), graph, KeyRegistry(), validation)
    plan = read_plan(document, layout, load_curation(document))
    if missing := plan.unaccounted_lines():
        raise BuildError(f"{path}: line(s) {', '.join(map(str, missing))} not accounted for by the reader")
    links = link_plan(plan, context.reference.gazetteer)
    registry = KeyRegistry.load(document.sidecar(".keys.csv"))
    assign_keys(plan, registry)
    graph = map_plan(plan, context.base)
    validation = validate_graph(graph + context.reference.graph, context.shapes, context.ontology)
    return DocumentBuild(plan, links, graph, registry, validation)


def load_context(settings: Settings) -> tuple[Context, dict[Path, Graph]]:
    """Read what every document is built with: shapes, ontology and concept schemes, reference data.

    Returns:
        The context and the ontology's files (each published as its own named graph), by path.

    Raises:
        kg.link.ReferenceDataError: as :func:`kg.link.load_reference_data`; rdflib's parser errors name a file.
    """
    vocabularies = {path: Graph().parse(path, format="turtle") for path in sorted(settings.ontology_dir.glob("*.ttl"))}
    ontology = Graph()
    for vocabulary in vocabularies.values():
        ontology += vocabulary
    reference = load_reference_data(settings.vocab_dir, settings.base, ontology)  # with the policy themes
    return Context(settings.base, read_turtle_dir(settings.shapes_dir), ontology, reference), vocabularies


def run_build(settings: Settings, progress: ProgressListener | None = None) -> BuildResult:
    """Build every source document in ``settings.seeds_dir`` and publish the result in ``settings.data_dir``.

    The stages (read, assemble, store, discover) are timed and reported to ``progress`` when given.

    Returns:
        The published build and its report.

    Raises:
        BuildError: when there is no source, a line is unaccounted for, or any graph violates the shapes
            (the message lists focus node, path, message and source line of each violation).
        kg.sources.SourceError: when a source cannot be read or does not fit its layout.
    """
    stages = Stages(progress)
    context, vocabularies = load_context(settings)
    ontology, reference = context.ontology, context.reference
    review = load_review(settings.seeds_dir / REVIEW_FILE)
    paths = discover(settings.seeds_dir)
    if not paths:
        raise BuildError(f"no source documents (*.txt with a .meta.yaml) in {settings.seeds_dir}")
    stages.begin("read", len(paths))
    builds = []
    for path in paths:
        builds.append(build_document(path, context))
        stages.advance(path.name)
    nodes = sum(1 for b in builds for _ in b.plan.nodes())
    stages.end(f"{len(builds)} document(s), {nodes} nodes")
    plans = [b.plan for b in builds]
    linksets = cross_link(plans, ontology, reference.graph, review)
    linkset_graphs = [map_linkset(linkset, settings.base) for linkset in linksets]
    linkset_validation = validate_graph(_union(linkset_graphs) + reference.graph, context.shapes, ontology)
    violations = tuple(
        v
        for validation in (*(b.validation for b in builds), linkset_validation)
        for v in validation.violations
        if v.severity == "Violation"
    )
    if violations:
        listing = "\n".join(f"  {v}" for v in violations)
        raise BuildError(f"validation failed, nothing published:\n{listing}", violations)

    stages.begin("assemble")
    dataset = Dataset()
    for b in builds:
        dataset.graph(b.graph.identifier).__iadd__(b.graph)
    for graph in linkset_graphs:
        dataset.graph(graph.identifier).__iadd__(graph)
    for path, vocabulary in vocabularies.items():
        dataset.graph(_vocabulary_iri(vocabulary, path)).__iadd__(vocabulary)
    for stem, part in reference.files.items():
        dataset.graph(URIRef(f"{settings.base}/graph/referentie/{stem}")).__iadd__(part)
    dataset.graph(URIRef(SHAPES_GRAPH)).__iadd__(context.shapes)
    quads = ox.parse(dataset.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    stages.end(f"{len(dataset)} triples in {sum(1 for graph in dataset.graphs() if len(graph))} named graphs")

    report = {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_iri": settings.base,
        "documents": [_document_report(b) for b in builds],
        "linksets": [linkset_report(linkset, settings.base, plans) for linkset in linksets],
        "triples": len(dataset),
    }
    stages.begin("store")
    root = publish(quads, paths, report, settings.data_dir, partial(_discover, stages, settings, report))
    for b in builds:
        if b.registry.entries:
            b.registry.save(b.plan.document.sidecar(".keys.csv"))
    return BuildResult(root=root, report=report, stages=stages.timings)


def _discover(stages: Stages, settings: Settings, report: dict[str, Any], root: Path, store: ox.Store) -> None:
    """End the store stage and write the discovery documents of the build (see :mod:`kg.discovery`)."""
    stages.end(f"{len(store)} quads stored, dumps written")
    stages.begin("discover")
    stages.end(str(write_discovery(root, store, report, settings)))


def _union(graphs: list[Graph]) -> Graph:
    """Return one graph with the triples of all ``graphs``."""
    union = Graph()
    for graph in graphs:
        union += graph
    return union


def _vocabulary_iri(graph: Graph, path: Path) -> URIRef:
    """Name an ontology file's graph after its owl:Ontology (or skos:ConceptScheme) IRI."""
    for kind in (OWL.Ontology, SKOS.ConceptScheme):
        subject = graph.value(None, RDF.type, kind)
        if isinstance(subject, URIRef):
            return subject
    raise BuildError(f"{path}: declares no owl:Ontology or skos:ConceptScheme to name its graph")


def _document_report(b: DocumentBuild) -> dict[str, Any]:
    plan, doc = b.plan, b.plan.document
    outcomes = [entry.outcome for entry in plan.ledger]
    return {
        "file": doc.path.name,
        "key": doc.key,
        "title": doc.title,
        "kind": doc.kind,
        "year": doc.year,
        "body": {"code": doc.body.code, "name": doc.body.name, "iri": doc.body.iri},
        "graph": str(b.graph.identifier),
        "sha256": doc.sha256,
        "triples": len(b.graph),
        "counts": {level.value: plan.count(level) for level in Level},
        "ledger": {outcome: outcomes.count(outcome) for outcome in ("node", "header", "skipped")},
        "skipped": [
            {"line": e.line, "text": e.text, "reason": e.detail} for e in plan.ledger if e.outcome == "skipped"
        ],
        "uncertain": [
            {"line": d.line, "text": d.text, "level": d.level.value, "rule": d.rule, "curated": d.curated}
            for d in plan.decisions
            if d.uncertain
        ],
        "curated": [{"line": d.line, "level": d.level.value} for d in plan.decisions if d.curated],
        "keys": {"minted": len(b.registry.minted), "revised": b.registry.revised},
        "links": dict(sorted(b.links.links.items())),
        "publisher_mentions": b.links.publisher_mentions,
        "candidates": dict(sorted(b.links.candidates.items())),
        "warnings": [str(v) for v in b.validation.violations if v.severity != "Violation"],
    }
