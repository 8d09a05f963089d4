"""The linker's rules for what a name means (issue 18, item 3; ``kg.link.entities`` module doc, rules 1-6), each on
a small plan text of its own against a small reference data set of its own (written here, so that a change to
``vocab/`` cannot hide a rule): every test fails without the rule it names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.link.entities import Gazetteer, LinkReport, link_plan, load_reference_data
from kg.model.plan import Level, LinkKind, Node, Plan
from kg.read.files import read_document
from kg.read.reader import load_layout, read_plan

BASE = "https://kg.example.org"
GEBIED = f"{BASE}/id/gebied/"
TOOI = "https://identifier.overheid.nl/tooi/id/"

#: Regions, bodies and instruments as the repository's reference data writes them (CBS codes as dct:identifier,
#: TOOI codes as skos:notation), only those the tests name.
REFERENCE = """\
@prefix dct: <http://purl.org/dc/terms/> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<id/gebied/pv20> a dct:Location ; skos:prefLabel "Groningen"@nl ; dct:identifier "PV20" .
<id/gebied/pv22> a dct:Location ; skos:prefLabel "Drenthe"@nl ; skos:hiddenLabel "Drentse"@nl ;
    dct:identifier "PV22" .
<id/gebied/gm0014> a dct:Location ; skos:prefLabel "Groningen"@nl ; dct:identifier "GM0014" .
<id/gebied/gm0114> a dct:Location ; skos:prefLabel "Emmen"@nl ; dct:identifier "GM0114" .
<id/gebied/gm0106> a dct:Location ; skos:prefLabel "Assen"@nl ; dct:identifier "GM0106" .
<id/gebied/gm0983> a dct:Location ; skos:prefLabel "Venlo"@nl ; dct:identifier "GM0983" .
<id/gebied/roden> a dct:Location ; skos:prefLabel "Roden"@nl ; dct:identifier "WP1647" .
<id/gebied/delfzijl> a dct:Location ; skos:prefLabel "Delfzijl"@nl ; dct:identifier "WP3234" .
<id/gebied/noord-nederland> a dct:Location ; skos:prefLabel "Noord-Nederland"@nl .
<id/gebied/nedersaksen> a dct:Location ; skos:prefLabel "Nedersaksen"@nl ; skos:altLabel "Niedersachsen"@nl .
<id/gebied/duitsland> a dct:Location ; skos:prefLabel "Duitsland"@nl ; skos:notation "DE" .

<https://identifier.overheid.nl/tooi/id/provincie/pv20> a org:Organization ;
    skos:prefLabel "provincie Groningen"@nl ; skos:notation "pv20" .
<https://identifier.overheid.nl/tooi/id/provincie/pv22> a org:Organization ;
    skos:prefLabel "provincie Drenthe"@nl ; skos:notation "pv22" .
<https://identifier.overheid.nl/tooi/id/gemeente/gm0014> a org:Organization ;
    skos:prefLabel "gemeente Groningen"@nl ; skos:notation "gm0014" .
<https://identifier.overheid.nl/tooi/id/gemeente/gm0106> a org:Organization ;
    skos:prefLabel "gemeente Assen"@nl ; skos:notation "gm0106" .
<id/organisatie/snn> a org:Organization ; skos:prefLabel "Samenwerkingsverband Noord-Nederland"@nl .
<id/organisatie/bom> a org:Organization ; skos:prefLabel "BOM"@nl .
<id/organisatie/marketing-drenthe> a org:Organization ; skos:prefLabel "Marketing Drenthe"@nl .
<id/organisatie/health-hub-roden> a org:Organization ; skos:prefLabel "Health Hub Roden"@nl .
<id/organisatie/fontys> a org:Organization ; skos:prefLabel "Fontys"@nl .

