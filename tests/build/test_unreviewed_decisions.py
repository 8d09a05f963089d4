"""A reading decision nobody reviewed is never silent: in the graph, on its node's page, in the build report and
on the command line; ``kg build --strict`` refuses to publish while there is one.

The fixtures are copies of the Drenthe 2016 seed whose curation file lost its confirmations (:func:`unreview`), so
that some uncertain decisions are unreviewed again. Which rows are uncertain is the reader's business (its rule
changes), so every expectation comes from the plan as read (``plan.decisions``), never from fixed line numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from backends import BACKENDS, served, store_virtuoso  # noqa: F401 (store_virtuoso: the virtuoso backend's fixture)
from conftest import REPO, SEED, copy_seeds
from helpers import BROWSER, Html
from kg.build.pipeline import BuildResult, run_build
from kg.cli import app as cli
from kg.model.plan import Decision, Plan
from kg.read.curation import Entry, load_curation, write_curation
from kg.read.files import read_document
from kg.read.reader import load_layout, read_plan
from kg.read.review_tool import within_for
from kg.settings import Settings
from kg.store.local import current_link, open_publication

BASE = "https://kg.example.org"
PB = "https://kg.example.org/def/begroting#"
STATUS = f"{BASE}/def/beoordelingsstatus#"
CLASS = {"doelstelling": PB + "Doelstelling", "resultaat": PB + "Resultaat"}


def read_seed_copy(seeds: Path) -> Plan:
    """The seed copy in ``seeds`` read with its curation file as it is now."""
    document = read_document(seeds / f"{SEED}.txt")
    return read_plan(document, load_layout(document.layout), load_curation(document))


def unreview(seeds: Path) -> Plan:
    """Drop the entries of the seed copy's curation file that confirm the reader (keeping the overrides), or every
    entry if that leaves no decision unreviewed; return the plan as read then (with at least one unreviewed
    decision)."""
    document = read_document(seeds / f"{SEED}.txt")
    curation = load_curation(document)
    plan = read_seed_copy(seeds)
    confirmed = [d for d in plan.decisions if d.reviewed and not d.curated]
    keep = [e for e in curation.entries if not any(e.matches(d.text, d.above) for d in confirmed)]
    write_curation(curation.path, document.path.name, keep)
    plan = read_seed_copy(seeds)
    if not any(d.unreviewed for d in plan.decisions):
        write_curation(curation.path, document.path.name, [])
        plan = read_seed_copy(seeds)
    assert any(d.unreviewed for d in plan.decisions), "the reader is sure of every row of the seed: nothing to test"
    return plan


def review_all(seeds: Path) -> Plan:
    """Add a curation entry confirming each unreviewed decision of the seed copy (as ``kg review`` does), until
    none is left (a table's rows are read together, so an entry can change the reading of the others); return the
    plan as read then."""
    document = read_document(seeds / f"{SEED}.txt")
    for _ in range(5):
        plan = read_seed_copy(seeds)
        pending = [d for d in plan.decisions if d.unreviewed]
        if not pending:
            return plan
        curation = load_curation(document)
        added = [Entry(text=d.text, level=d.level, reason="Confirmed in a test.", reviewed=dt.date(2026, 12, 9),
                       within=within_for(d, plan.decisions)) for d in pending]
        write_curation(curation.path, document.path.name, [*curation.entries, *added])
    raise AssertionError("decisions still unreviewed after five rounds of review")


def unreviewed(plan: Plan) -> list[Decision]:
    """The plan's unreviewed decisions, in source order."""
    return [d for d in plan.decisions if d.unreviewed]


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """The solutions of a SELECT query over the union of the store's graphs, each as {variable: value}."""
    result = store.query(f"PREFIX pb: <{PB}>\n" + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in result]


def page_text(html: str) -> str:
    """The text of an HTML page (entities decoded), white space collapsed."""
    return " ".join("".join(Html(html).text).split())


@pytest.fixture(scope="module")
def unreviewed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildResult, Plan]:
    """A build (without --strict) of a seed copy with unreviewed decisions, and the plan as read."""
    folder = tmp_path_factory.mktemp("unreviewed")
    seeds = copy_seeds(folder)
    plan = unreview(seeds)
    settings = Settings(data_dir=folder / "data", seeds_dir=seeds)
    return settings, run_build(settings), plan


