"""Incremental and parallel builds: the build cache (kg.build.cache) and the worker processes (kg.build.workers).

A rebuild after one document changed re-reads and re-validates that document only; a change to what every
document shares (shapes, reference data) rebuilds them all; a corrupt cache entry is rebuilt, never trusted; a
build in worker processes publishes exactly what a sequential build does, and fails as it does.

The template build of every seed is made once (sequentially) and copied into each test's folder: the cache names
documents by file name, so a copied data folder's cache serves the copied seeds.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import kg.build.document
from conftest import SEED, copy_seeds
from kg.build.cache import CACHE_DIR
from kg.build.pipeline import BuildResult, run_build
from kg.cli import app
from kg.read.reader import ReadError
from kg.settings import Settings
from kg.store.local import current_link, open_publication

LABEL, VARIANT = "Breedband Platform Drenthe", "Breedband platform Drenthe"
DOCUMENTS = 9  # the documents of seeds/
GRAPH = "https://kg.example.org/graph/pv22-2016-programma-2"  # the seed's


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a copy of every seed and a sequential build of them (its cache filled)."""
    folder = tmp_path_factory.mktemp("template")
    settings = Settings(data_dir=folder / "data", seeds_dir=copy_seeds(folder, everything=True), build_workers=1)
    assert _caches(run_build(settings)) == Counter(rebuilt=DOCUMENTS)
    return folder


def _copy(template: Path, folder: Path, workers: int = 1, **dirs: Path) -> Settings:
    """Copy the template's seeds and data into ``folder`` and return settings to build them with."""
    shutil.copytree(template / "seeds", folder / "seeds")
    shutil.copytree(template / "data", folder / "data", symlinks=True)
    return Settings(data_dir=folder / "data", seeds_dir=folder / "seeds", build_workers=workers, **dirs)


def _caches(result: BuildResult) -> Counter[str]:
    """How many documents the build rebuilt and reused."""
    return Counter(doc["cache"] for doc in result.report["documents"])


def _count_calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """Count the calls of ``kg.build.document.<name>`` (the build's documents stage), noting each first argument."""
    calls: list[str] = []
    real = getattr(kg.build.document, name)

    def counted(first: object, *rest: object) -> object:
        calls.append(str(first))
        return real(first, *rest)

    monkeypatch.setattr(kg.build.document, name, counted)
    return calls


def _labels(settings: Settings, label: str) -> list[str]:
    """The IRIs with ``skos:prefLabel label@nl`` in the seed's graph of the published store."""
    query = f'SELECT ?s {{ GRAPH <{GRAPH}> {{ ?s <http://www.w3.org/2004/02/skos/core#prefLabel> "{label}"@nl }} }}'
    result = open_publication(settings.data_dir).store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return [str(row["s"].value) for row in result]


def _sorted_dump(result: BuildResult) -> list[bytes]:
    """The lines of the build's N-Quads dump, sorted."""
    return sorted((result.root / "dumps" / "kg.nq").read_bytes().splitlines())