<id/instrument/revolving-fonds-breedband> a schema:FundingScheme ; skos:prefLabel "Revolving Fonds Breedband"@nl .
"""

DRENTHE = ("pv22", "provincie Drenthe", TOOI + "provincie/pv22", "[Drenthe, Drents, Drentse]")
PROVINCE_GRONINGEN = ("pv20", "provincie Groningen", TOOI + "provincie/pv20", "[Groningen]")
CITY_GRONINGEN = ("gm0014", "gemeente Groningen", TOOI + "gemeente/gm0014", "[Groningen]")


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """The gazetteer of :data:`REFERENCE`."""
    vocab = tmp_path_factory.mktemp("vocab")
    (vocab / "reference.ttl").write_text(REFERENCE, encoding="utf-8")
    return load_reference_data(vocab, BASE).gazetteer


def linked(folder: Path, gazetteer: Gazetteer, task: str, results: list[str],
           body: tuple[str, str, str, str] = DRENTHE, name: str = "plan") -> tuple[Plan, LinkReport]:
    """A plan text in the seed's layout (``drenthe-begroting-2016``) with one policy task and the given result lines
    under one objective, of ``body`` in 2019, read and linked as a build does."""
    code, body_name, iri, own_names = body
    (folder / f"{name}.meta.yaml").write_text(
        f'key: {code}-2019-{name}\ntitle: "Proef"\nkind: begroting\nyear: 2019\nbody:\n  code: {code}\n'
        f'  name: {body_name}\n  iri: "{iri}"\n  own_names: {own_names}\nlayout: drenthe-begroting-2016\n',
        encoding="utf-8")
    lines = ["Programma 9", "Proef", "Product 9.1. Proef", "Beleidsopgave", task, "Doelstelling", "Resultaat 2019",
             "Verbeteren van de samenwerking", *results]
    (folder / f"{name}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    document = read_document(folder / f"{name}.txt")
    plan = read_plan(document, load_layout(document.layout))
    return plan, link_plan(plan, gazetteer)


def node(plan: Plan, words: str) -> Node:
    """The one node whose label holds ``words``."""
    (found,) = [n for n in plan.nodes() if words in n.label]
    return found


def links(node: Node) -> set[tuple[LinkKind, str]]:
    """The (kind, entity) links of ``node``, without the base IRI (themes excepted)."""
    return {(m.kind, m.entity.removeprefix(f"{BASE}/")) for m in node.mentions if m.kind is not LinkKind.THEME}


def test_a_route_end_is_the_city(tmp_path: Path, gazetteer: Gazetteer) -> None:
    """Rule 4: "Emmen – Groningen" is a route, its end points towns: the municipality Groningen, not the province;
    the bus product before it ("Q-link") does not swallow Emmen (rule 2)."""
    plan, _ = linked(tmp_path, gazetteer, "Goed openbaar vervoer", ["De Q-link Emmen – Groningen rijdt elk kwartier"])
    assert links(node(plan, "Q-link")) == {(LinkKind.REGION, "id/gebied/gm0114"), (LinkKind.REGION, "id/gebied/gm0014")}


@pytest.mark.parametrize(
    ("result", "entity"),
    [
        ("De busverbinding tussen Eelde en de stad Groningen is verbeterd", "id/gebied/gm0014"),  # "stad"
        ("Groningen als stad van kennis is versterkt", "id/gebied/gm0014"),  # "als stad"
        ("De verkiezing van Drenthe/Groningen tot voorbeeldregio is gevierd", "id/gebied/pv20"),  # with a province
        ("De N360 tussen Delfzijl en Groningen is verbreed", "id/gebied/gm0014"),  # with a town
        ("Studenten uit de hele provincie Groningen zijn geworven", "id/gebied/pv20"),  # the body's area (rule 3)
    ],
)
def test_the_words_around_groningen_decide(tmp_path: Path, gazetteer: Gazetteer, result: str, entity: str) -> None:
    plan, report = linked(tmp_path, gazetteer, "Een sterke regio", [result])
    assert (LinkKind.REGION, entity) in links(node(plan, result[:20]))
    assert not {e for _, e in links(node(plan, result[:20]))} & ({"id/gebied/pv20", "id/gebied/gm0014"} - {entity})
    assert report.uncertain == []


def test_a_bare_groningen_is_the_publishers_own_area_or_uncertain(tmp_path: Path, gazetteer: Gazetteer) -> None:
    """Rule 4: a bare "Groningen" is the publishing body's own area; in another body's plan the words do not decide,
    and the mention is flagged uncertain, not linked."""
    task = "Een goed bereikbaar Groningen"
    for body, area in ((PROVINCE_GRONINGEN, "id/gebied/pv20"), (CITY_GRONINGEN, "id/gebied/gm0014")):
        plan, report = linked(tmp_path, gazetteer, task, ["In Groningen groeit het aantal banen"], body=body)
        assert links(node(plan, task)) == {(LinkKind.REGION, area)}  # a policy task is linked too (rule 1)
        assert links(node(plan, "In Groningen")) == {(LinkKind.REGION, area)}
        assert report.uncertain == []
    plan, report = linked(tmp_path, gazetteer, task, ["In Groningen groeit het aantal banen"])
    assert links(node(plan, task)) == set() and links(node(plan, "In Groningen")) == set()
    assert [(u["line"], u["text"], u["candidates"]) for u in report.uncertain] == [
        (9, "Groningen", [f"{GEBIED}gm0014", f"{GEBIED}pv20"]), (17, "Groningen", [f"{GEBIED}gm0014", f"{GEBIED}pv20"])
    ]
    assert "Groningen" not in report.candidates  # uncertain, not unknown


def test_rov_drenthe_is_no_place_of_the_result(tmp_path: Path, gazetteer: Gazetteer) -> None:
    """Rule 2: "Drenthe" inside the name "ROV Drenthe" (not in the reference data) is not the province: the name is
    a candidate; "Fietsplan Drenthe" likewise."""
    plan, report = linked(tmp_path, gazetteer, "Veilig verkeer", [
        "Samen met ROV Drenthe zijn campagnes uitgevoerd", "Het Fietsplan Drenthe 2023-2027 is vastgesteld"])
    assert links(node(plan, "ROV")) == set() and links(node(plan, "Fietsplan")) == set()
    assert report.candidates["ROV Drenthe"] == [17] and report.candidates["Fietsplan Drenthe"] == [19]


def test_a_place_inside_a_known_name_is_its_location(tmp_path: Path, gazetteer: Gazetteer) -> None:
    """Rule 2: "Marketing Drenthe" and "Health Hub Roden" link the organisations, their places are their locations;
    an organisation followed by a place ("Fontys Venlo") is that organisation in that place."""
    plan, report = linked(tmp_path, gazetteer, "Een sterke economie", [
        "Met Marketing Drenthe is een campagne gevoerd", "De Health Hub Roden is uitgebreid",
        "Met Fontys Venlo is een opleiding gestart"])
    assert links(node(plan, "Marketing")) == {(LinkKind.PARTNER, "id/organisatie/marketing-drenthe")}
    assert links(node(plan, "Health")) == {(LinkKind.PARTNER, "id/organisatie/health-hub-roden")}
    assert links(node(plan, "Fontys")) == {(LinkKind.PARTNER, "id/organisatie/fontys")}
    assert report.locations == {
        f"{BASE}/id/organisatie/fontys": [f"{GEBIED}gm0983"],
        f"{BASE}/id/organisatie/health-hub-roden": [f"{GEBIED}roden"],
        f"{BASE}/id/organisatie/marketing-drenthe": [f"{GEBIED}pv22"],
    }


def test_a_place_named_in_a_subjects_name_is_no_place(tmp_path: Path, gazetteer: Gazetteer) -> None:
    """Rule 2: a sentence that starts "Marketing Groningen heeft" has a name for its subject (no article), so the
    first word is part of the name; "In Groningen" starts with a function word, so it is not."""
    plan, report = linked(tmp_path, gazetteer, "Bezoekers", ["Marketing Groningen heeft campagnes gevoerd"],
                          body=CITY_GRONINGEN)
    assert links(node(plan, "Marketing")) == set() and report.candidates["Marketing Groningen"] == [17]


def test_revolving_fonds_breedband_groningen_is_a_candidate_not_drenthes_fund(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    """Rule 2: an instrument's name followed by a place names another instrument: a candidate, never the near name."""
    plan, report = linked(tmp_path, gazetteer, "Snel internet", [
        "Het Revolving Fonds Breedband Groningen heeft leningen verstrekt",
        "Het Revolving Fonds Breedband is ingericht"], body=PROVINCE_GRONINGEN)
    assert links(node(plan, "Breedband Groningen")) == set()
    assert report.candidates["Revolving Fonds Breedband Groningen"] == [17]
    assert links(node(plan, "Breedband is")) == {(LinkKind.INSTRUMENT, "id/instrument/revolving-fonds-breedband")}


