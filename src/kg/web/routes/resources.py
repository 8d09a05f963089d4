"""Linked-data pages: ``/id/...`` (303 to ``/doc/...``), ``/doc/...`` (negotiated descriptions) and ``/``.

Follows the Dutch URI strategy and "Cool URIs for the Semantic Web" (W3C note, section 4.3: 303 URIs
forwarding to one generic document): ``{base}/id/{ref}`` names a thing, ``/doc/{ref}`` describes it.

Which IRI a path names and each representation made are kept in the build's cache
(:mod:`kg.web.http.page_cache`, by IRI and negotiated media type), so a resource is described and rendered once
per build and format; a request whose ``If-None-Match`` or ``If-Modified-Since`` names the current build is
answered ``304`` before anything is rendered. What the cache can answer is answered before routing
(:class:`CachedResources`).
"""

from __future__ import annotations

import functools

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from kg.web.http.conditional import build_validators
from kg.web.http.errors import NotFound, WebError
from kg.web.http.iris import raw_tail, uri_to_iri
from kg.web.http.negotiation import ALTERNATES, DOCUMENT_FORMATS, HTML, RDF_ALIASES, SHORT_NAMES, choose, format_values
from kg.web.http.responses import not_modified_response, representation, serialize_graph
from kg.web.querying import describe
from kg.web.services import pages
from kg.web.site import Site, SiteDep, Sites

router = APIRouter(tags=["resources"])


def resolve(site: Site, tail: str) -> str:
    """Return the IRI ``{base}/id/{tail}`` names, ``tail`` being a raw (percent-encoded) path.

    The IRI form (RFC 3987, 3.2) is tried first, then the path exactly as sent.

    Raises:
        NotFound: when neither is the subject or object of a triple in the store.
    """
    candidates = dict.fromkeys([f"{site.base}/id/{uri_to_iri(tail)}", f"{site.base}/id/{tail}"])
    for iri in candidates:
        try:
            if describe.exists(site.store, iri):
                return iri
        except NotFound:
            continue
    raise NotFound(f"nothing is known about <{site.base}/id/{tail}>")


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"])
async def identifier(request: Request, path: str, site: SiteDep) -> Response:
    """Answer a thing's IRI with ``303 See Other`` to its description ``/doc/{path}`` (query kept).

    Raises:
        NotFound: for an IRI the store does not mention.
    """
    return await answer(request, site, "/id/")


@router.api_route("/doc/{path:path}", methods=["GET", "HEAD"])
async def document(request: Request, path: str, site: SiteDep) -> Response:
    """Describe ``{base}/id/{path}`` in HTML, Turtle, JSON-LD, RDF/XML or N-Triples (``?format=``
    ``html|ttl|jsonld|rdf|nt``, or another name of :data:`~kg.web.http.negotiation.FORMAT_NAMES`, overrides
    ``Accept``; ``application/xml``, ``application/json`` and ``text/n3`` are answered as RDF/XML, JSON-LD and
    Turtle). See :func:`kg.web.querying.describe.describe`.

    Raises:
        NotFound: for an IRI the store does not mention.
        NotAcceptable: when none of the formats fits.
    """
    return await answer(request, site, "/doc/")


@functools.lru_cache(maxsize=1024)
def document_format(accept: str | None, formats: tuple[str, ...]) -> tuple[str, str]:
    """The media type of a description and its short name (:data:`~kg.web.http.negotiation.SHORT_NAMES`) for an
    ``Accept`` header and the format parameters' values (see :func:`~kg.web.http.negotiation.choose`; generic
    types as :data:`~kg.web.http.negotiation.RDF_ALIASES` maps them); memoised, as clients send few distinct
    headers.

    Raises:
        NotAcceptable: when none of the formats fits.

    Standard: RFC 9110, section 12.5.1.
    """
    media_type = choose(accept, formats, DOCUMENT_FORMATS, RDF_ALIASES)
    return media_type, SHORT_NAMES[media_type]


class CacheMiss(Exception):
    """The answer needs what the build's cache does not hold (see :func:`answer`)."""


