"""The constructs of the profile language (issue 19), each on a real page of seeds/ (copied and changed in a
temporary folder where a test needs a page the profile must not fit): indicator columns without a year and a
text column, indicator codes and parents, rules that end an indicator table only when they say so, closing a
node or a level, nodes from the page's header, prose kept as a description, partner organisations of a programme
(linked and mapped), the BBV base profile's questions, and a profile's mistakes named by file and line.

Every expected value was checked by reading the page.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from kg.link.entities import link_plan, load_reference_data
from kg.model.iris import OA, PB
from kg.model.plan import Level, LinkKind, Node, Plan
from kg.model.source import SourceError
from kg.rdf.keys import KeyRegistry, assign_keys
from kg.rdf.mapping import map_plan
from kg.read.files import read_document
from kg.read.profile import LAYOUTS_DIR, load_profile
from kg.read.reader import ReadError, read_plan
from kg.settings import Settings
from kg.validate.shacl import read_turtle_dir, validate_graph

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
BASE = "https://kg.example.org"
ZAANSTAD = "zaanstad-begroting-2018-burger-en-bestuur-doelenboom"
FLEVOLAND = "flevoland-begroting-2019-economie-indicatoren"
DRENTHE_2017 = "drenthe-begroting-2017-p2-1-beleidsopgave"
FRYSLAN = "fryslan-jaarstukken-2023-p4-economie"

#: Zaanstad's effect indicator table read (the shipped profile skips it): columns "Nulmeting", "Realisatie 2016",
#: "Begroting 2017", "Begroting 2018", "Streef-\nwaarde" and "Bron", whose cell ("Zaanpeiling") follows the values.
ZAANSTAD_INDICATORS = """
name: zaanstad-indicators
extends: [zaanstad-begroting-2018]
states:
  indicators: {indicator: true}
indicators:
  column_header: '^(Nulmeting|Realisatie|Begroting|\\d{4}|Streef-|waarde|Bron)$'
  target_column: '^(Begroting|Streef-)'
  baseline_column: '^Nulmeting$'
  source_column: '^Bron$'
  value: '^(?:(?P<operator>>=|<=|>|<|≥|≤)\\s*)?(?P<number>\\d+(?:,\\d+)?)\\s*(?P<unit>%)?$'
  missing: '^(n\\.b\\.?|PM|-)$'
  source: '^Bron:'
  item: '^•\\s*(?P<label>\\S.*)$'
  footnote_mark: '\\s*\\*$'
"""


def profile_dir(tmp_path: Path, **profiles: str) -> Path:
    """Write the profiles (name -> YAML) into ``tmp_path/layouts`` and return the folder."""
    folder = tmp_path / "layouts"
    folder.mkdir(exist_ok=True)
    for name, text in profiles.items():
        (folder / f"{name.replace('_', '-')}.yaml").write_text(text, encoding="utf-8")
    return folder


def copy_page(tmp_path: Path, name: str, replace: tuple[str, str] | None = None) -> Path:
    """Copy a page of seeds/ and its metadata to ``tmp_path`` (changing its text when asked); return the text file."""
    for suffix in (".txt", ".meta.yaml"):
        shutil.copy(SEEDS / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    path = tmp_path / f"{name}.txt"
    if replace is not None:
        text = path.read_text(encoding="utf-8")
        assert replace[0] in text
        path.write_text(text.replace(replace[0], replace[1], 1), encoding="utf-8")
    return path


def read_with(page: Path, profile: str, folder: Path = LAYOUTS_DIR) -> Plan:
    """Read ``page`` with the profile ``profile`` from ``folder`` (its bases from the shipped layouts)."""
    return read_plan(read_document(page), load_profile(profile, folder))


def parent_line(node: Node) -> int | None:
    """The first line of a node's parent (None for a top node)."""
    return node.parent.start_line if node.parent is not None else None


# --- indicator tables -------------------------------------------------------------------------------------


