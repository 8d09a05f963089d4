"""Policy themes on the real seeds: the theme scheme, which node of which document gets which theme (at every
level, with its evidence), the counts per document, and the words that must not classify anything."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from conftest import REFERENCE_FILES, REPO, SEED
from kg.build.pipeline import BuildResult
from kg.link.entities import Gazetteer, LinkReport, link_plan, load_reference_data
from kg.model.plan import Level, LinkKind, Node, Plan
from kg.read.curation import load_curation
from kg.read.files import discover, read_document
from kg.read.reader import load_layout, read_plan
from kg.settings import Settings
from kg.validate.shacl import read_turtle_dir, validate_graph

BASE = "https://kg.example.org"
THEMA = f"{BASE}/def/thema#"
TAAKVELD = f"{BASE}/def/taakveld#"
OA = "http://www.w3.org/ns/oa#"
SEED_GRAPH = URIRef(f"{BASE}/graph/pv22-2016-programma-2")

#: Every theme of the scheme (each has hits in seeds/).
THEMES = {
    "regionale-economie", "duurzame-economie", "circulaire-economie", "biobased-economy", "chemie", "agrofood",
    "breedband", "vrijetijdseconomie", "arbeidsmarkt", "onderwijs", "innovatie", "htsm", "gezondheidseconomie",
    "energietransitie", "ruimtelijke-ontwikkeling", "ruimtelijke-kwaliteit", "huisvesting", "cultuur-en-erfgoed",
    "sport", "natuur-en-landschap", "ondernemerschap", "vestigingsklimaat", "regiomarketing",
    "grensoverschrijdende-samenwerking", "publieke-dienstverlening",
}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """The gazetteer of the repository's reference data and the themes of its ontology (as the build makes it)."""
    return load_reference_data(REPO / "vocab", BASE, read_turtle_dir(REPO / "ontology")).gazetteer


@pytest.fixture(scope="module")
def linked(gazetteer: Gazetteer) -> dict[str, tuple[Plan, LinkReport]]:
    """Every seed document (by file stem) read with its curation file and linked."""
    plans = {}
    for path in discover(REPO / "seeds"):
        document = read_document(path)
        plan = read_plan(document, load_layout(document.layout), load_curation(document))
        plans[path.stem] = (plan, link_plan(plan, gazetteer))
    return plans


def at(linked: dict[str, tuple[Plan, LinkReport]], document: str, line: int) -> Node:
    """The node of ``document`` that starts at source ``line``."""
    (node,) = [n for n in linked[document][0].nodes() if n.start_line == line]
    return node


def themes(node: Node) -> list[tuple[str, int, int, str]]:
    """The theme mentions of ``node``: (theme IRI, start, end, matched words), in text order."""
    return [(m.entity, m.start, m.end, m.text) for m in node.mentions if m.kind is LinkKind.THEME]


def oa(term: str) -> URIRef:
    """A term of the Web Annotation vocabulary."""
    return URIRef(OA + term)


def seed_graph(result: BuildResult) -> Graph:
    """The seed's named graph from the build's TriG dump."""
    return Dataset().parse(result.root / "dumps" / "kg.trig", format="trig").graph(SEED_GRAPH)


# --- The schemes -------------------------------------------------------------------------------------------


