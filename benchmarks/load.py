"""Load test on loopback: concurrent clients send a fixed number of mixed requests to ``kg serve``.

    python benchmarks/load.py [--clients 20] [--requests 2000] [--query-share 0.3]

Each client keeps one connection open and sends its share of requests, in a shuffled mix of page lookups
(the landing page; ``/id/`` IRIs answered 303; ``/doc/`` descriptions in HTML, Turtle and JSON-LD of
objectives, results, products) and the example queries of ``queries/`` (as JSON results). Prints the
throughput, p50/p99 latency overall and per kind, and the error count (anything but 2xx/3xx, or no answer);
exits with status 1 when there was any error. Figures only: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass

import httpx
from serving import REPO, kg_serve

FORMATS = ["text/html", "text/turtle", "application/ld+json"]
THINGS = """SELECT ?thing { VALUES ?class { <https://kg.example.org/def/begroting#Doelstelling>
  <https://kg.example.org/def/begroting#Resultaat> <https://kg.example.org/def/begroting#Product> }
  ?thing a ?class } ORDER BY ?thing"""


@dataclass(frozen=True)
class Call:
    """One request of the mix: its kind, path, query parameters and headers."""

    kind: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


def mix(url: str, total: int, query_share: float, seed: int = 5) -> list[Call]:
    """``total`` requests, ``query_share`` of them example queries, the rest page lookups, shuffled."""
    rows = httpx.get(url + "/sparql", params={"query": THINGS}).json()["results"]["bindings"]
    paths = [row["thing"]["value"].split("kg.example.org", 1)[1] for row in rows]
    queries = [path.read_text(encoding="utf-8") for path in sorted((REPO / "queries").glob("*.rq"))]
    rng = random.Random(seed)
    calls = []
    for n in range(total):
        if n < total * query_share:
            calls.append(Call("query", "/sparql", {"query": rng.choice(queries)},
                              {"Accept": "application/sparql-results+json"}))
        elif n % 5 == 0:
            calls.append(Call("page", "/", {}, {"Accept": "text/html"}))
        else:
            path = rng.choice(paths)
            kind, path = ("redirect", path) if n % 5 == 1 else ("page", path.replace("/id/", "/doc/", 1))
            calls.append(Call(kind, path, {}, {"Accept": rng.choice(FORMATS)}))
    rng.shuffle(calls)
    return calls


def run(url: str, calls: list[Call], clients: int) -> tuple[float, dict[str, list[float]], list[str]]:
    """Send ``calls`` from ``clients`` threads; return the wall time, latencies (s) per kind and errors."""
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def client(share: list[Call]) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            for call in share:
                started = time.perf_counter()
                try:
                    status = http.get(call.path, params=call.params, headers=call.headers).status_code
                    problem = None if status < 400 else f"{status} {call.kind} {call.path}"
                except httpx.HTTPError as error:
                    problem = f"{type(error).__name__} {call.kind} {call.path}"
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.setdefault(call.kind, []).append(elapsed)
                    if problem:
                        errors.append(problem)

    threads = [threading.Thread(target=client, args=(calls[i::clients],)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, errors


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` in milliseconds (nearest rank)."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    """Run the load test; print the figures; return 1 when a request failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--query-share", type=float, default=0.3)
    options = parser.parse_args()
    with kg_serve() as (url, _log):
        calls = mix(url, options.requests, options.query_share)
        run(url, calls[: options.clients * 2], options.clients)  # warm up connections and workers
        wall, latencies, errors = run(url, calls, options.clients)
    every = [value for values in latencies.values() for value in values]
    print(f"{len(every)} requests from {options.clients} clients in {wall:.2f} s: {len(every) / wall:.1f} requests/s")
    print(f"{'all':<9} p50 {percentile(every, 0.5):8.1f} ms   p99 {percentile(every, 0.99):8.1f} ms")
    for kind, values in sorted(latencies.items()):
        print(f"{kind:<9} p50 {percentile(values, 0.5):8.1f} ms   p99 {percentile(values, 0.99):8.1f} ms"
              f"   n={len(values)}  mean {1000 * statistics.fmean(values):.1f} ms")
    print(f"errors: {len(errors)}" + (f" (first: {errors[:5]})" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