def test_indicator_columns_without_a_year_and_a_source_column(tmp_path: Path) -> None:
    plan = read_with(SEEDS / f"{ZAANSTAD}.txt", "zaanstad-indicators",
                     profile_dir(tmp_path, zaanstad_indicators=ZAANSTAD_INDICATORS))
    (indicator,) = plan.indicators
    assert indicator.label == ("Percentage inwoners dat aangeeft zich medeverantwoordelijk te voelen voor de "
                               "leefbaarheid in eigen buurt.")
    assert (indicator.start_line, indicator.end_line, indicator.note) == (38, 38, "Bron: Zaanpeiling")
    assert indicator.parent is not None and (indicator.parent.level, indicator.parent.notation) == (
        Level.DOELSTELLING, "1")  # "1 Samen met inwoners, ...": the objective the table measures
    assert [(m.kind, m.start_year, m.value, m.unit, m.line) for m in indicator.measurements] == [
        ("nulmeting", None, Decimal("83"), "%", 40),
        ("realisatie", 2016, Decimal("80"), "%", 42),
        ("streefwaarde", 2017, Decimal("80"), "%", 44),
        ("streefwaarde", 2018, Decimal("80"), "%", 46),
        ("streefwaarde", None, Decimal("83"), "%", 48),  # "Streef-\nwaarde": a target with no year
    ]
    ledger = {e.line: (e.outcome, e.detail) for e in plan.ledger}
    assert [line for line, (outcome, _) in ledger.items() if outcome == "header" and 22 <= line <= 36] == [
        22, 24, 25, 27, 28, 30, 31, 33, 34, 36]
    assert ledger[50] == ("node", "indicator bron")
    (prestatie,) = [n for n in plan.nodes() if n.level is Level.RESULTAAT]
    assert parent_line(prestatie) == 16  # the table ended when the reading left it ("Om deze doelstelling ...")


def test_indicators_with_a_parent_and_no_year_are_mapped_and_conform(tmp_path: Path) -> None:
    plan = read_with(SEEDS / f"{ZAANSTAD}.txt", "zaanstad-indicators",
                     profile_dir(tmp_path, zaanstad_indicators=ZAANSTAD_INDICATORS))
    assign_keys(plan, KeyRegistry())
    graph = map_plan(plan, BASE)
    (indicator,) = plan.indicators
    iri = URIRef(f"{BASE}/id/indicator/{indicator.key}")
    objective = URIRef(f"{BASE}/id/doelstelling/{plan.programmes[0].children[0].key}")
    assert graph.value(iri, SKOS.broader) == objective and graph.value(iri, PB.doelstelling) == objective
    assert graph.value(iri, SKOS.topConceptOf) is None
    (baseline,) = graph.objects(iri, PB.nulmeting)
    assert graph.value(baseline, RDF.value) == Literal(Decimal("83")) and graph.value(baseline, PB.jaar) is None
    years = sorted(str(graph.value(v, PB.jaar)) for v in graph.objects(iri, PB.streefwaarde))
    assert years == ["2017", "2018", "None"]
    report = validate_graph(graph, read_turtle_dir(REPO / "shapes"))
    assert report.conforms, report.violations


def test_a_column_without_a_year_the_profile_does_not_name_fails_with_file_and_line(tmp_path: Path) -> None:
    without = ZAANSTAD_INDICATORS.replace("  baseline_column: '^Nulmeting$'\n", "")
    folder = profile_dir(tmp_path, zaanstad_indicators=without)
    with pytest.raises(ReadError, match=rf"{ZAANSTAD}\.txt:22: indicator column header 'Nulmeting' names no year"):
        read_with(SEEDS / f"{ZAANSTAD}.txt", "zaanstad-indicators", folder)  # was an IndexError


def test_an_indicator_code_is_its_notation_within_the_node_above(tmp_path: Path) -> None:
    coded = ZAANSTAD_INDICATORS + "  code: '^(?P<notation>\\d+(?:\\.\\d+)+)\\s+'\n"
    folder = profile_dir(tmp_path, zaanstad_indicators=coded)
    page = copy_page(tmp_path, ZAANSTAD, ("\nPercentage inwoners", "\n1.0.1 Percentage inwoners"))
    (indicator,) = read_with(page, "zaanstad-indicators", folder).indicators
    assert (indicator.notation, indicator.label[:31]) == ("1.0.1", "Percentage inwoners dat aangeef")
    page.write_text(page.read_text(encoding="utf-8").replace("1.0.1 Percentage", "2.0.1 Percentage"), encoding="utf-8")
    with pytest.raises(ReadError, match=rf"{ZAANSTAD}\.txt:38: indicator code 2\.0\.1 does not lie within 1 "):
        read_with(page, "zaanstad-indicators", folder)