def test_theme_scheme_concepts_are_labelled_and_defined() -> None:
    g = Graph().parse(REPO / "ontology" / "thema.ttl")
    scheme = URIRef(f"{BASE}/def/thema")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert {t.language for t in g.objects(scheme, DCTERMS.title)} == {"nl", "en"}
    assert g.value(scheme, DCTERMS.license) == URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
    assert g.value(scheme, OWL.versionInfo) == Literal("0.1.0")
    assert g.value(scheme, DCTERMS.created) == Literal("2026-11-30", datatype=XSD.date)
    concepts = set(g.subjects(SKOS.inScheme, scheme))
    assert {str(c).removeprefix(THEMA) for c in concepts} == THEMES
    for concept in concepts:
        assert {label.language for label in g.objects(concept, SKOS.prefLabel)} == {"nl", "en"}, concept
        assert [d.language for d in g.objects(concept, SKOS.definition)] == ["en"], concept
        top = (concept, SKOS.topConceptOf, scheme) in g
        assert top == (g.value(concept, SKOS.broader) is None) == ((scheme, SKOS.hasTopConcept, concept) in g)
    assert g.value(URIRef(THEMA + "circulaire-economie"), SKOS.broader) == URIRef(THEMA + "duurzame-economie")
    assert set(g.objects(URIRef(THEMA + "biobased-economy"), SKOS.altLabel)) == {
        Literal("Biobased Economy", lang="nl"), Literal("BBE", lang="nl")
    }


