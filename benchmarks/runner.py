"""Benchmark runner: kg against pyoxigraph, Oxigraph's server, Virtuoso and rdflib-endpoint, on the same data.

    python benchmarks/runner.py --triples 100000 --seed 1 --work /tmp/bench
    python benchmarks/runner.py --triples 100000 1000000 --seed 1 --work /tmp/bench   # both sizes, in turn

Per size: generates the corpus (``benchmarks/generate.py``, skipped when ``--work`` already holds it), builds
it with ``kg build`` (skipped when built), then starts each engine in turn on 127.0.0.1 (free ports, bounded
waits, always stopped), loads the build's N-Quads dump (``dumps/kg.nq``: every named graph) into it, and
measures every example query of ``queries/`` and a single-resource lookup:

==================  ==========================================================================================
engine              what it is, and how it sees the data
==================  ==========================================================================================
pyoxigraph          in-process, the build's own store opened read-only, ``use_default_graph_as_union=True``;
                    the time to run a query and read every solution (no HTTP, no serialisation): the baseline
kg /sparql          ``kg serve`` on the build: its SPARQL endpoint (queries run in its worker processes)
kg pages            the same server: ``GET /doc/...`` as Turtle (the lookup), ``GET /id/...`` (its 303) and
                    the cheapest routes it has (the HTTP floor: a static file, ``/health``)
oxigraph            Oxigraph's own server (PyPI ``oxigraph``): ``oxigraph load``, then
                    ``oxigraph serve-read-only --union-default-graph``
virtuoso            Debian's Virtuoso Open Source 7 (``tests/virtuoso.py``), loaded with its bulk loader
                    (``ld_dir`` + ``rdf_loader_run``); a query without FROM sees every graph
rdflib-endpoint     PyPI ``rdflib-endpoint serve kg.nq``: an rdflib ``Dataset(default_union=True)`` in memory
==================  ==========================================================================================

For SPARQL engines the lookup is one CONSTRUCT of a resource's triples (outgoing and incoming), rotated over a
few dozen results (``pb:Resultaat``) of the corpus; for kg it is the resource page. Every engine's row
count (solutions, or distinct triples of the lookups) is checked against pyoxigraph in-process; a mismatch is
printed in red and noted in the table.

Latency is measured with sequential requests on one connection (after a warm-up): median, p95, p99.
Throughput is measured with ``--clients`` (8) concurrent connections for ``--load-seconds``. Both use
Debian's ``wrk`` when installed (``apt-get install wrk``), else a pool of Python threads with httpx. A query
slower than :data:`SLOW` is timed with httpx a few times instead, and one slower than :data:`NO_LOAD` gets no
throughput figure. A query over ``--cap`` seconds is recorded as a timeout (rdflib-endpoint, which cannot
stop a query, is then restarted). The client runs on the same machine as the server and shares its cores.

Prints a table per size (rich) and writes it as Markdown to ``benchmarks/results/<size>.md``, with the
figures as JSON beside it (``<size>.json``); when results of another size of the same seed are there, it adds
how each query's time grew with the corpus. ``--merge`` keeps the earlier figures of the engines a run leaves
out (to run one engine again); ``--nice -10`` (as root) puts the run ahead of other work on a shared machine.
Figures only: nothing here asserts a speed. See ``benchmarks/README.md``, "Benchmark runner".
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import multiprocessing
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest
from rich.console import Console
from rich.markup import escape
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]

# tests/virtuoso.py starts (and when needed installs) the throwaway Virtuoso the publish tests use; it lives
# with the tests, so its folder is put on the import path instead of copying it here.
sys.path.insert(0, str(REPO / "tests"))
import virtuoso  # noqa: E402

#: Engine names, in the order they run and are shown.
PYOXIGRAPH, KG_SPARQL, KG_PAGES, OXIGRAPH, VIRTUOSO, RDFLIB = (
    "pyoxigraph", "kg /sparql", "kg pages", "oxigraph", "virtuoso", "rdflib-endpoint")
#: The order engines are shown in; the servers started (kg serve has two engines: its endpoint and pages).
ENGINE_ORDER = (PYOXIGRAPH, KG_SPARQL, KG_PAGES, OXIGRAPH, VIRTUOSO, RDFLIB)
KG_SERVE = "kg serve"
SERVER_ORDER = (PYOXIGRAPH, KG_SERVE, OXIGRAPH, VIRTUOSO, RDFLIB)
#: Engines that ``--engines`` can name (kg starts both of its own).
ENGINE_CHOICES = ("pyoxigraph", "kg", "oxigraph", "virtuoso", "rdflib")

#: Targets besides the example queries.
LOOKUP = "lookup"
LOOKUP_303 = "lookup 303 (/id/)"
LOOKUP_DESCRIBE = "lookup: kg describe()"
FLOOR_STATIC = "floor: /static file"
FLOOR_HEALTH = "floor: /health"

#: A query whose first run takes longer than this (s) is timed with a few httpx requests instead of wrk.
SLOW = 0.5
#: A query whose first run takes longer than this (s) gets no throughput figure (it would hold the clients).
NO_LOAD = 5.0
#: Most sequential samples of a slow query, and the seconds a sequential run of one may take at most.
SLOW_SAMPLES, SLOW_BUDGET = 10, 20.0
#: Fewest sequential samples (a query that takes longer than the budget gets only these).
MIN_SAMPLES = 2
#: Seconds of warm-up requests before a sequential run.
WARM_UP = 1.0
#: Seconds allowed for a server to answer after its start (plus one per 10,000 triples it loads itself).
START_TIMEOUT = 120.0
#: Seconds allowed to stop a server before it is killed.
STOP_TIMEOUT = 30.0

#: What kg's query workers add to the server's niceness (kg.web.querying.worker_process.NICENESS).
WORKER_NICENESS = 10

PB = "https://kg.example.org/def/begroting#"
RESULTS_QUERY = f"SELECT ?r WHERE {{ ?r a <{PB}Resultaat> }} ORDER BY ?r"
JSON_RESULTS = "application/sparql-results+json"
TURTLE = "text/turtle"

#: Wide enough for the tables when the output goes to a file.
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 240)


# ---------------------------------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One thing measured: an example query, or a lookup rotated over ``iris``.

    Attributes:
        name: the query file's stem, or one of :data:`LOOKUP`, :data:`LOOKUP_303`, ... .
        query: the SPARQL text (an example query), or "" for lookups and floors.
        iris: the resources a lookup rotates over.
    """

    name: str
    query: str = ""
    iris: tuple[str, ...] = ()

    @property
    def is_query(self) -> bool:
        """True for an example query of ``queries/``."""
        return bool(self.query)


def lookup_query(iri: str) -> str:
    """The CONSTRUCT that gives a SPARQL engine's answer to a lookup of ``iri``: its outgoing and incoming
    triples (kg's page adds blank-node chains and the labels of what it mentions, see kg.web.querying.describe)."""
    this = str(ox.NamedNode(iri))
    return (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ {this} ?p ?o BIND({this} AS ?s) }} "
            f"UNION {{ ?s ?p {this} BIND({this} AS ?o) }} }}")


