"""The authoring format (authoring/README.md): export, read back, the worked example and row errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS

from conftest import REPO, SEED, read_seed
from kg.link.entities import link_plan, load_reference_data
from kg.model.iris import PB, SPDX
from kg.model.plan import Level, Plan
from kg.model.source import SourceError
from kg.rdf.keys import KeyRegistry, assign_keys
from kg.rdf.mapping import map_plan
from kg.read.authoring import FIELDS, export_csv
from kg.read.files import discover, read_document
from kg.read.reader import load_layout, read_plan
from kg.settings import Settings
from kg.validate.shacl import read_turtle_dir, validate_graph

BASE = "https://kg.example.org"
META = (REPO / "seeds" / f"{SEED}.meta.yaml").read_text(encoding="utf-8")


def graph_of(plan: Plan, registry: Path) -> Graph:
    """Link, key (with the registry ``registry``) and map ``plan``; return its graph."""
    settings = Settings()
    gazetteer = load_reference_data(settings.vocab_dir, settings.base).gazetteer
    link_plan(plan, gazetteer)
    assign_keys(plan, KeyRegistry.load(registry))
    return map_plan(plan, BASE)


def write_csv(folder: Path, text: str) -> Path:
    """Write ``text`` as ``folder/drenthe.plan.csv`` with the seed's metadata (layout authoring-csv)."""
    path = folder / "drenthe.plan.csv"
    path.write_text(text, encoding="utf-8")
    meta = META.replace("layout: drenthe-begroting-2016", "layout: authoring-csv")
    (folder / "drenthe.plan.meta.yaml").write_text(meta, encoding="utf-8")
    return path


def read_csv(path: Path) -> Plan:
    """Read an authoring-format document through the reader."""
    document = read_document(path)
    return read_plan(document, load_layout(document.layout))


def without_file_facts(graph: Graph) -> Graph:
    """The graph without the source file's own checksum, download URL and media type."""
    g = Graph()
    g += graph
    for predicate in (SPDX.checksum, DCAT.downloadURL, DCTERMS.format):
        for s, o in list(g.subject_objects(predicate)):
            g.remove((s, predicate, o))
            g.remove((o, None, None))
    return g


def without_reading(graph: Graph) -> Graph:
    """The graph without its reading decisions (how the text's table rows were read): a plan authored as CSV was
    not read from a table, so it has none."""
    g = Graph()
    g += graph
    for node, decision in list(g.subject_objects(PB.leesbeslissing)):
        g.remove((node, PB.leesbeslissing, decision))
        g.remove((decision, None, None))
    return g


def test_the_seed_exported_and_read_back_gives_the_same_graph(tmp_path: Path) -> None:
    registry = REPO / "seeds" / f"{SEED}.keys.csv"
    original = read_seed()
    before = graph_of(original, registry)
    path = write_csv(tmp_path, export_csv(original))
    shutil.copy(registry, tmp_path / "drenthe.plan.keys.csv")
    back = read_csv(path)
    assert {level: back.count(level) for level in Level} == {level: original.count(level) for level in Level}
    after = graph_of(back, tmp_path / "drenthe.plan.keys.csv")
    assert len(after) == len(without_reading(before)) == 2378
    assert isomorphic(without_file_facts(after), without_file_facts(without_reading(before)))
    assert export_csv(back) == export_csv(original)


def test_every_line_of_the_csv_is_in_the_ledger(tmp_path: Path) -> None:
    text = export_csv(read_seed())
    plan = read_csv(write_csv(tmp_path, text))
    assert [e.line for e in plan.ledger] == list(range(1, len(text.splitlines()) + 1))
    assert plan.ledger[0].outcome == "header" and {e.outcome for e in plan.ledger[1:]} == {"node"}


def test_the_template_is_the_header_row() -> None:
    assert (REPO / "authoring" / "template.plan.csv").read_text(encoding="utf-8") == ",".join(FIELDS) + "\n"