async def answer(request: Request, site: Site, prefix: str, cached_only: bool = False) -> Response:
    """The answer to a GET or HEAD of ``/id/...`` (``prefix`` "/id/": 303 to ``/doc/...``) or ``/doc/...``
    (the negotiated representation, or 304), with what the build's cache holds, filling it.

    Args:
        request: the request.
        site: the build served.
        prefix: "/id/" or "/doc/".
        cached_only: answer only from the cache; raise :class:`CacheMiss` where the store would be read.

    Raises:
        NotFound: for an IRI the store does not mention.
        NotAcceptable: when none of the formats fits.
        CacheMiss: with ``cached_only``, when the cache lacks the IRI of the path or the representation.
    """
    tail = raw_tail(request, prefix)
    iri = site.pages.get(("id", tail))
    if not isinstance(iri, str):
        if cached_only:
            raise CacheMiss(tail)
        iri = await run_in_threadpool(resolve, site, tail)
        site.pages.put(("id", tail), iri)
    if prefix == "/id/":
        query = request.url.query
        return RedirectResponse(f"/doc/{tail}" + (f"?{query}" if query else ""), 303, headers={"Vary": "Accept"})
    formats = format_values(request.query_params.multi_items())
    media_type, short = document_format(request.headers.get("accept"), formats)
    validators = build_validators(site.publication, short)
    if (unchanged := not_modified_response(request, validators)) is not None:
        return unchanged
    body = site.pages.get(("doc", iri, media_type))
    if not isinstance(body, bytes):
        if cached_only:
            raise CacheMiss(iri)
        body = await run_in_threadpool(_document_body, site, iri, media_type)
        site.pages.put(("doc", iri, media_type), body)
    return representation(request, body, media_type, validators)


class CachedResources:
    """ASGI middleware: answers a GET or HEAD of ``/id/...`` or ``/doc/...`` that the build's cache can
    answer (see :func:`answer`) before routing, as a cache in front of the application would; every other
    request, and one the cache cannot answer (or a newly published build not yet opened), goes on to the
    routes. Placed inside the request guard, gzip, CORS and the access log, which apply as to any route.

    Args:
        app: the application.
        sites: the builds served (:class:`kg.web.site.Sites`).
    """

    def __init__(self, app: ASGIApp, sites: Sites) -> None:
        self.app = app
        self.sites = sites

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer from the cache, or pass the request on."""
        path, root = scope.get("path", ""), scope.get("root_path", "")
        path = path[len(root):] if root and path.startswith(root) else path
        prefix = next((p for p in ("/id/", "/doc/") if path.startswith(p)), None)
        asked = prefix is not None and scope["type"] == "http" and scope["method"] in ("GET", "HEAD")
        site = self.sites.served() if asked else None
        if site is not None and prefix is not None:
            try:
                response = await answer(Request(scope), site, prefix, cached_only=True)
            except (CacheMiss, WebError):
                pass
            else:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _document_body(site: Site, iri: str, media_type: str) -> bytes:
    """The description of ``iri`` serialised as ``media_type`` (HTML or an RDF format)."""
    triples = describe.describe(site.store, iri)
    if media_type != HTML:
        return serialize_graph(triples, media_type, main=iri)
    page = pages.resource_page(site, iri, triples)
    return site.render("resource.html", page=page, alternates=ALTERNATES).encode("utf-8")


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def landing(request: Request, site: SiteDep) -> Response:
    """The landing page: what the dataset is, counts per class, plans and programmes, links to
    ``/sparql``, the dumps and the example queries (with the build's ``ETag`` and ``Last-Modified``), made
    once per build (its counts read the whole store) and kept in the build's cache."""
    validators = build_validators(site.publication, "landing")
    if (unchanged := not_modified_response(request, validators)) is not None:
        return unchanged
    html = site.pages.get(("landing",))
    if not isinstance(html, bytes):
        page = await run_in_threadpool(pages.landing_page, site)
        html = site.render("landing.html", page=page).encode("utf-8")
        site.pages.put(("landing",), html)
    return representation(request, html, HTML, validators)
