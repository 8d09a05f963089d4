"""The whole pipeline on the real seed: RDF, validation, publication, and refusal of bad builds."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from typer.testing import CliRunner

from conftest import REFERENCE_FILES, REPO, SEED, build_into, by_label, copy_seeds, with_reference
from kg.build.pipeline import BuildError, BuildResult, run_build
from kg.cli import app
from kg.model.iris import PB
from kg.settings import Settings
from kg.store.local import open_publication
from kg.validate.shacl import read_turtle_dir, validate_graph

BASE = "https://kg.example.org"
GRAPH = URIRef(f"{BASE}/graph/pv22-2016-programma-2")


def dump(result: BuildResult) -> Dataset:
    """Parse the build's TriG dump."""
    return Dataset().parse(result.root / "dumps" / "kg.trig", format="trig")


def plan_with_reference_data(result: BuildResult) -> Graph:
    """The seed's graph together with the reference data graphs and the theme scheme (what the build
    validates: the targets of its links)."""
    return with_reference(dump(result), GRAPH)


def test_report_counts_and_ledger(built: tuple[Settings, BuildResult]) -> None:
    _settings, result = built
    (doc,) = result.report["documents"]
    assert doc["counts"] == {"programma": 1, "product": 5, "beleidsopgave": 5, "doelstelling": 15,
                             "resultaat": 63, "deelresultaat": 15}
    assert doc["ledger"] == {"node": 107, "header": 15, "skipped": 0}
    assert [u["line"] for u in doc["curated"]] == [27, 135, 143]
    assert doc["sha256"] == hashlib.sha256((REPO / "seeds" / f"{SEED}.txt").read_bytes()).hexdigest()


def test_named_graph_holds_the_plan_with_provenance(built: tuple[Settings, BuildResult]) -> None:
    graph = dump(built[1]).graph(GRAPH)
    programme = URIRef(f"{BASE}/id/programma/pv22-2016-2")
    assert graph.value(programme, SKOS.prefLabel) == Literal("Regionale economie", lang="nl")
    assert graph.value(programme, SKOS.notation) == Literal("2")
    product = URIRef(f"{BASE}/id/product/pv22-2016-2-4")
    assert graph.value(product, PB.programma) == programme
    greenlincs = by_label(graph, "Clusterorganisatie Greenlincs is actief")
    assert str(greenlincs).startswith(f"{BASE}/id/resultaat/pv22-2016-")
    objective = graph.value(greenlincs, PB.doelstelling)
    assert graph.value(objective, SKOS.prefLabel) == Literal("Doorontwikkeling van Drenthe als biobased economy",
                                                             lang="nl")
    assert (int(graph.value(greenlincs, PB.beginRegel)), int(graph.value(greenlincs, PB.eindRegel))) == (41, 41)
    assert graph.value(greenlincs, SKOS.broader) == objective
    source = URIRef(f"{BASE}/id/brondocument/pv22-2016-programma-2")
    assert graph.value(greenlincs, URIRef("http://purl.org/dc/terms/source")) == source
    see_also = set(graph.objects(None, PB.zieOok))
    assert see_also == {URIRef(f"{BASE}/id/programma/pv22-2016-7")}


def test_publication_opens_read_only_with_all_graphs(built: tuple[Settings, BuildResult]) -> None:
    settings, result = built
    publication = open_publication(settings.data_dir)
    assert publication.root == result.root
    graphs = {g.value for g in publication.store.named_graphs()}
    assert graphs == {str(GRAPH), "https://kg.example.org/def/begroting", "https://kg.example.org/def/realisatiestatus",
                      "https://kg.example.org/def/kleurscore", "https://kg.example.org/def/thema",
                      "https://kg.example.org/def/taakveld", "https://kg.example.org/def/beoordelingsstatus",
                      "https://kg.example.org/def/begroting/shapes"} | {
                          f"https://kg.example.org/graph/referentie/{name}"
                          for name in REFERENCE_FILES}
    (count,) = publication.store.query(
        "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s a <https://kg.example.org/def/begroting#Doelstelling> } }"
    )
    assert count["n"].value == "15"


def test_broken_graph_fails_validation_naming_the_node(built: tuple[Settings, BuildResult]) -> None:
    settings, result = built
    graph = plan_with_reference_data(result)
    greenlincs = by_label(graph, "Clusterorganisatie Greenlincs is actief")
    graph.remove((greenlincs, PB.doelstelling, None))
    report = validate_graph(graph, read_turtle_dir(settings.shapes_dir))
    assert not report.conforms
    (violation,) = report.violations
    assert (violation.focus, violation.path, violation.source) == (
        str(greenlincs), str(PB.doelstelling), f"{SEED}.txt:41-41"
    )


