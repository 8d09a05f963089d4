"""Resource pages from the build's cache (:mod:`kg.web.http.page_cache`), over HTTP with a real server: each
negotiated format stays itself, a swapped-in build is never answered from the old one's cache (resource
pages, the 303 of an IRI gone, the landing page), and the description holds exactly the label triples of
what it mentions.

The builds are small datasets published with :func:`kg.store.local.publish`, so each test states every triple.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pyoxigraph as ox

from backends import serving
from helpers import Html
from kg.settings import Settings
from kg.store.local import open_publication, publish
from kg.web import create_app

BASE = "https://kg.example.org"
THING = f"{BASE}/id/organisatie/noord"
GONE = f"{BASE}/id/organisatie/zuid"
PARTNER = f"{BASE}/id/organisatie/partner"
REGION = f"{BASE}/id/regio/drenthe"
GRAPH = ox.NamedNode(f"{BASE}/graph/t")
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCT = "http://purl.org/dc/terms/"
PARTNER_OF = f"{BASE}/def/begroting#partner"


def quad(subject: str, predicate: str, value: ox.NamedNode | ox.Literal) -> ox.Quad:
    """A quad of the test graph."""
    return ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), value, GRAPH)


def build(data_dir: Path, label: str, *, with_gone: bool) -> str:
    """Publish a build in which :data:`THING` is called ``label`` (and :data:`GONE` exists when
    ``with_gone``); return the build id."""
    quads = [quad(THING, SKOS + "prefLabel", ox.Literal(label, language="nl"))]
    if with_gone:
        quads.append(quad(GONE, SKOS + "prefLabel", ox.Literal("Zuid", language="nl")))
    return publish(quads, [], {}, data_dir).name


def test_each_format_of_one_resource_is_cached_apart_and_a_new_build_is_never_served_stale(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", queries_dir=tmp_path)
    first = build(settings.data_dir, "Noord", with_gone=True)
    with serving(create_app(settings, open_publication(settings.data_dir))) as url:
        page = url + "/doc/organisatie/noord"
        turtle = httpx.get(page, headers={"Accept": "text/turtle"})
        assert (turtle.status_code, turtle.headers["content-type"]) == (200, "text/turtle")
        assert turtle.headers["etag"] == f'"{first}-ttl"'
        assert '"Noord"@nl' in turtle.text
        # the same IRI, asked for every other format after Turtle was cached: each its own representation
        html = httpx.get(page, headers={"Accept": "text/html"})
        assert html.headers["content-type"] == "text/html; charset=utf-8"
        assert Html(html.text).h1 == "Noord"
        jsonld = httpx.get(page, headers={"Accept": "application/ld+json"})
        assert jsonld.headers["content-type"] == "application/ld+json"
        assert "Noord" in json.dumps(json.loads(jsonld.text))
        ntriples = httpx.get(page + "?format=nt", headers={"Accept": "text/turtle"})
        assert ntriples.text == f'<{THING}> <{SKOS}prefLabel> "Noord"@nl .\n'
        again = httpx.get(page, headers={"Accept": "text/turtle"})
        assert (again.headers["content-type"], again.content) == ("text/turtle", turtle.content)
        assert httpx.get(page, headers={"Accept": "text/turtle", "If-None-Match": f'"{first}-ttl"'}).status_code == 304
        assert httpx.get(url + "/id/organisatie/zuid").status_code == 303
        assert f"Build {first}, 2 triples." in httpx.get(url + "/").text

        second = build(settings.data_dir, "Noord-Drenthe", with_gone=False)
        assert f"Build {second}, 1 triples." in httpx.get(url + "/").text
        renamed = httpx.get(page, headers={"Accept": "text/turtle", "If-None-Match": f'"{first}-ttl"'})
        assert renamed.status_code == 200
        assert renamed.headers["etag"] == f'"{second}-ttl"'
        assert '"Noord-Drenthe"@nl' in renamed.text and '"Noord"@nl' not in renamed.text
        assert Html(httpx.get(page, headers={"Accept": "text/html"}).text).h1 == "Noord-Drenthe"
        assert httpx.get(url + "/id/organisatie/zuid").status_code == 404
        assert httpx.get(url + "/doc/organisatie/zuid", headers={"Accept": "text/turtle"}).status_code == 404


def test_a_description_holds_exactly_the_label_triples_of_what_it_mentions(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", queries_dir=tmp_path)
    label, title, alternative = ox.Literal("Partner", language="nl"), ox.Literal("Partner BV"), ox.Literal("P")
    quads = [
        quad(THING, PARTNER_OF, ox.NamedNode(PARTNER)),
        quad(THING, DCT + "spatial", ox.NamedNode(REGION)),
        quad(PARTNER, SKOS + "prefLabel", label),
        quad(PARTNER, RDFS_LABEL, ox.Literal("Partner", language="en")),
        quad(PARTNER, DCT + "title", title),
        quad(PARTNER, SKOS + "altLabel", alternative),  # not a label property: left out
        quad(PARTNER, SKOS + "notation", ox.Literal("7")),  # neither
        quad(REGION, RDFS_LABEL, ox.Literal("Drenthe")),
        quad(REGION, SKOS + "prefLabel", ox.Literal("Drenthe", language="nl")),
        quad(f"{BASE}/id/organisatie/elders", SKOS + "prefLabel", ox.Literal("Elders")),  # not mentioned
    ]
    publish(quads, [], {}, settings.data_dir)
    with serving(create_app(settings, open_publication(settings.data_dir))) as url:
        lines = httpx.get(url + "/doc/organisatie/noord?format=nt").text.splitlines()
        assert sorted(lines) == sorted([
            f"<{THING}> <{PARTNER_OF}> <{PARTNER}> .",
            f"<{THING}> <{DCT}spatial> <{REGION}> .",
            f'<{PARTNER}> <{SKOS}prefLabel> "Partner"@nl .',
            f'<{PARTNER}> <{RDFS_LABEL}> "Partner"@en .',
            f'<{PARTNER}> <{DCT}title> "Partner BV" .',
            f'<{REGION}> <{RDFS_LABEL}> "Drenthe" .',
            f'<{REGION}> <{SKOS}prefLabel> "Drenthe"@nl .',
        ])
        page = Html(httpx.get(url + "/doc/organisatie/noord?format=html").text)
        assert ("/doc/organisatie/partner", "Partner") in page.links
        assert ("/doc/regio/drenthe", "Drenthe") in page.links