def test_the_worked_example_reads_and_conforms(tmp_path: Path) -> None:
    for name in ("example.plan.csv", "example.plan.meta.yaml"):
        shutil.copy(REPO / "authoring" / name, tmp_path / name)
    assert discover(tmp_path) == [tmp_path / "example.plan.csv"]
    plan = read_csv(tmp_path / "example.plan.csv")
    assert [(n.level, n.notation, n.label) for n in plan.nodes()][:4] == [
        (Level.PROGRAMMA, "2", "Regionale economie"), (Level.PRODUCT, "2.4", "Breedband"),
        (Level.BELEIDSOPGAVE, None, "Breedband op het Drentse platteland"), (Level.DOELSTELLING, None, "Breedband"),
    ]
    assert [r.label for r in plan.nodes() if r.level is Level.RESULTAAT] == [
        "Actieve inzet op het ontsluiten met snel internet van de \"witte\" gebieden in Drenthe",
        "Breedband Platform Drenthe",
        "Revolving Fonds Breedband ingericht",
    ]
    graph = graph_of(plan, tmp_path / "example.plan.keys.csv")
    settings = Settings()
    reference = load_reference_data(settings.vocab_dir, settings.base).graph
    report = validate_graph(graph + reference, read_turtle_dir(REPO / "shapes"))
    assert report.conforms, report.violations
    (platform,) = [n for n in plan.nodes() if n.label == "Breedband Platform Drenthe"]
    assert (URIRef(f"{BASE}/id/resultaat/{platform.key}"), URIRef(f"{BASE}/def/begroting#instrument"),
            URIRef(f"{BASE}/id/instrument/breedband-platform-drenthe")) in graph


def test_a_listed_entity_the_text_does_not_name_is_a_plain_link(tmp_path: Path) -> None:
    header = ",".join(FIELDS)
    rows = [f"1,resultaat,3.4.2,,Innovatieprogramma Agro&Food,{BASE}/id/organisatie/nom,,,"
            "inhoudelijkeKleurscore=kleurscore#oranje,,"]
    plan = read_csv(write_csv(tmp_path, "\n".join([header, *rows]) + "\n"))
    (node,) = plan.programmes
    assert (node.level, node.notation, node.statuses) == (
        Level.RESULTAAT, "3.4.2", [("inhoudelijkeKleurscore", "kleurscore", "oranje")]
    )
    graph = graph_of(plan, tmp_path / "none.keys.csv")
    iri = URIRef(f"{BASE}/id/resultaat/{node.key}")
    assert graph.value(iri, URIRef(f"{BASE}/def/begroting#partner")) == URIRef(f"{BASE}/id/organisatie/nom")
    assert (node.start_line, node.end_line) == (2, 2)  # no source span: the row's own line


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("1,kerntaak,,,Tekst,,,,,,", r":2: level must be one of programma, .* \(got 'kerntaak'\)"),
        ("1,resultaat,,9,Tekst,,,,,,", r":2: parent '9' is not the id of an earlier row of a higher level"),
        ("1,resultaat,,,Tekst,,,,,,41-40", r":2: source must be a line or a span of lines"),
        ("1,resultaat,,,Tekst,NOM,,,,,", r":2: partners must be IRIs separated by spaces \(got 'NOM'\)"),
        ("1,resultaat,,,Tekst,,,,groen,,", r":2: status must be property=scheme#concept \(got 'groen'\)"),
        ("1,resultaat,,,Tekst,,,,,", r":2: 10 fields, expected 11"),
        ("1,resultaat,2 4,,Tekst,,,,,,", r":2: code must be numbers separated by dots"),
    ],
)
def test_a_malformed_row_names_the_file_line_and_column(tmp_path: Path, row: str, message: str) -> None:
    path = write_csv(tmp_path, f"{','.join(FIELDS)}\n{row}\n")
    with pytest.raises(SourceError, match=rf"drenthe\.plan\.csv{message}"):
        read_csv(path)


def test_a_wrong_header_fails(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "level,text\nresultaat,Tekst\n")
    with pytest.raises(SourceError, match=r"drenthe\.plan\.csv:1: header must be id,level,code"):
        read_csv(path)
