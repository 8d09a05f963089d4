"""Safe rebuilds and restarts: readers see the old build or the new one, never a mix; a failed rebuild
changes nothing served; ``kg serve`` killed mid-build serves the last good graph when started again.

The two builds served in turn differ in one result's label ("Breedband Platform Drenthe" and a typo
variant, which keeps its IRI through the key registry), so every answer tells which build it came from.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from backends import serving
from conftest import SEED, build_into, copy_seeds
from helpers import serve_once
from kg.build.pipeline import run_build
from kg.read.reader import ReadError
from kg.settings import Settings
from kg.store.local import current_link, open_publication
from kg.web import create_app
from virtuoso import free_port

LABEL, VARIANT = "Breedband Platform Drenthe", "Breedband platform Drenthe"
FINGERPRINT = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?n ?label ?thing {
  { SELECT (COUNT(*) AS ?n) { ?s ?p ?o } }
  { SELECT ?label ?thing {
      ?thing a <https://kg.example.org/def/begroting#Resultaat> ; skos:prefLabel ?label
      FILTER(LCASE(STR(?label)) = "breedband platform drenthe") } }
}"""


def fingerprint_of(rows: list[dict[str, dict[str, str]]]) -> tuple[str, ...]:
    """The (count, label, thing) answer of :data:`FINGERPRINT` as a tuple."""
    assert len(rows) == 1, rows
    return tuple(rows[0][name]["value"] for name in ("n", "label", "thing"))


def published_fingerprint(settings: Settings) -> tuple[str, ...]:
    """:data:`FINGERPRINT` run in-process on the current build of ``settings``."""
    result = open_publication(settings.data_dir).store.query(FINGERPRINT, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return fingerprint_of([{v.value: {"value": str(row[v].value)} for v in result.variables} for row in result])


def set_label(settings: Settings, old: str, new: str) -> None:
    """Replace the label ``old`` by ``new`` in the seed document."""
    source = settings.seeds_dir / f"{SEED}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(f"\n{old}\n", f"\n{new}\n"), encoding="utf-8")


def test_readers_see_the_old_or_the_new_build_never_a_mix_and_a_failed_build_changes_nothing(tmp_path: Path) -> None:
    settings, first = build_into(tmp_path)
    known = {first.root.name: published_fingerprint(settings)}
    answers: list[tuple[str, ...]] = []
    pages: list[tuple[str, str]] = []
    failures: list[str] = []
    done = threading.Event()
    thing = known[first.root.name][2]
    page = "/doc/" + thing.split("/id/", 1)[1] + "?format=nt"

    def read(url: str) -> None:
        for _ in range(400):  # bounded; stops earlier once the rebuilds are done
            if done.is_set():
                return
            query = httpx.get(url + "/sparql", params={"query": FINGERPRINT}, timeout=60)
            described = httpx.get(url + page, timeout=60)
            if query.status_code != 200 or described.status_code != 200:
                failures.append(f"{query.status_code} {described.status_code}")
                continue
            answers.append(fingerprint_of(query.json()["results"]["bindings"]))
            pages.append((described.headers["etag"], described.text))

    with serving(create_app(settings, open_publication(settings.data_dir))) as url:
        readers = [threading.Thread(target=read, args=(url,)) for _ in range(4)]
        for reader in readers:
            reader.start()
        try:
            for old, new in ((LABEL, VARIANT), (VARIANT, LABEL), (LABEL, VARIANT)):
                set_label(settings, old, new)
                build = run_build(settings).root.name
                known[build] = published_fingerprint(settings)
            broken = settings.seeds_dir / f"{SEED}.txt"
            good_text = broken.read_text(encoding="utf-8")
            broken.write_text(good_text.replace("Product 2.4. Breedband\n", "Product 2.4. Breedband\n\nLosse regel\n"))
            with pytest.raises(ReadError):
                run_build(settings)
            broken.write_text(good_text)
            last = current_link(settings.data_dir).resolve().name
            assert httpx.get(url + "/health").json()["build"] == last
        finally:
            done.set()
            for reader in readers:
                reader.join()
    assert failures == []
    assert len({fingerprint[1] for fingerprint in known.values()}) == 2, "the two builds differ in the label"
    assert len({fingerprint[2] for fingerprint in known.values()}) == 1, "the thing keeps its IRI"
    assert answers and set(answers) <= set(known.values())
    for etag, text in pages:  # a page's validator names the build its body was read from
        build = next(build for build in known if build in etag)
        assert f'"{known[build][1]}"@nl' in text


def test_kg_serve_killed_mid_build_serves_the_last_good_graph_when_started_again(tmp_path: Path) -> None:
    copy_seeds(tmp_path)
    settings = Settings(data_dir=tmp_path / "data", seeds_dir=tmp_path / "seeds")
    good = run_build(settings).root.name
    builds = settings.data_dir / "builds"
    # another base IRI makes `kg serve` rebuild; kill it while it writes the new build
    command = [sys.executable, "-m", "kg", "serve", "--port", str(free_port()), "--data-dir", str(settings.data_dir),
               "--seeds-dir", str(settings.seeds_dir), "--base-iri", "https://data.example.nl/kg"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(60_000):  # bounded: at most a minute of 1 ms polls
            if any(path.name.endswith(".partial") for path in builds.iterdir()) or process.poll() is not None:
                break
            time.sleep(0.001)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    leftovers = [path.name for path in builds.iterdir() if path.name.endswith(".partial")]
    assert len(leftovers) == 1, "killed while the new build was being written"
    assert current_link(settings.data_dir).resolve().name == good

    again = serve_once(tmp_path)
    assert again.health["build"] == good
    assert again.health["status"] == "ok"
    assert len(again.objectives) == 15
    assert all(iri.startswith("https://kg.example.org/id/") for iri in again.objectives)
    run_build(settings)  # the next good build clears the killed build's leftovers
    assert not any(path.name.endswith(".partial") for path in builds.iterdir())