def test_incremental_rebuild_revalidates_only_the_changed_document(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _copy(template, tmp_path)
    (thing,) = _labels(settings, LABEL)
    source = settings.seeds_dir / f"{SEED}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(f"\n{LABEL}\n", f"\n{VARIANT}\n"), encoding="utf-8")
    validated = _count_calls(monkeypatch, "validate_graph")
    read = _count_calls(monkeypatch, "read_document")

    result = run_build(settings)

    assert _caches(result) == Counter(rebuilt=1, reused=DOCUMENTS - 1)
    (changed,) = [doc for doc in result.report["documents"] if doc["cache"] == "rebuilt"]
    assert changed["file"] == f"{SEED}.txt"
    assert read == [str(source)]
    assert len(validated) == 1, "the validator ran on the changed document's graph only"
    assert len(changed["keys"]["revised"]) == 1, "the typo fix keeps its key"
    assert _labels(settings, VARIANT) == [thing]
    assert _labels(settings, LABEL) == [], "nothing stale"
    read = next(stage for stage in result.stages if stage.name == "read")
    # 149 nodes: 144 before the seed's Toelichting page (1 programme) and Fryslân's page (1 programme, 3 objectives)
    assert f"{DOCUMENTS} document(s), 149 nodes; 1 rebuilt, {DOCUMENTS - 1} reused; seconds in workers:" in read.summary

    again = run_build(settings)  # the registry the build revised is part of the entry it saved
    assert _caches(again) == Counter(reused=DOCUMENTS)
    assert len(validated) == 1
    assert _sorted_dump(again) == _sorted_dump(result)


@pytest.mark.parametrize("folder", ["shapes", "vocab"])
def test_a_change_to_the_shapes_or_reference_data_rebuilds_every_document(
    template: Path, tmp_path: Path, folder: str
) -> None:
    shared = Path(shutil.copytree(Settings().model_dump()[f"{folder}_dir"], tmp_path / folder))
    settings = _copy(template, tmp_path, **{f"{folder}_dir": shared})
    assert _caches(run_build(settings)) == Counter(reused=DOCUMENTS), "the same files in another folder"
    changed = sorted(shared.glob("*.ttl"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    assert _caches(run_build(settings)) == Counter(rebuilt=DOCUMENTS)
    assert _caches(run_build(settings)) == Counter(reused=DOCUMENTS)


def test_a_corrupt_cache_entry_is_rebuilt_never_trusted(template: Path, tmp_path: Path) -> None:
    settings = _copy(template, tmp_path)
    entries = sorted((settings.data_dir / CACHE_DIR / "documents").iterdir())
    truncated, flipped, garbage = entries[:3]
    truncated.write_bytes(truncated.read_bytes()[:-100])
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 0xFF
    flipped.write_bytes(bytes(data))
    garbage.write_bytes(b"not a cache entry")

    result = run_build(settings)

    rebuilt = sorted(doc["file"] + ".entry" for doc in result.report["documents"] if doc["cache"] == "rebuilt")
    assert rebuilt == sorted(path.name for path in (truncated, flipped, garbage))
    assert _caches(result) == Counter(rebuilt=3, reused=DOCUMENTS - 3)
    assert _caches(run_build(settings)) == Counter(reused=DOCUMENTS), "the entries were written anew"


def test_parallel_and_sequential_builds_publish_the_same_dump(template: Path, tmp_path: Path) -> None:
    settings = _copy(template, tmp_path, workers=2)
    parallel = run_build(settings, full=True)
    assert _caches(parallel) == Counter(rebuilt=DOCUMENTS)
    sequential = run_build(settings.model_copy(update={"build_workers": 1}), full=True)
    assert _sorted_dump(parallel) == _sorted_dump(sequential)
    assert parallel.report["triples"] == sequential.report["triples"] == len(_sorted_dump(parallel))
    assert [d["file"] for d in parallel.report["documents"]] == [d["file"] for d in sequential.report["documents"]]


def test_a_worker_fails_the_build_as_a_sequential_build_does_and_nothing_is_written(
    template: Path, tmp_path: Path
) -> None:
    settings = _copy(template, tmp_path, workers=2)
    current = current_link(settings.data_dir).resolve()
    cache = {path: path.read_bytes() for path in (settings.data_dir / CACHE_DIR).rglob("*") if path.is_file()}
    source = settings.seeds_dir / f"{SEED}.txt"  # the first document: a line that fits no rule
    source.write_text(source.read_text(encoding="utf-8").replace("Product 2.4. Breedband\n",
                                                                 "Product 2.4. Breedband\n\nLosse regel\n"))
    meta = settings.seeds_dir / "drenthe-begroting-2017-p2-1-beleidsopgave.meta.yaml"  # the second: a bad year
    meta.write_text(meta.read_text(encoding="utf-8").replace("year: 2017", "year: twenty"), encoding="utf-8")
    with pytest.raises(ReadError) as parallel:
        run_build(settings)
    with pytest.raises(ReadError) as sequential:
        run_build(settings.model_copy(update={"build_workers": 1}))
    assert str(parallel.value) == str(sequential.value)
    assert str(parallel.value).startswith(f"{settings.seeds_dir / SEED}.txt:"), "the first failing document, line"
    assert current_link(settings.data_dir).resolve() == current
    assert {path: path.read_bytes() for path in (settings.data_dir / CACHE_DIR).rglob("*") if path.is_file()} == cache


def test_kg_build_says_what_it_rebuilt_and_full_ignores_the_cache(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    options = ["build", "--seeds-dir", str(seeds), "--data-dir", str(tmp_path / "data"), "--workers", "1"]
    runner = CliRunner()
    first, second, full = (runner.invoke(app, options + extra) for extra in ([], [], ["--full"]))
    for result, cache, counts in ((first, "rebuilt", "1 rebuilt, 0 reused"), (second, "reused", "0 rebuilt, 1 reused"),
                                  (full, "rebuilt", "1 rebuilt, 0 reused")):
        assert result.exit_code == 0, result.output
        assert f"{SEED}.txt ({cache}):" in result.output
        assert counts in result.output
        assert "stage read" in result.output and "stage validate links" in result.output
