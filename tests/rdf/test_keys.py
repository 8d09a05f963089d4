"""Stable IRIs: the key registry keeps IRIs across builds and text revisions."""

from __future__ import annotations

import csv
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import RDF, SKOS

from conftest import SEED, build_into
from kg.build.pipeline import BuildResult, run_build


def plan_iris(result: BuildResult) -> dict[str, str]:
    """Map "level|label" -> IRI of every plan node in the build's dump (labels are unique per level)."""
    dataset = Dataset(default_union=True).parse(result.root / "dumps" / "kg.trig", format="trig")
    return {
        f"{str(s).split('/')[-2]}|{dataset.value(s, SKOS.prefLabel)}": str(s)
        for s in dataset.subjects(RDF.type, SKOS.Concept)
        if isinstance(s, URIRef) and "/id/" in str(s)
    }


def test_two_builds_mint_identical_iris(tmp_path: Path) -> None:
    settings, first = build_into(tmp_path)
    second = run_build(settings)
    assert len(plan_iris(first)) == 104
    assert plan_iris(first) == plan_iris(second)
    assert second.report["documents"][0]["keys"]["minted"] == 0


def test_removing_a_registry_entry_changes_that_iri_only(tmp_path: Path) -> None:
    settings, first = build_into(tmp_path)
    registry = settings.seeds_dir / f"{SEED}.keys.csv"
    rows = list(csv.reader(registry.open(encoding="utf-8")))
    (removed,) = [r for r in rows if r[3].startswith("Kennisdeling, projectontwikkeling en business development")]
    with registry.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(r for r in rows if r is not removed)
    before, after = plan_iris(first), plan_iris(run_build(settings))
    changed = {label for label in before if before[label] != after[label]}
    assert len(changed) == 1
    (label,) = changed
    assert before[label].endswith(removed[0])
    assert not after[label].endswith(removed[0])


def test_fixed_typo_keeps_the_iri_and_records_the_revision(tmp_path: Path) -> None:
    settings, first = build_into(tmp_path)
    source = settings.seeds_dir / f"{SEED}.txt"
    old = "De eerste projecten in de het kader van business development zijn in 2016 afgerond"
    new = "De eerste projecten in het kader van business development zijn in 2016 afgerond"
    source.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    second = run_build(settings)
    before, after = plan_iris(first), plan_iris(second)
    assert before[f"resultaat|{old}"] == after[f"resultaat|{new}"]
    (revised,) = second.report["documents"][0]["keys"]["revised"]
    rows = {r["key"]: r for r in csv.DictReader((settings.seeds_dir / f"{SEED}.keys.csv").open(encoding="utf-8"))}
    assert (rows[revised]["text"], rows[revised]["previous_text"]) == (new, old)
