"""The corpus generator (benchmarks/generate.py): seeded and deterministic, and what it writes is a seeds folder
that kg's real pipeline reads, links, maps, validates and publishes.

The numbers pinned here were read off a build of ``--triples 10000 --seed 1`` and checked against the
files (the documents' names and meta files, the rows per level of each CSV, the links of the report).
"""

from __future__ import annotations

import itertools
import random
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO
from kg.build.pipeline import BuildResult, run_build
from kg.link.entities import load_reference_data
from kg.model.plan import Level
from kg.model.source import BODY_CODE, SourceError
from kg.read.authoring import read_csv_plan
from kg.read.files import discover, read_document
from kg.settings import Settings

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # benchmarks/ is no package: imported from its folder

TARGET, SEED = 10_000, 9
#: The tests' own reference data (a frozen copy; see its README), so that partners or places a deployment adds to
#: ``vocab/`` do not move the figures pinned here.
SETTINGS = Settings(vocab_dir=REPO / "tests" / "data" / "vocab")
#: The size of the corpora that are only compared, not built.
SMALL = 4_000

#: The generated corpus of the tests: what the generator said, its folder and its build.
Corpus = tuple[generate.CorpusSummary, Path, BuildResult]


def files(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` by name, with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """A 10k-triple corpus of seed 9, generated and built once with kg's real pipeline."""
    folder = tmp_path_factory.mktemp("generated")
    summary = generate.generate(TARGET, SEED, folder / "seeds", SETTINGS)
    settings = SETTINGS.model_copy(update={"data_dir": folder / "data", "seeds_dir": folder / "seeds"})
    return summary, folder / "seeds", run_build(settings)


def test_the_same_seed_and_size_give_the_same_bytes(tmp_path: Path) -> None:
    generate.generate(SMALL, 9, tmp_path / "a", SETTINGS)
    generate.generate(SMALL, 9, tmp_path / "b", SETTINGS)
    generate.generate(SMALL, 10, tmp_path / "c", SETTINGS)
    first = files(tmp_path / "a")
    assert first == files(tmp_path / "b")
    assert first != files(tmp_path / "c")
    assert sum(name.endswith(".plan.csv") for name in first) == 1  # 4,000 triples less the ontology, data and shapes


def test_the_command_line_writes_the_same_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["--triples", str(SMALL), "--seed", "7", "--out", str(tmp_path / "cli")]
    assert generate.main(arguments) == 0
    generate.generate(SMALL, 7, tmp_path / "api")
    assert files(tmp_path / "cli") == files(tmp_path / "api")
    assert "documents" in capsys.readouterr().out
    assert generate.main(arguments) == 2  # the folder holds a corpus
    assert generate.main([*arguments, "--force"]) == 0
    assert files(tmp_path / "cli") == files(tmp_path / "api")


def test_only_an_empty_folder_is_written_and_force_removes_only_a_corpus(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text("", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"is not empty: seed\.txt"):
        generate.generate(SMALL, 1, tmp_path)
    (tmp_path / "README.md").write_text("# Not a corpus\n", encoding="utf-8")
    assert generate.main(["--triples", str(SMALL), "--out", str(tmp_path), "--force"]) == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == ["README.md", "seed.txt"]


def test_the_corpus_builds_validates_and_lands_near_its_size(
    corpus: Corpus,
) -> None:
    summary, seeds, result = corpus
    documents = result.report["documents"]
    assert [d["file"] for d in documents] == EXPECTED_FILES
    assert [(d["body"]["code"], d["year"], d["kind"]) for d in documents] == EXPECTED_PLANS
    assert [d["counts"] for d in documents] == EXPECTED_COUNTS
    assert [d["triples"] for d in documents] == EXPECTED_TRIPLES
    assert [d["links"] for d in documents] == EXPECTED_LINKS
    assert all(not d["warnings"] and not d["candidates"] and not d["uncertain"] for d in documents)
    assert all(d["ledger"] == {"node": sum(d["counts"].values()), "header": 1, "skipped": 0} for d in documents)
    # the build raises on any SHACL violation; it published, so there were none
    assert abs(result.report["triples"] - TARGET) <= 0.15 * TARGET
    predicted = sorted(summary.documents, key=lambda d: d.file)
    assert [d.triples for d in predicted] == EXPECTED_TRIPLES  # the generator counted every triple of the documents
    assert sorted(path.name for path in seeds.glob("*.keys.csv")) == [
        name.replace(".csv", ".keys.csv") for name in EXPECTED_FILES]  # the build minted the key registries


def test_the_linker_finds_the_entities_the_rows_list(corpus: Corpus) -> None:
    _summary, seeds, _result = corpus
    gazetteer = load_reference_data(SETTINGS.vocab_dir, SETTINGS.base).gazetteer
    listed_only = 0
    for path in discover(seeds):
        plan = read_csv_plan(read_document(path))
        for node in plan.nodes():
            found = {(m.kind, m.entity) for m in gazetteer.find(node.label)}  # no themes: they are in the ontology
            listed = set(node.asserted)
            if node.level not in (Level.DOELSTELLING, Level.RESULTAAT, Level.DEELRESULTAAT):
                assert not found and not listed
                continue
            assert found <= listed, (path.name, node.label)
            listed_only += len(listed - found)
    assert listed_only == EXPECTED_PLAIN_LINKS


def test_statuses_follow_the_kind_of_document(corpus: Corpus) -> None:
    _summary, seeds, _result = corpus
    statuses = [
        dict(sorted(Counter(f"{p}={s}#{c}" for node in read_csv_plan(read_document(path)).nodes()
                            for p, s, c in node.statuses).items()))
        for path in discover(seeds)
    ]
    assert statuses == EXPECTED_STATUSES


def test_the_meta_files_name_checked_or_synthetic_bodies(corpus: Corpus) -> None:
    _summary, seeds, _result = corpus
    for path in discover(seeds):
        document = read_document(path)
        assert document.layout == "authoring-csv" and "(synthetisch)" in document.title
        assert document.body.iri == f"https://identifier.overheid.nl/tooi/id/{document.body.name.split()[0]}/" \
                                    f"{document.body.code}"
    synthetic = generate.synthetic_body(9001, "https://kg.example.org")
    assert BODY_CODE.check(synthetic.code, "here", "code") == "zz9001"
    assert synthetic.iri == "https://kg.example.org/id/organisatie/synthetisch-zz9001"
    assert {body.code[:2] for body in generate.REAL_BODIES} == {"pv", "gm"}


def test_the_checked_bodies_come_first_then_synthetic_ones() -> None:
    plans = list(itertools.islice(generate.schedule(random.Random(1), "https://kg.example.org"), 125))
    assert len(set(plans)) == 125  # one plan per body and year
    real = [(body.code, year) for body, year in plans[:105]]
    assert Counter(code for code, _ in real) == {body.code: 5 if body.code == "gm1979" else 10
                                                 for body in generate.REAL_BODIES}
    assert all(year >= 2021 for code, year in real if code == "gm1979")  # Eemsdelta exists since 2021
    assert [(body.code, year) for body, year in plans[105:]] == [("zz9001", year) for year in generate.YEARS] + [
        ("zz9002", year) for year in generate.YEARS]
    with pytest.raises(SourceError):
        BODY_CODE.check("zz9001x", "here", "code")


# What --triples 10000 --seed 9 builds into (checked against the files: the rows per level of each CSV, its
# meta file; seed 9 is the first whose three documents are of the three kinds). The generator sizes its corpus
# by the triples the ontology, reference data and shapes add, so these move when those files grow.
EXPECTED_FILES = ["gm0106-2025-jaarverslag.plan.csv", "gm0479-2024-monitor.plan.csv", "pv26-2023-begroting.plan.csv"]
EXPECTED_PLANS = [("gm0106", 2025, "jaarverslag"), ("gm0479", 2024, "monitor"), ("pv26", 2023, "begroting")]
EXPECTED_COUNTS = [
    {"programma": 2, "product": 6, "beleidsopgave": 9, "doelstelling": 14, "resultaat": 51, "deelresultaat": 52},
    {"programma": 2, "product": 5, "beleidsopgave": 7, "doelstelling": 20, "resultaat": 60, "deelresultaat": 21},
    {"programma": 1, "product": 1, "beleidsopgave": 3, "doelstelling": 3, "resultaat": 13, "deelresultaat": 6},
]
#: The last document fills what the target leaves after the others and the overhead (ontology, reference data,
#: shapes): 2,151 triples since the ontology and shapes gained descriptions, baselines and roles (issue 19).
EXPECTED_TRIPLES = [3602, 2988, 594]
EXPECTED_LINKS = [
    {"instrument": 32, "partner": 23, "region": 30, "theme": 57},
    {"instrument": 31, "partner": 24, "region": 26, "theme": 28},
    {"instrument": 6, "partner": 5, "region": 7, "theme": 2},
]
#: Regions that rows list without their text naming them (plain links).
EXPECTED_PLAIN_LINKS = 5
#: Statuses per document: a realisatiestatus of 91 of the annual report's 103 results and sub-items, both colour
#: scores of each of the monitor's 60 results, none in a budget.
EXPECTED_STATUSES = [
    {"realisatiestatus=realisatiestatus#deels-gerealiseerd": 20, "realisatiestatus=realisatiestatus#gepland": 8,
     "realisatiestatus=realisatiestatus#gerealiseerd": 57, "realisatiestatus=realisatiestatus#niet-gerealiseerd": 6},
    {"financieleKleurscore=kleurscore#groen": 33, "financieleKleurscore=kleurscore#oranje": 19,
     "financieleKleurscore=kleurscore#rood": 8, "inhoudelijkeKleurscore=kleurscore#groen": 32,
     "inhoudelijkeKleurscore=kleurscore#oranje": 21, "inhoudelijkeKleurscore=kleurscore#rood": 7},
    {},
]
