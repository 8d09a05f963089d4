"""Many plans in one graph: the seed and the corpus pages (tests/corpus/) built together.

Each document is its own named graph, validated against the same shapes; entities that several documents
name (Emmen, Greenlincs) are one IRI; plans of different bodies and years have their own IRIs.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_seeds
from kg.build import BuildResult, run_build
from kg.settings import Settings
from kg.store import open_publication

CORPUS = Path(__file__).parent / "corpus"
BASE = "https://kg.example.org"
PB = f"{BASE}/def/begroting#"


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildResult]:
    """One build of the seed plus every corpus page (several bodies: the catalog needs a publisher)."""
    folder = tmp_path_factory.mktemp("many")
    seeds = copy_seeds(folder)
    for path in CORPUS.iterdir():
        shutil.copy(path, seeds / path.name)
    settings = Settings(data_dir=folder / "data", seeds_dir=seeds, publisher_iri=f"{BASE}/id/organisatie/kg",
                        publisher_name="kg")
    return settings, run_build(settings)


def select(settings: Settings, query: str) -> list[tuple[str, ...]]:
    """Run a SELECT on the published store; return its rows as tuples of plain strings."""
    publication = open_publication(settings.data_dir)
    rows: Any = publication.store.query(query)
    return sorted(tuple(term.value for term in row) for row in rows)


def test_each_document_is_its_own_named_graph(many: tuple[Settings, BuildResult]) -> None:
    settings, result = many
    graphs = {d["file"]: d["graph"] for d in result.report["documents"]}
    assert graphs == {
        "000_61c47c45ec098bf8.txt": f"{BASE}/graph/pv22-2016-programma-2",
        "drenthe-begroting-2017-p2-1-beleidsopgave.txt": f"{BASE}/graph/pv22-2017-beleidsopgave-2-1",
        "drenthe-jaarverslag-2018-2-4-breedband.txt": f"{BASE}/graph/pv22-2018-jaarverslag-2-4",
        "flevoland-begroting-2019-economie-indicatoren.txt": f"{BASE}/graph/pv24-2019-economie-indicatoren",
        "overijssel-monitor-2020-ii-prestaties-kleurscore.txt": f"{BASE}/graph/pv23-2020-monitor-ii-prestaties",
        "utrecht-begroting-2024-vernieuwingen-doelenboom.txt": f"{BASE}/graph/pv26-2024-vernieuwingen-doelenboom",
        "zaanstad-begroting-2018-burger-en-bestuur-doelenboom.txt": f"{BASE}/graph/gm0479-2018-burger-en-bestuur",
    }
    scheme = "<http://www.w3.org/2004/02/skos/core#ConceptScheme>"
    plans = select(settings, f"SELECT ?g ?plan {{ GRAPH ?g {{ ?plan a {scheme} }} "
                             f"FILTER(STRSTARTS(STR(?g), '{BASE}/graph/') && !CONTAINS(STR(?g), 'referentie')) }}")
    assert [plan for _, plan in plans] == [
        f"{BASE}/id/begroting/{key}" for key in
        ("gm0479-2018", "pv22-2016", "pv22-2017", "pv22-2018", "pv23-2020", "pv24-2019", "pv26-2024")
    ]


def test_the_seed_graph_is_unchanged_by_the_others(many: tuple[Settings, BuildResult]) -> None:
    _, result = many
    (seed,) = [d for d in result.report["documents"] if d["key"] == "pv22-2016-programma-2"]
    assert seed["counts"] == {"programma": 1, "product": 5, "beleidsopgave": 5, "doelstelling": 15,
                              "resultaat": 63, "deelresultaat": 15}
    assert seed["links"] == {"instrument": 31, "partner": 23, "region": 28}


def test_shared_entities_are_one_iri_across_documents(many: tuple[Settings, BuildResult]) -> None:
    settings, _ = many
    rows = select(settings, f"""SELECT ?g {{ GRAPH ?g {{ ?node ?link ?entity }}
        VALUES ?entity {{ <{BASE}/id/gebied/gm0114> <{BASE}/id/organisatie/greenlincs> }} }}""")
    assert sorted({g for (g,) in rows}) == [f"{BASE}/graph/pv22-2016-programma-2",
                                            f"{BASE}/graph/pv22-2017-beleidsopgave-2-1"]


def test_levels_and_statuses_of_other_layouts_in_the_graph(many: tuple[Settings, BuildResult]) -> None:
    settings, _ = many
    notation = "<http://www.w3.org/2004/02/skos/core#notation>"
    utrecht = select(settings, f"SELECT ?n ?p {{ GRAPH ?g {{ ?d a <{PB}Doelstelling> ; {notation} ?n ; "
                               f"<{PB}programma> ?p }} }}")
    assert utrecht == [("1.3.4", f"{BASE}/id/programma/pv26-2024-1"), ("4.2.6", f"{BASE}/id/programma/pv26-2024-4")]
    indicators = select(settings, f"SELECT (COUNT(?i) AS ?n) {{ GRAPH ?g {{ ?i a <{PB}Indicator> }} }}")
    assert indicators == [("10",)]
    scores = select(settings, f"SELECT ?n ?s {{ GRAPH ?g {{ ?r {notation} ?n ; <{PB}inhoudelijkeKleurscore> ?s }} }}")
    assert scores == [(n, f"{BASE}/def/kleurscore#groen") for n in ("1.4.2", "2.3.2", "3.3.2", "3.4.2")]
