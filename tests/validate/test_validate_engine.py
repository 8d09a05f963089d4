"""The build's SHACL engine (``shacl``, kg.validate.shacl) against the reference engine (pySHACL) on broken graphs.

Each case breaks the seed's graph (or its links' graph) in one way the shapes check; both engines must find the
same results: focus node, path (where it is an IRI), severity and message. pySHACL's nested results
(``sh:detail``) are left out: the build's engine reports only the top-level ones.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.extras.shacl import parse_shacl_path
from rdflib.namespace import RDF, SH, SKOS, XSD

from conftest import REPO, by_label, copy_seeds, with_reference
from kg.build.pipeline import run_build
from kg.model.iris import OA, PB
from kg.settings import Settings
from kg.validate.shacl import read_turtle_dir, validate_graph

BASE = "https://kg.example.org"
GRAPH = URIRef(f"{BASE}/graph/pv22-2016-programma-2")
LINKS = URIRef(f"{BASE}/graph/koppelingen/voortzetting")
GREENLINCS = URIRef(f"{BASE}/id/organisatie/greenlincs")
Result = tuple[str, str, str, str]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """A build of every seed (the Drenthe 2016 and 2017 pages give links between years), as its TriG dump."""
    folder = tmp_path_factory.mktemp("engine")
    result = run_build(Settings(data_dir=folder / "data", seeds_dir=copy_seeds(folder, everything=True)))
    return Dataset().parse(result.root / "dumps" / "kg.trig", format="trig")


def greenlincs_result(g: Graph) -> URIRef:
    return by_label(g, "Clusterorganisatie Greenlincs is actief")


def a_selector(g: Graph, kind: URIRef) -> BNode:
    """The selector of type ``kind`` of the first mention of Greenlincs (by the annotation's IRI)."""
    annotation = min(g.subjects(OA.hasBody, GREENLINCS))
    target = g.value(annotation, OA.hasTarget)
    (selector,) = (s for s in g.objects(target, OA.hasSelector) if (s, RDF.type, kind) in g)
    assert isinstance(selector, BNode)
    return selector


#: Each case: the graph it breaks and how.
CASES: dict[str, tuple[URIRef, Callable[[Graph], object]]] = {
    "label removed": (GRAPH, lambda g: g.remove((greenlincs_result(g), SKOS.prefLabel, None))),
    "parent removed": (GRAPH, lambda g: g.remove((greenlincs_result(g), PB.doelstelling, None))),
    "second parent": (GRAPH, lambda g: g.add(
        (greenlincs_result(g), PB.doelstelling, max(g.subjects(RDF.type, PB.Doelstelling))))),
    "partner outside the reference data": (GRAPH, lambda g: g.add(
        (greenlincs_result(g), PB.partner, URIRef(f"{BASE}/id/organisatie/onbekend")))),
    "mention start after its end": (GRAPH, lambda g: g.set(
        (a_selector(g, OA.TextPositionSelector), OA.start, Literal(99, datatype=XSD.integer)))),
    "quote selector removed": (GRAPH, lambda g: g.remove((None, OA.hasSelector, a_selector(g, OA.TextQuoteSelector)))),
    "mention body a literal": (GRAPH, lambda g: g.set(
        (min(g.subjects(OA.hasBody, GREENLINCS)), OA.hasBody, Literal("Greenlincs")))),
    "link score above 1": (LINKS, lambda g: g.set(
        (min(g.subjects(RDF.type, PB.Koppeling)), PB.score, Literal("1.6", datatype=XSD.decimal)))),
    "link not stated": (LINKS, lambda g: g.remove((
        g.value(min(g.subjects(RDF.type, PB.Koppeling)), RDF.subject), PB.voortzettingVan,
        g.value(min(g.subjects(RDF.type, PB.Koppeling)), RDF.object)))),
}


def reference_results(data: Graph, shapes: Graph) -> set[Result]:
    """pySHACL's top-level results (no inference, no ontology: what the shapes say they check)."""
    _conforms, report, _text = pyshacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return {
        (str(report.value(r, SH.focusNode)), _path(report, report.value(r, SH.resultPath)),
         str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1], str(report.value(r, SH.resultMessage)))
        for r in report.objects(None, SH.result)
    }


def _path(report: Graph, path: object) -> str:
    """An IRI bare, a complex path in SPARQL syntax in parentheses (as kg.validate.shacl gives them)."""
    if isinstance(path, BNode):
        return f"({parse_shacl_path(report, path).n3()})"
    return "" if path is None else str(path)


@pytest.mark.parametrize("case", list(CASES))
def test_the_engine_finds_what_pyshacl_finds(dataset: Dataset, case: str) -> None:
    graph, breaks = CASES[case]
    data = with_reference(dataset, graph)
    shapes = read_turtle_dir(REPO / "shapes")
    assert validate_graph(data, shapes).conforms and not reference_results(data, shapes)
    breaks(data)
    report = validate_graph(data, shapes)
    found = {(v.focus, v.path, v.severity, v.message) for v in report.violations}
    assert found and found == reference_results(data, shapes)
    assert not report.conforms
