"""Links between plans (issue 7, parts 1 and 2): continuations across years and realisation in a report.

One real build of the whole seeds folder plus the test fixture ``tests/data/overijssel-begroting-2020/`` (four
prestaties of Overijssel's Begroting 2020 as its Monitor 2020-II quotes them: see its README), queried on the
published store.

The expected continuations were read by hand before the threshold was chosen (``kg.link.years`` module doc):
Drenthe Begroting 2016 product 2.1 (seed lines 5-51) against the Begroting 2017 page of policy task 2.1.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rich.console import Console

from backends import serving
from conftest import REPO, copy_seeds
from helpers import Html
from kg.build.pipeline import BuildResult, run_build
from kg.build.view import linkset_lines, summary_table
from kg.link.realisation import TEXT_METHOD, match_plans
from kg.link.similarity import assign, text_similarity, words
from kg.read.files import read_document
from kg.read.reader import load_layout, read_plan
from kg.settings import Settings
from kg.store.local import open_publication
from kg.validate.shacl import read_turtle_dir, validate_graph
from kg.web import create_app

BASE = "https://kg.example.org"
PB = f"{BASE}/def/begroting#"
RS = f"{BASE}/def/realisatiestatus#"
FIXTURE = REPO / "tests" / "data" / "overijssel-begroting-2020"
MONITOR = REPO / "seeds" / "overijssel-monitor-2020-ii-prestaties-kleurscore.txt"
VOORTZETTING = f"{BASE}/graph/koppelingen/voortzetting"
VERANTWOORDING = f"{BASE}/graph/koppelingen/verantwoording"
PREFIXES = f"PREFIX pb: <{PB}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "


def iri(level: str, key: str) -> str:
    """The IRI of a plan node (keys from seeds/*.keys.csv and the fixture's key registry)."""
    return f"{BASE}/id/{level}/{key}"


#: 2017 node -> (2016 node it continues, score): read by hand (kg.link.years module doc), scores as the build gives.
CONTINUATIONS = {
    # policy task 2.1 "Realiseren van een groene en duurzame economie" (2017 line 6 <- 2016 line 9)
    iri("beleidsopgave", "pv22-2017-96470d51"): (iri("beleidsopgave", "pv22-2016-66921440"), "1"),
    # the three objectives on the 2017 page, same text: lines 12 <- 15, 22 <- 31, 28 <- 35
    iri("doelstelling", "pv22-2017-468096eb"): (iri("doelstelling", "pv22-2016-5d3931f3"), "1"),
    iri("doelstelling", "pv22-2017-df7fcf9c"): (iri("doelstelling", "pv22-2016-3dd4a7a8"), "1"),
    iri("doelstelling", "pv22-2017-5e9c678c"): (iri("doelstelling", "pv22-2016-2f1dbbab"), "1"),
    # "Aanjaagorganisatie chemie/BBE ondersteunt ..." (14) <- "Doorontwikkeling aanjaagorganisatie Chemie ..." (45)
    iri("resultaat", "pv22-2017-92eb6547"): (iri("resultaat", "pv22-2016-8190fd33"), "0.444"),
    # "Clusterorganisatie Greenlincs draagt bij ..." (16) <- "Clusterorganisatie Greenlincs is actief" (41)
    iri("resultaat", "pv22-2017-8514614b"): (iri("resultaat", "pv22-2016-a2f530e4"), "0.912"),
    # "Doorontwikkeling Greenport Noord Nederland ..." (18) <- "... Greenportcluster Noord-Nederland zijn gezet" (25)
    iri("resultaat", "pv22-2017-4ab4d650"): (iri("resultaat", "pv22-2016-48ce0064"), "0.597"),
    # arguable: "Drentse invulling circulaire economie ..." (20) <- "Noordelijke aanpak circulaire economie ..." (17)
    iri("resultaat", "pv22-2017-6313f57f"): (iri("resultaat", "pv22-2016-400e732c"), "0.659"),
    # "Communicatieprogramma BBE is in uitvoering. ..." (24) <- "Communicatieprogramma BBE 2015-2020 in uitvoering" (33)
    iri("resultaat", "pv22-2017-202afc37"): (iri("resultaat", "pv22-2016-d5595af8"), "0.905"),
    # arguable: "Realisatie 4 projecten/businesscases ..." (32) <- "De eerste projecten ... business development" (37)
    iri("resultaat", "pv22-2017-65541458"): (iri("resultaat", "pv22-2016-3a6206e8"), "0.396"),
}

# Overijssel 2020: the fixture's prestaties (its .plan.keys.csv) and the monitor's (seeds/...keys.csv)
BUDGET_142, BUDGET_232 = iri("resultaat", "pv23-2020-852b37b3"), iri("resultaat", "pv23-2020-74cee15c")
BUDGET_414, BUDGET_999 = iri("resultaat", "pv23-2020-9de01960"), iri("resultaat", "pv23-2020-7944b547")
MONITOR_142, MONITOR_232 = iri("resultaat", "pv23-2020-5e0e0409"), iri("resultaat", "pv23-2020-928a260d")
MONITOR_414 = iri("resultaat", "pv23-2020-89ce8639")


@pytest.fixture(scope="module")
def crossplan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildResult]:
    """One build of every seed and the Overijssel Begroting 2020 fixture."""
    folder = tmp_path_factory.mktemp("crossplan")
    seeds = copy_seeds(folder, everything=True)
    for path in FIXTURE.glob("*.plan.*"):
        shutil.copy(path, seeds / path.name)
    settings = Settings(data_dir=folder / "data", seeds_dir=seeds)
    return settings, run_build(settings)


def select(settings: Settings, query: str) -> list[tuple[str | None, ...]]:
    """Run a SELECT on the published store; return its rows as tuples of plain strings (None when unbound)."""
    rows: Any = open_publication(settings.data_dir).store.query(PREFIXES + query)
    return sorted(tuple(None if term is None else term.value for term in row) for row in rows)


def linkset(result: BuildResult, name: str) -> dict[str, Any]:
    """The build report's entry of the linkset ``name``."""
    found: dict[str, Any] = next(ls for ls in result.report["linksets"] if ls["name"] == name)
    return found


# --- the similarity ----------------------------------------------------------------------------------------


def test_labels_are_compared_as_normalised_words() -> None:
    assert words("Aanjaagorganisatie chemie/BBE ondersteunt het bedrijfsleven.") == [
        "aanjaagorganisatie", "chemie", "bbe", "ondersteunt", "bedrijfsleven"]
    assert words("Greenportcluster Noord-Nederland én “groene” inkoop") == [
        "greenportcluster", "noord", "nederland", "groene", "inkoop"]


def test_text_similarity_on_real_pairs() -> None:
    # greenportcluster ~ greenport 0.72: (0.72 * 16 + 5 + 9) / (5 + 9 + 16 characters), the better-covered label
    assert round(text_similarity("Greenportcluster Noord-Nederland", "Greenport Noord Nederland"), 3) == 0.89
    restated = text_similarity("Communicatieprogramma BBE 2015-2020 in uitvoering",
                               "Communicatieprogramma BBE is in uitvoering. Resultaten hiervan zijn onder andere ...")
    assert round(restated, 3) == 0.81
    assert text_similarity("Nationale parken", "Innovatieprogramma Agro&Food") == 0.0
    assert text_similarity("de", "het") == 0.0  # function words only


def test_assignment_is_one_to_one_and_greedy(seed_plan: Any) -> None:
    results = [n for n in seed_plan.nodes() if n.level.value == "resultaat"]
    greenlincs = next(n for n in results if n.label == "Clusterorganisatie Greenlincs is actief")
    others = [n for n in results if n is not greenlincs][:5]
    candidates = [*((greenlincs, o) for o in others), (greenlincs, greenlincs), *((o, o) for o in others[:2])]
    matches = assign(candidates, 0.5)  # the identical pairs first; greenlincs is then taken, so no other pair
    assert [(m.subject.start_line, m.object.start_line, m.evidence.score) for m in matches] == [
        (17, 17, 1.0), (19, 19, 1.0), (41, 41, 1.0)]  # ties in the order of source lines
    assert assign(candidates, 1.01) == []


# --- part 1: continuations across years --------------------------------------------------------------------


def test_the_2017_page_continues_exactly_the_hand_checked_items_of_2016_product_2_1(crossplan: Any) -> None:
    settings, _ = crossplan
    links = select(settings, f"SELECT ?later ?earlier WHERE {{ GRAPH <{VOORTZETTING}> {{ "
                             "?later pb:voortzettingVan ?earlier } }")
    assert links == sorted((later, earlier) for later, (earlier, _) in CONTINUATIONS.items())


def test_each_continuation_carries_its_score_and_method(crossplan: Any) -> None:
    settings, _ = crossplan
    rows = select(settings, f"""SELECT ?s ?o ?p ?score ?method WHERE {{ GRAPH <{VOORTZETTING}> {{
        ?k a pb:Koppeling, rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
           pb:score ?score ; pb:methode ?method }} }}""")
    assert {s: (o, score) for s, o, _, score, _ in rows} == CONTINUATIONS
    assert {p for _, _, p, _, _ in rows} == {PB + "voortzettingVan"}
    method = rows[0][4] or ""
    assert "rapidfuzz fuzz.ratio" in method and "same body and kind" in method and "from score 0.35" in method


def test_a_continuation_lists_the_partners_and_instruments_both_name(crossplan: Any) -> None:
    settings, _ = crossplan
    rows = select(settings, f"""SELECT ?s ?shared WHERE {{ GRAPH <{VOORTZETTING}> {{
        ?k rdf:subject ?s ; pb:gedeeld ?shared }} }}""")
    shared = {(s, e) for s, e in rows}
    assert (iri("resultaat", "pv22-2017-8514614b"), f"{BASE}/id/organisatie/greenlincs") in shared
    assert (iri("resultaat", "pv22-2017-202afc37"), f"{BASE}/id/instrument/communicatieprogramma-bbe") in shared
    assert not any(s == iri("resultaat", "pv22-2017-4ab4d650") for s, _ in shared)  # Greenport: none in common


def test_the_report_lists_matched_new_and_dropped_per_pair_and_level(crossplan: Any) -> None:
    _, result = crossplan
    report = linkset(result, "voortzetting")
    assert report["links"] == 10 and report["threshold"] == 0.35
    assert report["pairs"] == [{"subjects": f"{BASE}/graph/pv22-2017-beleidsopgave-2-1",
                                "objects": f"{BASE}/graph/pv22-2016-programma-2", "links": 10}]
    # Drenthe's budgets 2016 and 2017 are the only plans of one body and kind in two years; the 2016 budget has two
    # documents (the seed and its Toelichting page), each compared with the 2017 page.
    pair, toelichting = report["plans"]
    assert (pair["earlier"]["key"], pair["later"]["key"]) == ("pv22-2016-programma-2", "pv22-2017-beleidsopgave-2-1")
    assert (toelichting["earlier"]["key"], toelichting["later"]["key"]) == (
        "pv22-2016-programma-2-toelichting", "pv22-2017-beleidsopgave-2-1")
    assert toelichting["counts"] == {  # its only node is the programme, a level not compared: nothing to match
        "beleidsopgave": {"matched": 0, "new": 1, "dropped": 0},
        "doelstelling": {"matched": 0, "new": 3, "dropped": 0},
        "resultaat": {"matched": 0, "new": 9, "dropped": 0},
        "deelresultaat": {"matched": 0, "new": 0, "dropped": 0},
    }
    assert (pair["earlier"]["cut_off"], pair["later"]["cut_off"]) == (False, True)
    assert pair["counts"] == {
        "beleidsopgave": {"matched": 1, "new": 0, "dropped": 4},
        "doelstelling": {"matched": 3, "new": 0, "dropped": 12},
        "resultaat": {"matched": 6, "new": 3, "dropped": 57},
        "deelresultaat": {"matched": 0, "new": 0, "dropped": 15},
    }
    results = pair["levels"]["resultaat"]
    assert [(item["line"], item["label"][:20]) for item in results["new"]] == [
        (26, "Exposure van verkiez"), (30, "Er is 1 consortium A"), (34, "Start grootschalig p")]
    assert {(m["later"]["line"], m["earlier"]["line"], m["score"]) for m in results["matched"]} == {
        (14, 45, 0.444), (16, 41, 0.912), (18, 25, 0.597), (20, 17, 0.659), (24, 33, 0.905), (32, 37, 0.396)}
    dropped = pair["levels"]["doelstelling"]["dropped"]
    assert [d["line"] for d in dropped[:2]] == [27, 49]  # the two objectives of 2.1 not on the page
    assert any("cut off" in note and "dropped" in note for note in pair["notes"])


def test_the_build_summary_has_a_line_per_linkset_pair(crossplan: Any) -> None:
    _, result = crossplan
    lines = linkset_lines(result.report["linksets"][:1])
    assert lines == [
        ("voortzetting", "pv22-2016-programma-2 -> pv22-2017-beleidsopgave-2-1: matched 1 beleidsopgave, "
                         "3 doelstelling, 6 resultaat; 3 new, 88 dropped; the later document is cut off"),
        ("voortzetting", "pv22-2016-programma-2-toelichting -> pv22-2017-beleidsopgave-2-1: matched nothing; 13 new, "
                         "0 dropped; the later document is cut off"),
    ]
    console = Console(record=True, width=300)
    console.print(summary_table(result))
    text = console.export_text()
    assert "linkset voortzetting" in text and "linkset verantwoording" in text


# --- part 2: realisation ------------------------------------------------------------------------------------


def test_budget_results_link_to_the_monitor_item_with_the_same_code(crossplan: Any) -> None:
    settings, _ = crossplan
    links = select(settings, f"SELECT ?r ?item WHERE {{ GRAPH <{VERANTWOORDING}> {{ ?r pb:verantwoordIn ?item }} }}")
    assert links == sorted([(BUDGET_142, MONITOR_142), (BUDGET_232, MONITOR_232), (BUDGET_414, MONITOR_414)])
    scores = select(settings, f"""SELECT ?s ?score WHERE {{ GRAPH <{VERANTWOORDING}> {{
        ?k a pb:Koppeling ; rdf:subject ?s ; pb:score ?score }} }}""")
    assert {score for _, score in scores} == {"1"}


def test_a_budget_result_takes_its_status_from_the_monitor_score(crossplan: Any) -> None:
    settings, _ = crossplan
    statuses = dict(select(settings, "SELECT ?r ?status WHERE { GRAPH ?g { ?r pb:realisatiestatus ?status } }"))
    assert statuses[BUDGET_142] == RS + "op-schema"  # monitor 1.4.2: inhoudelijke kleurscore G
    assert statuses[BUDGET_232] == RS + "op-schema"
    assert BUDGET_414 not in statuses  # linked, but the monitor excerpt is cut off before 4.1.4's scores
    assert BUDGET_999 not in statuses  # not in the monitor excerpt: no link, no status
    assert statuses[MONITOR_142] == RS + "op-schema"  # the monitor's own prestatie, from its own score
    assert MONITOR_414 not in statuses


def test_results_per_status_can_be_counted_on_real_data(crossplan: Any) -> None:
    settings, _ = crossplan
    rows = select(settings, "SELECT ?status (COUNT(DISTINCT ?r) AS ?n) "
                            "WHERE { GRAPH ?g { ?r pb:realisatiestatus ?status } } GROUP BY ?status")
    assert rows == [(RS + "op-schema", "6")]  # the monitor's 4 scored prestaties and 2 of the budget's


def test_the_realisation_report_names_matched_unmatched_and_unreported(crossplan: Any) -> None:
    _, result = crossplan
    report = linkset(result, "verantwoording")
    assert report["from_scores"] == 4
    [pair] = report["plans"]
    assert (pair["budget"]["key"], pair["report"]["key"]) == ("pv23-2020-begroting-testfixture",
                                                              "pv23-2020-monitor-ii-prestaties")
    assert [(m["budget"]["notation"], m["by"], m["status"]) for m in pair["matched"]] == [
        ("1.4.2", "notation", "op-schema"), ("2.3.2", "notation", "op-schema"), ("4.1.4", "notation", None)]
    assert [item["notation"] for item in pair["unmatched"]] == ["9.9.9"]
    assert [item["notation"] for item in pair["unreported"]] == ["3.3.2", "3.4.2"]
    assert pair["counts"] == {"matched": 3, "with_status": 2, "unmatched": 1, "unreported": 2}


def test_results_without_numbers_are_matched_by_text_only_when_alike(tmp_path: Path) -> None:
    header, *rows = (FIXTURE / "overijssel-begroting-2020.plan.csv").read_text(encoding="utf-8").splitlines()
    unnumbered = [",".join([*cells[:2], "", *cells[3:]]) for cells in (row.split(",") for row in rows)]
    path = tmp_path / "b.plan.csv"
    path.write_text("\n".join([header, *unnumbered]) + "\n", encoding="utf-8")
    shutil.copy(FIXTURE / "overijssel-begroting-2020.plan.meta.yaml", tmp_path / "b.plan.meta.yaml")
    budget, monitor = (read_plan(doc, load_layout(doc.layout)) for doc in map(read_document, (path, MONITOR)))
    by_number, by_text = match_plans(budget, monitor)
    assert by_number == []
    assert [(m.subject.label, m.object.notation, round(m.evidence.score, 3)) for m in by_text] == [
        ("Stimuleren van de ruimtelijke kwaliteit van bebouwd gebied", "1.4.2", 1.0),
        ("Financieren van projecten door Energiefonds Overijssel", "2.3.2", 1.0),
        ("Slimmer maken van systemen en netwerken", "4.1.4", 1.0),
    ]  # the invented 9.9.9 is like no monitor item
    assert "from score 0.8" in TEXT_METHOD


# --- the status scheme and the shapes ------------------------------------------------------------------------


def test_each_colour_score_means_exactly_one_interim_status() -> None:
    g = Graph().parse(REPO / "ontology" / "realisatiestatus.ttl")
    scheme = URIRef(f"{BASE}/def/realisatiestatus")
    kleur = f"{BASE}/def/kleurscore#"
    mapping = {str(o): str(s) for s, o in g.subject_objects(SKOS.closeMatch) if str(o).startswith(kleur)}
    assert mapping == {kleur + "groen": RS + "op-schema", kleur + "oranje": RS + "risico",
                       kleur + "rood": RS + "niet-op-schema"}
    for status in mapping.values():
        assert (URIRef(status), SKOS.inScheme, scheme) in g
        assert {lit.language for lit in g.objects(URIRef(status), SKOS.prefLabel)} == {"nl", "en"}  # type: ignore[union-attr]
    shapes = Graph().parse(REPO / "shapes" / "koppelingen.ttl")
    allowed = next(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#in")))
    assert set(shapes.collection(allowed)) == set(g.subjects(SKOS.inScheme, scheme))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def linkset_graph(crossplan: Any) -> Graph:
    """The published voortzetting and verantwoording linkset graphs, as one rdflib graph."""
    settings, _ = crossplan
    store = open_publication(settings.data_dir).store
    g = Graph()
    for name in (VOORTZETTING, VERANTWOORDING):
        triples: Any = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
        g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return g


def validate(g: Graph) -> list[tuple[str, str]]:
    """Validate ``g`` against all shapes; return (path, message) of each violation."""
    settings = Settings()
    report = validate_graph(g, read_turtle_dir(settings.shapes_dir))
    return [(v.path, v.message) for v in report.violations if v.severity == "Violation"]


def test_the_published_linksets_conform(linkset_graph: Graph) -> None:
    assert len(linkset_graph) > 100
    assert validate(linkset_graph) == []


def test_a_score_out_of_range_a_missing_method_or_an_unknown_status_is_reported(linkset_graph: Graph) -> None:
    g = Graph()
    g += linkset_graph
    statement = next(g.subjects(RDF.type, URIRef(PB + "Koppeling")))
    g.set((statement, URIRef(PB + "score"), Literal("1.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))))
    g.remove((statement, URIRef(PB + "methode"), None))
    g.add((URIRef(BUDGET_999), URIRef(PB + "realisatiestatus"), URIRef(f"{BASE}/def/kleurscore#groen")))
    paths = sorted(path.rsplit("#", 1)[-1] for path, _ in validate(g))
    assert paths == ["methode", "realisatiestatus", "score"]


def test_a_koppeling_whose_link_is_not_stated_is_reported(linkset_graph: Graph) -> None:
    g = Graph()
    g += linkset_graph
    later, earlier = URIRef(iri("resultaat", "pv22-2017-8514614b")), URIRef(iri("resultaat", "pv22-2016-a2f530e4"))
    g.remove((later, URIRef(PB + "voortzettingVan"), earlier))
    assert [message for _, message in validate(g)] == [
        "The link a pb:Koppeling describes (rdf:subject rdf:predicate rdf:object) must itself be stated"]


# --- part 5: the researcher's queries (queries/*.rq) and the resource pages -------------------------------


def run_query(settings: Settings, name: str) -> list[tuple[str | None, ...]]:
    """Run ``queries/<name>.rq`` as /sparql does (union default graph); rows as tuples of plain strings."""
    store = open_publication(settings.data_dir).store
    rows: Any = store.query((REPO / "queries" / f"{name}.rq").read_text(), use_default_graph_as_union=True)
    return [tuple(None if term is None else term.value for term in row) for row in rows]


def test_objective_history_query_lists_each_continued_goal_with_its_years_and_score(crossplan: Any) -> None:
    rows = run_query(crossplan[0], "objective-history")
    goals = {later: link for later, link in CONTINUATIONS.items() if "/resultaat/" not in later}
    assert [(row[0], row[3]) for row in rows] == [("2016", "2017")] * 4
    expected = {later: (earlier, "1") for later, (earlier, _) in goals.items()}
    assert {row[4]: (row[1], row[6]) for row in rows} == expected
    assert [row[2] for row in rows] == [
        "Doorontwikkeling van Drenthe als biobased economy",
        "Faciliteren van het transitieproces richting groen en circulair (duurzaam) ondernemen",
        "Profilering van Drenthe als groene economische provincie (circulair én biobased)",
        "Realiseren van een groene en duurzame economie",
    ]


def test_results_per_status_query_counts_the_monitor_and_the_budget_it_accounts_for(crossplan: Any) -> None:
    assert run_query(crossplan[0], "results-per-status") == [
        (f"{BASE}/id/begroting/pv23-2020", "Begroting 2020 provincie Overijssel", None, None,
         f"{RS}op-schema", "op schema", "2"),
        (f"{BASE}/id/monitor/pv23-2020", "Monitor 2020 provincie Overijssel", None, None,
         f"{RS}op-schema", "op schema", "4"),
    ]


GRONINGEN_PLAN = """id,level,code,parent,text,partners,regions,instruments,status,see_also,source
1,programma,4,,Economie,,,,,,
2,doelstelling,,1,Een sterke regionale economie,,,,,,
3,resultaat,,2,Samen met de NOM investeren in innovatieve bedrijven,,,,,,
"""
GRONINGEN_META = """key: pv20-2016-test
title: "Begroting 2016 provincie Groningen (test document, not a published page)"
kind: begroting
year: 2016
body:
  code: pv20
  name: provincie Groningen
  iri: "https://identifier.overheid.nl/tooi/id/provincie/pv20"
  own_names: [Groningen, Gronings, Groningse]
layout: authoring-csv
"""


def test_plans_of_other_bodies_that_share_a_partner_with_a_result(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    (seeds / "groningen-test.plan.csv").write_text(GRONINGEN_PLAN, encoding="utf-8")
    (seeds / "groningen-test.plan.meta.yaml").write_text(GRONINGEN_META, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", seeds_dir=seeds)
    run_build(settings)
    rows = run_query(settings, "other-bodies-sharing-a-partner")
    assert rows == [(
        f"{BASE}/id/resultaat/pv22-2016-345074dc",
        "Nieuwe afspraken over een effectieve en efficiënte ondersteuningsstructuur met NOM en clusters",
        f"{BASE}/id/organisatie/nom", "NOM", f"{BASE}/id/begroting/pv20-2016", "Begroting 2016 provincie Groningen",
        rows[0][6], "Samen met de NOM investeren in innovatieve bedrijven",
    )]
    assert rows[0][6].startswith(f"{BASE}/id/resultaat/pv20-2016-")


def page(url: str, node: str) -> str:
    """The HTML page of ``node`` (its /id/ IRI under the default base), fetched from the server at ``url``."""
    response = httpx.get(url + node.removeprefix(BASE).replace("/id/", "/doc/", 1), headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.text


def section(html: str, heading: str) -> list[str]:
    """The link texts between ``<h2>heading</h2>`` (or h3) and the next heading of any level."""
    start = html.index(f">{heading}</h")
    ends = [i for i in (html.find("<h2>", start + 1), html.find("<h3>", start + 1)) if i > 0]
    return [text for _, text in Html(html[start : min(ends, default=len(html))]).links]


def test_an_objective_page_shows_its_successor_and_predecessor(crossplan: Any) -> None:
    settings = crossplan[0]
    earlier, later = iri("doelstelling", "pv22-2016-5d3931f3"), iri("doelstelling", "pv22-2017-468096eb")
    label = "Faciliteren van het transitieproces richting groen en circulair (duurzaam) ondernemen"
    with serving(create_app(settings, open_publication(settings.data_dir))) as url:
        first, second = page(url, earlier), page(url, later)
    assert "<h2>Geschiedenis</h2>" in first and "Voortzetting van (eerdere jaren)" not in first
    assert section(first, "Voortgezet in (latere jaren)") == [label, "Begroting 2017 provincie Drenthe"]
    assert section(second, "Voortzetting van (eerdere jaren)") == [label, "Begroting 2016 provincie Drenthe"]
    assert "2016: " in second and "score 1" in second


def test_a_result_page_shows_its_realisation_and_status(crossplan: Any) -> None:
    settings = crossplan[0]
    with serving(create_app(settings, open_publication(settings.data_dir))) as url:
        reported, unreported, item = page(url, BUDGET_142), page(url, BUDGET_999), page(url, MONITOR_142)
    assert section(reported, "Realisatie")[0] == "op schema"
    assert section(reported, "Verantwoord in") == [
        "Stimuleren van de ruimtelijke kwaliteit van bebouwd gebied", "Monitor 2020 provincie Overijssel"]
    assert section(item, "Verantwoording van") == [
        "Stimuleren van de ruimtelijke kwaliteit van bebouwd gebied", "Begroting 2020 provincie Overijssel"]
    assert "<h2>Realisatie</h2>" not in unreported and "<h2>Geschiedenis</h2>" not in unreported