def test_themes_map_only_to_checked_taakvelden() -> None:
    themes_graph = Graph().parse(REPO / "ontology" / "thema.ttl")
    taakvelden = Graph().parse(REPO / "ontology" / "taakveld.ttl")
    mappings = {
        (str(s).removeprefix(THEMA), str(p).rsplit("#", 1)[1], str(o).removeprefix(TAAKVELD))
        for p in (SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
        for s, o in themes_graph.subject_objects(p)
    }
    assert mappings == {
        ("ruimtelijke-ontwikkeling", "closeMatch", "gemeente-8.1"), ("huisvesting", "broadMatch", "gemeente-8.3"),
        ("regiomarketing", "broadMatch", "gemeente-3.4"),
        ("cultuur-en-erfgoed", "narrowMatch", "gemeente-5.3"), ("cultuur-en-erfgoed", "narrowMatch", "gemeente-5.5"),
        ("sport", "narrowMatch", "gemeente-5.1"), ("sport", "narrowMatch", "gemeente-5.2"),
    }
    checked = {
        str(c).removeprefix(TAAKVELD): (str(taakvelden.value(c, SKOS.notation)),
                                        str(taakvelden.value(c, SKOS.prefLabel)))
        for c in taakvelden.subjects(SKOS.inScheme, URIRef(f"{BASE}/def/taakveld"))
    }
    assert checked == {
        "gemeente-3.4": ("3.4", "Economische promotie"), "gemeente-5.1": ("5.1", "Sportbeleid en activering"),
        "gemeente-5.2": ("5.2", "Sportaccommodaties"),
        "gemeente-5.3": ("5.3", "Cultuurpresentatie, cultuurproductie en cultuurparticipatie"),
        "gemeente-5.5": ("5.5", "Cultureel erfgoed"), "gemeente-8.1": ("8.1", "Ruimtelijke Ordening"),
        "gemeente-8.3": ("8.3", "Wonen en bouwen"),
    }
    for concept in taakvelden.subjects(SKOS.inScheme, URIRef(f"{BASE}/def/taakveld")):
        assert str(taakvelden.value(concept, RDFS.seeAlso)).startswith("https://"), concept
        assert taakvelden.value(concept, DCTERMS.source) is None  # dct:source objects are plan sources (shapes)


# --- Which node gets which theme ----------------------------------------------------------------------------


def test_every_theme_classifies_some_node(linked: dict[str, tuple[Plan, LinkReport]]) -> None:
    used = {m.entity for plan, _ in linked.values() for n in plan.nodes() for m in n.mentions
            if m.kind is LinkKind.THEME}
    assert used == {THEMA + theme for theme in THEMES}


def test_product_label_biobased_economy_chemie(linked: dict[str, tuple[Plan, LinkReport]]) -> None:
    node = at(linked, SEED, 5)
    assert (node.level, node.notation, node.label) == (Level.PRODUCT, "2.1", "Biobased economy / chemie")
    assert themes(node) == [
        (THEMA + "biobased-economy", 0, 16, "Biobased economy"), (THEMA + "chemie", 19, 25, "chemie")
    ]


@pytest.mark.parametrize(
    ("document", "line", "level", "label", "expected"),
    [
        (SEED, 1, Level.PROGRAMMA, "Regionale economie", [("regionale-economie", "Regionale economie")]),
        (SEED, 9, Level.BELEIDSOPGAVE, "Realiseren van een groene en duurzame economie",
         [("duurzame-economie", "duurzame economie")]),
        (SEED, 172, Level.PRODUCT, "Breedband", [("breedband", "Breedband")]),
        (SEED, 190, Level.PRODUCT, "Vrijetijdseconomie", [("vrijetijdseconomie", "Vrijetijdseconomie")]),
        ("drenthe-jaarverslag-2018-2-4-breedband", 12, Level.BELEIDSOPGAVE, "Breedband in Drenthe",
         [("breedband", "Breedband")]),
        ("utrecht-begroting-2024-vernieuwingen-doelenboom", 22, Level.PROGRAMMA, "Ruimtelijke ontwikkeling",
         [("ruimtelijke-ontwikkeling", "Ruimtelijke ontwikkeling")]),
        ("utrecht-begroting-2024-vernieuwingen-doelenboom", 28, Level.PROGRAMMA, "Energietransitie",
         [("energietransitie", "Energietransitie")]),
        ("utrecht-begroting-2024-vernieuwingen-doelenboom", 34, Level.PROGRAMMA, "Cultuur en erfgoed",
         [("cultuur-en-erfgoed", "Cultuur en erfgoed")]),
        ("utrecht-begroting-2024-vernieuwingen-doelenboom", 38, Level.BELEIDSOPGAVE,
         "Recreatie en bestemmingsmanagement is meer integraal onderdeel van de leefomgeving",
         [("vrijetijdseconomie", "Recreatie")]),
    ],
)
def test_themes_of_programmes_products_and_policy_tasks(
    linked: dict[str, tuple[Plan, LinkReport]], document: str, line: int, level: Level, label: str,
    expected: list[tuple[str, str]],
) -> None:
    node = at(linked, document, line)
    assert (node.level, node.label) == (level, label)
    assert [(entity.removeprefix(THEMA), text) for entity, _, _, text in themes(node)] == expected
    # entities only from the policy tasks down: since issue 18 a task names the area it is about
    entities = [(m.kind, m.text) for m in node.mentions if m.kind is not LinkKind.THEME]
    assert entities == ([(LinkKind.REGION, "Drenthe")] if label == "Breedband in Drenthe" else [])


@pytest.mark.parametrize(
    ("document", "line", "expected"),
    [
        # the capitalised name and its abbreviation, both of the one theme
        (SEED, 27, [("biobased-economy", "Biobased Economy"), ("biobased-economy", "BBE")]),
        (SEED, 31, [("circulaire-economie", "circulair"), ("biobased-economy", "biobased")]),
        (SEED, 67, [("ondernemerschap", "MKB"), ("duurzame-economie", "groen ondernemerschap")]),
        (SEED, 107, [("innovatie", "Kennisdeling"), ("htsm", "HTSM"), ("biobased-economy", "Biobased Economy"),
                     ("gezondheidseconomie", "gezondheidseconomie"), ("gezondheidseconomie", "Healthy Ageing")]),
        (SEED, 112, [("innovatie", "Innovatief"), ("arbeidsmarkt", "Vakmanschap"), ("biobased-economy", "BBE")]),
        (SEED, 156, [("grensoverschrijdende-samenwerking", "grensoverschrijdende"),
                     ("arbeidsmarkt", "arbeidsmobiliteit")]),
        (SEED, 184, [("breedband", "snel internet")]),
        (SEED, 204, [("regiomarketing", "imagoversterkende"), ("cultuur-en-erfgoed", "culturele"),
                     ("sport", "sportieve")]),
        (SEED, 228, [("ruimtelijke-ontwikkeling", "uitnodigingsplanologie"),
                     ("natuur-en-landschap", "natuur en landschap")]),
        ("drenthe-begroting-2017-p2-1-beleidsopgave", 30, [("agrofood", "Agribusiness"), ("biobased-economy", "BBE"),
                                                           ("gezondheidseconomie", "gezondheidseconomie")]),
        ("overijssel-monitor-2020-ii-prestaties-kleurscore", 33, [("energietransitie", "hernieuwbare energie"),
                                                                  ("energietransitie", "energiebesparing")]),
        ("overijssel-monitor-2020-ii-prestaties-kleurscore", 74, [("innovatie", "Innovatieprogramma"),
                                                                  ("agrofood", "Agro&Food")]),
        ("utrecht-begroting-2024-vernieuwingen-doelenboom", 24, [("huisvesting", "huisvesting")]),
        ("zaanstad-begroting-2018-burger-en-bestuur-doelenboom", 14,
         [("publieke-dienstverlening", "gemeentelijke dienstverlening")]),
    ],
)
def test_themes_of_objectives_and_results(
    linked: dict[str, tuple[Plan, LinkReport]], document: str, line: int, expected: list[tuple[str, str]]
) -> None:
    node = at(linked, document, line)
    assert [(entity.removeprefix(THEMA), text) for entity, _, _, text in themes(node)] == expected
    assert all(node.label[start:end] == text for _, start, end, text in themes(node))


def test_a_theme_word_inside_an_entity_name_classifies_too(linked: dict[str, tuple[Plan, LinkReport]]) -> None:
    node = at(linked, SEED, 186)
    assert node.label == "Breedband Platform Drenthe"
    assert [(m.kind, m.entity, m.start, m.end) for m in node.mentions] == [
        (LinkKind.THEME, THEMA + "breedband", 0, 9),
        (LinkKind.INSTRUMENT, f"{BASE}/id/instrument/breedband-platform-drenthe", 0, 26),
    ]


def test_the_publisher_rule_does_not_apply_to_themes(linked: dict[str, tuple[Plan, LinkReport]]) -> None:
    node = at(linked, SEED, 49)
    assert node.label.startswith("De provincie Drenthe (als organisatie) laten functioneren")
    assert [(m.kind, m.text) for m in node.mentions] == [(LinkKind.THEME, "biobased")]
    assert linked[SEED][1].publisher_mentions == 1


# --- Counts and candidates ----------------------------------------------------------------------------------


def test_theme_links_and_mentions_per_document(linked: dict[str, tuple[Plan, LinkReport]]) -> None:
    counts = {
        name: (report.links.get("theme", 0),
               sum(1 for n in plan.nodes() for m in n.mentions if m.kind is LinkKind.THEME),
               sum(1 for n in plan.nodes() if themes(n)), sum(1 for _ in plan.nodes()))
        for name, (plan, report) in linked.items()
    }
    # (distinct node-theme links, theme mentions, nodes with a theme, nodes)
    assert counts == {
        SEED: (104, 112, 73, 104),
        "drenthe-begroting-2017-p2-1-beleidsopgave": (16, 23, 10, 13),
        "drenthe-begroting-2016-p2-toelichting": (1, 1, 1, 1),  # programme 2 "Regionale economie"
        "drenthe-jaarverslag-2018-2-4-breedband": (2, 2, 2, 3),
        "flevoland-begroting-2019-economie-indicatoren": (0, 0, 0, 0),  # indicator tables only: no plan nodes
        "fryslan-jaarstukken-2023-p4-economie": (1, 1, 1, 4),  # ambition 2's "circulaire economie"
        "overijssel-monitor-2020-ii-prestaties-kleurscore": (10, 13, 9, 15),
        "utrecht-begroting-2024-vernieuwingen-doelenboom": (6, 6, 6, 6),
        "zaanstad-begroting-2018-burger-en-bestuur-doelenboom": (1, 1, 1, 3),
    }
    # region 28 before the rules of issue 18 (tests/link/test_link.py::test_the_rules_of_issue_18_on_the_seed)
    assert dict(linked[SEED][1].links) == {"partner": 23, "region": 30, "instrument": 31, "theme": 104}


def test_theme_words_are_no_name_candidates(linked: dict[str, tuple[Plan, LinkReport]]) -> None:
    seed = linked[SEED][1].candidates
    for theme_words in ("Biobased Economy", "BBE", "MKB", "HTSM", "Chemie", "Healthy Ageing"):
        assert theme_words not in seed, theme_words
    assert seed["Centrum voor Innovatief Vakmanschap BBE"] == [112]  # a name with more than theme words
    assert seed["HTSM/Smart"] == [87]
    assert linked["drenthe-begroting-2017-p2-1-beleidsopgave"][1].candidates == {
        "R&D": [16], "Greenport Noord Nederland": [18], "Europese": [26], "Plant Value": [30],
        # names holding a place, not places of the results (issue 18, rule 2 of kg.link.entities)
        "Noordelijke Samenwerkingsagenda": [20], "Green Business Campus Emmen": [34],
    }  # no longer "BBE" [14], "Agribusiness/BBE" [30], "BBE/circulaire" [32]
    assert linked["overijssel-monitor-2020-ii-prestaties-kleurscore"][1].candidates == {
        "Coalitieakkoord": [12, 58], "Energiefonds": [34],
        "Energiefonds Overijssel": [29, 33, 36],  # a fund's name holding a place (issue 18): not the region
    }  # no longer "Agro&Food" [74, 78]


# --- No theme where there is no cue, and no false match ------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "line", "label"),
    [
        (SEED, 41, "Clusterorganisatie Greenlincs is actief"),
        (SEED, 21, "De nieuwe economische beleidsagenda is vastgesteld"),
        # "Verduurzaming" is making the centre last, not sustainability: no bare "duurzaam" form
        (SEED, 166, "Verduurzaming van het International Welcome Center North (IWCN)"),
        # a fund's name is no theme word: "Energiefonds" holds "energie", which is no form
        ("overijssel-monitor-2020-ii-prestaties-kleurscore", 29,
         "Financieren van projecten door Energiefonds Overijssel"),
        ("zaanstad-begroting-2018-burger-en-bestuur-doelenboom", 16,
         "Samen met inwoners, ondernemers en partners Zaans Evenwicht realiseren"),
    ],
)
def test_nodes_without_a_theme_cue(
    linked: dict[str, tuple[Plan, LinkReport]], document: str, line: int, label: str
) -> None:
    node = at(linked, document, line)
    assert node.label == label
    assert themes(node) == []


