"""Layout profiles on real pages of other documents (copies of ../shared/corpus/ in seeds/).

Every expected value was checked by reading the page: counts per level, three nodes each (label, code,
parent), the colour scores of the Overijssel monitor, the cut-off last lines, and a profile mismatch.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.model.iris import PB
from kg.model.plan import Level, Node, Plan
from kg.model.source import SourceError
from kg.rdf.keys import KeyRegistry, assign_keys
from kg.rdf.mapping import map_plan
from kg.read.curation import load_curation
from kg.read.files import read_document
from kg.read.profile import load_profile
from kg.read.reader import CUT_OFF, ReadError, read_plan
from kg.validate.shacl import read_turtle_dir, validate_graph

CORPUS = Path(__file__).resolve().parents[2] / "seeds"
REPO = Path(__file__).resolve().parents[2]
KS = "https://kg.example.org/def/kleurscore#"

DRENTHE_2017 = "drenthe-begroting-2017-p2-1-beleidsopgave"
DRENTHE_2018 = "drenthe-jaarverslag-2018-2-4-breedband"
OVERIJSSEL = "overijssel-monitor-2020-ii-prestaties-kleurscore"
UTRECHT = "utrecht-begroting-2024-vernieuwingen-doelenboom"
ZAANSTAD = "zaanstad-begroting-2018-burger-en-bestuur-doelenboom"
FRYSLAN = "fryslan-jaarstukken-2023-p4-economie"
TOELICHTING = "drenthe-begroting-2016-p2-toelichting"


def read(name: str, folder: Path = CORPUS) -> Plan:
    """Read the corpus page ``name`` with the layout its metadata names."""
    document = read_document(folder / f"{name}.txt")
    return read_plan(document, load_profile(document.layout), load_curation(document))


def counts(plan: Plan) -> dict[Level, int]:
    """Return the number of nodes per level, for the levels that have any."""
    return {level: plan.count(level) for level in Level if plan.count(level)}


def node(plan: Plan, line: int) -> tuple[Level, str, str | None, int | None]:
    """Return (level, label, notation, parent's first line) of the node that starts at ``line``."""
    (found,) = [n for n in plan.nodes() if n.start_line == line]
    parent: Node | None = found.parent
    return found.level, found.label, found.notation, parent.start_line if parent else None


def cut_off(plan: Plan) -> list[int]:
    """Return the lines reported as cut off."""
    return [e.line for e in plan.ledger if e.outcome == "skipped" and e.detail == CUT_OFF]


@pytest.mark.parametrize("name", [DRENTHE_2017, DRENTHE_2018, OVERIJSSEL, UTRECHT, ZAANSTAD, FRYSLAN, TOELICHTING])
def test_every_non_blank_line_is_in_the_ledger_once(name: str) -> None:
    plan = read(name)
    assert [e.line for e in plan.ledger] == [n for n, t in enumerate(plan.document.lines, 1) if t.strip()]
    assert [e.line for e in plan.ledger if e.outcome == "header"][:4] == [1, 2, 3, 4]  # the corpus header


def test_drenthe_2017_policy_task_page() -> None:
    plan = read(DRENTHE_2017)
    assert counts(plan) == {Level.BELEIDSOPGAVE: 1, Level.DOELSTELLING: 3, Level.RESULTAAT: 9}
    assert node(plan, 6) == (Level.BELEIDSOPGAVE, "Realiseren van een groene en duurzame economie", "2.1", None)
    assert node(plan, 22) == (
        Level.DOELSTELLING, "Profilering van Drenthe als groene economische provincie (circulair én biobased)", None, 6
    )
    assert node(plan, 32) == (
        Level.RESULTAAT, "Realisatie 4 projecten/businesscases op het gebied van agribusiness/BBE/circulaire economie",
        None, 28,
    )
    assert [n.label for n in plan.nodes() if n.level is Level.DOELSTELLING] == [
        "Faciliteren van het transitieproces richting groen en circulair (duurzaam) ondernemen",
        "Profilering van Drenthe als groene economische provincie (circulair én biobased)",
        "Doorontwikkeling van Drenthe als biobased economy",
    ]
    assert cut_off(plan) == [36]  # "Kennisuitwisseling tussen Drentse (chemische) bedrijfsleven e"


def test_drenthe_2018_annual_report_page() -> None:
    plan = read(DRENTHE_2018)
    assert counts(plan) == {Level.PROGRAMMA: 1, Level.BELEIDSOPGAVE: 1, Level.DOELSTELLING: 1}
    assert node(plan, 8) == (Level.PROGRAMMA, "Economisch Drenthe", "2", None)
    assert node(plan, 12) == (Level.BELEIDSOPGAVE, "Breedband in Drenthe", "2.4", 8)
    assert node(plan, 17) == (
        Level.DOELSTELLING, "In het voorjaar van 2019 is in de witte gebieden breedband beschikbaar", "2.4.01", 12
    )
    skipped = [e.line for e in plan.ledger if e.outcome == "skipped"]
    assert skipped == [14, 15, 18, 19] and cut_off(plan) == []  # a complete page: nothing cut off


def test_overijssel_monitor_prestaties_and_actions() -> None:
    plan = read(OVERIJSSEL)
    assert counts(plan) == {Level.RESULTAAT: 5, Level.DEELRESULTAAT: 10}
    assert node(plan, 29) == (Level.RESULTAAT, "Financieren van projecten door Energiefonds Overijssel", "2.3.2", None)
    assert node(plan, 57) == (
        Level.DEELRESULTAAT,
        "Wij faciliteren de Nationale parken in hun ontwikkeling van trede twee naar drie binnen de standaard "
        "voor de nationale parken.",
        None, 52,
    )
    assert node(plan, 94) == (Level.RESULTAAT, "Slimmer maken van systemen en netwerken", "4.1.4", None)
    assert [len(n.children) for n in plan.programmes] == [2, 4, 3, 1, 0]
    assert cut_off(plan) == [98]  # " 1. Wij voeren samen met onze partners innovatie"


def test_overijssel_colour_scores() -> None:
    plan = read(OVERIJSSEL)
    both_green = [("inhoudelijkeKleurscore", "kleurscore", "groen"), ("financieleKleurscore", "kleurscore", "groen")]
    assert [(n.notation, n.statuses) for n in plan.programmes] == [
        ("1.4.2", both_green), ("2.3.2", both_green), ("3.3.2", both_green), ("3.4.2", both_green),
        ("4.1.4", []),  # cut off before its status: absent, not guessed
    ]


def test_overijssel_page_without_letters_has_no_status(tmp_path: Path) -> None:
    copy = _copy(tmp_path, OVERIJSSEL)
    path = copy / f"{OVERIJSSEL}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("\nG\n", "\n"), encoding="utf-8")
    plan = read(OVERIJSSEL, copy)
    assert counts(plan) == {Level.RESULTAAT: 5, Level.DEELRESULTAAT: 10}
    assert all(not n.statuses for n in plan.nodes())


def test_a_colour_letter_outside_the_vocabulary_fails_naming_the_line(tmp_path: Path) -> None:
    copy = _copy(tmp_path, OVERIJSSEL)
    path = copy / f"{OVERIJSSEL}.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[41] == "G"  # line 42: the content score of 2.3.2
    lines[41] = "X"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ReadError, match=rf"{OVERIJSSEL}\.txt:42: inhoudelijke kleurscore: status 'X'"):
        read(OVERIJSSEL, copy)


