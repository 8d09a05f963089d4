"""The reader on the real seed: exact counts, labels and the objective-or-result decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED, copy_seeds, read_seed
from kg.model.plan import Level, Node, Plan
from kg.model.source import SourceError
from kg.read.reader import ReadError


def find(plan: Plan, level: Level, label: str) -> Node:
    """Return the one node at ``level`` whose label is ``label`` (fails when not exactly one)."""
    found = [n for n in plan.nodes() if n.level is level and n.label == label]
    assert len(found) == 1, (level, label, len(found))
    return found[0]


def test_counts_per_level(seed_plan: Plan) -> None:
    counts = {level: seed_plan.count(level) for level in Level}
    assert counts == {
        Level.PROGRAMMA: 1, Level.PRODUCT: 5, Level.BELEIDSOPGAVE: 5,
        Level.DOELSTELLING: 15, Level.RESULTAAT: 63, Level.DEELRESULTAAT: 15,
    }


def test_programme_products_and_policy_tasks(seed_plan: Plan) -> None:
    (programme,) = seed_plan.programmes
    assert (programme.notation, programme.label, seed_plan.document.year) == ("2", "Regionale economie", 2016)
    assert [(p.notation, p.label) for p in programme.children] == [
        ("2.1", "Biobased economy / chemie"),
        ("2.2", "Versterken regionale innovatiekracht"),
        ("2.3", "Optimale aansluiting bedrijfsleven, kennis, onderwijs en arbeidsmarkt"),
        ("2.4", "Breedband"),
        ("2.5", "Vrijetijdseconomie"),
    ]
    assert [p.children[0].label for p in programme.children] == [
        "Realiseren van een groene en duurzame economie",
        "Vergroten concurrentiepositie van Drenthe",
        "Investeren in kennisontwikkelingen en een bestendige arbeidsmarkt",
        "Breedband op het Drentse platteland",
        "Versterken van de vrijetijdseconomie",
    ]
    assert [len(p.children[0].children) for p in programme.children] == [5, 3, 3, 1, 3]


def test_greenlincs_result_of_biobased_objective(seed_plan: Plan) -> None:
    result = find(seed_plan, Level.RESULTAAT, "Clusterorganisatie Greenlincs is actief")
    assert result.parent is not None and result.parent.label == "Doorontwikkeling van Drenthe als biobased economy"
    assert result.parent.parent is not None and result.parent.parent.parent is not None
    assert result.parent.parent.parent.notation == "2.1"
    assert (result.start_line, result.end_line) == (41, 41)


def test_health_hub_roden_is_a_sub_item(seed_plan: Plan) -> None:
    item = find(seed_plan, Level.DEELRESULTAAT, "Health Hub Roden")
    result = item.parent
    assert result is not None and result.level is Level.RESULTAAT
    assert result.label.startswith("Kennisdeling, projectontwikkeling en business development")
    assert [c.label for c in result.children][:2] == ["Health Hub Roden", "Doorontwikkeling COCI/GREENPAC"]
    assert len(result.children) == 8
    product = result.parent.parent.parent if result.parent and result.parent.parent else None
    assert product is not None and product.notation == "2.2"


def test_breedband_objective_has_three_results(seed_plan: Plan) -> None:
    product = find(seed_plan, Level.PRODUCT, "Breedband")
    (task,) = product.children
    (objective,) = task.children
    assert objective.label == "Breedband"
    assert [r.label for r in objective.children] == [
        "Actieve inzet op het ontsluiten met snel internet van de \"witte\" gebieden in Drenthe",
        "Breedband Platform Drenthe",
        "Revolving Fonds Breedband ingericht",
    ]


def test_wrapped_results_are_joined(seed_plan: Plan) -> None:
    sectorplannen = find(
        seed_plan, Level.RESULTAAT,
        "De voor Drenthe belangrijke sectorplannen worden uitgevoerd in samenwerking met bedrijfsleven en onderwijs",
    )
    assert (sectorplannen.start_line, sectorplannen.end_line) == (147, 148)
    duitsland = find(
        seed_plan, Level.RESULTAAT,
        "Verbeterde samenwerking met Duitsland voor opleiden van vakkrachten en bemiddeling van werkzoekenden:",
    )
    assert (duitsland.start_line, duitsland.end_line) == (158, 159)
    assert [c.start_line for c in duitsland.children] == [161, 162, 163, 164]


def test_bullets_attach_to_the_result_that_introduces_them(seed_plan: Plan) -> None:
    parents = {n.parent.start_line for n in seed_plan.nodes() if n.level is Level.DEELRESULTAAT and n.parent}
    assert parents == {95, 107, 158}


def test_cross_references_to_programme_7(seed_plan: Plan) -> None:
    refs = [(n.start_line, n.see_also) for n in seed_plan.nodes() if n.see_also]
    assert refs == [(71, ["7"]), (170, ["7"])]


def test_every_uncertain_decision_of_the_seed_is_reviewed(seed_plan: Plan) -> None:
    """The seed's curation file confirms or overrides every decision the rule is unsure of, and overrides
    three rows (as many as before the rule read whole tables)."""
    assert [d.line for d in seed_plan.decisions if d.unreviewed] == []
    overridden = {d.line: d.level for d in seed_plan.decisions if d.curated}
    assert overridden == {27: Level.DOELSTELLING, 135: Level.RESULTAAT, 143: Level.RESULTAAT}
    confirmed = {d.line for d in seed_plan.decisions if d.reviewed and not d.curated}
    assert confirmed == {31, 35, 49, 71, 89, 156, 166, 224}
    samenwerking = find(
        seed_plan, Level.DOELSTELLING,
        "Actieve samenwerking op Drentse en Noord-Nederlands schaal (inclusief Overijssel) op het gebied van "
        "Biobased Economy (BBE)",
    )
    assert [r.label for r in samenwerking.children] == [
        "Projectontwikkeling in het kader van programma’s INTERREG en EFRO 2014-2020"
    ]


def test_rule_alone_without_curation() -> None:
    """Without its curation file the seed reads 16 objectives: rows 135 and 143 as aims (143 flagged), row 27
    as a result; the rule flags nine rows, each with the reason."""
    plan = read_seed(curated=False)
    assert (plan.count(Level.DOELSTELLING), plan.count(Level.RESULTAAT)) == (16, 62)
    assert not any(d.curated or d.reviewed for d in plan.decisions)
    flagged = {d.line: d for d in plan.decisions if d.uncertain}
    assert sorted(flagged) == [31, 35, 49, 71, 89, 143, 156, 166, 224]
    assert flagged[143].doubt.startswith("reading it as a resultaat scores only")
    assert "a noun phrase naming no particular thing +1" in flagged[143].doubt


def test_ledger_accounts_for_every_non_blank_line(seed_plan: Plan) -> None:
    lines = seed_plan.document.lines
    assert sorted(e.line for e in seed_plan.ledger) == [n for n, t in enumerate(lines, 1) if t.strip()]
    assert seed_plan.unaccounted_lines() == []
    gap = read_seed()
    gap.ledger = [e for e in gap.ledger if e.line != 186]
    assert gap.unaccounted_lines() == [186]
    outcomes = [e.outcome for e in seed_plan.ledger]
    assert (outcomes.count("node"), outcomes.count("header"), outcomes.count("skipped")) == (107, 15, 0)


def _edit_seed(tmp_path: Path, old: str, new: str) -> Path:
    seeds = copy_seeds(tmp_path)
    path = seeds / f"{SEED}.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return seeds


def test_text_before_the_programme_is_skipped_with_a_reason(tmp_path: Path) -> None:
    plan = read_seed(_edit_seed(tmp_path, "Programma 2\n", "Terug naar navigatie\n\nProgramma 2\n"))
    (skipped,) = [e for e in plan.ledger if e.outcome == "skipped"]
    assert (skipped.line, skipped.text, skipped.detail) == (
        1, "Terug naar navigatie", "text before the first programme heading"
    )


def test_a_line_that_does_not_fit_names_file_line_and_rule(tmp_path: Path) -> None:
    seeds = _edit_seed(tmp_path, "Product 2.4. Breedband\n", "Product 2.4. Breedband\n\nLosse regel\n")
    with pytest.raises(ReadError, match=rf"{SEED}\.txt:174: unexpected text in state 'product'"):
        read_seed(seeds)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    path = seeds / f"{SEED}.txt"
    path.write_bytes(path.read_bytes().replace(b"Breedband Platform", b"Breedband \xff Platform", 1))
    with pytest.raises(SourceError, match=rf"{SEED}\.txt:186: not valid UTF-8"):
        read_seed(seeds)