def sparql_requests(target: Target, path: str) -> tuple[list[str], str]:
    """The request targets (path and query string) and the Accept header of ``target`` at a SPARQL endpoint
    whose path is ``path``."""
    if target.is_query:
        return [f"{path}?{urlencode({'query': target.query})}"], JSON_RESULTS
    return [f"{path}?{urlencode({'query': lookup_query(iri)})}" for iri in target.iris], TURTLE


def count_rows(body: bytes, media_type: str) -> int:
    """Solutions of a JSON SELECT result, or distinct triples of a Turtle graph."""
    if media_type == JSON_RESULTS:
        return len(json.loads(body)["results"]["bindings"])
    return len(set(ox.parse(body, format=ox.RdfFormat.TURTLE)))


# ---------------------------------------------------------------------------------------------------- figures


@dataclass
class Timing:
    """Latencies (ms) of sequential requests, or the throughput of concurrent ones."""

    median: float | None = None
    p95: float | None = None
    p99: float | None = None
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0

    @property
    def rate(self) -> float | None:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds and self.requests else None


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values."""
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def timing_of(samples: list[float], seconds: float = 0.0, errors: int = 0) -> Timing:
    """A :class:`Timing` of latencies ``samples`` (ms)."""
    ordered = sorted(samples)
    if not ordered:
        return Timing(errors=errors, seconds=seconds)
    return Timing(median=statistics.median(ordered), p95=percentile(ordered, 0.95),
                  p99=percentile(ordered, 0.99), requests=len(ordered), seconds=seconds, errors=errors)


@dataclass
class Measurement:
    """What was measured of one target on one engine.

    Attributes:
        rows: solutions (SELECT) or distinct triples (lookups, summed over the IRIs), None when it failed.
        first_ms: the first (cold) run.
        sequential: latencies of sequential requests.
        load: throughput and latencies under concurrent clients.
        note: a timeout, an error, a row-count mismatch, how it was timed.
    """

    engine: str
    target: str
    rows: int | None = None
    first_ms: float | None = None
    sequential: Timing = field(default_factory=Timing)
    load: Timing = field(default_factory=Timing)
    note: str = ""


class Failed(Exception):
    """A target could not be run on an engine (error status, timeout): the message says why."""


# ---------------------------------------------------------------------------------------------------- engines


class Engine:
    """An engine under test: runs a target once, sequentially, and under concurrent clients."""

    name = ""

    def targets(self, queries: list[Target], lookup: Target) -> list[Target]:
        """What this engine is measured on."""
        return [*queries, lookup]

    def prepare(self, target: Target) -> None:
        """Check before the first timed run that ``target`` can run (nothing by default).

        Raises:
            Failed: when it cannot.
        """

    def run_once(self, target: Target) -> int:
        """Run ``target`` once (every IRI of a lookup) and return its rows.

        Raises:
            Failed: on an error or a timeout.
        """
        raise NotImplementedError

    def sequential(self, target: Target, seconds: float, slow: bool) -> Timing:
        """Latencies of sequential runs of ``target`` for about ``seconds``."""
        raise NotImplementedError

    def load(self, target: Target, seconds: float, clients: int) -> Timing:
        """Throughput of ``clients`` concurrent clients running ``target`` for ``seconds``."""
        raise NotImplementedError

    def recover(self) -> None:
        """Make the engine usable again after a timeout (nothing by default)."""


class InProcess(Engine):
    """pyoxigraph in this process, on the build's store opened read-only, the union of graphs as default."""

    name = PYOXIGRAPH

    def __init__(self, store: ox.Store, store_path: Path, cap: float) -> None:
        self.store = store
        self.store_path = store_path
        self.cap = cap

    def targets(self, queries: list[Target], lookup: Target) -> list[Target]:
        """The queries, the lookup CONSTRUCT, and kg's own description code (``kg.web.querying.describe``)."""
        return [*queries, lookup, Target(LOOKUP_DESCRIBE, iris=lookup.iris)]

    def _calls(self, target: Target) -> list[Callable[[], int]]:
        """One callable per request of ``target``, returning its rows."""
        if target.name == LOOKUP_DESCRIBE:
            try:
                from kg.web.querying.describe import describe
            except ImportError as error:
                raise Failed(f"kg.web.querying.describe.describe is not there: {error}") from error
            return [partial(_count, describe, self.store, iri) for iri in target.iris]
        texts = [target.query] if target.is_query else [lookup_query(iri) for iri in target.iris]
        return [partial(query_rows, self.store, text) for text in texts]

    def prepare(self, target: Target) -> None:
        """Run a query first in a child process that is killed after ``cap`` seconds (pyoxigraph cannot stop
        a query), so that a runaway one is recorded as a timeout instead of holding the run."""
        if target.is_query:
            _probe_in_child(self.store_path, target.query, self.cap)

    def run_once(self, target: Target) -> int:
        """Run every request of ``target`` once; the summed rows."""
        return sum(call() for call in self._calls(target))

    def sequential(self, target: Target, seconds: float, slow: bool) -> Timing:
        """Time calls in turn for ``seconds`` (at least :data:`MIN_SAMPLES`; at most :data:`SLOW_SAMPLES` of a
        slow one)."""
        calls = self._calls(target)
        samples: list[float] = []
        deadline = time.perf_counter() + seconds
        while len(samples) < MIN_SAMPLES or (
                time.perf_counter() < deadline and not (slow and len(samples) >= SLOW_SAMPLES)):
            call = calls[len(samples) % len(calls)]
            started = time.perf_counter()
            call()
            samples.append(1000 * (time.perf_counter() - started))
        return timing_of(samples)

    def load(self, target: Target, seconds: float, clients: int) -> Timing:
        """``clients`` threads calling in turn for ``seconds``."""
        calls = self._calls(target)

        def client(index: int, stop: float) -> list[float]:
            samples: list[float] = []
            while time.perf_counter() < stop:
                started = time.perf_counter()
                calls[(index + len(samples)) % len(calls)]()
                samples.append(1000 * (time.perf_counter() - started))
            return samples

        return _threads(client, clients, seconds)


def query_rows(store: ox.Store, text: str) -> int:
    """Run ``text`` on ``store`` (union of graphs as default) and read every solution or triple."""
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions):
        return sum(1 for _ in result)
    if isinstance(result, ox.QueryTriples):
        return len(set(result))
    return int(bool(result))


def _probe(store_path: str, text: str, connection: Connection) -> None:
    """In a child process: open the store, run ``text``, send its rows."""
    connection.send(query_rows(ox.Store.read_only(store_path), text))


