"""``kg serve`` as a user runs it: a real process that builds when needed, serves, and stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from conftest import copy_seeds
from kg.store import current_report

OBJECTIVES = "SELECT ?o { ?o a <https://kg.example.org/def/begroting#Doelstelling> }"


@dataclass(frozen=True)
class ServeRun:
    """What one run of ``kg serve`` answered on /health and for the objectives, and what it printed."""

    health: dict[str, Any]
    objectives: list[str]
    stderr: str


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_once(folder: Path, *options: str) -> ServeRun:
    """Start ``kg serve`` on ``folder``'s seeds and data, ask it two things, stop it with Ctrl-C (SIGINT)."""
    port = free_port()
    command = [sys.executable, "-m", "kg", "serve", "--port", str(port), "--data-dir", str(folder / "data"),
               "--seeds-dir", str(folder / "seeds"), *options]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               env={**os.environ, "NO_COLOR": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(url + "/health", timeout=1).json()
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(f"kg serve did not answer (exit code {process.poll()})") from None
                time.sleep(0.1)
        rows = httpx.get(url + "/sparql", params={"query": OBJECTIVES}).json()["results"]["bindings"]
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    return ServeRun(health, sorted(row["o"]["value"] for row in rows), stderr)


def test_serve_builds_once_and_rebuilds_for_another_base_iri(tmp_path: Path) -> None:
    copy_seeds(tmp_path)
    first = serve_once(tmp_path)
    assert "15 doelstelling, 63 resultaat" in first.stderr
    report = current_report(tmp_path / "data")
    assert report is not None
    assert first.health["triples"] == report["triples"] and len(first.objectives) == 15
    assert all(iri.startswith("https://kg.example.org/id/doelstelling/pv22-2016-") for iri in first.objectives)

    again = serve_once(tmp_path)
    assert (again.health["build"], again.objectives) == (first.health["build"], first.objectives)
    assert "doelstelling" not in again.stderr  # served as published, not rebuilt

    moved = serve_once(tmp_path, "--base-iri", "https://data.example.nl/kg")
    assert moved.health["build"] != first.health["build"]
    assert moved.objectives == sorted(
        iri.replace("https://kg.example.org", "https://data.example.nl/kg") for iri in first.objectives
    )


def test_serve_with_two_worker_processes_passes_the_options_to_each(tmp_path: Path) -> None:
    copy_seeds(tmp_path)
    run = serve_once(tmp_path, "--workers", "2", "--base-iri", "https://data.example.nl/kg")
    assert run.stderr.count("Started server process") == 2
    assert len(run.objectives) == 15
    assert all(iri.startswith("https://data.example.nl/kg/id/doelstelling/pv22-2016-") for iri in run.objectives)
    report = current_report(tmp_path / "data")
    assert report is not None and run.health["build"] == Path(os.readlink(tmp_path / "data" / "current")).name


def test_serve_with_two_worker_processes_on_a_busy_port_says_so(tmp_path: Path) -> None:
    copy_seeds(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "kg", "serve", "--port", str(port), "--workers", "2",
             "--data-dir", str(tmp_path / "data"), "--seeds-dir", str(tmp_path / "seeds")],
            capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
        )
    assert done.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}: [Errno 98] Address already in use" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
