"""``kg serve`` as a user runs it: a real process that builds when needed, serves, and stops."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from conftest import copy_seeds
from helpers import serve_once
from kg.store.local import current_report


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