def _probe_in_child(store_path: Path, text: str, cap: float) -> int:
    """Run ``text`` in a spawned process and return its rows.

    Raises:
        Failed: when it takes longer than ``cap`` seconds (the process is killed) or fails.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_probe, args=(str(store_path), text, sender), daemon=True)
    child.start()
    try:
        if not receiver.poll(cap + 30):  # the start of a spawned interpreter is not the query's time
            raise Failed(f"timeout (> {cap:g} s)")
        rows: int = receiver.recv()
        return rows
    except EOFError as error:
        raise Failed(f"the query's process ended with {child.exitcode}") from error
    finally:
        child.kill()
        child.join(STOP_TIMEOUT)


def _count(function: Callable[[ox.Store, str], list[ox.Triple]], store: ox.Store, iri: str) -> int:
    """The length of ``function(store, iri)``."""
    return len(function(store, iri))


def _run_for(seconds: float, action: Callable[[], object], at_least: int, at_most: int) -> int:
    """Call ``action`` for ``seconds`` (at least ``at_least`` and at most ``at_most`` times); the count."""
    count, deadline = 0, time.perf_counter() + seconds
    while count < at_most and (count < at_least or time.perf_counter() < deadline):
        action()
        count += 1
    return count


def _threads(client: Callable[[int, float], list[float]], clients: int, seconds: float) -> Timing:
    """Run ``client(index, stop_time)`` in ``clients`` threads; the throughput and latencies of them all."""
    started = time.perf_counter()
    stop = started + seconds
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda index: client(index, stop), range(clients)))
    elapsed = time.perf_counter() - started
    return timing_of([sample for samples in results for sample in samples], seconds=elapsed)


class Http(Engine):
    """An engine behind HTTP on 127.0.0.1: a SPARQL endpoint at ``path``, or kg's pages."""

    def __init__(self, name: str, base_url: str, path: str, cap: float, work: Path,
                 restart: Callable[[], None] | None = None) -> None:
        self.name = name
        self.base_url = base_url
        self.path = path
        self.cap = cap
        self.work = work
        self.restart = restart
        self.client = httpx.Client(base_url=base_url, timeout=cap, follow_redirects=False)

    def requests(self, target: Target) -> tuple[list[str], str]:
        """The request targets and Accept header of ``target``."""
        return sparql_requests(target, self.path)

    def expected_status(self, target: Target) -> int:
        """The status a good answer has."""
        return 200

    def get(self, url: str, accept: str) -> httpx.Response:
        """GET ``url``, read the answer, and check its status.

        Raises:
            Failed: on another status than expected, or on a timeout.
        """
        try:
            answer = self.client.get(url, headers={"Accept": accept}, timeout=self.cap + 5)
        except httpx.TimeoutException as error:
            raise Failed(f"timeout (> {self.cap:g} s)") from error
        except httpx.HTTPError as error:
            raise Failed(f"no answer: {error}") from error
        return answer

    def run_once(self, target: Target) -> int:
        """Send every request of ``target`` once; the summed rows (Virtuoso's partial "anytime" answers fail)."""
        urls, accept = self.requests(target)
        rows = 0
        for url in urls:
            answer = self.get(url, accept)
            if answer.status_code != self.expected_status(target):
                raise Failed(f"HTTP {answer.status_code}: {answer.text[:200]!r}")
            if "X-SQL-State" in answer.headers:
                raise Failed(f"partial answer: {answer.headers['X-SQL-State']} {answer.headers.get('X-SQL-Message')}")
            rows += self.rows(target, answer.content, accept)
        return rows

    def rows(self, target: Target, body: bytes, accept: str) -> int:
        """The rows of one answer (see :func:`count_rows`)."""
        return count_rows(body, accept)

    def sequential(self, target: Target, seconds: float, slow: bool) -> Timing:
        """One connection: with wrk unless ``slow`` or wrk is missing, else with httpx."""
        urls, accept = self.requests(target)
        if not slow and shutil.which("wrk"):
            return self._wrk(urls, accept, seconds, threads=1, connections=1)
        samples: list[float] = []
        errors = 0
        deadline = time.perf_counter() + (min(SLOW_BUDGET, seconds * 3) if slow else seconds)
        limit = SLOW_SAMPLES if slow else 1_000_000
        while len(samples) < limit and (len(samples) < MIN_SAMPLES or time.perf_counter() < deadline):
            started = time.perf_counter()
            answer = self.get(urls[len(samples) % len(urls)], accept)
            samples.append(1000 * (time.perf_counter() - started))
            errors += answer.status_code != self.expected_status(target)
        return timing_of(samples, errors=errors)

    def load(self, target: Target, seconds: float, clients: int) -> Timing:
        """``clients`` connections: with wrk (two threads) when installed, else Python threads with httpx."""
        urls, accept = self.requests(target)
        if shutil.which("wrk"):
            return self._wrk(urls, accept, seconds, threads=min(2, clients), connections=clients)
        expected = self.expected_status(target)

        def client(index: int, stop: float) -> list[float]:
            samples: list[float] = []
            with httpx.Client(base_url=self.base_url, timeout=self.cap, follow_redirects=False) as http:
                while time.perf_counter() < stop:
                    started = time.perf_counter()
                    answer = http.get(urls[(index + len(samples)) % len(urls)], headers={"Accept": accept})
                    if answer.status_code == expected:
                        samples.append(1000 * (time.perf_counter() - started))
            return samples

        return _threads(client, clients, seconds)

    def _wrk(self, urls: list[str], accept: str, seconds: float, threads: int, connections: int) -> Timing:
        """Run wrk with a script that rotates over ``urls`` and prints its figures as JSON."""
        script = WRK_SCRIPT.format(paths=",\n".join(f"[==[{url}]==]" for url in urls), accept=accept)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", dir=self.work, delete=False) as file:
            file.write(script)
        try:
            command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
                       "--timeout", f"{int(self.cap)}s", "-s", file.name, self.base_url]
            done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + self.cap + 30,
                                  check=False)
        finally:
            os.unlink(file.name)
        line = next((text for text in done.stdout.splitlines() if text.startswith("{\"wrk\"")), None)
        if line is None:
            raise Failed(f"wrk failed ({done.returncode}): {done.stdout[-300:]} {done.stderr[-300:]}")
        figures = json.loads(line)
        return Timing(median=figures["p50"] / 1000, p95=figures["p95"] / 1000, p99=figures["p99"] / 1000,
                      requests=figures["requests"], seconds=figures["duration_us"] / 1e6,
                      errors=figures["status"] + figures["timeout"] + figures["read"] + figures["connect"])

    def recover(self) -> None:
        """Restart the server when it cannot stop a query by itself (rdflib-endpoint)."""
        if self.restart is not None:
            self.restart()
            self.client.close()
            self.client = httpx.Client(base_url=self.base_url, timeout=self.cap, follow_redirects=False)


class KgPages(Http):
    """kg's resource pages: ``/doc/...`` as Turtle, the 303 of ``/id/...``, and the cheapest routes."""

    def __init__(self, base_url: str, base_iri: str, cap: float, work: Path) -> None:
        super().__init__(KG_PAGES, base_url, "", cap, work)
        self.base_iri = base_iri

    def targets(self, queries: list[Target], lookup: Target) -> list[Target]:
        """The lookup, its 303, and the HTTP floor."""
        return [lookup, Target(LOOKUP_303, iris=lookup.iris), Target(FLOOR_STATIC), Target(FLOOR_HEALTH)]

    def requests(self, target: Target) -> tuple[list[str], str]:
        """``/doc/`` paths as Turtle, ``/id/`` paths, or a floor route."""
        if target.name == FLOOR_STATIC:
            return ["/static/context.jsonld"], "application/ld+json"
        if target.name == FLOOR_HEALTH:
            return ["/health"], "application/json"
        prefix = "/id/" if target.name == LOOKUP_303 else "/doc/"
        return [prefix + iri.removeprefix(self.base_iri + "/id/") for iri in target.iris], TURTLE

    def expected_status(self, target: Target) -> int:
        """303 for ``/id/``, else 200."""
        return 303 if target.name == LOOKUP_303 else 200

    def rows(self, target: Target, body: bytes, accept: str) -> int:
        """The triples of a description (labels included); 0 for the 303 and the floor."""
        return count_rows(body, accept) if target.name == LOOKUP else 0