def test_a_rule_inside_an_indicator_table_leaves_it_open_unless_it_says_so(tmp_path: Path) -> None:
    # A table continued on the next page repeats its column header "Omschrijving" between two rows (here before
    # "Innovatiekracht", line 51): the profile's header rule takes it, and the table goes on.
    page = copy_page(tmp_path, FLEVOLAND, ("\n\nInnovatiekracht\n", "\n\nOmschrijving\n\nInnovatiekracht\n"))
    plan = read_with(page, "flevoland-begroting-2019")
    assert len(plan.indicators) == 10
    assert [(m.start_year, m.value) for m in plan.indicators[1].measurements[:2]] == [(2016, Decimal("0.46")),
                                                                                      (2017, Decimal("0.50"))]
    closing = (LAYOUTS_DIR / "flevoland-begroting-2019.yaml").read_text(encoding="utf-8").replace(
        "    header: indicator table column header\n",
        "    header: indicator table column header\n    close: table\n")
    folder = profile_dir(tmp_path, flevoland_closing=closing.replace("name: flevoland-begroting-2019",
                                                                     "name: flevoland-closing"))
    with pytest.raises(ReadError, match=r"\.txt:56: an indicator value, but the table has no column headers"):
        read_with(page, "flevoland-closing", folder)  # the table ended there: the rest has no column headers


# --- closing nodes and levels -------------------------------------------------------------------------------


@pytest.mark.parametrize(("close", "parent"), [(None, 16), ("doelstelling", 14), ("node", 14)])
def test_a_rule_closes_a_node_or_a_level_when_it_says_so(tmp_path: Path, close: str | None, parent: int) -> None:
    shipped = (LAYOUTS_DIR / "zaanstad-begroting-2018.yaml").read_text(encoding="utf-8")
    rule = "    header: prestaties heading\n"
    assert rule in shipped
    profile = shipped.replace("name: zaanstad-begroting-2018", "name: zaanstad-closing")
    if close is not None:
        profile = profile.replace(rule, f"{rule}    close: {close}\n")
    plan = read_with(SEEDS / f"{ZAANSTAD}.txt", "zaanstad-closing", profile_dir(tmp_path, zaanstad_closing=profile))
    (prestatie,) = [n for n in plan.nodes() if n.level is Level.RESULTAAT]
    assert (prestatie.notation, parent_line(prestatie)) == ("1.1", parent)  # under objective 1, or the programme goal


# --- nodes from the page's header --------------------------------------------------------------------------

FROM_THE_TITLE = """
name: policy-task-from-the-title
extends: [drenthe-begroting-2017]
page:
  - node: beleidsopgave
    title: '^(?P<notation>\\d+\\.\\d+) (?P<label>.+?) - Beleidsopgave \\('
rules:
  - name: policy task named again
    match: '^\\d+\\.\\d+ \\S.*$'
    in: [start]
    skip: the page's policy task, named in its header too
    then: task
"""

FROM_THE_URL_AND_TITLE = """
name: programme-from-the-header
extends: [fryslan-jaarstukken-2023]
page:
  - node: programma
    source: '/programma-(?P<notation>\\d+)-'
    title: '^Programma \\d+: (?P<label>[^(]+?) \\('
rules:
  - name: programme named again
    match: '^Programma \\d+: '
    in: [start]
    skip: the programme, named in the page's header too
    then: programme
"""


def test_a_node_from_the_page_title_above_the_body(tmp_path: Path) -> None:
    plan = read_with(SEEDS / f"{DRENTHE_2017}.txt", "policy-task-from-the-title",
                     profile_dir(tmp_path, policy_task_from_the_title=FROM_THE_TITLE))
    (task,) = plan.programmes
    assert (task.level, task.notation, task.label, task.start_line) == (
        Level.BELEIDSOPGAVE, "2.1", "Realiseren van een groene en duurzame economie", 2)
    assert [(n.level, n.start_line) for n in task.children] == [(Level.DOELSTELLING, line) for line in (12, 22, 28)]
    ledger = {e.line: (e.outcome, e.detail) for e in plan.ledger}
    assert ledger[2] == ("node", "beleidsopgave (from the page header)")
    assert ledger[6] == ("skipped", "the page's policy task, named in its header too")