def test_utrecht_doelenboom_changes() -> None:
    plan = read(UTRECHT)
    assert counts(plan) == {Level.PROGRAMMA: 3, Level.BELEIDSOPGAVE: 1, Level.DOELSTELLING: 2}
    assert node(plan, 28) == (Level.PROGRAMMA, "Energietransitie", "4", None)
    assert node(plan, 24) == (
        Level.DOELSTELLING,
        "Het aantal plekken voor opvang van asielzoekers en de huisvesting van statushouders sluit beter aan bij "
        "de opgave",
        "1.3.4", 22,
    )
    assert node(plan, 38) == (
        Level.BELEIDSOPGAVE, "Recreatie en bestemmingsmanagement is meer integraal onderdeel van de leefomgeving",
        "7.4", 34,
    )
    (former,) = [e for e in plan.ledger if e.line == 36]  # "8.5 De bezoekerseconomie is sterk": column "was"
    reason = 'the former code of a goal of another programme (column "was")'
    assert (former.outcome, former.detail) == ("skipped", reason)
    assert cut_off(plan) == [43]


def test_zaanstad_municipal_doelenboom() -> None:
    plan = read(ZAANSTAD)
    assert counts(plan) == {Level.BELEIDSOPGAVE: 1, Level.DOELSTELLING: 1, Level.RESULTAAT: 1}
    level, label, notation, parent = node(plan, 14)
    assert (level, notation, parent) == (Level.BELEIDSOPGAVE, None, None)
    assert label.startswith("De gemeente investeert zowel bestuurlijk als ambtelijk") and label.endswith(
        "Dat geeft ruimte aan anderen om initiatiefrijk en ondernemend te zijn."
    )
    assert node(plan, 16) == (
        Level.DOELSTELLING, "Samen met inwoners, ondernemers en partners Zaans Evenwicht realiseren", "1", 14
    )
    assert node(plan, 54) == (Level.RESULTAAT, "Samen Zaans Evenwicht realiseren", "1.1", 16)
    assert cut_off(plan) == [56]
    indicator_lines = [e.line for e in plan.ledger if e.detail.startswith("effect indicator table (")]
    assert indicator_lines[0] == 22 and indicator_lines[-1] == 50