#: wrk script: rotates over the paths, sends the Accept header, prints percentiles (us) and counts as JSON.
WRK_SCRIPT = """\
local paths = {{
{paths}
}}
local headers = {{ ["Accept"] = "{accept}" }}
local counter = 0
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{{"wrk": 1, "requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"status": %d, "timeout": %d, "read": %d, "connect": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status, e.timeout, e.read, e.connect))
end
"""


# ---------------------------------------------------------------------------------------------------- servers


@contextmanager
def server(command: list[str], ready_url: str, log: Path, timeout: float,
           env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command`` in its own process group (output to ``log``), wait until ``ready_url`` answers 200
    (at most ``timeout`` s), yield the process, and stop its group (SIGTERM, SIGKILL after
    :data:`STOP_TIMEOUT`).

    Raises:
        RuntimeError: when the server ends or does not answer in time (with the end of its log).
    """
    with open(log, "ab") as output:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})}, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(ready_url, timeout=5.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise RuntimeError(f"{command[0]} did not answer at {ready_url} in {timeout:.0f} s:\n{tail}")
            time.sleep(0.2)
        yield process
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop the process group of ``process`` (it was started with ``start_new_session``)."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT)
    with suppress(ProcessLookupError):  # workers left in the group (kg's query processes) once the leader is gone
        os.killpg(process.pid, signal.SIGKILL)


def _python_tool(name: str) -> str:
    """The path of a console script installed beside this interpreter (the venv's ``oxigraph``, ...)."""
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else (shutil.which(name) or name)


# ---------------------------------------------------------------------------------------------------- the run


def size_label(triples: int) -> str:
    """A size as results files are named: ``100k``, ``1m``, ... ."""
    if triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}m"
    return f"{triples // 1000}k" if triples % 1000 == 0 else str(triples)


@dataclass
class Corpus:
    """A generated and built corpus: its folders and facts."""

    triples_asked: int
    seed: int
    folder: Path
    data_dir: Path
    prepared: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``100k``, ``1m``, ... (see :func:`size_label`)."""
        return size_label(self.triples_asked)


    @property
    def build(self) -> Path:
        """The current build folder."""
        return (self.data_dir / "current").resolve()

    @property
    def nquads(self) -> Path:
        """The build's N-Quads dump."""
        return self.build / "dumps" / "kg.nq"


def prepare(triples: int, seed: int, work: Path) -> Corpus:
    """Generate the corpus and build it with kg, each unless ``work`` already holds it."""
    folder = work / f"t{triples}-s{seed}"
    corpus = Corpus(triples, seed, folder, folder / "data")
    seeds = folder / "corpus"
    if not (seeds / "README.md").exists():
        corpus.prepared["generate"] = _timed_command(
            [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples", str(triples), "--seed",
             str(seed), "--out", str(seeds), "--force"], folder / "generate.log")
    else:
        corpus.prepared["generate"] = "existing"
    if not (corpus.data_dir / "current" / "dumps" / "kg.nq").exists():
        corpus.prepared["kg build"] = _timed_command(
            [sys.executable, "-m", "kg", "build", "--seeds-dir", str(seeds), "--data-dir", str(corpus.data_dir)],
            folder / "build.log")
    else:
        corpus.prepared["kg build"] = "existing"
    return corpus


def _timed_command(command: list[str], log: Path) -> str:
    """Run ``command`` with its output to ``log``; its wall time ("12.3 s").

    Raises:
        RuntimeError: when it fails.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    console.print(f"running {' '.join(command)} (log: {log})", highlight=False)
    started = time.perf_counter()
    with open(log, "wb") as output:
        done = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"},
                              check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{command[1]} failed ({done.returncode}); see {log}")
    return f"{time.perf_counter() - started:.1f} s"


@dataclass
class Options:
    """The command line's settings of a run."""

    seed: int
    work: Path
    engines: list[str]
    queries_dir: Path
    results_dir: Path
    seq_seconds: float
    load_seconds: float
    clients: int
    lookups: int
    cap: float
    virtuoso_buffers: int
    nice: int
    merge: bool
    render: bool


@dataclass
class Report:
    """Everything a run of one size measured, and where."""

    size: str
    asked: int
    triples: int
    seed: int
    machine: dict[str, str]
    versions: dict[str, str]
    prepared: dict[str, str]
    engines: dict[str, str] = field(default_factory=dict)
    measurements: list[Measurement] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def find(self, engine: str, target: str) -> Measurement | None:
        """The measurement of ``target`` on ``engine``, if any."""
        return next((m for m in self.measurements if m.engine == engine and m.target == target), None)


def measure(engine: Engine, target: Target, options: Options, expected: int | None) -> Measurement:
    """Run ``target`` on ``engine``: once (rows, checked against ``expected``), warm-up, sequentially, and
    under concurrent clients."""
    result = Measurement(engine.name, target.name)
    console.print(f"  {engine.name:<16} {target.name:<34}", end="", highlight=False)
    try:
        engine.prepare(target)
        started = time.perf_counter()
        result.rows = engine.run_once(target)
        first = time.perf_counter() - started
        result.first_ms = 1000 * first / max(1, len(target.iris))
        per_request = first / max(1, len(target.iris))
        slow = per_request >= SLOW
        if not slow:
            _run_for(WARM_UP, lambda: engine.run_once(target), 1, 200)
        result.sequential = engine.sequential(target, options.seq_seconds, slow)
        if per_request < NO_LOAD:
            result.load = engine.load(target, options.load_seconds, options.clients)
        else:
            result.note = f"too slow for a load run (first run {per_request:.1f} s)"
        if slow:
            result.note = (result.note + "; " if result.note else "") + "timed with httpx (slow)"
    except Failed as error:
        result.note = str(error)
        if "timeout" in str(error):
            engine.recover()
    except Exception as error:  # a failure of one target must not lose the figures of the others
        result.note = f"error: {type(error).__name__}: {error}"
    if expected is not None and result.rows is not None and result.rows != expected:
        result.note = (result.note + "; " if result.note else "") + f"ROW MISMATCH: pyoxigraph has {expected}"
    _print_progress(result)
    return result


def _print_progress(result: Measurement) -> None:
    """One line per measurement while the run goes on; a mismatch or failure in red."""
    seq, load = result.sequential, result.load
    text = (f"rows {result.rows if result.rows is not None else '-':>7}  median {_ms(seq.median):>9}  "
            f"p95 {_ms(seq.p95):>9}  {_rate(load.rate):>8} req/s")
    colour = "red" if ("MISMATCH" in result.note or result.rows is None or load.errors or seq.errors) else "green"
    errors = f" errors {seq.errors}+{load.errors}" if seq.errors or load.errors else ""
    console.print(f"[{colour}]{escape(text + errors)}[/{colour}] {escape(result.note)}", highlight=False)
    if "MISMATCH" in result.note:
        console.print(f"[bold red]!!! {escape(result.engine)} returns {result.rows} rows for "
                      f"{escape(result.target)}: {escape(result.note)}[/bold red]")


def run_size(triples: int, options: Options) -> Report:
    """Prepare one size and measure every engine on it."""
    corpus = prepare(triples, options.seed, options.work)
    store = ox.Store.read_only(str(corpus.build / "store"))
    report_json = json.loads((corpus.build / "report.json").read_text(encoding="utf-8"))
    base_iri = str(report_json.get("base_iri", "https://kg.example.org")).rstrip("/")
    report = Report(corpus.label, triples, len(store), options.seed, machine_facts(), versions(), corpus.prepared,
                    settings={k: str(v) for k, v in asdict(options).items()})
    queries = [Target(path.stem, query=path.read_text(encoding="utf-8"))
               for path in sorted(options.queries_dir.glob("*.rq"))]
    solutions = store.query(RESULTS_QUERY, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    results = [s["r"].value for s in solutions if isinstance(s["r"], ox.NamedNode)]
    step = max(1, len(results) // options.lookups)
    lookup = Target(LOOKUP, iris=tuple(results[::step][: options.lookups]))
    console.rule(f"{corpus.label}: {report.triples:,} quads in {corpus.build}")
    logs = corpus.folder / "logs"
    logs.mkdir(exist_ok=True)
    expected: dict[str, int] = {}
    for name, start in _engine_starters(corpus, options, base_iri, logs):
        console.print(f"[bold]{name}[/bold]")
        try:
            with start() as (engines, facts):
                report.engines[name] = facts
                for engine in engines:
                    for target in engine.targets(queries, lookup):
                        measurement = measure(engine, target, options, expected.get(_expected_key(engine, target)))
                        if engine.name == PYOXIGRAPH and measurement.rows is not None:
                            expected[target.name] = measurement.rows
                        report.measurements.append(measurement)
        except (RuntimeError, OSError, subprocess.SubprocessError, pytest.skip.Exception) as error:
            report.engines[name] = f"not measured: {str(error).splitlines()[0] if str(error) else error!r}"
            console.print(f"[red]{escape(name)} not measured:[/red] {escape(str(error))}")
    del store
    report.machine["load average at the end"] = _load_average()
    return report


EngineStart = Callable[[], Any]


def _expected_key(engine: Engine, target: Target) -> str:
    """Which pyoxigraph figure an engine's rows must equal: kg's page holds what kg's describe() gives, the
    other engines' answers what pyoxigraph's; the 303 and the floor have no rows."""
    if engine.name == KG_PAGES:
        return LOOKUP_DESCRIBE if target.name == LOOKUP else ""
    return target.name


def _engine_starters(corpus: Corpus, options: Options, base_iri: str,
                     logs: Path) -> list[tuple[str, EngineStart]]:
    """The engines asked for, each as (name, a context manager factory yielding (engines, load facts))."""
    nquads, cap = corpus.nquads, options.cap
    scratch = corpus.folder / "scratch"

    @contextmanager
    def pyoxigraph_engine() -> Iterator[tuple[list[Engine], str]]:
        store = ox.Store.read_only(str(corpus.build / "store"))
        yield ([InProcess(store, corpus.build / "store", cap)],
               "the build's store, read-only, in this process (each query first tried in a child process, cap)")

    @contextmanager
    def kg_engine() -> Iterator[tuple[list[Engine], str]]:
        port = virtuoso.free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {"KG_QUERY_TIMEOUT": str(cap), "KG_MAX_RESULT_ROWS": "100000000", "NO_COLOR": "1"}
        command = [sys.executable, "-m", "kg", "serve", "--data-dir", str(corpus.data_dir), "--port", str(port)]
        boost = ""
        if options.nice < 0:
            # kg's query workers lower their own priority (kg.web.querying.worker_process.NICENESS) below the server's;
            # with --nice the server starts that much higher, so that its workers run at the priority of the
            # other engines and of pyoxigraph in-process, not behind the other work of a shared machine
            command = ["nice", "-n", str(-WORKER_NICENESS), *command]
            boost = f"; the server at niceness {os.nice(0) - WORKER_NICENESS}, its query workers at {os.nice(0)}"
        started = time.perf_counter()
        with server(command, base_url + "/health", logs / "kg-serve.log", START_TIMEOUT, env):
            processes = os.environ.get("KG_WORKERS", "1")
            facts = (f"kg serve on the build ({processes} server process(es), KG_WORKERS; default query workers; "
                     f"KG_QUERY_TIMEOUT={cap:g}, "
                     f"KG_MAX_RESULT_ROWS raised{boost}), up in {time.perf_counter() - started:.1f} s")
            engines: list[Engine] = [Http(KG_SPARQL, base_url, "/sparql", cap, scratch),
                                     KgPages(base_url, base_iri, cap, scratch)]
            yield engines, facts

    @contextmanager
    def oxigraph_engine() -> Iterator[tuple[list[Engine], str]]:
        location = Path(tempfile.mkdtemp(prefix="oxigraph-", dir=scratch))
        try:
            loaded = _timed_command([_python_tool("oxigraph"), "load", "--location", str(location), "--file",
                                     str(nquads)], logs / "oxigraph-load.log")
            port = virtuoso.free_port()
            # no --timeout-s: Oxigraph 0.5 starts a thread per query that sleeps for the whole timeout, and under
            # load they pile up until thread creation fails ("Resource temporarily unavailable")
            command = [_python_tool("oxigraph"), "serve-read-only", "--location", str(location), "--bind",
                       f"127.0.0.1:{port}", "--union-default-graph"]
            base_url = f"http://127.0.0.1:{port}"
            with server(command, base_url + "/query?query=ASK%7B%7D", logs / "oxigraph-serve.log", START_TIMEOUT):
                yield ([Http(OXIGRAPH, base_url, "/query", cap, scratch)],
                       f"oxigraph load of kg.nq in {loaded}, serve-read-only --union-default-graph")
        finally:
            shutil.rmtree(location, ignore_errors=True)

    @contextmanager
    def virtuoso_engine() -> Iterator[tuple[list[Engine], str]]:
        folder = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=scratch))
        try:
            with virtuoso.running_virtuoso(folder, buffers=options.virtuoso_buffers) as running:
                shutil.copyfile(nquads, running.load_dir / "kg.nq")
                started = time.perf_counter()
                running.isql(f"ld_dir('{running.load_dir}', '*.nq', 'urn:unused');", timeout=600)
                running.isql("rdf_loader_run(); checkpoint;", timeout=3600)
                state = running.isql("SELECT ll_state, ll_error FROM DB.DBA.load_list;")
                if "NULL" not in state.split("ll_error", 1)[-1]:
                    raise RuntimeError(f"Virtuoso's bulk load failed: {state}")
                loaded = time.perf_counter() - started
                version = running.isql("SELECT sys_stat('st_dbms_ver');").split()
                report_version = next((word for word in version if word[:2].isdigit() and "." in word), "?")
                yield ([Http(VIRTUOSO, running.base_url, "/sparql", cap, scratch)],
                       f"Virtuoso {report_version}, bulk loader (ld_dir + rdf_loader_run + checkpoint) in "
                       f"{loaded:.1f} s, NumberOfBuffers={options.virtuoso_buffers}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    @contextmanager
    def rdflib_engine() -> Iterator[tuple[list[Engine], str]]:
        port = virtuoso.free_port()
        base_url = f"http://127.0.0.1:{port}"
        command = [_python_tool("rdflib-endpoint"), "serve", str(nquads), "--host", "127.0.0.1", "--port", str(port)]
        timeout = START_TIMEOUT + corpus.triples_asked / 10_000
        holder: dict[str, Any] = {}

        def start() -> None:
            started = time.perf_counter()
            holder["context"] = server(command, base_url + "/?query=ASK%7B%7D", logs / "rdflib-endpoint.log", timeout)
            holder["context"].__enter__()
            holder["seconds"] = time.perf_counter() - started

        def restart() -> None:
            console.print("  (restarting rdflib-endpoint after a timeout)", style="yellow")
            holder["context"].__exit__(None, None, None)
            start()

        start()
        try:
            yield ([Http(RDFLIB, base_url, "/", cap, scratch, restart=restart)],
                   f"rdflib-endpoint serve kg.nq (Dataset, default_union), parsed and up in {holder['seconds']:.1f} s")
        finally:
            holder["context"].__exit__(None, None, None)

    scratch.mkdir(parents=True, exist_ok=True)
    starters: dict[str, tuple[str, EngineStart]] = {
        "pyoxigraph": (PYOXIGRAPH, pyoxigraph_engine),
        "kg": (KG_SERVE, kg_engine),
        "oxigraph": (OXIGRAPH, oxigraph_engine),
        "virtuoso": (VIRTUOSO, virtuoso_engine),
        "rdflib": (RDFLIB, rdflib_engine),
    }
    return [starters[name] for name in ENGINE_CHOICES if name in options.engines]


# ---------------------------------------------------------------------------------------------------- facts


def machine_facts() -> dict[str, str]:
    """CPU, cores, memory, OS and load of this machine."""
    cpu = "?"
    with suppress(OSError, StopIteration, ValueError):
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "?")
    memory = "?"
    with suppress(OSError, StopIteration, ValueError):
        kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cpu": cpu, "cores": str(os.cpu_count()), "memory": memory,
            "os": f"{platform.system()} {platform.release()}, Debian {_read('/etc/debian_version')}",
            "python": platform.python_version(), "niceness of the runner and its servers": str(os.nice(0)),
            "load average at the start": _load_average()}