def test_an_abbreviation_a_text_defines_links_in_that_text_only(tmp_path: Path, gazetteer: Gazetteer) -> None:
    """Rule 5: "(SNN)" after the name it abbreviates makes "SNN" that organisation in the text that says so, and only
    there; "(BOM)", an abbreviation the reference data knows, makes the full name before it the BOM."""
    plan, _ = linked(tmp_path, gazetteer, "Samenwerking", [
        "Met het Samenwerkingsverband Noord-Nederland (SNN) is een fonds opgezet", "Het SNN heeft het fonds geopend",
        "De Brabantse Ontwikkelings Maatschappij (BOM) heeft geïnvesteerd"], name="defines")
    assert links(node(plan, "SNN heeft")) == {(LinkKind.PARTNER, "id/organisatie/snn")}
    assert links(node(plan, "Brabantse")) == {(LinkKind.PARTNER, "id/organisatie/bom")}
    other, report = linked(tmp_path, gazetteer, "Samenwerking", ["Het SNN heeft het fonds geopend",
                                                                 "De Brabantse Ontwikkelings Maatschappij heeft"],
                           name="uses")
    assert links(node(other, "SNN")) == set() and links(node(other, "Brabantse")) == set()
    assert report.candidates["SNN"] == [17]


def test_names_after_a_plural_body_word_are_bodies(tmp_path: Path, gazetteer: Gazetteer) -> None:
    """Rule 3: "de provincies Groningen en Drenthe en de gemeenten Groningen en Assen" names four bodies (the
    publishing province among them, not linked to its own plan), no area; a listed name that is no body in the
    reference data is a candidate."""
    result = "De provincies Groningen en Drenthe en de gemeenten Groningen en Assen hebben afspraken gemaakt"
    plan, report = linked(tmp_path, gazetteer, "Samenwerking", [result, "Met de gemeenten Emmen en Assen is overlegd"])
    assert links(node(plan, "provincies")) == {(LinkKind.PARTNER, TOOI + "provincie/pv20"),
                                               (LinkKind.PARTNER, TOOI + "gemeente/gm0014"),
                                               (LinkKind.PARTNER, TOOI + "gemeente/gm0106")}
    assert report.publisher_mentions == 1  # provincie Drenthe
    assert links(node(plan, "Emmen")) == {(LinkKind.PARTNER, TOOI + "gemeente/gm0106")}
    assert report.candidates["gemeente Emmen"] == [19]