def test_a_node_from_the_page_url_and_title(tmp_path: Path) -> None:
    plan = read_with(SEEDS / f"{FRYSLAN}.txt", "programme-from-the-header",
                     profile_dir(tmp_path, programme_from_the_header=FROM_THE_URL_AND_TITLE))
    (programme,) = plan.programmes
    assert (programme.notation, programme.label, programme.start_line, programme.end_line) == ("4", "Economie", 1, 2)
    assert [n.start_line for n in programme.children] == [39, 40, 41]


def test_a_page_header_that_does_not_match_names_the_page_line_and_the_profile(tmp_path: Path) -> None:
    folder = profile_dir(tmp_path, policy_task_from_the_title=FROM_THE_TITLE.replace("Beleidsopgave \\(", "Doel \\("))
    with pytest.raises(ReadError, match=rf"{DRENTHE_2017}\.txt:2: page node beleidsopgave \(profile .*"
                                        r"policy-task-from-the-title\.yaml:5\): the title '2\.1 Realiseren"):
        read_with(SEEDS / f"{DRENTHE_2017}.txt", "policy-task-from-the-title", folder)


# --- descriptions and partners ------------------------------------------------------------------------------


def test_prose_with_no_node_to_describe_fails_naming_the_line(tmp_path: Path) -> None:
    profile = "name: early-prose\nextends: [fryslan-jaarstukken-2023]\nstates:\n  start: {description: true}\n"
    page = copy_page(tmp_path, FRYSLAN, ("\n\nProgramma 4: Economie\n",
                                         "\n\nEen inleiding.\n\nProgramma 4: Economie\n"))
    with pytest.raises(ReadError, match=rf"{FRYSLAN}\.txt:6: text with no node above it to describe"):
        read_with(page, "early-prose", profile_dir(tmp_path, early_prose=profile))


def test_the_programmes_affiliated_parties_are_partner_mentions_with_their_role() -> None:
    plan = read_with(SEEDS / f"{FRYSLAN}.txt", "fryslan-jaarstukken-2023")
    settings = Settings()
    reference = load_reference_data(settings.vocab_dir, settings.base)
    report = link_plan(plan, reference.gazetteer)
    (programme,) = plan.programmes
    partners = [(m.entity, m.text, m.line, m.role, m.start, m.end) for m in programme.mentions
                if m.kind is LinkKind.PARTNER]
    nom, snn = f"{BASE}/id/organisatie/nom", "https://identifier.overheid.nl/tooi/id/so/so0425"
    assert partners == [
        (nom, "Noordelijke Ontwikkelingsmaatschappij", 24, "verbonden partij", 2, 39),
        (nom, "NOM", 24, "verbonden partij", 44, 47),
        (snn, "Samenwerkingsverband Noord-Nederland", 26, "verbonden partij", 2, 38),
        (snn, "SNN", 26, "verbonden partij", 40, 43),
    ]
    line = plan.document.lines[23]  # " • Noordelijke Ontwikkelingsmaatschappij NV (NOM), Groningen"
    assert " ".join(line.split())[44:47] == "NOM"
    unknown = {"Friese Ontwikkelingsmaatschappij BV (FOM, voorheen Doefonds)": [25],
               "Gemeenschappelijke Regeling Marrekrite": [27], "Gemeenschappelijke Regeling Waddenfonds": [28]}
    assert {name: report.candidates.get(name) for name in unknown} == unknown  # not in the reference data
    assign_keys(plan, KeyRegistry())
    graph = map_plan(plan, BASE)
    iri = URIRef(f"{BASE}/id/programma/{programme.key}")
    assert set(graph.objects(iri, PB.partner)) == {URIRef(nom), URIRef(snn)}
    annotation = URIRef(f"{BASE}/id/vermelding/{programme.key}-r24-44")
    assert graph.value(annotation, PB.rol) == Literal("verbonden partij", lang="nl")
    target = graph.value(annotation, OA.hasTarget)
    assert graph.value(target, OA.hasSource) == iri
    assert graph.value(target, PB.beginRegel) == Literal(24, datatype=XSD.integer)
    assert graph.value(iri, DCTERMS.description) == Literal(programme.description, lang="nl")
    assert graph.value(iri, PB.beschrijvingBeginRegel) == Literal(38, datatype=XSD.integer)
    union = graph + reference.graph
    report_ = validate_graph(union, read_turtle_dir(REPO / "shapes"))
    assert report_.conforms, report_.violations