def _read(path: str) -> str:
    """A small file's stripped text, or ``?``."""
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError:
        return "?"


def _load_average() -> str:
    """The 1, 5 and 15 minute load averages (other work on the machine disturbs the figures)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def versions() -> dict[str, str]:
    """Versions of kg, the engines and the load generator."""
    found: dict[str, str] = {}
    for package in ("kg", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "httpx", "uvicorn", "fastapi"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = "not installed"
    found["virtuoso"] = _command_output(["dpkg-query", "-W", "-f", "${Version}", virtuoso.PACKAGE])
    wrk = _command_output(["wrk", "-v"])
    found["wrk"] = wrk.split(" [", 1)[0].removeprefix("wrk ") if wrk else "not installed (httpx threads)"
    return found


def _command_output(command: list[str]) -> str:
    """The first line a command prints, or "" when it cannot run."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else ""


# ---------------------------------------------------------------------------------------------------- output


def _ms(value: float | None) -> str:
    """Milliseconds with sensible precision, or -."""
    if value is None:
        return "-"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 1000 else f"{value:,.0f}"


def _rate(value: float | None) -> str:
    """Requests per second, or -."""
    return "-" if value is None else f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _ratio(value: float | None, reference: float | None) -> str:
    """``value / reference`` as ``1.23x``, or -."""
    if value is None or not reference:
        return "-"
    return f"{value / reference:.2f}x" if value / reference < 100 else f"{value / reference:,.0f}x"


