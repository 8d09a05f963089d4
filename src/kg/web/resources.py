"""Linked-data pages: ``/id/...`` (303 to ``/doc/...``), ``/doc/...`` (negotiated descriptions) and ``/``.

Follows the Dutch URI strategy and "Cool URIs for the Semantic Web" (W3C note, section 4.3: 303 URIs
forwarding to one generic document): ``{base}/id/{ref}`` names a thing, ``/doc/{ref}`` describes it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from kg.web import describe, pages
from kg.web.conditional import build_validators
from kg.web.errors import NotFound
from kg.web.iris import raw_tail, uri_to_iri
from kg.web.negotiation import ALTERNATES, DOCUMENT_FORMATS, FORMAT_NAMES, HTML, choose
from kg.web.responses import representation, serialize_graph
from kg.web.site import Site, SiteDep

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
    tail = raw_tail(request, "/id/")
    await run_in_threadpool(resolve, site, tail)
    query = request.url.query
    location = f"/doc/{tail}" + (f"?{query}" if query else "")
    return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})


@router.api_route("/doc/{path:path}", methods=["GET", "HEAD"])
async def document(request: Request, path: str, site: SiteDep) -> Response:
    """Describe ``{base}/id/{path}`` in HTML, Turtle, JSON-LD, RDF/XML or N-Triples (``?format=``
    ``html|ttl|jsonld|rdf|nt`` overrides ``Accept``). See :func:`kg.web.describe.describe`.

    Raises:
        NotFound: for an IRI the store does not mention.
        NotAcceptable: when none of the formats fits.
    """
    iri = await run_in_threadpool(resolve, site, raw_tail(request, "/doc/"))
    media_type = choose(request.headers.get("accept"), request.query_params.get("format"), DOCUMENT_FORMATS)
    body = await run_in_threadpool(_document_body, site, iri, media_type)
    short = next(name for name, value in FORMAT_NAMES.items() if value == media_type)
    return representation(request, body, media_type, build_validators(site.publication, short))


def _document_body(site: Site, iri: str, media_type: str) -> bytes:
    """The description of ``iri`` serialised as ``media_type`` (HTML or an RDF format)."""
    triples = describe.describe(site.store, iri)
    if media_type != HTML:
        return serialize_graph(triples, media_type)
    page = pages.resource_page(site, iri, triples)
    return site.render("resource.html", page=page, alternates=ALTERNATES).encode("utf-8")


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def landing(request: Request, site: SiteDep) -> Response:
    """The landing page: what the dataset is, counts per class, plans and programmes, links to
    ``/sparql``, the dumps and the example queries (with the build's ``ETag`` and ``Last-Modified``)."""
    page = await run_in_threadpool(pages.landing_page, site)
    html = site.render("landing.html", page=page).encode("utf-8")
    return representation(request, html, HTML, build_validators(site.publication, "landing"))