@pytest.mark.parametrize("result", ["Met de politie Noord-Nederland zijn campagnes gevoerd",
                                    "Het station Groningen Europapark is toegankelijk gemaakt"])
def test_a_place_in_an_institutions_name_is_no_place(tmp_path: Path, gazetteer: Gazetteer, result: str) -> None:
    """Rules 2 and 3: a place after an institution noun in lower case, or inside a longer name, is no place."""
    plan, _ = linked(tmp_path, gazetteer, "Veilig verkeer", [result])
    assert links(node(plan, result[:12])) == set()


def test_a_country_code_in_parentheses_is_the_country(tmp_path: Path, gazetteer: Gazetteer) -> None:
    """Rule 6: "(DE)" is Germany (its ISO 3166-1 code), not an abbreviation of the name before it; "(NL)" is no
    country of the reference data."""
    plan, _ = linked(tmp_path, gazetteer, "Grensoverschrijdend", [
        "Met Niedersachsen (DE) is een havenagenda opgesteld",
        "Afspraken over Verzorgende IG (NL) en Altenpflege (DE)"])
    assert links(node(plan, "Niedersachsen")) == {(LinkKind.REGION, "id/gebied/nedersaksen"),
                                                  (LinkKind.REGION, "id/gebied/duitsland")}
    assert links(node(plan, "Altenpflege")) == {(LinkKind.REGION, "id/gebied/duitsland")}


def test_policy_tasks_are_linked(tmp_path: Path, gazetteer: Gazetteer) -> None:
    """Rule 1: a policy task names the area it is about."""
    plan, _ = linked(tmp_path, gazetteer, "Een goed bereikbaar Drenthe", ["Verbeterd"])
    task = node(plan, "bereikbaar")
    assert task.level is Level.BELEIDSOPGAVE and links(task) == {(LinkKind.REGION, "id/gebied/pv22")}
