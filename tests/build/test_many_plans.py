"""Many plans in one graph: the seed and the corpus pages (seeds/) built together (nine documents: the seed, its
"Toelichting" page, and seven pages of other plans and bodies).

Each document is its own named graph, validated against the same shapes; entities that several documents
name (Emmen, Greenlincs) are one IRI; plans of different bodies and years have their own IRIs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
from pyshacl import validate

from backends import serving
from conftest import copy_seeds
from helpers import Html, dcat_ap_nl_shapes
from kg.build.pipeline import BuildResult, run_build
from kg.settings import Settings
from kg.store.local import CATALOG_FILE, discovery_dir, open_publication
from kg.web import create_app

CORPUS = Path(__file__).resolve().parents[2] / "seeds"
BASE = "https://kg.example.org"
PB = f"{BASE}/def/begroting#"


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildResult]:
    """One build of the whole seeds folder: the Drenthe 2016 seed and the corpus pages of several bodies."""
    folder = tmp_path_factory.mktemp("many")
    settings = Settings(data_dir=folder / "data", seeds_dir=copy_seeds(folder, everything=True))
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
        "drenthe-begroting-2016-p2-toelichting.txt": f"{BASE}/graph/pv22-2016-programma-2-toelichting",
        "drenthe-begroting-2017-p2-1-beleidsopgave.txt": f"{BASE}/graph/pv22-2017-beleidsopgave-2-1",
        "drenthe-jaarverslag-2018-2-4-breedband.txt": f"{BASE}/graph/pv22-2018-jaarverslag-2-4",
        "flevoland-begroting-2019-economie-indicatoren.txt": f"{BASE}/graph/pv24-2019-economie-indicatoren",
        "fryslan-jaarstukken-2023-p4-economie.txt": f"{BASE}/graph/pv21-2023-jaarstukken-programma-4",
        "overijssel-monitor-2020-ii-prestaties-kleurscore.txt": f"{BASE}/graph/pv23-2020-monitor-ii-prestaties",
        "utrecht-begroting-2024-vernieuwingen-doelenboom.txt": f"{BASE}/graph/pv26-2024-vernieuwingen-doelenboom",
        "zaanstad-begroting-2018-burger-en-bestuur-doelenboom.txt": f"{BASE}/graph/gm0479-2018-burger-en-bestuur",
    }
    scheme = "<http://www.w3.org/2004/02/skos/core#ConceptScheme>"
    plans = select(settings, f"SELECT ?g ?plan {{ GRAPH ?g {{ ?plan a {scheme} }} "
                             f"FILTER(STRSTARTS(STR(?g), '{BASE}/graph/') && !CONTAINS(STR(?g), 'referentie')) }}")
    assert [plan for _, plan in plans] == [  # by graph: the seed and its Toelichting page are one plan, pv22-2016
        f"{BASE}/id/{kind}/{key}" for kind, key in (
            ("begroting", "gm0479-2018"), ("jaarverslag", "pv21-2023"), ("begroting", "pv22-2016"),
            ("begroting", "pv22-2016"), ("begroting", "pv22-2017"), ("jaarverslag", "pv22-2018"),
            ("monitor", "pv23-2020"), ("begroting", "pv24-2019"), ("begroting", "pv26-2024"))
    ]


def test_the_seed_graph_is_unchanged_by_the_others(many: tuple[Settings, BuildResult]) -> None:
    _, result = many
    (seed,) = [d for d in result.report["documents"] if d["key"] == "pv22-2016-programma-2"]
    assert seed["counts"] == {"programma": 1, "product": 5, "beleidsopgave": 5, "doelstelling": 15,
                              "resultaat": 63, "deelresultaat": 15}
    # region 28 before the rules of issue 18 (tests/link/test_link.py::test_the_rules_of_issue_18_on_the_seed)
    assert seed["links"] == {"instrument": 31, "partner": 23, "region": 30, "theme": 104}


def test_shared_entities_are_one_iri_across_documents(many: tuple[Settings, BuildResult]) -> None:
    settings, _ = many
    rows = select(settings, f"""SELECT ?g {{ GRAPH ?g {{ ?node ?link ?entity }}
        VALUES ?entity {{ <{BASE}/id/gebied/gm0114> <{BASE}/id/organisatie/greenlincs> }}
        FILTER(!STRSTARTS(STR(?g), "{BASE}/graph/koppelingen/")) }}""")  # links between plans list them as evidence
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


def test_landing_page_lists_the_plans_by_body_and_year(many: tuple[Settings, BuildResult]) -> None:
    settings, _result = many
    with serving(create_app(settings, open_publication(settings.data_dir))) as url:
        html = httpx.get(url + "/", headers={"Accept": "text/html"}).text
    start = html.index("<h2>Begrotingen</h2>")
    plans = [text for _, text in Html(html[start : html.index("<h2>", start + 1)]).links]
    assert plans == [  # the seed and its Toelichting page are one plan: listed once
        "Begroting 2018 gemeente Zaanstad", "Jaarverslag 2023 provincie Fryslân", "Begroting 2016 provincie Drenthe",
        "Begroting 2017 provincie Drenthe",
        "Jaarverslag 2018 provincie Drenthe", "Monitor 2020 provincie Overijssel", "Begroting 2019 provincie Flevoland",
        "Begroting 2024 provincie Utrecht",
    ]


def test_catalog_of_several_bodies_conforms_with_each_body_as_its_plans_publisher(
    many: tuple[Settings, BuildResult],
) -> None:
    _settings, result = many
    catalog = rdflib.Graph().parse(discovery_dir(result.root) / CATALOG_FILE, format="turtle")
    dcat, dct = rdflib.Namespace("http://www.w3.org/ns/dcat#"), rdflib.Namespace("http://purl.org/dc/terms/")
    operator = rdflib.URIRef(f"{BASE}/catalog#beheerder")
    assert catalog.value(rdflib.URIRef(f"{BASE}/catalog#catalog"), dct.publisher) == operator
    publishers = {str(d): str(catalog.value(d, dct.publisher)) for d in catalog.subjects(rdflib.RDF.type, dcat.Dataset)}
    assert publishers[f"{BASE}/graph/pv23-2020-monitor-ii-prestaties"] == (
        "https://identifier.overheid.nl/tooi/id/provincie/pv23"
    )
    assert publishers[f"{BASE}/graph/pv22-2016-programma-2"] == "https://identifier.overheid.nl/tooi/id/provincie/pv22"
    assert publishers[f"{BASE}/graph/pv21-2023-jaarstukken-programma-4"] == (
        "https://identifier.overheid.nl/tooi/id/provincie/pv21"
    )
    assert len(publishers) == 10  # nine documents (eight plans: the seed's has two pages) and the whole graph
    conforms, _report, text = validate(catalog, shacl_graph=dcat_ap_nl_shapes(), inference="none")
    assert conforms, text
