"""Per-document stage of a build: read, link, key, map and validate one source document.

Each source document is built on its own, with what every document is built with (:class:`Context`: shapes,
ontology, reference data): :func:`build_document` reads it, links its entities, assigns its keys, maps it to
RDF and validates its graph together with the reference data. :func:`build_result` turns that into a
:class:`DocumentResult`, what the rest of the build needs of the document: its graph as N-Quads, its entry of
the build report, its validation report, its plan (for the links across documents) and its key registry. A
result can be pickled, so that worker processes (:mod:`kg.build.workers`) return it and the build cache
(:mod:`kg.build.cache`) keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.build.progress import StepClock
from kg.link.entities import LinkReport, ReferenceData, link_plan, load_reference_data
from kg.model.plan import Level, Plan
from kg.rdf.keys import KeyRegistry, assign_keys
from kg.rdf.mapping import map_plan
from kg.read.curation import load_curation
from kg.read.files import read_document
from kg.read.rdf_source import read_rdf_source
from kg.read.reader import load_layout, read_plan
from kg.settings import Settings
from kg.store.local import nquads, pack
from kg.validate.shacl import ValidationReport, Violation, read_turtle_dir, validate_graph

#: The suffix of a document's key registry beside it (``<stem>.keys.csv``, :mod:`kg.rdf.keys`).
REGISTRY = ".keys.csv"


class BuildError(RuntimeError):
    """The build was refused; ``violations`` holds SHACL results when validation was the cause."""

    def __init__(self, message: str, violations: tuple[Violation, ...] = ()) -> None:
        super().__init__(message)
        self.violations = violations

    def __reduce__(self) -> tuple[type[BuildError], tuple[str, tuple[Violation, ...]]]:
        """Pickle with the violations (a worker process's error reaches the build whole)."""
        return type(self), (str(self), self.violations)


@dataclass
class DocumentBuild:
    """What the build made of one source document."""

    plan: Plan
    links: LinkReport
    graph: Graph
    registry: KeyRegistry
    validation: ValidationReport


@dataclass(frozen=True)
class Context:
    """What every document of a build is read, linked and validated with."""

    base: str
    shapes: Graph
    ontology: Graph
    reference: ReferenceData


@dataclass
class DocumentResult:
    """What a build keeps of one source document (picklable: a worker returns it, the cache keeps it).

    Attributes:
        plan: the plan read, its entities linked and its keys assigned (for the links across documents).
        graph: the IRI of the document's named graph.
        nquads: the graph as N-Quads in its named graph, blank nodes labelled stably (:func:`kg.store.local.nquads`),
            packed (:func:`kg.store.local.pack`).
        report: the document's entry of the build report (``report["documents"]``).
        validation: the SHACL report of the graph validated with the reference data.
        registry: the key registry after the build (saved beside the source once the build is published).
        seconds: seconds per step of the document's build (read, link, keys, map, validate, serialise).
    """

    plan: Plan
    graph: str
    nquads: bytes
    report: dict[str, Any]
    validation: ValidationReport
    registry: KeyRegistry
    seconds: dict[str, float] = field(default_factory=dict)


def load_context(settings: Settings) -> tuple[Context, dict[Path, Graph]]:
    """Read what every document is built with: shapes, ontology and concept schemes, reference data.

    Returns:
        The context and the ontology's files (each published as its own named graph), by path.

    Raises:
        kg.link.entities.ReferenceDataError: as :func:`kg.link.entities.load_reference_data`; rdflib's parser
            errors name a file.
    """
    vocabularies = {path: Graph().parse(path, format="turtle") for path in sorted(settings.ontology_dir.glob("*.ttl"))}
    ontology = Graph()
    for vocabulary in vocabularies.values():
        ontology += vocabulary
    reference = load_reference_data(settings.vocab_dir, settings.base, ontology)  # with the policy themes
    return Context(settings.base, read_turtle_dir(settings.shapes_dir), ontology, reference), vocabularies


def build_document(path: Path, context: Context, clock: StepClock | None = None) -> DocumentBuild:
    """Read, link, key, map and validate one source document (nothing is written).

    The document's graph is validated together with the reference data, so that link targets are checked.
    An RDF source (layout ``rdf``, :mod:`kg.read.rdf_source`) is only parsed and validated: its triples are its graph.

    Args:
        path: the source document.
        context: what it is built with.
        clock: times the steps (read, link, keys, map, validate), when given.

    Raises:
        kg.model.source.SourceError: when the source or a sidecar cannot be read or does not fit its layout.
        BuildError: when a non-blank line is not accounted for in the ledger.
    """
    clock = clock or StepClock()
    with clock.step("read"):
        document = read_document(path)
        layout = load_layout(document.layout)
        if layout.format == "rdf":  # published as given, validated like the others (kg.read.rdf_source)
            plan, graph = read_rdf_source(document, context.base)
        else:
            plan = read_plan(document, layout, load_curation(document))
    if layout.format == "rdf":
        return DocumentBuild(plan, LinkReport(), graph, KeyRegistry(), _validate(graph, context, clock))
    if missing := plan.unaccounted_lines():
        raise BuildError(f"{path}: line(s) {', '.join(map(str, missing))} not accounted for by the reader")
    with clock.step("link"):
        links = link_plan(plan, context.reference.gazetteer)
    with clock.step("keys"):
        registry = KeyRegistry.load(document.sidecar(REGISTRY))
        assign_keys(plan, registry)
    with clock.step("map"):
        graph = map_plan(plan, context.base)
    return DocumentBuild(plan, links, graph, registry, _validate(graph, context, clock))


def _validate(graph: Graph, context: Context, clock: StepClock) -> ValidationReport:
    """Validate a document's graph together with the reference data (step ``validate``)."""
    with clock.step("validate"):
        return validate_graph(graph, context.shapes, context.reference.graph)


def build_result(path: Path, context: Context) -> DocumentResult:
    """Build one source document (:func:`build_document`) and return what the build keeps of it.

    Raises:
        kg.model.source.SourceError: as :func:`build_document`.
        BuildError: as :func:`build_document`.
    """
    clock = StepClock()
    built = build_document(path, context, clock)
    with clock.step("serialise"):
        data = pack(nquads(built.graph, str(built.graph.identifier)))
    return DocumentResult(built.plan, str(built.graph.identifier), data, document_report(built), built.validation,
                          built.registry, clock.seconds)


def unreviewed_decisions(plan: Plan) -> list[dict[str, Any]]:
    """The uncertain objective-or-result decisions of ``plan`` that nobody reviewed (no curation entry), in source
    order: line, text, level, rule and doubt of each (the report's ``unreviewed``; ``kg build --strict`` refuses
    to publish while any document has one)."""
    return [{"line": d.line, "text": d.text, "level": d.level.value, "rule": d.rule, "doubt": d.doubt}
            for d in plan.decisions if d.unreviewed]


def document_report(b: DocumentBuild) -> dict[str, Any]:
    """The document's entry of the build report: what was read (counts, ledger, decisions: ``uncertain`` lists
    every uncertain one, ``unreviewed`` those nobody reviewed), keys, links (with the name candidates, the mentions
    the linker left uncertain, ``uncertain_links``, and the places inside the names of linked organisations and
    instruments, ``locations``: :class:`kg.link.entities.LinkReport`) and the validation's warnings; ``cache`` is
    ``rebuilt`` (:mod:`kg.build.cache` marks a reused one ``reused``)."""
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
            {"line": d.line, "text": d.text, "level": d.level.value, "rule": d.rule, "curated": d.curated,
             "reviewed": d.reviewed}
            for d in plan.decisions
            if d.uncertain
        ],
        "unreviewed": unreviewed_decisions(plan),
        "curated": [{"line": d.line, "level": d.level.value} for d in plan.decisions if d.curated],
        "keys": {"minted": len(b.registry.minted), "revised": b.registry.revised},
        "links": dict(sorted(b.links.links.items())),
        "publisher_mentions": b.links.publisher_mentions,
        "candidates": dict(sorted(b.links.candidates.items())),
        "uncertain_links": b.links.uncertain,
        "locations": b.links.locations,
        "warnings": [str(v) for v in b.validation.violations if v.severity != "Violation"],
        "cache": "rebuilt",
    }
