"""Shared by the benchmarks: build the seed into a temporary folder and run ``kg serve`` on it as a real
process on loopback (the way it is deployed), with settings given as ``KG_*`` environment variables."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def kg_serve(**settings: object) -> Iterator[tuple[str, Path]]:
    """Build the repository's seeds into a temporary folder and serve them with ``kg serve``; yield the URL
    and the server's log file (its standard error). ``settings`` become ``KG_*`` variables."""
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    shutil.copytree(REPO / "seeds", folder / "seeds")
    port = free_port()
    env = {**os.environ, "NO_COLOR": "1", **{f"KG_{name.upper()}": str(value) for name, value in settings.items()}}
    command = [sys.executable, "-m", "kg", "serve", "--port", str(port), "--data-dir", str(folder / "data"),
               "--seeds-dir", str(folder / "seeds")]
    log = folder / "server.log"
    process = subprocess.Popen(command, stderr=log.open("w"), stdout=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):  # the first start builds the seeds: at most two minutes
            try:
                httpx.get(url + "/health", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None:
                    raise RuntimeError("kg serve ended before it answered") from None
                time.sleep(0.1)
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