def test_a_description_without_its_lines_is_reported_by_the_shapes() -> None:
    plan = read_with(SEEDS / f"{FRYSLAN}.txt", "fryslan-jaarstukken-2023")
    assign_keys(plan, KeyRegistry())
    graph = map_plan(plan, BASE)
    iri = URIRef(f"{BASE}/id/programma/{plan.programmes[0].key}")
    graph.remove((iri, PB.beschrijvingEindRegel, None))
    violations = validate_graph(graph, read_turtle_dir(REPO / "shapes")).violations
    assert [v.focus for v in violations] == [str(iri)]


# --- the BBV base profile -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("heading", "rule", "state"), [
    ("Wat willen we bereiken?", "wat willen we bereiken", "goals"),
    ("Wat wilden we bereiken?", "wat willen we bereiken", "goals"),
    ("Wat hebben we bereikt?", "wat hebben we bereikt", "goals"),
    ("Wat gaan we daarvoor doen?", "wat gaan we daarvoor doen", "deliverables"),
    ("Wat hebben we daarvoor gedaan?", "wat gaan we daarvoor doen", "deliverables"),
    ("Wat mag het kosten?", "wat mag het kosten", "costs"),
    ("Wat heeft het gekost?", "wat mag het kosten", "costs"),
    ("Wat hebben we gezien?", "wat hebben we gezien", "context"),
    ("Verbonden partijen", "verbonden partijen", "partners"),
    ("Terug naar navigatie - Wat mag het kosten?", "navigation link", None),
])
def test_the_bbv_questions_switch_between_goals_and_deliverables(heading: str, rule: str, state: str | None) -> None:
    bbv = load_profile("bbv")
    (first,) = [r for r in bbv.rules if r.pattern.match(heading)][:1]
    assert (first.name, first.then) == (rule, state)
    assert (bbv.level("doel"), bbv.level("prestatie")) == (Level.DOELSTELLING, Level.RESULTAAT)


# --- a profile's mistakes, by file and line ------------------------------------------------------------------


@pytest.mark.parametrize(("profile", "message"), [
    ("rules:\n  - match: '^(x'\n    skip: x\n", r":3: rules\[0\]\.match is not a valid regular expression"),
    ("rules:\n  - match: '^x'\n    in: [nowhere]\n    skip: x\n", r":4: unknown state 'nowhere' in rule 'x'"),
    ("states:\n  nowhere: {skip: x}\n", r":3: unknown state 'nowhere': no rule or state leads to it"),
    ("rules:\n  - match: '^x'\n    node: kerntaak\n", r":4: unknown level 'kerntaak'"),
    ("rules:\n  - match: '^x'\n    header: x\n    skip: x\n",
     r":3: rules\[0\] needs exactly one action, one of node, header, skip, status, partner \(got header, skip\)"),
    ("rules:\n  - match: '^x'\n    skip: x\n    close: kerntaak\n",
     r":5: rules\[0\]\.close must be node, table or a level"),
    ("rules:\n  - match: '^x'\n    partner: programma\n", r":3: rules\[0\] \(partner\) needs a group \(\?P<name>"),
    ("rules:\n  - colon: 'Ambitie ('\n    node: programma\n",
     r":3: rules\[0\]\.colon is not a valid regular expression"),
    ("states:\n  start: {describe: true}\n", r":3: unknown field states\.start\.describe"),
    ("page:\n  - node: programma\n    title: '^(?P<notation>\\d+)'\n", r":3: page\[0\] needs a title \(or source\) "
                                                                          r"pattern with a group \(\?P<label>"),
])
def test_a_profile_mistake_names_the_file_and_line(tmp_path: Path, profile: str, message: str) -> None:
    folder = profile_dir(tmp_path, bad=f"name: bad\n{profile}")
    with pytest.raises(SourceError, match=rf"bad\.yaml{message}"):
        load_profile("bad", folder)


def test_every_shipped_profile_loads() -> None:
    names = sorted(path.stem for path in LAYOUTS_DIR.glob("*.yaml"))
    assert "bbv" in names and "fryslan-jaarstukken-2023" in names and "drenthe-begroting-2016-toelichting" in names
    for name in names:
        assert load_profile(name).name == name
