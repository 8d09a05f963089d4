"""Links between plans of different bodies: proposals, the review file, and accepted links after a rebuild.

The proposal pinned here was checked by reading both source lines: the Drenthe 2016 seed, line 23, "De nieuwe
agenda: “Agro&Food en transitie naar de Biobased Economy 2016-2020” is opgesteld en aangeboden aan Provinciale
Staten", and Overijssel's monitor 2020, line 74, "3.4.2 Innovatieprogramma Agro&Food": both name Agro&Food (an
altLabel of the theme thema:agrofood), and nothing else they name is shared. The rejected one: Overijssel line 33
("... via Energiefonds Overijssel ... projecten gericht op hernieuwbare energie en energiebesparing") and Utrecht
2024 line 30 ("4.2.6 De energie-infrastructuur is beter afgestemd op vraag en aanbod van (duurzame) energie"),
which share the theme energietransitie.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import rdflib
import yaml
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS, VOID
from typer.testing import CliRunner

from conftest import REPO, copy_seeds
from kg.build.pipeline import BuildResult, build_document, load_context, run_build
from kg.cli import app
from kg.link.entities import load_reference_data
from kg.link.proposals import MAX_PER_NODE, THRESHOLD, Proposer, propose
from kg.link.review import MOGELIJK_VERWANT, REVIEW_FILE, Decision, load_review, node_ref
from kg.model.iris import statement_iri
from kg.model.plan import Level, LinkKind, Mention, Node, Plan
from kg.model.source import Body, SourceDocument, SourceError
from kg.read.files import discover
from kg.settings import Settings
from kg.store.local import VOID_FILE, discovery_dir, open_publication

BASE = "https://kg.example.org"
PB = f"{BASE}/def/begroting#"
THEMA = f"{BASE}/def/thema#"
GEBIED = f"{BASE}/id/gebied/"
AGRO_SUBJECT = f"{BASE}/id/resultaat/pv22-2016-9099d3b6"
AGRO_OBJECT = f"{BASE}/id/resultaat/pv23-2020-d6ae4db5"
ENERGY_SUBJECT = f"{BASE}/id/deelresultaat/pv23-2020-577ed91a"
ENERGY_OBJECT = f"{BASE}/id/doelstelling/pv26-2024-f504ee0d"
GONE = f"{BASE}/id/resultaat/pv22-2016-00000000"
NOTE = "Both are the province's agro & food programme."


def link_id(subject: str, obj: str) -> str:
    """The review id of the proposal from ``subject`` to ``obj``."""
    return str(statement_iri(BASE, URIRef(subject), MOGELIJK_VERWANT, URIRef(obj)))


@dataclass
class Reviewed:
    """The whole seeds folder linked (``kg link``), reviewed, rebuilt and linked again."""

    settings: Settings
    first_link: Any
    first_file: str
    build: BuildResult
    second_link: Any


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Reviewed:
    """``kg link`` on a copy of all seeds (without a review file), then one proposal accepted with a note, one
    rejected and an accepted entry whose node does not exist added, a build, and ``kg link`` again."""
    folder = tmp_path_factory.mktemp("proposals")
    seeds = copy_seeds(folder, everything=True)
    (seeds / REVIEW_FILE).unlink(missing_ok=True)
    settings = Settings(data_dir=folder / "data", seeds_dir=seeds)
    runner = CliRunner()
    first = runner.invoke(app, ["link", "--seeds-dir", str(seeds)])
    assert first.exit_code == 0, first.output
    path = seeds / REVIEW_FILE
    text = path.read_text(encoding="utf-8")
    blocks = text.split("\n- id: ")
    for index, block in enumerate(blocks):
        if block.startswith(link_id(AGRO_SUBJECT, AGRO_OBJECT)):
            blocks[index] = block.replace("decision: open", f"decision: accepted\n  note: {NOTE}", 1)
        if block.startswith(link_id(ENERGY_SUBJECT, ENERGY_OBJECT)):
            blocks[index] = block.replace("decision: open", "decision: rejected", 1)
    stale = (f"\n- id: {link_id(AGRO_SUBJECT, GONE)}\n  decision: accepted\n  subject:\n    iri: {AGRO_SUBJECT}\n"
             f"  object:\n    iri: {GONE}\n")
    path.write_text("\n- id: ".join(blocks) + stale, encoding="utf-8")
    build = run_build(settings)
    second = runner.invoke(app, ["link", "--seeds-dir", str(seeds)])
    assert second.exit_code == 0, second.output
    return Reviewed(settings, first, text, build, second)


def plans_of(seeds: Path) -> tuple[list[Plan], rdflib.Graph]:
    """The plans of ``seeds`` as the build reads them, and the reference data graph."""
    context, _ = load_context(Settings(seeds_dir=seeds))
    return [build_document(path, context).plan for path in discover(seeds)], context.reference.graph


def select(settings: Settings, query: str) -> list[tuple[str, ...]]:
    """Run a SELECT on the published store; return its rows as sorted tuples of plain strings."""
    rows: Any = open_publication(settings.data_dir).store.query(query)
    return sorted(tuple(term.value for term in row) for row in rows)


def test_a_proposal_between_two_bodies_with_its_evidence(tmp_path: Path) -> None:
    plans, reference = plans_of(copy_seeds(tmp_path, everything=True))
    proposals = propose(plans, reference)
    (agro,) = [p for p in proposals if (node_ref(p.subject), node_ref(p.object))
               == ("resultaat/pv22-2016-9099d3b6", "resultaat/pv23-2020-d6ae4db5")]
    assert agro.subject.label == ("De nieuwe agenda: “Agro&Food en transitie naar de Biobased Economy 2016-2020” "
                                  "is opgesteld en aangeboden aan Provinciale Staten")
    assert (agro.subject.start_line, agro.object.start_line) == (23, 74)
    assert agro.object.label == "Innovatieprogramma Agro&Food"
    assert agro.score == pytest.approx(0.5)
    assert agro.shared == (f"{THEMA}agrofood",)
    assert agro.method.startswith("agrofood: theme named by both (0.5); score 0.500. kg.proposals:")
    plan_of = {id(node): plan for plan in plans for node in plan.nodes()}
    per_node: dict[str, int] = {}
    for p in proposals:  # every proposal joins two bodies, reaches the threshold, and no node has more than 3
        assert plan_of[id(p.subject)].document.body.code != plan_of[id(p.object)].document.body.code
        assert p.score >= THRESHOLD and p.shared
        for end in (p.subject, p.object):
            per_node[node_ref(end)] = per_node.get(node_ref(end), 0) + 1
    assert max(per_node.values()) <= MAX_PER_NODE
    assert [p.score for p in proposals] == sorted((p.score for p in proposals), reverse=True)


def test_every_pair_that_reaches_the_threshold_is_a_candidate(tmp_path: Path) -> None:
    plans, reference = plans_of(copy_seeds(tmp_path, everything=True))
    proposer = Proposer(plans, reference)
    refs = sorted(proposer.sides)
    above = set()
    for i, first in enumerate(refs):
        for second in refs[i + 1:]:
            link = proposer.assess(first, second)
            if link is not None and link.score >= THRESHOLD:
                above.add((node_ref(link.subject), node_ref(link.object)))
    assert above and above <= set(proposer._candidates())


def _plan(code: str, name: str, nodes: list[Node]) -> Plan:
    """A plan of body ``code`` whose top nodes are ``nodes`` (a stand-in document)."""
    body = Body(code, name, f"https://identifier.overheid.nl/tooi/id/x/{code}", ())
    document = SourceDocument(Path(f"{code}.txt"), f"{code}-2020", name, "begroting", 2020, body, "x", (), "")
    return Plan(document, programmes=nodes)


def _node(key: str, *entities: tuple[LinkKind, str]) -> Node:
    return Node(Level.RESULTAAT, key, 1, 1, key=key, mentions=[Mention(e, kind, 0, 0, "") for kind, e in entities])


def test_region_clues_follow_containment_and_leave_out_what_both_bodies_lie_in() -> None:
    region, theme = LinkKind.REGION, LinkKind.THEME
    drenthe = _plan("pv22", "provincie Drenthe", [
        _node("d-emmen", (region, f"{GEBIED}gm0114")),
        _node("d-zuidoost", (region, f"{GEBIED}zuidoost-drenthe"), (theme, f"{THEMA}chemie")),
        _node("d-noord", (region, f"{GEBIED}noord-nederland")),
        _node("d-plain"),
    ])
    groningen = _plan("pv20", "provincie Groningen", [
        _node("g-emmen", (region, f"{GEBIED}gm0114"), (theme, f"{THEMA}chemie")),
        _node("g-noord", (region, f"{GEBIED}noord-nederland")),
        _node("g-drenthe", (region, f"{GEBIED}pv22")),
        _node("g-own", (region, f"{GEBIED}pv20")),
    ])
    utrecht = _plan("pv26", "provincie Utrecht", [  # no region of the reference data has Utrecht's code
        _node("u-noord", (region, f"{GEBIED}noord-nederland")),
        _node("u-emmen", (region, f"{GEBIED}gm0114")),
    ])
    proposer = Proposer([drenthe, groningen, utrecht], load_reference_data(REPO / "vocab", BASE).graph)

    def assess(first: str, second: str) -> tuple[float, tuple[str, ...]]:
        link = proposer.assess(f"resultaat/{first}", f"resultaat/{second}")
        assert link is not None
        return round(link.score, 3), tuple(entity.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for entity in link.shared)

    assert assess("d-emmen", "g-emmen") == (0.5, ("gm0114",))  # both name Emmen
    # Emmen lies within Zuidoost-Drenthe (0.35), and both name the theme chemie (0.5): 1 - 0.65 * 0.5
    assert assess("d-zuidoost", "g-emmen") == (0.675, ("chemie", "gm0114", "zuidoost-drenthe"))
    assert assess("d-noord", "g-noord") == (0.1, ("noord-nederland",))  # it holds both provinces: generic
    assert assess("d-plain", "g-drenthe") == (0.25, ("pv22",))  # Groningen's node names Drenthe's own area
    assert assess("d-emmen", "g-own") == (0.0, ())  # Groningen naming itself is its area: two areas are no clue
    drenthe_named = proposer.assess("resultaat/d-plain", "resultaat/g-drenthe")
    assert drenthe_named is not None
    assert drenthe_named.method.startswith("Drenthe: named by the object; it is the subject's body's area (0.25)")
    # Utrecht's area is unknown, but Noord-Nederland is larger than Drenthe's: generic; Emmen is not
    assert assess("d-noord", "u-noord") == (0.1, ("noord-nederland",))
    assert assess("d-emmen", "u-emmen") == (0.5, ("gm0114",))
    proposed = {(node_ref(p.subject), node_ref(p.object)) for p in proposer.propose()}
    assert proposed == {("resultaat/d-emmen", "resultaat/g-emmen"), ("resultaat/d-zuidoost", "resultaat/g-emmen"),
                        ("resultaat/d-emmen", "resultaat/u-emmen"), ("resultaat/g-emmen", "resultaat/u-emmen")}


def test_kg_link_writes_each_proposal_as_open(reviewed: Reviewed) -> None:
    assert "proposed links between bodies" in reviewed.first_link.output
    assert "0 accepted, 0 rejected, 0 stale" in reviewed.first_link.output
    first = reviewed.first_file
    assert first.startswith("# Proposed links between plans of different bodies, for review")
    entries = {entry["id"]: entry for entry in yaml.safe_load(first)["proposals"]}
    assert entries[link_id(AGRO_SUBJECT, AGRO_OBJECT)] == {
        "id": link_id(AGRO_SUBJECT, AGRO_OBJECT),
        "decision": "open",
        "score": 0.5,
        "subject": {
            "iri": AGRO_SUBJECT,
            "label": "De nieuwe agenda: “Agro&Food en transitie naar de Biobased Economy 2016-2020” is opgesteld en "
                     "aangeboden aan Provinciale Staten",
            "plan": "provincie Drenthe, begroting 2016",
            "source": "000_61c47c45ec098bf8.txt:23",
        },
        "object": {
            "iri": AGRO_OBJECT,
            "label": "Innovatieprogramma Agro&Food",
            "plan": "provincie Overijssel, monitor 2020",
            "source": "overijssel-monitor-2020-ii-prestaties-kleurscore.txt:74",
        },
        "evidence": [{"iri": f"{THEMA}agrofood", "label": "agrofood", "kind": "theme", "why": "theme named by both",
                      "weight": 0.5}],
    }
    assert all(entry["decision"] == "open" and "stale" not in entry for entry in entries.values())


def test_an_accepted_proposal_is_an_asserted_link_after_the_rebuild(reviewed: Reviewed) -> None:
    vastgesteld, voorstellen = f"{BASE}/graph/koppelingen/vastgesteld", f"{BASE}/graph/koppelingen/voorstellen"
    rows = select(reviewed.settings, f"""SELECT ?g ?p ?score ?entity ?method WHERE {{
        GRAPH ?g {{ <{AGRO_SUBJECT}> ?p <{AGRO_OBJECT}> .
                   ?link <{RDF}subject> <{AGRO_SUBJECT}> ; <{RDF}predicate> ?p ; <{RDF}object> <{AGRO_OBJECT}> ;
                         a <{PB}Koppeling> ; <{PB}score> ?score ; <{PB}gedeeld> ?entity ;
                         <{PB}methode> ?method }} }}""")
    ((graph, predicate, score, entity, method),) = rows
    assert (graph, predicate, score, entity) == (vastgesteld, str(SKOS.relatedMatch), "0.5", f"{THEMA}agrofood")
    assert method.startswith(f"accepted in review ({REVIEW_FILE}, {link_id(AGRO_SUBJECT, AGRO_OBJECT)}) "
                             f"(note: {NOTE}); evidence: agrofood: theme named by both (0.5)")
    assert select(reviewed.settings, f"SELECT ?s ?o {{ GRAPH <{vastgesteld}> {{ ?s <{SKOS.relatedMatch}> ?o }} }}") \
        == [(AGRO_SUBJECT, AGRO_OBJECT)]
    proposed = select(reviewed.settings, f"SELECT ?s ?o {{ GRAPH <{voorstellen}> {{ ?s <{PB}mogelijkVerwant> ?o }} }}")
    assert proposed and (AGRO_SUBJECT, AGRO_OBJECT) not in proposed


def test_a_rejected_proposal_appears_in_neither_linkset(reviewed: Reviewed) -> None:
    rows = select(reviewed.settings, f"""SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
        FILTER(?s IN (<{ENERGY_SUBJECT}>, <{ENERGY_OBJECT}>) && ?o IN (<{ENERGY_SUBJECT}>, <{ENERGY_OBJECT}>)) }}""")
    assert rows == []
    assert f"{link_id(ENERGY_SUBJECT, ENERGY_OBJECT)}\n  decision: open" in reviewed.first_file  # it was proposed


def test_a_decision_on_a_node_that_no_longer_exists_is_a_warning(reviewed: Reviewed) -> None:
    report = {linkset["name"]: linkset for linkset in reviewed.build.report["linksets"]}
    (warning,) = report["voorstellen"]["warnings"]
    assert warning.startswith(f"{reviewed.settings.seeds_dir / REVIEW_FILE}:")
    assert f"accepted link {link_id(AGRO_SUBJECT, GONE)} is not between goals or performances" in warning
    assert (report["voorstellen"]["rejected"], report["vastgesteld"]["accepted"]) == (1, 1)
    assert report["voorstellen"]["links"] == report["voorstellen"]["proposed"]


def test_kg_link_again_keeps_decisions_and_notes_and_marks_stale_entries(reviewed: Reviewed) -> None:
    review = load_review(reviewed.settings.seeds_dir / REVIEW_FILE)
    by_id = {entry.id: entry for entry in review.entries}
    accepted = by_id[link_id(AGRO_SUBJECT, AGRO_OBJECT)]
    assert (accepted.decision, accepted.note, accepted.stale) == (Decision.ACCEPTED, NOTE, None)
    assert by_id[link_id(ENERGY_SUBJECT, ENERGY_OBJECT)].decision is Decision.REJECTED
    gone = by_id[link_id(AGRO_SUBJECT, GONE)]
    assert (gone.decision, gone.stale) == (Decision.ACCEPTED, f"node no longer exists: {GONE}")
    first_ids = [entry["id"] for entry in yaml.safe_load(reviewed.first_file)["proposals"]]
    ids = [entry.id for entry in review.entries]  # the file's entries keep their order; new proposals follow
    assert ids[:len(first_ids) + 1] == [*first_ids, gone.id] and len(ids) == len(first_ids) + 2
    assert all(entry.decision is Decision.OPEN for entry in review.entries[len(first_ids) + 1:])
    assert "2 accepted, 1 rejected, 1 stale" in " ".join(reviewed.second_link.output.split())


def test_the_void_describes_both_linksets(reviewed: Reviewed) -> None:
    void = rdflib.Graph().parse(discovery_dir(reviewed.build.root) / VOID_FILE)
    for name, predicate in (("voorstellen", URIRef(f"{PB}mogelijkVerwant")), ("vastgesteld", SKOS.relatedMatch)):
        graph = URIRef(f"{BASE}/graph/koppelingen/{name}")
        assert (URIRef(f"{BASE}/catalog#kg"), VOID.subset, graph) in void
        assert (graph, VOID.linkPredicate, predicate) in void
        linksets = [s for s in void.objects(graph, VOID.subset) if (s, RDF.type, VOID.Linkset) in void]
        assert linksets and all((s, VOID.linkPredicate, predicate) in void for s in linksets)
    accepted = URIRef(f"{BASE}/graph/koppelingen/vastgesteld#pv22-2016-programma-2--pv23-2020-monitor-ii-prestaties")
    assert (accepted, VOID.subjectsTarget, URIRef(f"{BASE}/graph/pv22-2016-programma-2")) in void
    assert (accepted, VOID.objectsTarget, URIRef(f"{BASE}/graph/pv23-2020-monitor-ii-prestaties")) in void
    assert void.value(accepted, VOID.triples).toPython() == 1


def test_a_malformed_review_file_fails_with_file_and_line(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    path = seeds / REVIEW_FILE
    settings = Settings(data_dir=tmp_path / "data", seeds_dir=seeds)
    good_id = link_id(AGRO_SUBJECT, AGRO_OBJECT)
    cases = {
        f"proposals:\n- id: {good_id}\n  decision: maybe\n": (3, "decision must be open, accepted or rejected"),
        f"proposals:\n- id: {link_id(AGRO_OBJECT, AGRO_SUBJECT)}\n  decision: open\n"
        f"  subject: {{iri: {AGRO_SUBJECT}}}\n  object: {{iri: {AGRO_OBJECT}}}\n":
            (2, "id must be the statement IRI of the link from subject to object"),
        "proposals:\n- id: [unclosed\n": (3, "not valid YAML"),
        f"proposals:\n- id: {good_id}\n  decison: open\n": (3, "unknown field proposals[0].decison"),
    }
    for text, (line, message) in cases.items():
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(app, ["link", "--seeds-dir", str(seeds)])
        assert result.exit_code == 1
        assert f"link failed: {path}:{line}: " in result.output and message in result.output
        with pytest.raises(SourceError, match=rf"{re.escape(str(path))}:{line}: .*{re.escape(message)}"):
            run_build(settings)
