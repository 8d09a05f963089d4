"""RDF sources: a plan published as Turtle or TriG is validated and published as it is, in its own graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from conftest import REPO, SEED, read_seed
from kg.build.pipeline import BuildError, run_build
from kg.model.source import SourceError
from kg.rdf.keys import KeyRegistry, assign_keys
from kg.rdf.mapping import map_plan
from kg.settings import Settings
from kg.store.local import open_publication

BASE = "https://kg.example.org"
KEY = "pv22-2016-programma-2-rdf"
META = (REPO / "seeds" / f"{SEED}.meta.yaml").read_text(encoding="utf-8")


def seed_graph() -> Graph:
    """The seed's graph as the build maps it (its key registry, the default base)."""
    plan = read_seed()
    assign_keys(plan, KeyRegistry.load(REPO / "seeds" / f"{SEED}.keys.csv"))
    return map_plan(plan, BASE)


def write_source(folder: Path, name: str, text: str) -> Settings:
    """Write an RDF source ``name`` with the seed's metadata (layout rdf) into ``folder/seeds``."""
    seeds = folder / "seeds"
    seeds.mkdir()
    (seeds / name).write_text(text, encoding="utf-8")
    meta = META.replace("layout: drenthe-begroting-2016", "layout: rdf").replace("pv22-2016-programma-2", KEY)
    (seeds / f"{Path(name).stem}.meta.yaml").write_text(meta, encoding="utf-8")
    return Settings(data_dir=folder / "data", seeds_dir=seeds)


def published(settings: Settings) -> Graph:
    """The RDF source's named graph as the published store holds it."""
    store = open_publication(settings.data_dir).store
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(f"{BASE}/graph/{KEY}"))
    return Graph().parse(data="".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads), format="nt")


@pytest.mark.parametrize("syntax", ["turtle", "trig"])
def test_a_valid_rdf_source_is_published_as_given(tmp_path: Path, syntax: str) -> None:
    graph = seed_graph()
    if syntax == "trig":
        dataset = Dataset()
        dataset.graph(URIRef("urn:example:plan")).__iadd__(graph)
        text = dataset.serialize(format="trig")
    else:
        text = graph.serialize(format="turtle")
    settings = write_source(tmp_path, "drenthe." + ("ttl" if syntax == "turtle" else "trig"), text)
    result = run_build(settings)
    (document,) = result.report["documents"]
    assert document["graph"] == f"{BASE}/graph/{KEY}"
    assert document["counts"] == {"programma": 1, "product": 5, "beleidsopgave": 5, "doelstelling": 15,
                                  "resultaat": 63, "deelresultaat": 15}
    assert isomorphic(published(settings), graph)
    assert not (settings.seeds_dir / "drenthe.keys.csv").exists()  # nothing minted for an RDF source


def test_an_rdf_source_that_violates_the_shapes_is_refused(tmp_path: Path) -> None:
    graph = seed_graph()
    objective = next(s for s, o in graph.subject_objects(SKOS.prefLabel) if o == Literal("Breedband", lang="nl")
                     and "doelstelling" in str(s))
    graph.remove((objective, SKOS.prefLabel, None))
    settings = write_source(tmp_path, "drenthe.ttl", graph.serialize(format="turtle"))
    with pytest.raises(BuildError, match="validation failed") as raised:
        run_build(settings)
    assert [(v.focus, v.path) for v in raised.value.violations] == [(str(objective), str(SKOS.prefLabel))]


def test_an_rdf_source_that_does_not_parse_names_the_file(tmp_path: Path) -> None:
    settings = write_source(tmp_path, "drenthe.ttl", "<a> <b> .\n")
    with pytest.raises(SourceError, match=r"drenthe\.ttl: not valid turtle"):
        run_build(settings)