def decisions_in_store(settings: Settings) -> dict[int, dict[str, str]]:
    """The published reading decisions of the build, by line: node, decision, status, level, rule, doubt, ..."""
    rows = select(open_publication(settings.data_dir).store, """
        SELECT ?node ?decision ?status ?level ?rule ?doubt ?line ?nodeLine ?label ?source ?type WHERE {
          ?node pb:leesbeslissing ?decision ; pb:beginRegel ?nodeLine ; a ?type ;
                <http://www.w3.org/2004/02/skos/core#prefLabel> ?label .
          FILTER(?type IN (pb:Doelstelling, pb:Resultaat))
          ?decision a pb:Leesbeslissing ; pb:beoordelingsstatus ?status ; pb:gekozenNiveau ?level ;
                    pb:beslisregel ?rule ; pb:beginRegel ?line ; <http://purl.org/dc/terms/source> ?source .
          OPTIONAL { ?decision pb:twijfel ?doubt }
        }""")
    found = {int(row["line"]): row for row in rows}
    assert len(found) == len(rows), "one row per decision"
    return found


# --- the build report --------------------------------------------------------------------------------------


def test_the_report_lists_the_unreviewed_decisions(unreviewed_build: tuple[Settings, BuildResult, Plan]) -> None:
    _, result, plan = unreviewed_build
    (doc,) = result.report["documents"]
    assert doc["unreviewed"] == [
        {"line": d.line, "text": d.text, "level": d.level.value, "rule": d.rule, "doubt": d.doubt}
        for d in unreviewed(plan)
    ]
    assert all(item["doubt"] and item["rule"] for item in doc["unreviewed"])
    reviewed = {u["line"]: u["reviewed"] for u in doc["uncertain"]}
    assert {line for line, done in reviewed.items() if not done} == {d.line for d in unreviewed(plan)}


# --- the graph ---------------------------------------------------------------------------------------------


def test_each_unreviewed_decision_is_a_node_of_the_graph_linked_from_its_row(
    unreviewed_build: tuple[Settings, BuildResult, Plan],
) -> None:
    settings, result, plan = unreviewed_build
    published = decisions_in_store(settings)
    rows = {node.start_line: node for node in plan.nodes()}
    for decision in unreviewed(plan):
        row = published[decision.line]
        assert row["status"] == STATUS + "niet-beoordeeld"
        assert row["level"] == row["type"] == CLASS[decision.level.value]
        assert (row["rule"], row.get("doubt")) == (decision.rule, decision.doubt)
        assert int(row["nodeLine"]) == decision.line
        assert row["label"] == " ".join(decision.text.split()) == rows[decision.line].label
        key = row["node"].rsplit("/", 1)[1]
        assert row["node"] == f"{BASE}/id/{decision.level.value}/{key}"
        assert row["decision"] == f"{BASE}/id/leesbeslissing/{key}"
        assert row["source"] == f"{BASE}/id/brondocument/pv22-2016-programma-2"
    # the decisions a reviewer made are published with their status; those the rule was sure of are not
    expected = {d.line: STATUS + ("overschreven" if d.curated else "bevestigd" if d.reviewed else "niet-beoordeeld")
                for d in plan.decisions if d.uncertain or d.reviewed}
    assert {line: row["status"] for line, row in published.items()} == expected
    assert any(d.curated for d in plan.decisions)  # the seed's overrides are kept: "overschreven" is tested too
    (graph,) = [doc["graph"] for doc in result.report["documents"]]
    (count,) = select(open_publication(settings.data_dir).store,
                      f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?d a pb:Leesbeslissing }} }}")
    assert int(count["n"]) == len(expected)


# --- the pages ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def site(unreviewed_build: tuple[Settings, BuildResult, Plan], request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a real server over the build, from each store in turn."""
    with served(unreviewed_build[0], request.param, request) as running:
        yield running.url


def page(url: str, iri: str) -> str:
    """The HTML page of the thing ``iri`` of the build."""
    assert iri.startswith(BASE + "/id/")
    response = httpx.get(url + "/doc/" + iri[len(BASE) + 4 :], headers={"Accept": BROWSER})
    assert response.status_code == 200, iri
    assert response.headers["content-type"].startswith("text/html")
    return str(response.text)


def test_the_page_of_a_node_read_with_an_unreviewed_decision_says_so(
    unreviewed_build: tuple[Settings, BuildResult, Plan], site: str,
) -> None:
    settings, _, plan = unreviewed_build
    published = decisions_in_store(settings)
    for decision in unreviewed(plan):
        html = page(site, published[decision.line]["node"])
        text = page_text(html)
        assert "Lezing niet beoordeeld / reading not reviewed" in text
        assert '<section class="notice" role="note" aria-labelledby="lezing-1">' in html
        assert f"regel {decision.line} van de bron" in text
        assert f"Beslisregel (rule) {' '.join(decision.rule.split())}" in text
        assert f"Twijfel (doubt) {' '.join(decision.doubt.split())}" in text
        assert text.count("Lezing niet beoordeeld") == 1