def test_a_form_inside_a_longer_word_does_not_match(linked: dict[str, tuple[Plan, LinkReport]]) -> None:
    node = at(linked, SEED, 222)
    assert "'Grootste groene sportpark van Nederland'" in node.label
    # "sportpark" holds the form "sport": no sport theme; "Toerisme" and "Landschap" are whole words
    assert [(entity.removeprefix(THEMA), text) for entity, _, _, text in themes(node)] == [
        ("vrijetijdseconomie", "Toerisme"), ("natuur-en-landschap", "Landschap")
    ]
    # "circulaire economie" is one mention, not also "circulair" inside "circulaire"
    assert themes(at(linked, SEED, 17)) == [(THEMA + "circulaire-economie", 19, 38, "circulaire economie")]


def test_theme_matching_keeps_the_capitals_rule(gazetteer: Gazetteer) -> None:
    found = [(m.entity.removeprefix(THEMA), m.text) for m in gazetteer.find("Circulaire economie en BBE",
                                                                            {LinkKind.THEME})]
    assert found == [("circulaire-economie", "Circulaire economie"), ("biobased-economy", "BBE")]
    # an all-capital form keeps its capitals, a lower-case form only gains a capital first letter
    assert gazetteer.find("bbe en CIRCULAIRE ECONOMIE", {LinkKind.THEME}) == []


