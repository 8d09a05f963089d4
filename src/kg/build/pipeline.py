"""The pipeline: read sources -> plan model -> link entities -> keys -> RDF -> validate -> store.

:func:`run_build` is what ``kg build`` (and ``kg serve`` on an empty data folder) runs. It publishes only
when every source is fully accounted for and every graph conforms to the shapes; otherwise it raises
:class:`BuildError` and the previously published build stays current. Its stages, each timed
(:mod:`kg.build.progress`):

- ``context``: the shapes, ontology, concept schemes and reference data read (:mod:`kg.build.document`), and the
  N-Quads of those published as they are; the source documents found;
- ``read``: each source document read, linked, keyed, mapped and validated with the reference data
  (:mod:`kg.build.document`), in worker processes (:mod:`kg.build.workers`); a document none of whose inputs
  changed since the last build comes from the build cache instead (:mod:`kg.build.cache`): it is not read nor
  validated again;
- with ``settings.strict``: the build is refused (:class:`BuildError`, nothing published) when any document has an
  uncertain objective-or-result decision that nobody reviewed (:func:`refuse_unreviewed`);
- ``link``: the links across documents, from every plan (:mod:`kg.link.crosslink`), made afresh by every build;
- ``validate links``: the links mapped and validated in parts (:mod:`kg.build.linkcheck`), in worker processes or
  from the cache;
- ``assemble``: every graph's N-Quads put together, and the report;
- ``store``: the store bulk loaded from every graph's N-Quads (:func:`kg.store.local.publish`);
- ``discover``: the N-Quads and TriG dumps written while the statistics are counted, then VoID, catalog and
  vocabularies (:mod:`kg.store.discovery`).

Once the build is published, the key registries of the rebuilt documents are saved beside their sources, and
the cache keeps what this build made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from kg.build import linkcheck
from kg.build.cache import BuildCache, inputs_digest
from kg.build.document import REGISTRY, BuildError, Context, DocumentBuild, DocumentResult, build_document, build_result
from kg.build.document import load_context as load_context
from kg.build.progress import ProgressListener, Stages, StageTiming, step_totals
from kg.build.workers import Workers
from kg.link.crosslink import cross_link
from kg.link.review import REVIEW_FILE, load_review
from kg.model.plan import Linkset
from kg.rdf.linksets import linkset_report
from kg.read.files import discover
from kg.settings import ONTOLOGY_NS, Settings
from kg.store.discovery import write_discovery
from kg.store.local import nquads, pack, parse_parts, publish

__all__ = ["SHAPES_GRAPH", "BuildError", "BuildResult", "Context", "DocumentBuild", "build_document",
           "load_context", "refuse_unreviewed", "run_build"]

#: Named graph of the SHACL shapes in the published store.
SHAPES_GRAPH = ONTOLOGY_NS.rstrip("#") + "/shapes"


@dataclass
class BuildResult:
    """A finished build: where it was published, its report (also written as ``report.json``) and the
    timing of its stages."""

    root: Path
    report: dict[str, Any] = field(default_factory=dict)
    stages: list[StageTiming] = field(default_factory=list)


def run_build(settings: Settings, progress: ProgressListener | None = None, full: bool = False) -> BuildResult:
    """Build every source document in ``settings.seeds_dir`` and publish the result in ``settings.data_dir``.

    The stages (module doc) are timed and reported to ``progress`` when given. The report says of each document
    whether it was rebuilt or reused from the cache (``documents[i]["cache"]``).

    Args:
        settings: the deployment settings (``build_workers``: the worker processes).
        progress: told of each stage, when given.
        full: rebuild every document and validate every part of the links, whatever the cache holds.

    Returns:
        The published build and its report.

    Raises:
        BuildError: when there is no source, a line is unaccounted for, any graph violates the shapes
            (the message lists focus node, path, message and source line of each violation), or, with
            ``settings.strict``, a document has an unreviewed uncertain decision (the message names each file:line).
        kg.model.source.SourceError: when a source cannot be read or does not fit its layout.
    """
    stages = Stages(progress)
    stages.begin("context")
    context, vocabularies = load_context(settings)
    fixed = _fixed_graphs(settings, context, vocabularies)
    review = load_review(settings.seeds_dir / REVIEW_FILE)
    paths = discover(settings.seeds_dir)
    if not paths:
        raise BuildError(f"no source documents (*.txt with a .meta.yaml) in {settings.seeds_dir}")
    cache = BuildCache(settings.data_dir, inputs_digest(settings), reuse=not full)
    stages.end(f"{len(paths)} source document(s); shapes, ontology and reference data read")
    with Workers(settings, context) as workers:
        results = _documents(paths, cache, workers, stages)
        if settings.strict:
            refuse_unreviewed(results)
        stages.begin("link")
        plans = [result.plan for result in results]
        linksets = cross_link(plans, context.ontology, context.reference.graph, review)
        stages.end(f"{sum(len(linkset.links) for linkset in linksets)} link(s) in {len(linksets)} linkset(s)")
        parts, validated = _check_links(linksets, settings.base, cache, workers, stages)
    _refuse_violations(results, list(parts.values()))

    stages.begin("assemble")
    graphs = [result.nquads for result in results] + [part.nquads for part in parts.values()] + fixed
    report = {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_iri": settings.base,
        "documents": [result.report for result in results],
        "linksets": [linkset_report(linkset, settings.base, plans) for linkset in linksets],
        "triples": 0,  # set by kg.store.local.publish
    }
    stages.end(f"{sum(map(len, graphs)) / 1e6:.1f} MB of N-Quads, packed")
    stages.begin("store")
    root = publish(parse_parts(graphs), paths, report, settings.data_dir,
                   partial(_discover, stages, settings, report))
    _keep(cache, paths, results, parts, validated)
    return BuildResult(root=root, report=report, stages=stages.timings)


def _documents(paths: list[Path], cache: BuildCache, workers: Workers, stages: Stages) -> list[DocumentResult]:
    """Stage ``read``: the result of each document, from the cache or built (in the worker processes)."""
    stages.begin("read", len(paths))
    cached = {path: cache.document(path) for path in paths}
    for path, result in cached.items():
        if result is not None:
            stages.advance(f"{path.name} (reused)")
    todo = [path for path, result in cached.items() if result is None]
    built = dict(zip(todo, workers.map(build_result, todo, lambda r: stages.advance(r.report["file"])), strict=True))
    results = [cached[path] or built[path] for path in paths]
    nodes = sum(1 for result in results for _ in result.plan.nodes())
    steps = ", ".join(f"{name} {seconds:.1f}" for name, seconds in step_totals(r.seconds for r in results).items())
    stages.end(f"{len(results)} document(s), {nodes} nodes; {len(todo)} rebuilt, {len(paths) - len(todo)} reused"
               + (f"; seconds in workers: {steps}" if steps else ""))
    return results


def _check_links(
    linksets: list[Linkset], base: str, cache: BuildCache, workers: Workers, stages: Stages
) -> tuple[dict[str, linkcheck.CheckedPart], set[str]]:
    """Stage ``validate links``: each part of the links (:mod:`kg.build.linkcheck`) mapped and validated, or from the
    cache.

    Returns:
        The parts by digest, in the order of the parts, and the digests of those validated in this build.
    """
    parts = linkcheck.split(linksets, base)
    stages.begin("validate links", len(parts))
    cached = {part.digest: cache.part(part.digest) for part in parts}
    todo = [part for part in parts if cached[part.digest] is None]
    checked = workers.map(linkcheck.check, todo, lambda _: stages.advance())
    fresh = dict(zip((part.digest for part in todo), checked, strict=True))
    stages.end(f"{len(parts)} part(s): {len(todo)} validated, {len(parts) - len(todo)} reused")
    return {part.digest: cached[part.digest] or fresh[part.digest] for part in parts}, set(fresh)


def _refuse_violations(results: list[DocumentResult], parts: list[linkcheck.CheckedPart]) -> None:
    """Raise :class:`BuildError` listing every violation of the documents' graphs and of the links' parts.

    Raises:
        BuildError: when there is any.
    """
    violations = [v for result in results for v in result.validation.violations if v.severity == "Violation"]
    links = [v for part in parts for v in part.validation.violations if v.severity == "Violation"]
    violations += sorted(links, key=lambda v: (v.source, v.focus, v.path))
    if violations:
        listing = "\n".join(f"  {v}" for v in violations)
        raise BuildError(f"validation failed, nothing published:\n{listing}", tuple(violations))


def refuse_unreviewed(results: list[DocumentResult]) -> None:
    """Refuse a strict build: raise :class:`BuildError` naming every uncertain objective-or-result decision that
    nobody reviewed, as ``<file>:<line>``, with the level read, the rule and the doubt.

    Raises:
        BuildError: when any document has one.
    """
    found = [(result.plan.document.path, item) for result in results for item in result.report["unreviewed"]]
    if not found:
        return
    listing = "\n".join(f"  {path.name}:{item['line']}: read as {item['level']} ({item['rule']}); doubt: "
                         f"{item['doubt'] or 'none given'}" for path, item in found)
    files = sorted({path for path, _ in found})
    review = "; ".join(f"kg review {path}" for path in files)
    raise BuildError(f"strict build: {len(found)} unreviewed decision(s) of the objective-or-result reader, nothing "
                     f"published:\n{listing}\nreview them ({review}) or build without --strict")


def _fixed_graphs(settings: Settings, context: Context, vocabularies: dict[Path, Graph]) -> list[bytes]:
    """The N-Quads of the graphs every build publishes: ontology and concept schemes, reference data, shapes."""
    named = [(vocabulary, str(_vocabulary_iri(vocabulary, path))) for path, vocabulary in vocabularies.items()]
    named += [(part, f"{settings.base}/graph/referentie/{stem}") for stem, part in context.reference.files.items()]
    return [pack(nquads(graph, name)) for graph, name in [*named, (context.shapes, SHAPES_GRAPH)]]


def _keep(cache: BuildCache, paths: list[Path], results: list[DocumentResult],
          parts: dict[str, linkcheck.CheckedPart], validated: set[str]) -> None:
    """After publication: save the key registries of the rebuilt documents, then keep what was built in the cache
    and drop what no longer is."""
    for path, result in zip(paths, results, strict=True):
        if result.report["cache"] == "rebuilt":
            saved = bool(result.registry.entries)
            if saved:
                result.registry.save(path.with_name(path.stem + REGISTRY))
            cache.save_document(path, result, registry_saved=saved)
    for digest in validated:
        cache.save_part(digest, parts[digest])
    cache.prune(paths, set(parts))


def _discover(stages: Stages, settings: Settings, report: dict[str, Any], root: Path, store: ox.Store,
              dumps_written: Callable[[], None]) -> None:
    """End the store stage and write the discovery documents of the build (see :mod:`kg.store.discovery`) while the
    dumps are written."""
    stages.end(f"{len(store)} quads stored")
    stages.begin("discover")
    stages.end(f"dumps written; {write_discovery(root, store, report, settings, dumps_written)}")


def _vocabulary_iri(graph: Graph, path: Path) -> URIRef:
    """Name an ontology file's graph after its owl:Ontology (or skos:ConceptScheme) IRI."""
    for kind in (OWL.Ontology, SKOS.ConceptScheme):
        subject = graph.value(None, RDF.type, kind)
        if isinstance(subject, URIRef):
            return subject
    raise BuildError(f"{path}: declares no owl:Ontology or skos:ConceptScheme to name its graph")