def test_pages_without_an_unreviewed_decision_show_no_notice(
    unreviewed_build: tuple[Settings, BuildResult, Plan], site: str,
) -> None:
    settings, _, plan = unreviewed_build
    published = decisions_in_store(settings)
    decided = set(published)
    store = open_publication(settings.data_dir).store
    (certain,) = select(store, f"""SELECT ?node WHERE {{ ?node a pb:Resultaat ; pb:beginRegel ?line
        FILTER(?line NOT IN ({", ".join(map(str, decided))})) }} ORDER BY ?line LIMIT 1""")
    for iri in (f"{BASE}/id/programma/pv22-2016-2", certain["node"]):
        text = page_text(page(site, iri))
        assert "Lezing" not in text and "reading not reviewed" not in text, iri
    override = next(d for d in plan.decisions if d.curated)
    text = page_text(page(site, published[override.line]["node"]))
    assert "Lezing niet beoordeeld" not in text
    assert f"Lezing Regel {override.line} gelezen als {override.level.value}: overschreven" in text


# --- kg build and kg build --strict ------------------------------------------------------------------------


def test_kg_build_names_each_unreviewed_decision_and_strict_refuses_until_they_are_reviewed(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    plan = unreview(seeds)
    lines = [d.line for d in unreviewed(plan)]
    options = ["--data-dir", str(tmp_path / "data"), "--seeds-dir", str(seeds)]
    runner = CliRunner()

    published = runner.invoke(cli, ["build", *options])
    assert published.exit_code == 0, published.output
    assert f"{len(lines)} unreviewed decision(s);" in published.output
    for line in lines:
        assert f"  unreviewed {SEED}.txt:{line} -> " in published.output
    assert f"{len(lines)} unreviewed" in published.output.split("reading decisions", 1)[1].split("\n", 1)[0]
    assert f"warning: {len(lines)} unreviewed decision(s) in 1 document(s) published" in published.output
    current = current_link(tmp_path / "data").resolve()

    for refused in (runner.invoke(cli, ["build", "--strict", *options]),
                    runner.invoke(cli, ["build", *options], env={"KG_STRICT": "1"})):
        assert refused.exit_code == 1, refused.output
        assert f"strict build: {len(lines)} unreviewed decision(s)" in refused.output
        assert "nothing published" in refused.output
        for line in lines:
            assert f"  {SEED}.txt:{line}: read as " in refused.output
        assert current_link(tmp_path / "data").resolve() == current  # the earlier build stays current
    assert open_publication(tmp_path / "data").report["documents"][0]["unreviewed"]

    assert not unreviewed(review_all(seeds))
    strict = runner.invoke(cli, ["build", "--strict", *options])
    assert strict.exit_code == 0, strict.output
    assert "0 unreviewed decision(s);" in strict.output and "warning: " not in strict.output
    assert current_link(tmp_path / "data").resolve() != current
    publication = open_publication(tmp_path / "data")
    assert publication.report["documents"][0]["unreviewed"] == []
    assert not select(publication.store, f"SELECT ?d WHERE {{ ?d pb:beoordelingsstatus <{STATUS}niet-beoordeeld> }}")
    statuses = {row["status"] for row in select(publication.store, "SELECT ?status WHERE { ?d pb:beoordelingsstatus "
                                                                   "?status }")}
    assert STATUS + "bevestigd" in statuses and statuses <= {STATUS + "bevestigd", STATUS + "overschreven"}


def test_every_seed_builds_with_strict(tmp_path: Path) -> None:
    """Every document of the repository's seeds has each uncertain decision reviewed in its curation file."""
    seeds = copy_seeds(tmp_path, everything=True)
    assert len(list(seeds.glob("*.meta.yaml"))) == len(list((REPO / "seeds").glob("*.meta.yaml")))
    result = CliRunner().invoke(cli, ["build", "--strict", "--data-dir", str(tmp_path / "data"),
                                      "--seeds-dir", str(seeds)])
    assert result.exit_code == 0, result.output
    documents = open_publication(tmp_path / "data").report["documents"]
    assert len(documents) == len(list(seeds.glob("*.meta.yaml")))
    assert {doc["file"]: doc["unreviewed"] for doc in documents} == {doc["file"]: [] for doc in documents}
