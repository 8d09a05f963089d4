"""Discovery routes: the DCAT-AP-NL catalog, VoID, the vocabularies, the shapes and the JSON-LD context.

Every document here was written by the build (:mod:`kg.store.discovery`) and is served by content negotiation
(Turtle first: the answer to ``*/*`` and to a request without ``Accept``, as harvesters send; then HTML,
JSON-LD, RDF/XML and N-Triples; ``?format=`` overrides; generic types as :data:`~kg.web.http.negotiation.RDF_ALIASES`
maps them) with the build's ``ETag`` and ``Last-Modified``. A format other than the Turtle as written is made
from the document's triples in canonical form (:func:`kg.web.querying.describe.canonical`: blank nodes labelled
by RDFC-1.0, sorted), so it is the same bytes on every request and in every server process, as its ``ETag``
promises, and it is kept in the build's page cache:

* ``/catalog``: the DCAT-AP-NL 3.0 catalog; ``/.well-known/void``: VoID (VoID note, section 7);
* ``/def/{name}``: the ontology or concept scheme whose IRI is ``https://kg.example.org/def/{name}`` (its
  terms are hash IRIs, so no 303 is needed: a browser opens ``/def/begroting`` at ``#Doelstelling``);
  HTML by pyLODE when the build made a page, else a listing of the document's resources;
* ``/shapes/{name}``: the SHACL shapes; ``/def/{name}/shapes``, the IRI of the shapes graph, answers
  ``303 See Other`` to it (Dutch URI strategy);
* ``/context.jsonld`` and ``/context/{version}.jsonld``: the curated JSON-LD context (:mod:`kg.web.http.jsonld`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from kg.settings import ONTOLOGY_NS
from kg.store.local import CATALOG_FILE, VOID_FILE, discovery_dir, vocabularies_dir
from kg.web.http.conditional import build_validators
from kg.web.http.errors import NotFound
from kg.web.http.jsonld import CONTEXT_FILE, CONTEXT_VERSION
from kg.web.http.jsonld import MEDIA_TYPE as JSONLD
from kg.web.http.negotiation import ALTERNATES, DOCUMENT_FORMATS, HTML, RDF_ALIASES, SHORT_NAMES, choose, format_values
from kg.web.http.responses import file_response, not_modified_response, representation, serialize_graph
from kg.web.querying.describe import canonical
from kg.web.services.view import PageBuilder, Value
from kg.web.site import Site, SiteDep
from kg.web.vocab import DOCUMENT_CLASSES, RDF_TYPE

router = APIRouter(tags=["discovery"])

#: Classes of the resource a document is about (its page is titled by that resource's label).
MAIN_CLASSES = DOCUMENT_CLASSES
#: Where the fixed ontology namespace's documents live, whatever the base IRI (``https://kg.example.org``).
ONTOLOGY_HOST = ONTOLOGY_NS.split("/def/", 1)[0]
TURTLE = ox.RdfFormat.TURTLE
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


class DocumentPage(PageBuilder):
    """A :class:`~kg.web.services.pages.PageBuilder` that links this server's documents locally: hash IRIs of the
    page's own document to their anchor, and other documents under the base IRI or the ontology host to
    their path on this server."""

    def __init__(self, site: Site, triples: list[ox.Triple], document: str) -> None:
        """Index ``triples``, the content of the document whose IRI is ``document``."""
        super().__init__(site, triples)
        self.document = document

    def iri(self, iri: str) -> Value:
        """An IRI shown by its label, linked to its anchor or its path on this server where it has one."""
        value = super().iri(iri)
        if iri.startswith(self.document + "#"):
            return replace(value, href=iri[len(self.document) :])
        for root in (self.site.base, ONTOLOGY_HOST):
            if iri.startswith(root + "/") and not iri.startswith(self.site.base + "/id/"):
                return replace(value, href=iri[len(root) :])
        return value


def document_page(site: Site, triples: list[ox.Triple], document: str) -> dict[str, object]:
    """The view model of a document's HTML page: its title and one section per resource it describes.

    Returns a dict with ``title``, ``iri`` and ``sections`` (each with ``anchor`` — the fragment of a hash
    IRI of the document, else None —, ``value`` and ``rows``), the document's main resource first (see
    :data:`MAIN_CLASSES`), then by label.
    """
    page = DocumentPage(site, triples, document)
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    main = {
        t.subject.value
        for t in triples
        if isinstance(t.subject, ox.NamedNode) and t.predicate.value == RDF_TYPE
        and isinstance(t.object, ox.NamedNode) and t.object.value in MAIN_CLASSES
    }
    order = sorted(subjects, key=lambda iri: (iri not in main, page.iri(iri).text.lower(), iri))
    sections = []
    for iri in order:
        node = ox.NamedNode(iri)
        anchor = iri[len(document) + 1 :] if iri.startswith(document + "#") else None
        sections.append({"anchor": anchor, "value": page.iri(iri), "rows": page.rows(page.by_subject[node])})
    title = page.labels.get(order[0]) if order and order[0] in main else None
    return {"title": title or document, "iri": document, "sections": sections}


async def rdf_document(request: Request, site: Site, path: Path, document: str, variant: str,
                       html: Callable[[], bytes] | None = None) -> Response:
    """Serve the Turtle file ``path`` (the description of IRI ``document``) by content negotiation.

    Args:
        request: the request (``Accept``, ``?format=``, conditional headers).
        site: the site of the current build.
        path: the Turtle file of the build.
        document: the IRI of the document (its hash IRIs become anchors of the HTML page).
        variant: names the document in the ``ETag``.
        html: makes the HTML page; None: a listing of the document's resources.

    Raises:
        NotFound: when the build has no such file.
        NotAcceptable: when none of :data:`DOCUMENT_FORMATS` fits.
    """
    if not path.is_file():
        raise NotFound(f"this build has no {path.name} (rebuild with `kg build`)")

    def triples() -> list[ox.Triple]:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=TURTLE)]

    return await triples_document(request, site, document, variant, triples, path.read_bytes, html)


async def triples_document(
    request: Request,
    site: Site,
    document: str,
    variant: str,
    triples: Callable[[], list[ox.Triple]],
    as_written: Callable[[], bytes] | None = None,
    html: Callable[[], bytes] | None = None,
) -> Response:
    """Serve the triples of the document ``document`` by content negotiation, with ``ETag``/``304``.

    Args:
        request: the request (``Accept``, ``?format=``, conditional headers).
        site: the site of the current build.
        document: the IRI of the document (its hash IRIs become anchors of the HTML listing).
        variant: names the document in the ``ETag``.
        triples: reads the document's triples (called in a worker thread).
        as_written: the Turtle text as published, served as is for ``text/turtle``; None: serialised.
        html: makes the HTML page; None: a listing of the document's resources.

    Raises:
        NotAcceptable: when none of :data:`DOCUMENT_FORMATS` fits (RFC 9110, section 12.5.1).
    """
    formats = format_values(request.query_params.multi_items())
    media_type = choose(request.headers.get("accept"), formats, DOCUMENT_FORMATS, RDF_ALIASES)
    validators = build_validators(site.publication, f"{variant}-{SHORT_NAMES[media_type]}")
    if (unchanged := not_modified_response(request, validators)) is not None:
        return unchanged

    def body() -> bytes:
        if media_type == "text/turtle" and as_written is not None:
            return as_written()  # as written, comments and all
        if media_type == HTML and html is not None:
            return html()
        found = canonical(triples())
        if media_type == HTML:
            page = document_page(site, found, document)
            return site.render("rdf_document.html", page=page, alternates=ALTERNATES).encode("utf-8")
        return serialize_graph(found, media_type, main=document)

    key = ("document", variant, media_type)
    made = site.pages.get(key)
    if not isinstance(made, bytes):
        made = await run_in_threadpool(body)
        site.pages.put(key, made)
    return representation(request, made, media_type, validators)


@router.api_route("/graph/{key:path}", methods=["GET", "HEAD"])
async def named_graph(request: Request, key: str, site: SiteDep) -> Response:
    """A named graph of the build, negotiated (Turtle for ``*/*``, an HTML listing for browsers).

    The graph IRIs ``{base}/graph/{key}`` name the catalog's per-document datasets, so they dereference to
    the triples of that graph (as a Linked Data document; the SPARQL 1.1 Graph Store Protocol's "direct
    graph identification", read-only), in canonical form (:func:`triples_document`). With a remote
    store, only the graphs of the build are served (never the store's own, such as Virtuoso's ``virtrdf#``).

    Raises:
        NotFound: when the store has no such named graph.
        NotAcceptable: when none of :data:`DOCUMENT_FORMATS` fits.
    """
    iri = f"{site.base}/graph/{key}"
    try:
        graph = ox.NamedNode(iri)
    except ValueError:
        raise NotFound(f"not a graph IRI: {iri!r}") from None
    if not await run_in_threadpool(site.store.contains_named_graph, graph):
        raise NotFound(f"no named graph {iri} in this build; the catalog (/catalog) lists them")

    def triples() -> list[ox.Triple]:
        return [quad.triple for quad in site.store.quads_for_pattern(None, None, None, graph)]

    return await triples_document(request, site, iri, f"graph-{key}", triples)


@router.api_route("/catalog", methods=["GET", "HEAD"])
async def catalog(request: Request, site: SiteDep) -> Response:
    """The DCAT-AP-NL 3.0 catalog of the build (see :mod:`kg.store.catalog`), negotiated."""
    path = discovery_dir(site.publication.root) / CATALOG_FILE
    return await rdf_document(request, site, path, f"{site.base}/catalog", "catalog")


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
async def void(request: Request, site: SiteDep) -> Response:
    """The VoID description of the build (see :mod:`kg.store.void`), negotiated."""
    path = discovery_dir(site.publication.root) / VOID_FILE
    return await rdf_document(request, site, path, f"{site.base}/.well-known/void", "void")


def _vocabulary(site: Site, folder: str, name: str) -> Path:
    """The Turtle file of published vocabulary ``{folder}/{name}``.

    Raises:
        NotFound: for a name that is not a plain name or a vocabulary the build did not publish.
    """
    path = vocabularies_dir(site.publication.root) / folder / f"{name}.ttl"
    if not _NAME.fullmatch(name) or not path.is_file():
        raise NotFound(f"no published vocabulary /{folder}/{name}")
    return path


@router.api_route("/def/{name}", methods=["GET", "HEAD"])
async def definition(request: Request, name: str, site: SiteDep) -> Response:
    """An ontology or concept scheme, ``https://kg.example.org/def/{name}``: Turtle as written, HTML by
    pyLODE (or a listing), JSON-LD, RDF/XML, N-Triples.

    Raises:
        NotFound: for a vocabulary the build did not publish.
    """
    path = _vocabulary(site, "def", name)
    pylode = path.with_suffix(".html")
    html = pylode.read_bytes if pylode.is_file() else None
    return await rdf_document(request, site, path, f"{ONTOLOGY_HOST}/def/{name}", f"def-{name}", html)


@router.api_route("/shapes/{name}", methods=["GET", "HEAD"])
async def shapes(request: Request, name: str, site: SiteDep) -> Response:
    """The SHACL shapes of ``shapes/{name}.ttl``, negotiated like :func:`definition`.

    Raises:
        NotFound: for shapes the build did not publish.
    """
    path = _vocabulary(site, "shapes", name)
    return await rdf_document(request, site, path, f"{ONTOLOGY_HOST}/def/{name}/shapes", f"shapes-{name}")


@router.api_route("/def/{name}/shapes", methods=["GET", "HEAD"])
def shapes_graph(name: str, site: SiteDep) -> RedirectResponse:
    """``303 See Other`` from the IRI of a shapes graph (``.../def/{name}/shapes``) to ``/shapes/{name}``.

    Raises:
        NotFound: for shapes the build did not publish.
    """
    _vocabulary(site, "shapes", name)
    return RedirectResponse(f"/shapes/{name}", status_code=303)


@router.api_route("/context.jsonld", methods=["GET", "HEAD"])
@router.api_route("/context/{version}.jsonld", methods=["GET", "HEAD"])
def jsonld_context(request: Request, site: SiteDep, version: str = CONTEXT_VERSION) -> Response:
    """The curated JSON-LD context, current (``/context.jsonld``) or by version (``/context/0.1.0.jsonld``).

    Raises:
        NotFound: for another version than :data:`~kg.web.http.jsonld.CONTEXT_VERSION`.
    """
    if version != CONTEXT_VERSION:
        raise NotFound(f"no JSON-LD context version {version!r}; the current one is {CONTEXT_VERSION}")
    return file_response(request, CONTEXT_FILE, JSONLD, build_validators(site.publication, f"context-{version}"))