def _kg_reference(report: Report, target: str) -> Measurement | None:
    """What kg does for ``target``: its endpoint for a query, its page for the lookup."""
    return report.find(KG_PAGES, LOOKUP) if target == LOOKUP else report.find(KG_SPARQL, target)


@dataclass
class Section:
    """A table of the output: title, column headers, rows of cells, notes under it."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


def detail_section(report: Report) -> Section:
    """Every measurement: rows, latency, throughput and the ratios to pyoxigraph and to kg."""
    rows = []
    for target in _target_order(report):
        reference = report.find(PYOXIGRAPH, target)
        kg = _kg_reference(report, target)
        for m in (m for m in report.measurements if m.target == target):
            rows.append([target, m.engine, "-" if m.rows is None else str(m.rows), _ms(m.sequential.median),
                         _ms(m.sequential.p95), _ms(m.sequential.p99), _rate(m.load.rate), _ms(m.load.p99),
                         _ratio(m.sequential.median, reference.sequential.median if reference else None),
                         _ratio(m.sequential.median, kg.sequential.median if kg else None),
                         m.note + (f" ({m.sequential.errors + m.load.errors} errors)"
                                   if m.sequential.errors + m.load.errors else "")])
    return Section(f"All measurements ({report.size})",
                   ["target", "engine", "rows", "median ms", "p95 ms", "p99 ms", "req/s (clients)",
                    "p99 ms (clients)", "x pyoxigraph", "x kg", "note"], rows,
                   ["Latency: sequential requests on one connection after a warm-up. req/s and its p99: "
                    f"{report.settings.get('clients')} concurrent clients for {report.settings.get('load_seconds')} s.",
                    "x pyoxigraph, x kg: median over the median of pyoxigraph in-process, and of kg (its endpoint "
                    "for queries, its page for the lookup); below 1 is faster."])


def matrix_section(report: Report) -> Section:
    """Median per target and engine, with the ratio to pyoxigraph in-process: any two engines compare."""
    engines = list(dict.fromkeys(m.engine for m in report.measurements))
    rows = []
    for target in _target_order(report):
        reference = report.find(PYOXIGRAPH, target)
        cells = [target]
        for engine in engines:
            m = report.find(engine, target)
            if m is None:
                cells.append("")
            elif m.sequential.median is None:
                cells.append(m.note.split(";")[0][:30] or "failed")
            else:
                ratio = _ratio(m.sequential.median, reference.sequential.median if reference else None)
                cells.append(f"{_ms(m.sequential.median)} ({ratio})" if engine != PYOXIGRAPH
                             else _ms(m.sequential.median))
        rows.append(cells)
    return Section(f"Median ms (x pyoxigraph in-process), {report.size}", ["target", *engines], rows)


def throughput_section(report: Report) -> Section:
    """Requests per second under concurrent clients, per target and engine."""
    engines = list(dict.fromkeys(m.engine for m in report.measurements))
    rows = [[target, *[_rate(m.load.rate) if (m := report.find(engine, target)) else "" for engine in engines]]
            for target in _target_order(report)]
    return Section(f"Requests/s with {report.settings.get('clients')} concurrent clients, {report.size}",
                   ["target", *engines], rows)


def _target_order(report: Report) -> list[str]:
    """Targets in the order first measured (queries, then lookups and floors)."""
    return list(dict.fromkeys(m.target for m in report.measurements))


def goals_section(report: Report) -> Section:
    """The goals of issue 8 against the figures: met or missed, by how much."""
    rows: list[list[str]] = []
    page, virtuoso_lookup = report.find(KG_PAGES, LOOKUP), report.find(VIRTUOSO, LOOKUP)
    floor = min((m for name in (FLOOR_STATIC, FLOOR_HEALTH) if (m := report.find(KG_PAGES, name))
                 and m.sequential.median is not None), key=lambda m: m.sequential.median or 0.0, default=None)
    if page and page.sequential.median is not None:
        rate, p99 = page.load.rate or 0.0, page.sequential.p99 or 0.0
        rows.append(["page lookup >= 3,000 req/s", _verdict(rate >= 3000), f"{rate:,.0f} req/s "
                     f"({rate / 3000:.2f} of the goal)"])
        rows.append(["page lookup p99 <= 10 ms (sequential)", _verdict(p99 <= 10), f"{p99:.2f} ms"])
        rows.append(["page lookup p99 <= 10 ms (under load)", _verdict((page.load.p99 or 1e9) <= 10),
                     f"{_ms(page.load.p99)} ms"])
        if virtuoso_lookup and virtuoso_lookup.sequential.median is not None:
            faster = page.sequential.median < virtuoso_lookup.sequential.median
            other_rate = virtuoso_lookup.load.rate or 0.0
            rows.append(["page lookup faster than Virtuoso's CONSTRUCT", _verdict(faster and rate >= other_rate),
                         f"median {_ms(page.sequential.median)} vs {_ms(virtuoso_lookup.sequential.median)} ms; "
                         f"{rate:,.0f} vs {other_rate:,.0f} req/s"])
    for target in _target_order(report):
        kg, reference = report.find(KG_SPARQL, target), report.find(PYOXIGRAPH, target)
        if target in (LOOKUP, LOOKUP_303, LOOKUP_DESCRIBE, FLOOR_STATIC, FLOOR_HEALTH) or not kg or not reference:
            continue
        if kg.sequential.median is None or reference.sequential.median is None or floor is None:
            rows.append([f"{target}: within 1.5x (pyoxigraph + floor)", "n/a", kg.note or reference.note])
            continue
        bound = reference.sequential.median + (floor.sequential.median or 0.0)
        factor = kg.sequential.median / bound
        rows.append([f"{target}: within 1.5x (pyoxigraph + floor)", _verdict(factor <= 1.5),
                     f"{_ms(kg.sequential.median)} ms = {factor:.2f}x ({_ms(reference.sequential.median)} + "
                     f"{_ms(floor.sequential.median)} ms)"])
    for target in _target_order(report):
        kg, rdflib = _kg_reference(report, target), report.find(RDFLIB, target)
        if not kg or not rdflib or kg.sequential.median is None:
            continue
        if rdflib.sequential.median is None:
            rows.append([f"{target}: >= 10x rdflib-endpoint", "met" if "timeout" in rdflib.note else "n/a",
                         f"rdflib-endpoint: {rdflib.note}"])
            continue
        factor = rdflib.sequential.median / kg.sequential.median
        rows.append([f"{target}: >= 10x rdflib-endpoint", _verdict(factor >= 10), f"{factor:,.1f}x"])
    notes = [f"HTTP floor: the cheaper of {FLOOR_STATIC} and {FLOOR_HEALTH}"
             + (f" ({floor.target}, median {_ms(floor.sequential.median)} ms)." if floor else ".")]
    wins = []
    for target in _target_order(report):
        kg, other = _kg_reference(report, target), report.find(VIRTUOSO, target)
        if kg and other and kg.sequential.median and other.sequential.median and \
                other.sequential.median < kg.sequential.median:
            wins.append(f"{target} ({kg.sequential.median / other.sequential.median:.1f}x)")
    notes.append("Virtuoso is faster than kg on: " + (", ".join(wins) if wins else "nothing") + ".")
    return Section(f"Goals ({report.size})", ["goal", "verdict", "figures"], rows, notes)


def _verdict(met: bool) -> str:
    """met / MISSED."""
    return "met" if met else "MISSED"


def growth_section(report: Report, results_dir: Path) -> Section | None:
    """How each target's rows and median grew from the largest smaller size of the same seed found in
    ``results_dir``, as exponents ``log(ratio) / log(size ratio)`` (1 is linear, 2 quadratic)."""
    smaller = []
    for path in results_dir.glob("*.json"):
        with suppress(OSError, StopIteration, ValueError):
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("seed") == report.seed and data.get("triples", 0) < report.triples:
                smaller.append(data)
    if not smaller:
        return None
    base = max(smaller, key=lambda data: data["triples"])
    size_ratio = report.triples / base["triples"]
    before = {(m["engine"], m["target"]): m for m in base["measurements"]}
    engines = [name for name in ENGINE_ORDER if any(m.engine == name for m in report.measurements)]
    rows = []
    for target in _target_order(report):
        reference, old_reference = report.find(PYOXIGRAPH, target), before.get((PYOXIGRAPH, target))
        cells = [target]
        rows_exponent = None
        if reference and old_reference:
            rows_exponent = _exponent(reference.rows, old_reference["rows"], size_ratio)
            cells.append(f"{old_reference['rows']} -> {reference.rows} ({_exp(rows_exponent)})")
        else:
            cells.append("")
        flag = ""
        for engine in engines:
            m, old = report.find(engine, target), before.get((engine, target))
            if m is None or old is None:
                cells.append("")
                continue
            new_ms, old_ms = m.sequential.median, old["sequential"]["median"]
            exponent = _exponent(new_ms, old_ms, size_ratio)
            cells.append(f"{_ms(old_ms)} -> {_ms(new_ms)} ({_exp(exponent)})")
            if engine == PYOXIGRAPH and exponent is not None and (new_ms or 0) > 5:
                flag = _growth_flag(exponent, rows_exponent, lookup=target in (LOOKUP, LOOKUP_DESCRIBE))
        rows.append([*cells, flag])
    return Section(f"Growth from {base['size']} ({base['triples']:,} quads) to {report.size} "
                   f"({report.triples:,}, x{size_ratio:.1f})",
                   ["target", "rows (exponent)", *[f"{name} median ms (exponent)" for name in engines], ""], rows,
                   ["exponent = log(ratio) / log(size ratio): 1 is linear, 2 quadratic. Flagged from pyoxigraph's "
                    "figures when its median at this size is above 5 ms (smaller times are mostly fixed cost): "
                    "SUPER-LINEAR when time grows faster than both the corpus and the rows (exponent above "
                    f"max(1, rows exponent) + {GROWTH_MARGIN}), ROWS when the answer itself grows faster than the "
                    "corpus, LINEAR LOOKUP when one resource's lookup grows with the corpus (exponent over 0.5)."])


#: How much faster than linear (as an exponent) a time may grow before it is flagged (noise, caches, sorting).
GROWTH_MARGIN = 0.15


def _growth_flag(time_exponent: float, rows_exponent: float | None, lookup: bool = False) -> str:
    """SUPER-LINEAR when the time grows faster than the corpus and than the answer, ROWS when the answer
    grows faster than the corpus, LINEAR LOOKUP when the time of one resource's lookup grows with the corpus
    at all (exponent over 0.5), else ""."""
    flags = ["LINEAR LOOKUP"] if lookup and time_exponent > 0.5 else []
    if time_exponent > max(1.0, rows_exponent or 0.0) + GROWTH_MARGIN:
        flags.append("SUPER-LINEAR")
    if rows_exponent is not None and rows_exponent > 1 + GROWTH_MARGIN:
        flags.append("ROWS")
    if rows_exponent is None and time_exponent > 1 + GROWTH_MARGIN:
        flags.append("no rows at the smaller size")
    return ", ".join(flags)


def _exponent(new: float | None, old: float | None, size_ratio: float) -> float | None:
    """``log(new / old) / log(size_ratio)``, or None."""
    if not new or not old or size_ratio <= 1:
        return None
    return math.log(new / old) / math.log(size_ratio)


def _exp(value: float | None) -> str:
    """An exponent to two decimals, or -."""
    return "-" if value is None else f"{value:.2f}"


def header_lines(report: Report) -> list[str]:
    """What ran, on what, with which versions, and the caveats."""
    lines = [f"Corpus: `generate.py --triples {report.asked} --seed {report.seed}`, built by kg: "
             f"{report.triples:,} quads in the build's store "
             f"(prepared: {', '.join(f'{k} {v}' for k, v in report.prepared.items())}).",
             "Machine: " + "; ".join(f"{k}: {v}" for k, v in report.machine.items()) + ".",
             "Versions: " + ", ".join(f"{k} {v}" for k, v in report.versions.items()) + ".",
             "Engines: " + " ".join(f"**{k}**: {v}." for k, v in report.engines.items()),
             "Caveats: the load generator (wrk, or Python threads) runs on the same machine and shares its "
             f"{report.machine.get('cores')} cores with the server under test; other work on the machine shows in "
             "the load averages. pyoxigraph in-process has no HTTP and no serialisation. kg's lookup is its "
             "resource page (description with blank-node chains and labels, canonicalised, as Turtle); the SPARQL "
             "engines' lookup is a CONSTRUCT of the resource's outgoing and incoming triples."]
    return lines


def sections(report: Report, results_dir: Path) -> list[Section]:
    """Every table of a report."""
    found = [matrix_section(report), throughput_section(report), goals_section(report), detail_section(report)]
    growth = growth_section(report, results_dir)
    return found + ([growth] if growth else [])


def print_report(report: Report, results_dir: Path) -> None:
    """Print a report's tables with rich."""
    console.rule(f"results: {report.size}")
    for line in header_lines(report):
        console.print(line, highlight=False, markup=False)
    for section in sections(report, results_dir):
        table = Table(title=section.title, title_justify="left")
        for header in section.headers:
            table.add_column(header, overflow="fold")
        for row in section.rows:
            table.add_row(*[escape(cell) for cell in row])
        console.print(table)
        for note in section.notes:
            console.print(note, highlight=False, markup=False)


