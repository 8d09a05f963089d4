"""Helpers that several test modules share: reading HTML pages, running ``kg serve`` as a user does, and the
official DCAT-AP-NL shapes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import rdflib
from rdflib.namespace import SH

from backends import wait_for_health
from conftest import REPO

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

class Html(HTMLParser):
    """Collects the ``<h1>`` text, the links (href, text), table rows and ``<link rel=alternate>``."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.h1 = ""
        self.links: list[tuple[str, str]] = []
        self.rows: list[list[str]] = []
        self.alternates: dict[str, str] = {}
        self.text: list[str] = []
        self._open: list[str] = []
        self._href: str | None = None
        self._anchor = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self._open.append(tag)
        if tag == "a":
            self._href, self._anchor = attributes.get("href"), ""
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.rows[-1].append("")
        elif tag == "link" and attributes.get("rel") == "alternate":
            self.alternates[attributes.get("type") or ""] = attributes.get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._anchor.strip()))
            self._href = None
        if tag in self._open:
            self._open.remove(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if "h1" in self._open:
            self.h1 += data
        if self._href is not None:
            self._anchor += data
        if ("td" in self._open or "th" in self._open) and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data.strip()

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
        wait_for_health(url, lambda: process.poll() is None)
        health = httpx.get(url + "/health", timeout=5).json()
        rows = httpx.get(url + "/sparql", params={"query": OBJECTIVES}).json()["results"]["bindings"]
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    return ServeRun(health, sorted(row["o"]["value"] for row in rows), stderr)

DCAT_AP_NL = REPO / "tests" / "data" / "dcat-ap-nl"

#: Property shapes the DataService shape of DCAT-AP 3.0.1 references but never defines (SEMICeu/DCAT-AP#448);
#: pyshacl (like Jena) refuses such a shapes graph, so the two references are dropped in memory.
UNDEFINED_SHAPES = {
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DataServiceShape/dc08f4dca4377fade57f89454e3fa06a8389d314",
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DataServiceShape/eb3ac4e4fdde2e2588a9502c5956060a18c5c99f",
}

def dcat_ap_nl_shapes() -> rdflib.Graph:
    """The four official DCAT-AP-NL 3.0 shape files as one shapes graph (see :data:`UNDEFINED_SHAPES`)."""
    files = sorted(DCAT_AP_NL.glob("*.ttl"))
    assert [f.name for f in files] == [
        "dcat-ap-SHACL.ttl",
        "dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl",
        "dcat-ap-nl-SHACL-klassebereik.ttl",
        "dcat-ap-nl-SHACL.ttl",
    ]
    shapes = rdflib.Graph()
    for path in files:
        shapes.parse(path, format="turtle")
    undefined = [(s, o) for s, o in shapes.subject_objects(SH.property) if not any(shapes.predicate_objects(o))]
    assert {str(o) for _, o in undefined} == UNDEFINED_SHAPES
    for reference in undefined:
        shapes.remove((reference[0], SH.property, reference[1]))
    return shapes
