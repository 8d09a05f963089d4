"""The organisations of the reference data: the government bodies generated from the TOOI registers
(``vocab/organisaties-tooi.ttl``, from the extract in ``vocab/sources/tooi/``) and the hand-written ones
(``vocab/organisaties.ttl``). The expected values are read from the kept extract (the source), not from the
generated file."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS, XSD

from conftest import REPO
from kg.link.entities import load_reference_data
from kg.model.plan import LinkKind
from kg.validate.shacl import read_turtle_dir, validate_graph

BASE = "https://kg.example.org"
VOCAB = REPO / "vocab"
SOURCES = VOCAB / "sources" / "tooi"
GENERATED = VOCAB / "organisaties-tooi.ttl"
HAND_WRITTEN = VOCAB / "organisaties.ttl"
TOOI = "https://identifier.overheid.nl/tooi/id/"
ONT = "https://identifier.overheid.nl/tooi/def/ont/"
SCHEMA_DISSOLVED = URIRef("https://schema.org/dissolutionDate")

#: Every organisation IRI the reference data used before the TOOI registers came in: existing links keep them.
ORIGINAL_IRIS = [
    "https://identifier.overheid.nl/tooi/id/provincie/pv22",
    *(f"{BASE}/id/organisatie/{slug}" for slug in (
        "provinciale-staten-drenthe", "ministerie-van-economische-zaken", "drentse-gemeenten",
        "regiegroep-kennis-en-arbeidsmarkt", "nom", "marketing-drenthe", "greenlincs", "noord4bio",
        "ondernemersfabrieken", "groningen-airport-eelde", "royal-floraholland", "health-hub-roden",
        "coci-greenpac", "centre-of-expertise-spm", "international-welcome-center-north",
    )),
]

#: The TOOI IRI of each kind of body: path segment and code.
TOOI_IRI = re.compile(
    r"^https://identifier\.overheid\.nl/tooi/id/"
    r"(ministerie/mnre\d{4}|provincie/pv\d{2}|gemeente/gm\d{4}|waterschap/ws\d{4}|oorg/oorg\d{5}|zbo/zb\d{6}|so/so\d{4})$"
)


def parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle", publicID=f"{BASE}/")


@pytest.fixture(scope="module")
def generated() -> Graph:
    return parse(GENERATED)


@pytest.fixture(scope="module")
def hand_written() -> Graph:
    return parse(HAND_WRITTEN)


def register(name: str) -> list[dict]:
    """The nodes of one kept TOOI register."""
    return json.loads((SOURCES / name).read_text(encoding="utf-8"))


def value(node: dict, prop: str) -> str | None:
    found = node.get(ONT + prop, [])
    return str(found[0].get("@value", found[0].get("@id"))) if found else None


def bodies(nodes: list[dict], cls: str) -> list[dict]:
    """The bodies of TOOI class ``cls`` in a register (its historical versions are not bodies)."""
    return [n for n in nodes if f"{ONT}{cls}" in n["@type"] and not any("HistorischeVersie" in t for t in n["@type"])]


def of_kind(graph: Graph, kind: str) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, ORG.Organization) if str(s).startswith(f"{TOOI}{kind}/")}


def pref(graph: Graph, iri: str) -> str:
    (label,) = graph.objects(URIRef(iri), SKOS.prefLabel)
    return str(label)


def test_a_ministry_has_the_tooi_iri_of_the_source_lists(generated: Graph) -> None:
    ienw = f"{TOOI}ministerie/mnre1130"
    # the name from the DiWoo ministry list, the IRI from TOOI's own register: the responsible ministry of RWS
    with (SOURCES / "ministeries.csv").open(encoding="utf-8", newline="") as handle:
        names = {row["code"]: row["naam"] for row in csv.DictReader(handle)}
    assert names["mnre1130"] == "ministerie van Infrastructuur en Waterstaat"
    (rws,) = [n for n in register("rwc_overige_overheidsorganisaties_compleet_13.json")
              if value(n, "organisatiecode") == "oorg10004"]
    assert value(rws, "officieleNaamExclSoort") == "Rijkswaterstaat"
    assert value(rws, "verantwoordelijkMinisterie") == ienw
    assert pref(generated, ienw) == "ministerie van Infrastructuur en Waterstaat"
    assert generated.value(URIRef(ienw), SKOS.notation) == Literal("mnre1130")
    # the ministry of the 2016 seed keeps its own IRI: whether TOOI's mnre1045 is that body is an open item
    assert not list(generated.triples((URIRef(f"{TOOI}ministerie/mnre1045"), None, None)))
    assert len(of_kind(generated, "ministerie")) == 13


def test_the_twelve_provinces_with_their_pv_code(generated: Graph) -> None:
    provinces = bodies(register("rwc_provincies_compleet_1.json"), "Provincie")
    assert len(provinces) == 12
    expected = {f"{TOOI}provincie/pv{value(n, 'provinciecode')}": value(n, "voorkeursnaamInclSoort") for n in provinces}
    assert {str(s) for s in of_kind(generated, "provincie")} == set(expected)
    assert {f"pv{n}" for n in range(20, 32)} == {iri.rsplit("/", 1)[-1] for iri in expected}
    for iri, name in expected.items():
        assert pref(generated, iri) == name
    assert pref(generated, f"{TOOI}provincie/pv21") == "provincie Fryslân"
    # pvNN is CBS's province code (PVNN): the hand-checked regions carry the same code for the same name
    regions = parse(VOCAB / "gebieden.ttl")
    for code, name in (("pv20", "Groningen"), ("pv22", "Drenthe"), ("pv23", "Overijssel")):
        region = URIRef(f"{BASE}/id/gebied/{code}")
        assert str(regions.value(region, URIRef("http://purl.org/dc/terms/identifier"))) == code.upper()
        assert str(regions.value(region, SKOS.prefLabel)) == name
        assert pref(generated, f"{TOOI}provincie/{code}") == f"provincie {name}"


def test_the_water_boards_the_register_lists(generated: Graph) -> None:
    boards = bodies(register("rwc_waterschappen_compleet_2.json"), "Waterschap")
    current = {n["@id"] for n in boards if value(n, "einddatum") is None}
    ended_since_2014 = {n["@id"] for n in boards if (value(n, "einddatum") or "") >= "2014-01-01"}
    assert len(current) == 21
    assert len(ended_since_2014) == 5
    generated_boards = of_kind(generated, "waterschap")
    assert {str(s) for s in generated_boards if generated.value(s, SCHEMA_DISSOLVED) is None} == current
    assert {str(s) for s in generated_boards if generated.value(s, SCHEMA_DISSOLVED) is not None} == ended_since_2014
    hunze = URIRef(f"{TOOI}waterschap/ws0646")
    assert pref(generated, str(hunze)) == "waterschap Hunze en Aa's"
    assert Literal("Hunze en Aa's", lang="nl") in set(generated.objects(hunze, SKOS.altLabel))
    assert pref(generated, f"{TOOI}waterschap/ws0372") == "Hoogheemraadschap van Delfland"
    assert generated.value(URIRef(f"{TOOI}waterschap/ws0151"), SCHEMA_DISSOLVED) == Literal(
        "2015-12-31", datatype=XSD.date
    )


def test_the_municipalities_with_their_gm_code(generated: Graph) -> None:
    municipalities = bodies(register("rwc_gemeenten_compleet_5.json"), "Gemeente")
    current = [n for n in municipalities if value(n, "einddatum") is None]
    assert len(current) == 342
    for node in municipalities:  # the code rule: gmNNNN is "gm" and the four-digit municipality code
        assert node["@id"] == f"{TOOI}gemeente/gm{value(node, 'gemeentecode')}"
    generated_municipalities = of_kind(generated, "gemeente")
    assert {str(s) for s in generated_municipalities if generated.value(s, SCHEMA_DISSOLVED) is None} == {
        n["@id"] for n in current
    }
    assert len(generated_municipalities) == 342 + 84  # and those that ended on or after 2014-01-01
    assert pref(generated, f"{TOOI}gemeente/gm0014") == "gemeente Groningen"
    assert pref(generated, f"{TOOI}gemeente/gm1680") == "gemeente Aa en Hunze"
    den_haag = URIRef(f"{TOOI}gemeente/gm0518")
    assert pref(generated, str(den_haag)) == "gemeente Den Haag"
    assert set(generated.objects(den_haag, SKOS.altLabel)) == {Literal("gemeente 's-Gravenhage", lang="nl")}
    assert generated.value(URIRef(f"{TOOI}gemeente/gm0010"), SCHEMA_DISSOLVED) == Literal(
        "2020-12-31", datatype=XSD.date
    )
    assert pref(generated, f"{TOOI}gemeente/gm0010") == "gemeente Delfzijl"


def test_the_current_municipalities_are_the_ones_cbs_codes() -> None:
    """TOOI's current municipalities and CBS's (the regions' extract, when it is there) have the same codes."""
    cbs = SOURCES.parent / "cbs" / "woonplaatsen-gebieden-2024.csv"
    if not cbs.exists():
        pytest.skip("no CBS extract in vocab/sources/cbs/")
    with cbs.open(encoding="utf-8", newline="") as handle:
        cbs_codes = {row["Gemeentecode"] for row in csv.DictReader(handle)}
    municipalities = bodies(register("rwc_gemeenten_compleet_5.json"), "Gemeente")
    assert {value(n, "gemeentecode") for n in municipalities if value(n, "einddatum") is None} == cbs_codes


def test_selected_national_and_cooperation_bodies(generated: Graph) -> None:
    rws = URIRef(f"{TOOI}oorg/oorg10004")
    assert pref(generated, str(rws)) == "Rijkswaterstaat"
    assert set(generated.objects(rws, SKOS.altLabel)) == {Literal("RWS", lang="nl")}
    assert pref(generated, f"{TOOI}oorg/oorg10005") == "Rijksdienst voor Ondernemend Nederland"
    assert pref(generated, f"{TOOI}zbo/zb000142") == "Staatsbosbeheer"
    # SBB is also the abbreviation of another zbo (Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven)
    assert not list(generated.objects(URIRef(f"{TOOI}zbo/zb000142"), SKOS.altLabel))
    assert Literal("Kadaster", lang="nl") in set(generated.objects(URIRef(f"{TOOI}zbo/zb000195"), SKOS.altLabel))
    ov_bureau = URIRef(f"{TOOI}so/so0587")
    assert Literal("OV-bureau Groningen Drenthe", lang="nl") in set(generated.objects(ov_bureau, SKOS.altLabel))
    with (SOURCES / "selection.csv").open(encoding="utf-8", newline="") as handle:
        selected = {row["code"] for row in csv.DictReader(handle)}
    others = of_kind(generated, "oorg") | of_kind(generated, "zbo") | of_kind(generated, "so")
    assert {str(generated.value(s, SKOS.notation)) for s in others} == selected


def test_no_organisation_is_defined_twice(generated: Graph, hand_written: Graph) -> None:
    both = set(generated.subjects()) & set(hand_written.subjects())
    assert not both
    union = generated + hand_written
    for organisation in set(union.subjects(RDF.type, ORG.Organization)):
        assert len(list(union.objects(organisation, SKOS.prefLabel))) == 1, organisation


def test_the_original_organisation_iris_are_kept(generated: Graph, hand_written: Graph) -> None:
    union = generated + hand_written
    for iri in ORIGINAL_IRIS:
        assert (URIRef(iri), RDF.type, ORG.Organization) in union, iri
    # a hand-written body may name a generated one: the council is part of the province
    council = URIRef(f"{BASE}/id/organisatie/provinciale-staten-drenthe")
    assert union.value(council, ORG.subOrganizationOf) == URIRef(f"{TOOI}provincie/pv22")


def test_no_name_names_two_organisations() -> None:
    """A surface form (a lower-case first letter also matches a capital) belongs to one organisation only."""
    gazetteer = load_reference_data(VOCAB, BASE).gazetteer
    owners: dict[str, set[str]] = {}
    for form in gazetteer.forms:
        if form.kind is LinkKind.PARTNER:
            owners.setdefault(form.text[:1].lower() + form.text[1:], set()).add(form.entity)
    shared = {text: entities for text, entities in owners.items() if len(entities) > 1}
    assert not shared


def test_every_iri_is_well_formed(generated: Graph, hand_written: Graph) -> None:
    for graph in (generated, hand_written):
        for term in {t for triple in graph for t in triple if isinstance(t, URIRef)}:
            assert re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", str(term)), term
    for organisation in generated.subjects(RDF.type, ORG.Organization):
        assert TOOI_IRI.match(str(organisation)), organisation
        assert str(organisation).rsplit("/", 1)[-1] == str(generated.value(organisation, SKOS.notation))
    for organisation in hand_written.subjects(RDF.type, ORG.Organization):
        assert re.fullmatch(rf"{BASE}/id/organisatie/[a-z0-9]+(-[a-z0-9]+)*", str(organisation)), organisation


def test_the_organisations_conform_to_the_shapes(generated: Graph, hand_written: Graph) -> None:
    report = validate_graph(generated + hand_written, read_turtle_dir(REPO / "shapes"))
    assert report.conforms, report.violations[:5]


def test_the_linker_finds_the_new_bodies() -> None:
    gazetteer = load_reference_data(VOCAB, BASE).gazetteer
    cases = {
        "Het OV-bureau Groningen Drenthe heeft de concessie gegund": f"{TOOI}so/so0587",
        "Met Rijkswaterstaat is de N33 verbreed": f"{TOOI}oorg/oorg10004",
        "Het ministerie van Infrastructuur en Waterstaat draagt bij": f"{TOOI}ministerie/mnre1130",
        "Samen met de gemeente Aa en Hunze": f"{TOOI}gemeente/gm1680",
        "Met de gemeente Groningen is het fietsplan uitgevoerd": f"{TOOI}gemeente/gm0014",
        "Het waterschap Hunze en Aa's heeft de kades versterkt": f"{TOOI}waterschap/ws0646",
        "De Rijksuniversiteit Groningen en de Hanzehogeschool": f"{BASE}/id/organisatie/rijksuniversiteit-groningen",
        "Oost NL heeft 120 bedrijven begeleid": f"{BASE}/id/organisatie/oost-nl",
    }
    for text, entity in cases.items():
        (first, *_) = gazetteer.find(text, [LinkKind.PARTNER])
        assert first.entity == entity, text


def test_the_script_reproduces_the_committed_file(tmp_path: Path) -> None:
    out = tmp_path / "organisaties-tooi.ttl"
    subprocess.run([sys.executable, str(SOURCES / "generate.py"), "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == GENERATED.read_bytes()
