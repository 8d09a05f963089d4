"""Shared fixtures: the real seed, read and built into temporary folders."""

from __future__ import annotations

import fnmatch
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.build.pipeline import BuildResult, run_build
from kg.model.plan import Plan
from kg.read.curation import load_curation
from kg.read.files import read_document
from kg.read.reader import load_layout, read_plan
from kg.settings import Settings
from virtuoso import Virtuoso, running_virtuoso

REPO = Path(__file__).resolve().parents[1]
SEED = "000_61c47c45ec098bf8"
#: The reference data files (``vocab/*.ttl``, by stem): each is published as its own named graph
#: ``{base}/graph/referentie/{stem}``. Generated files (organisaties-tooi, gebieden-cbs) join the hand-written ones.
REFERENCE_FILES = tuple(sorted(path.stem for path in (REPO / "vocab").glob("*.ttl")))


def copy_seeds(target: Path, everything: bool = False) -> Path:
    """Copy the Drenthe 2016 seed (its text and sidecars) or, with ``everything``, the whole ``seeds/``
    folder to ``target/seeds`` and return it (builds write key registries, so tests build copies).

    Most tests pin the seed's exact counts and IRIs, so they build it alone; the many-plans tests build all.
    """
    pattern = "*" if everything else f"{SEED}.*"
    return Path(shutil.copytree(REPO / "seeds", target / "seeds", ignore=_not_matching(pattern)))


def _not_matching(pattern: str) -> Callable[[str, list[str]], list[str]]:
    """A ``shutil.copytree`` ignore function that skips the file names not matching ``pattern``."""
    return lambda _folder, names: [name for name in names if not fnmatch.fnmatch(name, pattern)]


def read_seed(seeds: Path = REPO / "seeds", curated: bool = True) -> Plan:
    """Read the seed document from ``seeds`` into its plan (with or without the curation file)."""
    document = read_document(seeds / f"{SEED}.txt")
    return read_plan(document, load_layout(document.layout), load_curation(document) if curated else None)


def build_into(folder: Path) -> tuple[Settings, BuildResult]:
    """Build a copy of the seeds into ``folder`` and return the settings used and the result."""
    settings = Settings(data_dir=folder / "data", seeds_dir=copy_seeds(folder))
    return settings, run_build(settings)


@pytest.fixture(scope="session")
def seed_plan() -> Plan:
    """The seed document read with its curation file."""
    return read_seed()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildResult]:
    """One real build of the seeds, shared by the tests that only read it."""
    return build_into(tmp_path_factory.mktemp("built"))


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A throwaway Virtuoso on loopback for the session (tests/virtuoso.py; skipped when it cannot be had)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def with_reference(dataset: Dataset, graph: URIRef) -> Graph:
    """The named ``graph`` of a build's ``dataset`` with the reference data graphs and the theme scheme: what
    the build validates a document's graph with (the targets of its links)."""
    union = Graph()
    names = [f"https://kg.example.org/graph/referentie/{name}" for name in REFERENCE_FILES]
    for name in (graph, *map(URIRef, names), URIRef("https://kg.example.org/def/thema")):
        union += dataset.graph(name)
    return union


def by_label(graph: Graph, label: str) -> URIRef:
    """Return the one subject with ``skos:prefLabel label@nl``."""
    (subject,) = set(graph.subjects(SKOS.prefLabel, Literal(label, lang="nl")))
    assert isinstance(subject, URIRef)
    return subject