def markdown(report: Report, results_dir: Path) -> str:
    """A report as Markdown."""
    out = [f"# Benchmark results: {report.size} ({report.triples:,} quads, seed {report.seed})", "",
           "Written by `benchmarks/runner.py` (see `benchmarks/README.md`, \"Benchmark runner\").", ""]
    out += [f"- {line}" for line in header_lines(report)] + [""]
    for section in sections(report, results_dir):
        out += [f"## {section.title}", "", "| " + " | ".join(section.headers) + " |",
                "|" + "---|" * len(section.headers)]
        out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in section.rows]
        out += [""] + [f"{note}" for note in section.notes] + ([""] if section.notes else [])
    return "\n".join(out)


def load_report(path: Path) -> Report:
    """A report written earlier as JSON (``<size>.json``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["measurements"] = [Measurement(**{**m, "sequential": Timing(**m["sequential"]), "load": Timing(**m["load"])})
                            for m in data["measurements"]]
    return Report(**data)


def merge_earlier(report: Report, results_dir: Path) -> None:
    """Add the measurements of the engines this run left out from the earlier report of the same size and
    seed in ``results_dir`` (``--merge``: run one engine again, or add one, without the others)."""
    path = results_dir / f"{report.size}.json"
    if not path.exists():
        return
    data = load_report(path)
    if data.seed != report.seed or data.triples != report.triples:
        return
    measured = {m.engine for m in report.measurements}
    earlier = [m for m in data.measurements if m.engine not in measured]
    report.measurements = sorted(report.measurements + earlier, key=lambda m: ENGINE_ORDER.index(m.engine))
    when = data.machine.get("date", "?")
    for name, facts in data.engines.items():
        if name not in report.engines:
            report.engines[name] = f"{facts} (measured in an earlier run, {when})"
    report.machine[f"load averages of the earlier run ({when})"] = (
        f"{data.machine.get('load average at the start')} .. {data.machine.get('load average at the end')}")
    report.engines = {name: report.engines[name] for name in sorted(report.engines, key=SERVER_ORDER.index)}


def write_report(report: Report, results_dir: Path) -> Path:
    """Write ``<size>.md`` and ``<size>.json`` into ``results_dir``; the Markdown file's path."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{report.size}.md"
    path.write_text(markdown(report, results_dir) + "\n", encoding="utf-8")
    (results_dir / f"{report.size}.json").write_text(json.dumps(asdict(report), indent=1) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> tuple[list[int], Options]:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, nargs="+", required=True, help="corpus size(s), run in turn")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench",
                        help="folder for corpora, builds, logs and the engines' databases")
    parser.add_argument("--engines", nargs="+", choices=ENGINE_CHOICES, default=list(ENGINE_CHOICES))
    parser.add_argument("--queries-dir", type=Path, default=REPO / "queries")
    parser.add_argument("--results-dir", type=Path, default=REPO / "benchmarks" / "results")
    parser.add_argument("--seq-seconds", type=float, default=3.0, help="seconds of sequential requests per target")
    parser.add_argument("--load-seconds", type=float, default=5.0, help="seconds of concurrent requests per target")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for throughput (default 8)")
    parser.add_argument("--lookups", type=int, default=36, help="resources the lookup rotates over")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds a request may take (then: timeout)")
    parser.add_argument("--virtuoso-buffers", type=int, default=200_000,
                        help="Virtuoso's NumberOfBuffers (8 KiB pages; default about 1.6 GB)")
    parser.add_argument("--render", action="store_true",
                        help="measure nothing: write results/<size>.md again from <size>.json (after a change of "
                             "the tables, or when another size's results arrived)")
    parser.add_argument("--merge", action="store_true",
                        help="keep the earlier results (same size and seed) of the engines not run this time")
    parser.add_argument("--nice", type=int, default=0,
                        help="add to this process's niceness, inherited by the servers and clients it starts "
                             "(negative, as root: ahead of other work on a shared machine)")
    args = parser.parse_args(argv)
    options = Options(args.seed, args.work.resolve(), args.engines, args.queries_dir.resolve(),
                      args.results_dir.resolve(), args.seq_seconds, args.load_seconds, args.clients, args.lookups,
                      args.cap, args.virtuoso_buffers, args.nice, args.merge, args.render)
    return args.triples, options


def main(argv: list[str] | None = None) -> None:
    """Run every size asked for, print and write its report."""
    sizes, options = parse_args(argv)
    options.work.mkdir(parents=True, exist_ok=True)
    if options.nice:
        os.nice(options.nice)
    if not shutil.which("wrk"):
        console.print("[yellow]wrk is not installed (apt-get install -y wrk): using Python threads with httpx, "
                      "whose client overhead is higher[/yellow]")
    for triples in sizes:
        if options.render:
            report = load_report(options.results_dir / f"{size_label(triples)}.json")
        else:
            report = run_size(triples, options)
            if options.merge:
                merge_earlier(report, options.results_dir)
        print_report(report, options.results_dir)
        console.print(f"written to {write_report(report, options.results_dir)}", highlight=False)


if __name__ == "__main__":
    main()