def test_fryslan_annual_report_read_with_the_bbv_base() -> None:
    # Expected values written from reading the page, before the profile was run on it.
    plan = read(FRYSLAN)
    assert counts(plan) == {Level.PROGRAMMA: 1, Level.DOELSTELLING: 3}
    assert node(plan, 6) == (Level.PROGRAMMA, "Economie", "4", None)  # "Programma 4: Economie"
    assert node(plan, 39) == (  # "Ambitie 1:  Fryslân ...": the ambition's text after the colon
        Level.DOELSTELLING, "Fryslân is en blijft de 'rijkste' brede welvaartsregio van Nederland", None, 6
    )
    assert node(plan, 40) == (
        Level.DOELSTELLING,
        "Fryslân behoort in 2025 tot de top 3 van Europese regio’s in de transitie naar circulaire economie", None, 6,
    )
    assert node(plan, 41) == (Level.DOELSTELLING, "Fryslân verandert van krimp- naar kansregio", None, 6)
    assert cut_off(plan) == [42]  # "Ambitie 4: ... waarin de zogenoemde drie"
    (programme,) = plan.programmes
    assert programme.description == (
        "Economie vormt een belangrijk fundament voor het realiseren van Geluk op 1 en de brede welvaart, zoals "
        "benoemd in het bestuursakkoord. De ambities die we vanuit economie* hieraan gekoppeld hebben zijn:"
    )
    assert programme.description_lines == (38, 38)
    assert [(listed.line, listed.name, listed.role) for listed in programme.listed] == [
        (24, "Noordelijke Ontwikkelingsmaatschappij NV (NOM)", "verbonden partij"),
        (25, "Friese Ontwikkelingsmaatschappij BV (FOM, voorheen Doefonds)", "verbonden partij"),
        (26, "Samenwerkingsverband Noord-Nederland (SNN)", "verbonden partij"),
        (27, "Gemeenschappelijke Regeling Marrekrite", "verbonden partij"),
        (28, "Gemeenschappelijke Regeling Waddenfonds", "verbonden partij"),
    ]
    outcomes: dict[str, list[int]] = {}
    for entry in plan.ledger:
        outcomes.setdefault(entry.outcome, []).append(entry.line)
    assert outcomes == {
        "header": [1, 2, 3, 4, 8, 18, 30, 34],  # the corpus header, three BBV headings, "Doelstellingen programma 4"
        "node": [6, 24, 25, 26, 27, 28, 38, 39, 40, 41],
        "skipped": [10, 12, 14, 16, 20, 22, 32, 36, 42],
    }
    navigation = [e.line for e in plan.ledger if e.detail.startswith("navigation link")]
    assert navigation == [10, 20, 32, 36]  # each "Terug naar navigatie - <heading>"


def test_drenthe_2016_toelichting_keeps_its_prose_as_the_programme_description() -> None:
    # Expected values written from reading the page, before the profile was run on it. The page has one node.
    plan = read(TOELICHTING)
    assert counts(plan) == {Level.PROGRAMMA: 1}
    assert node(plan, 6) == (Level.PROGRAMMA, "Regionale economie", "2", None)  # "Programma 2", its title below
    (programme,) = plan.programmes
    assert (programme.start_line, programme.end_line) == (6, 8)
    assert programme.description_lines == (10, 14)
    assert programme.description == (
        "Innovatief Drenthe: Economische zaken en arbeidsmarkt\n"
        "De ruimtelijk-economische visie Noordervisie 2040 vormt onze stip op de horizon en laat de nieuwe "
        "rolverdeling tussen provincie en samenleving zien. De Noordervisie is vervolgens verder uitgewerkt in een "
        "Noordelijke Innovatie Agenda (NIA), een Gebiedsagenda Noord-Nederland (Energieke Noorderruimte) en het "
        'noordelijk "Koepelproject arbeidsmarkt".\n\n'
        "De (nieuwe) economische koers\n"
        "De inzet van de provincie Drenthe, op economische terrein is deels al uitgewerkt in de ‘Economische Koers "
        "Drenthe 2015-2020’. Deze koers is een logische opvolger van de Drentse Economische agenda en het Kader voor "
        "Economische Investeringen (KEI) 2011-2015."
    )
    assert [(e.line, e.outcome) for e in plan.ledger] == [
        (1, "header"), (2, "header"), (3, "header"), (4, "header"),
        (6, "node"), (8, "node"), (10, "node"), (11, "node"), (13, "node"), (14, "node"),
    ]
    assert cut_off(plan) == []  # a complete page