def test_failed_build_keeps_the_published_graph(tmp_path: Path) -> None:
    settings, first = build_into(tmp_path)
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "strict.ttl").write_text(
        (REPO / "shapes" / "begroting.ttl").read_text(encoding="utf-8")
        + "\n<urn:test:strict> a sh:NodeShape ; sh:targetClass pb:Resultaat ;\n"
        "  sh:property [ sh:path pb:jaar ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError, match="validation failed, nothing published") as raised:
        run_build(settings.model_copy(update={"shapes_dir": shapes}))
    assert len(raised.value.violations) == 63
    assert open_publication(settings.data_dir).root == first.root


def test_kg_validate_command(built: tuple[Settings, BuildResult], tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", str(built[1].root / "dumps" / "kg.trig")])
    assert ok.exit_code == 0, ok.output
    assert "0 violation(s): conforms" in ok.output
    broken = dump(built[1]).graph(GRAPH)
    product = URIRef(f"{BASE}/id/product/pv22-2016-2-4")
    broken.remove((product, SKOS.notation, None))
    path = tmp_path / "broken.ttl"
    broken.serialize(path, format="turtle")
    bad = runner.invoke(app, ["validate", str(path)])
    assert bad.exit_code == 1
    assert f"{product} http://www.w3.org/2004/02/skos/core#notation" in bad.output
    assert f"(source {SEED}.txt:172-172)" in bad.output
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    nothing = runner.invoke(app, ["validate", str(empty)])
    assert (nothing.exit_code, "nothing to validate" in nothing.output) == (2, True)
    missing = runner.invoke(app, ["validate", str(tmp_path / "nope.ttl")])
    assert (missing.exit_code, f"{tmp_path / 'nope.ttl'}: no such file" in missing.output) == (2, True)


def test_seeds_folder_without_sources_is_refused(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    for path in seeds.iterdir():
        path.unlink()
    with pytest.raises(BuildError, match="no source documents"):
        run_build(Settings(data_dir=tmp_path / "data", seeds_dir=seeds))


def test_uncertain_decisions_are_in_the_build_report(built: tuple[Settings, BuildResult]) -> None:
    """The rows the rule is unsure of are reported, the three overridden ones marked, each with the reviewer's
    reason beside the rule's."""
    (doc,) = built[1].report["documents"]
    uncertain = {u["line"]: (u["level"], u["curated"]) for u in doc["uncertain"]}
    assert sorted(uncertain) == [27, 31, 35, 49, 71, 89, 135, 143, 156, 166, 224]
    assert {line for line, (_, curated) in uncertain.items() if curated} == {27, 135, 143}
    assert uncertain[143] == ("resultaat", True)
    (verkennen,) = [u for u in doc["uncertain"] if u["line"] == 135]
    assert "reviewed (overridden): An exploration to be carried out in 2016" in verkennen["rule"]


def test_settings_from_environment_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in {"KG_BASE_IRI": "https://data.example.nl/kg/", "KG_DATA_DIR": str(tmp_path),
                        "KG_HOST": "127.0.0.2", "KG_PORT": "8123"}.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert (settings.base, settings.data_dir, settings.host, settings.port) == (
        "https://data.example.nl/kg", tmp_path, "127.0.0.2", 8123
    )


def test_mentions_are_web_annotations_with_offsets(built: tuple[Settings, BuildResult]) -> None:
    graph = dump(built[1]).graph(GRAPH)
    oa = "http://www.w3.org/ns/oa#"
    rows = graph.query(
        f"""SELECT ?node ?start ?end ?exact WHERE {{
          ?a a <{oa}Annotation> ; <{oa}hasBody> <{BASE}/id/organisatie/nom> ; <{oa}hasTarget> ?t .
          ?t <{oa}hasSource> ?node ; <{oa}hasSelector> ?p, ?q .
          ?p <{oa}start> ?start ; <{oa}end> ?end . ?q <{oa}exact> ?exact }} ORDER BY ?start"""
    )
    found = sorted((str(graph.value(r[0], SKOS.prefLabel)), int(r[1]), int(r[2]), str(r[3])) for r in rows)
    assert found == [
        ("Nieuwe afspraken over een effectieve en efficiënte ondersteuningsstructuur met NOM en clusters",
         79, 82, "NOM"),
        ("Verkenning van de wenselijkheid om de aandelen NOM over te nemen", 47, 50, "NOM"),
    ]
    # 85 before the rules of issue 18 (tests/link/test_link.py::test_the_rules_of_issue_18_on_the_seed)
    assert len(set(graph.subjects(URIRef(oa + "motivatedBy"), URIRef(oa + "identifying")))) == 87
    assert len(set(graph.subjects(RDF.type, URIRef(oa + "Annotation")))) == 87 + 112  # and 112 of themes


def test_link_shapes_refuse_a_wrong_target_class(built: tuple[Settings, BuildResult]) -> None:
    settings, result = built
    graph = plan_with_reference_data(result)
    overijssel = URIRef(f"{BASE}/id/gebied/pv23")
    subject = by_label(graph, "Clusterorganisatie Greenlincs is actief")
    graph.add((subject, PB.partner, overijssel))
    report = validate_graph(graph, read_turtle_dir(settings.shapes_dir))
    assert [(v.focus, v.path) for v in report.violations] == [(str(subject), str(PB.partner))]
