"""Every example query in queries/ runs on the published seed and gives the values read from the source."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import REPO
from kg.build.pipeline import BuildResult
from kg.settings import Settings
from kg.store.local import open_publication

QUERIES = sorted((REPO / "queries").glob("*.rq"))
#: The seed's plan (skos:prefLabel of its skos:ConceptScheme).
PLAN = "Begroting 2016 provincie Drenthe"


def run(settings: Settings, name: str) -> list[dict[str, str]]:
    """Run ``queries/<name>.rq`` with the union of named graphs as default graph (as /sparql does)."""
    store = open_publication(settings.data_dir).store
    solutions = store.query((REPO / "queries" / f"{name}.rq").read_text(), use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]
    return [{v: row[v].value for v in variables if row[v] is not None} for row in solutions]


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_query_has_a_comment_header(path: Path) -> None:
    head = path.read_text(encoding="utf-8").splitlines()[:2]
    assert head[0].startswith("# title: ") and head[1].startswith("# description: ")


def test_objectives_per_product(built: tuple[Settings, BuildResult]) -> None:
    rows = run(built[0], "objectives-per-product")
    assert [(r["notation"], r["objectives"], r["results"]) for r in rows] == [
        ("2.1", "5", "14"), ("2.2", "3", "18"), ("2.3", "3", "16"), ("2.4", "1", "3"), ("2.5", "3", "12"),
    ]


def test_results_of_an_objective(built: tuple[Settings, BuildResult]) -> None:
    rows = run(built[0], "results-of-an-objective")
    assert [(r["label"], r["line"]) for r in rows] == [
        ("Actieve inzet op het ontsluiten met snel internet van de \"witte\" gebieden in Drenthe", "184"),
        ("Breedband Platform Drenthe", "186"),
        ("Revolving Fonds Breedband ingericht", "188"),
    ]


def test_goal_tree(built: tuple[Settings, BuildResult]) -> None:
    rows = run(built[0], "goal-tree")
    levels = [r["level"] for r in rows]
    assert len(rows) == 103
    assert {level: levels.count(level) for level in set(levels)} == {
        "Product": 5, "Beleidsopgave": 5, "Doelstelling": 15, "Resultaat": 63, "Deelresultaat": 15,
    }


def test_cross_references(built: tuple[Settings, BuildResult]) -> None:
    rows = run(built[0], "cross-references")
    assert {r["programme"] for r in rows} == {"https://kg.example.org/id/programma/pv22-2016-7"}
    assert [r["label"][:30] for r in rows] == ["Er is meer aandacht voor Duits", "Stimuleren van “Ondernemen in "]


def test_sources_per_graph(built: tuple[Settings, BuildResult]) -> None:
    (row,) = run(built[0], "sources-per-graph")
    report = built[1].report["documents"][0]
    assert (row["graph"], row["sha256"], row["triples"]) == (report["graph"], report["sha256"], str(report["triples"]))


def test_results_per_partner(built: tuple[Settings, BuildResult]) -> None:
    rows = run(built[0], "results-per-partner")
    nom = [r["label"] for r in rows if r["partnerLabel"] == "NOM"]
    assert nom == [
        "Nieuwe afspraken over een effectieve en efficiënte ondersteuningsstructuur met NOM en clusters",
        "Verkenning van de wenselijkheid om de aandelen NOM over te nemen",
    ]
    assert {r["product"].rsplit("/", 1)[1] for r in rows if r["partnerLabel"] == "Provinciale Staten van Drenthe"} == {
        "pv22-2016-2-1", "pv22-2016-2-3", "pv22-2016-2-5",
    }


def test_results_in_a_region(built: tuple[Settings, BuildResult]) -> None:
    rows = run(built[0], "results-in-a-region")
    in_sub_regions = sorted({(int(r["line"]), r["placeLabel"]) for r in rows if r["placeLabel"] != "Drenthe"})
    assert in_sub_regions == [
        (47, "Emmen"), (69, "Assen"), (69, "Emmen"), (75, "Zuidoost-Drenthe"), (137, "Zuidoost-Drenthe"),
        (222, "Zuidwest-Drenthe"),
    ]
    assert sorted({int(r["line"]) for r in rows if r["placeLabel"] == "Drenthe"}) == [73, 147, 184, 202, 214, 216]


def test_instruments_per_product(built: tuple[Settings, BuildResult]) -> None:
    rows = run(built[0], "instruments-per-product")
    assert {r["planLabel"] for r in rows} == {PLAN}
    assert [(r["instrumentLabel"], r["nodes"]) for r in rows if r["notation"] == "2.4"] == [
        ("Breedband Platform Drenthe", "1"), ("Revolving Fonds Breedband", "1"),
    ]
    assert ("2.1", "INTERREG") in {(r["notation"], r["instrumentLabel"]) for r in rows}


def test_partners_in_several_products(built: tuple[Settings, BuildResult]) -> None:
    rows = run(built[0], "partners-in-several-products")
    assert [(r["planLabel"], r["partnerLabel"], r["products"], sorted(r["where"].split(", "))) for r in rows] == [
        (PLAN, "Provinciale Staten van Drenthe", "3", ["2.1", "2.3", "2.5"]),
    ]