def test_without_cut_off_the_fragment_would_be_read(tmp_path: Path) -> None:
    copy = _copy(tmp_path, DRENTHE_2017)
    meta = copy / f"{DRENTHE_2017}.meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("cut_off: true", "cut_off: false"), encoding="utf-8")
    plan = read(DRENTHE_2017, copy)
    assert cut_off(plan) == [] and plan.count(Level.RESULTAAT) + plan.count(Level.DOELSTELLING) == 13


def test_a_document_the_profile_does_not_fit_names_file_line_and_state(tmp_path: Path) -> None:
    copy = _copy(tmp_path, DRENTHE_2018)
    path = copy / f"{DRENTHE_2018}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n\nBeleidsopgave:", "\n\nLosse regel\n\nBeleidsopgave:"), encoding="utf-8")
    with pytest.raises(ReadError, match=rf"{DRENTHE_2018}\.txt:12: unexpected text in state 'programme'"):
        read(DRENTHE_2018, copy)


def test_a_notation_outside_its_parent_fails_without_a_foreign_reason(tmp_path: Path) -> None:
    copy = _copy(tmp_path, DRENTHE_2018)
    path = copy / f"{DRENTHE_2018}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("2.4.01 In het", "2.5.01 In het"), encoding="utf-8")
    with pytest.raises(ReadError, match=rf"{DRENTHE_2018}\.txt:17: doelstelling: 2.5.01 does not lie within 2.4"):
        read(DRENTHE_2018, copy)


def test_profile_errors_name_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("name: bad\nrules:\n  - match: '^x$'\n    nod: programma\n")
    with pytest.raises(SourceError, match=r"bad\.yaml:4: unknown field rules\[0\]\.nod"):
        load_profile("bad", tmp_path)
    (tmp_path / "bad.yaml").write_text("name: bad\nrules:\n  - match: '^x$'\n    node: kerntaak\n")
    with pytest.raises(SourceError, match=r"bad\.yaml:4: unknown level 'kerntaak'"):
        load_profile("bad", tmp_path)
    with pytest.raises(SourceError, match="unknown layout 'nothing'"):
        load_profile("nothing", tmp_path)


def test_colour_scores_are_mapped_and_checked_by_the_shapes() -> None:
    plan = read(OVERIJSSEL)
    assign_keys(plan, KeyRegistry())
    graph = map_plan(plan, "https://kg.example.org")
    first = URIRef(f"https://kg.example.org/id/resultaat/{plan.programmes[0].key}")
    assert graph.value(first, PB.inhoudelijkeKleurscore) == URIRef(KS + "groen")
    assert graph.value(first, PB.financieleKleurscore) == URIRef(KS + "groen")
    shapes = read_turtle_dir(REPO / "shapes")
    assert validate_graph(graph, shapes).conforms  # a page of performances with no parents on it
    graph.set((first, PB.inhoudelijkeKleurscore, URIRef(KS + "paars")))
    (violation,) = validate_graph(graph, shapes).violations
    assert (violation.focus, violation.path) == (str(first), str(PB.inhoudelijkeKleurscore))


def test_colour_score_scheme_has_the_letters_as_notations() -> None:
    g = Graph().parse(REPO / "ontology" / "kleurscore.ttl")
    scheme = URIRef("https://kg.example.org/def/kleurscore")
    notations = {str(g.value(c, SKOS.notation)): str(c) for c in g.subjects(SKOS.inScheme, scheme)}
    assert notations == {"G": KS + "groen", "O": KS + "oranje", "R": KS + "rood"}
    assert load_profile("overijssel-monitor-2020").statuses["kleurscore"].values == {
        "G": "groen", "O": "oranje", "R": "rood"
    }


def _copy(tmp_path: Path, name: str) -> Path:
    """Copy a corpus page and its metadata to ``tmp_path`` and return the folder."""
    for suffix in (".txt", ".meta.yaml"):
        shutil.copy(CORPUS / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    return tmp_path
