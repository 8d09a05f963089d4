"""The application factory of the web layer.

``create_app(settings, publication)`` builds a FastAPI app that only reads the published store: the
SPARQL endpoint (:mod:`kg.web.sparql`), linked-data pages (:mod:`kg.web.resources`), dumps and sources
(:mod:`kg.web.files`) and ``/health``. Domain errors (:mod:`kg.web.errors`) are mapped to status codes in
:data:`ERROR_STATUS`, the one place that does so.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse

from kg.settings import Settings
from kg.store import Publication
from kg.web import files, resources, sparql
from kg.web.errors import (
    BadRequest,
    FederationDisabled,
    NotAcceptable,
    NotFound,
    PayloadTooLarge,
    ReadOnly,
    UnsupportedMediaType,
    WebError,
)
from kg.web.site import SiteDep, Sites

#: Domain error -> HTTP status code (subclasses inherit their base's code, e.g. QuerySyntaxError: 400).
ERROR_STATUS: dict[type[WebError], int] = {
    BadRequest: 400,
    ReadOnly: 403,
    FederationDisabled: 403,
    NotFound: 404,
    NotAcceptable: 406,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
}


def status_of(error: WebError) -> int:
    """The HTTP status code of ``error``: that of the nearest class in :data:`ERROR_STATUS` (else 500)."""
    for cls in type(error).__mro__:
        if cls in ERROR_STATUS:
            return ERROR_STATUS[cls]
    return 500


async def handle_web_error(request: Request, error: Exception) -> PlainTextResponse:
    """Answer a domain error with its status code and its message as ``text/plain``."""
    assert isinstance(error, WebError)
    return PlainTextResponse(str(error), status_code=status_of(error), headers={"Vary": "Accept"})


def create_app(settings: Settings, publication: Publication) -> FastAPI:
    """Build the web application over ``publication``, a build opened read-only.

    Args:
        settings: deployment settings; ``settings.base`` is the base IRI the pages describe, and
            ``settings.queries_dir`` holds the example queries.
        publication: the published build (see :func:`kg.store.open_publication`); a build swapped into
            ``settings.data_dir`` later is served from the next request on (:class:`kg.web.site.Sites`).

    Returns:
        A FastAPI (ASGI) application; it holds no global state, so several can run side by side.
    """
    app = FastAPI(
        title="kg",
        summary="Linked data of Dutch provincial budget plans: SPARQL endpoint, pages and dumps",
        version="0.1.0",
    )
    app.state.sites = Sites(settings, publication)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"], allow_headers=["*"])
    app.add_exception_handler(WebError, handle_web_error)
    for module in (sparql, resources, files):
        app.include_router(module.router)

    @app.api_route("/health", methods=["GET", "HEAD"])
    def health(site: SiteDep) -> JSONResponse:
        """Liveness and build facts: ``{"status": "ok", "build": <build id>, "triples": <count>}``."""
        return JSONResponse({"status": "ok", "build": site.publication.build_id, "triples": site.triple_count})

    return app
