"""Benchmark: build ``seeds/`` and time requests to a running server (python benchmarks/seed.py).

Prints the build time (median of several builds into temporary folders), the triple count, and median/p95
latency of a resource lookup (303 + description as Turtle) and of a SPARQL COUNT over HTTP on loopback.
Figures only: nothing here asserts a speed.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from kg.build.pipeline import run_build
from kg.settings import Settings
from kg.store.local import open_publication
from kg.web import create_app

REPO = Path(__file__).resolve().parents[1]
COUNT = "SELECT (COUNT(*) AS ?n) { ?s a <https://kg.example.org/def/begroting#Resultaat> }"


def timed(action: object, repeat: int) -> list[float]:
    """Call ``action`` ``repeat`` times; return the durations in milliseconds."""
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def summary(name: str, durations: list[float]) -> None:
    """Print median and p95 of ``durations`` (ms)."""
    ordered = sorted(durations)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"{name:<28} median {statistics.median(ordered):8.2f} ms   p95 {p95:8.2f} ms   n={len(ordered)}")


def main(builds: int = 5, requests: int = 300) -> None:
    """Run the benchmark with ``builds`` builds and ``requests`` requests per kind."""
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    seeds = Path(shutil.copytree(REPO / "seeds", folder / "seeds"))
    settings = Settings(data_dir=folder / "data", seeds_dir=seeds)
    summary("build (read..publish)", timed(lambda: run_build(settings), builds))
    publication = open_publication(settings.data_dir)
    print(f"triples: {len(publication.store)} in the store, report: {publication.report['triples']}")
    server = uvicorn.Server(uvicorn.Config(create_app(settings, publication), host="127.0.0.1", port=0,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        summary("lookup /id/ -> 303 -> Turtle", timed(
            lambda: client.get("/id/product/pv22-2016-2-4", headers={"Accept": "text/turtle"},
                               follow_redirects=True).raise_for_status(), requests))
        summary("SPARQL COUNT (JSON)", timed(
            lambda: client.get("/sparql", params={"query": COUNT}).raise_for_status(), requests))
    server.should_exit = True
    thread.join(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
