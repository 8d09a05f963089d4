"""The query UI: YASGUI, served from the package, with the example queries of ``queries/`` as named tabs.

A browser's GET on ``/sparql`` without a query gets this page (:func:`query_page`); the editor posts its
queries to the same endpoint. YASGUI's autocompleters that call other services (prefix.cc, LOV) are
switched off, so the page works offline. Without JavaScript the page is a plain HTML form. The page carries an
``ETag`` computed from its bytes (it names the path it was asked at) and answers ``304`` to it.
"""

from __future__ import annotations

from fastapi import Request, Response

from kg.web.http.conditional import content_validators
from kg.web.http.negotiation import HTML
from kg.web.http.responses import representation
from kg.web.site import Site

TITLE_HEADER = "# title:"


def example_title(name: str, query: str) -> str:
    """The title of an example query: its ``# title:`` header line, else its file name ``name``."""
    for line in query.splitlines():
        if line.startswith(TITLE_HEADER):
            return line[len(TITLE_HEADER) :].strip() or name
        if line.strip() and not line.startswith("#"):
            break
    return name


def query_page(site: Site, request: Request, example: str | None, query: str | None) -> Response:
    """The YASGUI page: one tab per example query (titled by its ``# title:`` header, in file order), the
    tab of ``example`` (a file stem) active, else the first; ``query`` fills the plain form shown without
    JavaScript. With an ``ETag`` from its bytes; ``304`` when the client's copy is current (RFC 9110, 13.1.2)."""
    examples = [
        {"name": name, "title": example_title(name, text), "query": text} for name, text in site.examples.items()
    ]
    config = {"endpoint": request.url.path, "selected": example if example in site.examples else None}
    text = site.examples.get(example or "", query or "")
    page = site.render("sparql.html", examples=examples, config=config, query=text).encode("utf-8")
    return representation(request, page, HTML, content_validators(site.publication, "query-page", page))
