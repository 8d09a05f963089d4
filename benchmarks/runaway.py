"""How long a runaway query holds a worker after its time limit (python benchmarks/runaway.py [ROUNDS]).

Serves the seed with ``kg serve`` with one query worker and a 2 s time limit, then, each round, sends a
query that cannot finish (a triple cross join of the store) and, as soon as its ``503`` arrives, ``ASK {}``.
Prints per round: the time from the limit to the 503 (the server's stop), the server's own measure of the
time from the limit until the worker was killed and a replacement started (its log line), and the time from
the 503 until the replacement worker answered the next query. Figures only.
"""

from __future__ import annotations

import re
import statistics
import sys
import time

import httpx
from serving import kg_serve

TIMEOUT = 2.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def main(rounds: int = 5) -> None:
    """Run ``rounds`` runaway queries and print the figures."""
    overshoot, answered = [], []
    with kg_serve(query_timeout=TIMEOUT, query_workers=1) as (url, log), httpx.Client(base_url=url, timeout=60) as http:
        http.get("/sparql", params={"query": "ASK {}"}).raise_for_status()  # the worker is up
        for _ in range(rounds):
            started = time.perf_counter()
            stopped = http.get("/sparql", params={"query": RUNAWAY})
            limit_to_503 = time.perf_counter() - started - TIMEOUT
            assert stopped.status_code == 503, stopped.text
            after = time.perf_counter()
            http.get("/sparql", params={"query": "ASK {}"}).raise_for_status()
            overshoot.append(1000 * limit_to_503)
            answered.append(1000 * (time.perf_counter() - after))
        time.sleep(0.5)
        freed = [float(ms) for ms in re.findall(r"worker free again after ([0-9.]+) ms", log.read_text())]
    print(f"{rounds} runaway queries stopped at a {TIMEOUT:g} s limit")
    for name, values in (("limit -> 503 at the client", overshoot),
                         ("limit -> worker killed and replaced (server log)", freed),
                         ("503 -> next query answered by the new worker", answered)):
        print(f"{name:<50} median {statistics.median(values):7.1f} ms   max {max(values):7.1f} ms")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