# --- In the graph -------------------------------------------------------------------------------------------


def test_theme_links_in_the_seed_graph(built: tuple[Settings, BuildResult]) -> None:
    graph = seed_graph(built[1])
    product = URIRef(f"{BASE}/id/product/pv22-2016-2-1")
    assert set(graph.objects(product, DCTERMS.subject)) == {
        URIRef(THEMA + "biobased-economy"), URIRef(THEMA + "chemie")
    }
    assert len(set(graph.triples((None, DCTERMS.subject, None)))) == 104
    greenlincs = URIRef(f"{BASE}/id/resultaat/pv22-2016-a2f530e4")
    assert graph.value(greenlincs, SKOS.prefLabel) == Literal("Clusterorganisatie Greenlincs is actief", lang="nl")
    assert graph.value(greenlincs, DCTERMS.subject) is None


def test_theme_evidence_is_a_classifying_annotation(built: tuple[Settings, BuildResult]) -> None:
    graph = seed_graph(built[1])
    annotation = URIRef(f"{BASE}/id/classificatie/pv22-2016-2-1-0")
    assert graph.value(annotation, oa("motivatedBy")) == oa("classifying")
    assert graph.value(annotation, oa("hasBody")) == URIRef(THEMA + "biobased-economy")
    target = graph.value(annotation, oa("hasTarget"))
    assert graph.value(target, oa("hasSource")) == URIRef(f"{BASE}/id/product/pv22-2016-2-1")
    selectors = set(graph.objects(target, oa("hasSelector")))
    assert {(graph.value(s, oa("start")), graph.value(s, oa("end"))) for s in selectors} - {(None, None)} == {
        (Literal(0, datatype=XSD.integer), Literal(16, datatype=XSD.integer))
    }
    assert {graph.value(s, oa("exact")) for s in selectors} - {None} == {Literal("Biobased economy")}
    classifying = set(graph.subjects(oa("motivatedBy"), oa("classifying")))
    assert len(classifying) == 112
    assert all(str(a).startswith(f"{BASE}/id/classificatie/") for a in classifying)
    # the theme and the instrument named from the same first letter have their own annotations
    platform = "pv22-2016-961c5e70"
    assert graph.value(URIRef(f"{BASE}/id/classificatie/{platform}-0"), oa("hasBody")) == URIRef(THEMA + "breedband")
    assert graph.value(URIRef(f"{BASE}/id/vermelding/{platform}-0"), oa("hasBody")) == URIRef(
        f"{BASE}/id/instrument/breedband-platform-drenthe"
    )


