"""The application factory of the web layer.

``create_app(settings, publication)`` builds a FastAPI app that only reads the published store: the
SPARQL endpoint (:mod:`kg.web.routes.sparql`), linked-data pages (:mod:`kg.web.routes.resources`), dumps and sources
(:mod:`kg.web.routes.files`), ``/health`` (:mod:`kg.web.routes.health`), the discovery documents
(:mod:`kg.web.routes.discovery`: catalog, VoID, vocabularies, JSON-LD context) and ``/static`` (the query UI's
files). Domain errors (:mod:`kg.web.http.errors`) are mapped to status codes in :data:`ERROR_STATUS`, the one
place that does so; they and the framework's own errors (unknown path 404, method 405) are answered as
``text/plain``.

Middleware, outermost first: the access log (:mod:`kg.web.http.accesslog`), ``HEAD`` answered as ``GET`` without
the body (:class:`kg.web.http.caching.HeadAsGet`), CORS, ``Cache-Control`` per kind of route (:func:`cache_policy`,
:class:`kg.web.http.caching.CacheControl`), gzip (:mod:`kg.web.http.compression`), the request guard
(:mod:`kg.web.http.limits`: URL length, UTF-8 query strings), and the resource pages the build's cache can answer
(:class:`kg.web.routes.resources.CachedResources`).

With the setting ``sparql_endpoint`` every triple is read from that remote store (:mod:`kg.store.remote`) and the
endpoint's queries are sent on to it (:mod:`kg.web.querying.remote_queries`); the routes are the same. A request the
remote store cannot serve is answered by :func:`kg.web.http.errors.from_remote` (``400``, ``502`` or ``503``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException

from kg.settings import Settings
from kg.store.local import Publication
from kg.store.push import http_auth
from kg.store.remote import RemoteError, RemoteStore, SparqlEndpoint
from kg.web.http.accesslog import AccessLog
from kg.web.http.caching import (
    IMMUTABLE,
    NO_STORE,
    PER_BUILD,
    QUERY_ANSWER,
    REVALIDATE,
    STATIC,
    CacheControl,
    HeadAsGet,
    StaticFiles,
)
from kg.web.http.compression import Compression
from kg.web.http.errors import (
    BadGateway,
    BadRequest,
    ClientClosedRequest,
    ExtensionDisabled,
    FederationDisabled,
    NotAcceptable,
    NotFound,
    PayloadTooLarge,
    QueryFailed,
    ReadOnly,
    ResultTooLarge,
    ServiceUnavailable,
    UnsupportedMediaType,
    URITooLong,
    WebError,
    from_remote,
)
from kg.web.http.limits import RequestGuard
from kg.web.querying.remote_queries import RemoteQueries
from kg.web.querying.workers import QueryPool
from kg.web.routes import discovery, files, health, resources, sparql
from kg.web.routes.resources import CachedResources
from kg.web.routes.sparql import QueryRunner
from kg.web.site import Sites

#: Connections to a remote store kept for page lookups, besides one per query thread.
PAGE_CONNECTIONS = 16

#: Files served under ``/static``: the vendored query UI (YASGUI), its page script, the JSON-LD context.
STATIC_DIR = Path(__file__).resolve().parent / "static"

#: Domain error -> HTTP status code (subclasses inherit their base's code, e.g. QuerySyntaxError: 400).
ERROR_STATUS: dict[type[WebError], int] = {
    BadRequest: 400,
    ReadOnly: 403,
    FederationDisabled: 403,
    ExtensionDisabled: 403,
    NotFound: 404,
    NotAcceptable: 406,
    PayloadTooLarge: 413,
    URITooLong: 414,
    UnsupportedMediaType: 415,
    ResultTooLarge: 422,
    ClientClosedRequest: 499,
    QueryFailed: 500,
    BadGateway: 502,
    ServiceUnavailable: 503,
}


def cache_policy(method: str, path: str) -> str:
    """The ``Cache-Control`` of a successful (or redirecting) answer to ``method`` on ``path`` that sets none
    itself (the README's "Caching" table; errors get ``no-store``, :class:`kg.web.http.caching.CacheControl`).

    The landing page is revalidated every time; the versioned JSON-LD context never changes; a query answered
    to GET may be reused for a minute and one answered to POST is not stored; ``/health`` is never stored; every
    other route serves a representation of the build (pages, ``/id/`` redirects, graphs, discovery documents,
    dumps, sources), reused for five minutes and then revalidated with its ``ETag``. The query page and the
    service description on ``/sparql`` set theirs (:mod:`kg.web.routes.sparql`).

    Standard: RFC 9111, section 5.2.2 (response directives).
    """
    if path == "/":
        return REVALIDATE
    if path.startswith("/context/"):
        return IMMUTABLE
    if path.startswith("/static/"):
        return STATIC
    if path == "/health":
        return NO_STORE
    if path in ("/sparql", "/sparql/"):
        return NO_STORE if method == "POST" else QUERY_ANSWER
    return PER_BUILD


def status_of(error: WebError) -> int:
    """The HTTP status code of ``error``: that of the nearest class in :data:`ERROR_STATUS` (else 500)."""
    for cls in type(error).__mro__:
        if cls in ERROR_STATUS:
            return ERROR_STATUS[cls]
    return 500


def error_response(error: WebError) -> PlainTextResponse:
    """A domain error as a response: its status code, its message as ``text/plain``, its own headers."""
    return PlainTextResponse(str(error), status_code=status_of(error), headers={"Vary": "Accept", **error.headers})


async def handle_web_error(request: Request, error: Exception) -> PlainTextResponse:
    """Answer a domain error (see :func:`error_response`)."""
    assert isinstance(error, WebError)
    return error_response(error)


async def handle_remote_error(request: Request, error: Exception) -> PlainTextResponse:
    """Answer a request the remote store could not serve (see :func:`kg.web.http.errors.from_remote`)."""
    assert isinstance(error, RemoteError)
    return error_response(from_remote(error))


async def handle_http_error(request: Request, error: Exception) -> PlainTextResponse:
    """Answer the framework's own errors (404 for an unknown path, 405 with ``Allow``) as ``text/plain``,
    like the domain errors, instead of FastAPI's JSON."""
    assert isinstance(error, HTTPException)
    allowed = (error.headers or {}).get("Allow")
    message = f"{error.detail}; this path answers {allowed}" if allowed else str(error.detail)
    return PlainTextResponse(message, status_code=error.status_code, headers=error.headers)


async def handle_validation_error(request: Request, error: Exception) -> PlainTextResponse:
    """Answer a request FastAPI could not validate with ``400`` and its reasons as ``text/plain``."""
    assert isinstance(error, RequestValidationError)
    reasons = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return PlainTextResponse(f"invalid request: {reasons}", status_code=400)


def create_app(settings: Settings, publication: Publication) -> FastAPI:
    """Build the web application over ``publication``, a build opened read-only.

    Args:
        settings: deployment settings; ``settings.base`` is the base IRI the pages describe, and
            ``settings.queries_dir`` holds the example queries.
        publication: the published build (see :func:`kg.store.local.open_publication`); a build swapped into
            ``settings.data_dir`` later is served from the next request on (:class:`kg.web.site.Sites`).

    SPARQL queries run in the app's pool of worker processes (:class:`kg.web.querying.workers.QueryPool`, sized by
    the query settings); the app's lifespan starts the workers and stops them at shutdown (without a
    lifespan they start with the first queries: call ``app.state.queries.close()`` when done). With
    ``settings.sparql_endpoint``, every triple is read from that remote store and queries are sent on to it
    (:class:`kg.web.querying.remote_queries.RemoteQueries`); its connections are closed at shutdown.

    Returns:
        A FastAPI (ASGI) application; it holds no global state, so several can run side by side.

    Raises:
        OSError: when the store cannot be read (a :class:`kg.store.remote.RemoteError` when the remote store does
            not answer).
    """
    endpoint = remote_endpoint(settings)
    try:
        sites = Sites(settings, publication, endpoint)
    except BaseException:
        if endpoint is not None:
            endpoint.close()
        raise
    queries: QueryRunner
    if endpoint is None:
        queries = QueryPool(
            settings.query_workers, settings.max_concurrent_queries, settings.query_timeout, settings.query_memory_mb
        )
    else:
        queries = RemoteQueries(
            lambda: _remote(sites), settings.query_workers, settings.max_concurrent_queries, settings.query_timeout
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        queries.start(str(app.state.sites.current().publication.store_path))
        yield
        queries.close()
        if endpoint is not None:
            endpoint.close()

    app = FastAPI(
        title="kg",
        summary="Linked data of Dutch provincial budget plans: SPARQL endpoint, pages and dumps",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.sites = sites
    app.state.queries = queries
    app.add_middleware(CachedResources, sites=sites)
    app.add_middleware(RequestGuard, max_target_bytes=settings.max_body_bytes, respond=error_response)
    app.add_middleware(Compression)
    app.add_middleware(CacheControl, policy=cache_policy)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"], allow_headers=["*"])
    app.add_middleware(HeadAsGet)
    app.add_middleware(AccessLog)
    app.add_exception_handler(WebError, handle_web_error)
    app.add_exception_handler(RemoteError, handle_remote_error)
    app.add_exception_handler(HTTPException, handle_http_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    for module in (sparql, resources, files, health, discovery):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def remote_endpoint(settings: Settings) -> SparqlEndpoint | None:
    """The SPARQL endpoint of the remote store of ``settings`` (``sparql_endpoint``, with its credentials;
    connections for the query threads and the page lookups), or None to read the embedded store."""
    if settings.sparql_endpoint is None:
        return None
    password = settings.sparql_endpoint_password
    auth = http_auth(settings.sparql_endpoint_user, password.get_secret_value() if password else None,
                     settings.sparql_endpoint_auth)
    return SparqlEndpoint(settings.sparql_endpoint, auth, connections=settings.query_workers + PAGE_CONNECTIONS)


def _remote(sites: Sites) -> RemoteStore:
    """The remote store of the build ``sites`` currently serves."""
    remote = sites.current().remote
    assert remote is not None
    return remote