def test_shapes_refuse_a_subject_outside_the_theme_scheme(built: tuple[Settings, BuildResult]) -> None:
    settings, result = built
    dataset = Dataset().parse(result.root / "dumps" / "kg.trig", format="trig")
    graph = Graph()
    for name in (SEED_GRAPH, URIRef(f"{BASE}/def/thema"),
                 *(URIRef(f"{BASE}/graph/referentie/{n}") for n in REFERENCE_FILES)):
        graph += dataset.graph(name)
    shapes = read_turtle_dir(settings.shapes_dir)
    assert validate_graph(graph, shapes).conforms
    greenlincs = URIRef(f"{BASE}/id/resultaat/pv22-2016-a2f530e4")
    graph.add((greenlincs, DCTERMS.subject, URIRef(f"{BASE}/def/kleurscore#groen")))
    report = validate_graph(graph, shapes)
    assert not report.conforms
    assert {(v.focus, v.path) for v in report.violations if v.focus == str(greenlincs)} == {
        (str(greenlincs), str(DCTERMS.subject))
    }


def test_reference_graph_holds_the_theme_concepts() -> None:
    reference = load_reference_data(REPO / "vocab", BASE, read_turtle_dir(REPO / "ontology"))
    theme = URIRef(THEMA + "breedband")
    assert (theme, SKOS.inScheme, URIRef(f"{BASE}/def/thema")) in reference.graph
    assert set(reference.files) == set(REFERENCE_FILES)  # one per vocab file, published as before
    assert (theme, None, None) not in load_reference_data(REPO / "vocab", BASE).graph
