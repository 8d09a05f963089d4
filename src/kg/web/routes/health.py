"""``/health``: is the server up, can it read its store, which build does it serve, how busy are the
query workers. With a remote store (:mod:`kg.store.remote`), "can it read its store" is a query to its endpoint,
allowed ``sparql_endpoint_timeout`` seconds."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kg.web.routes.sparql import query_pool
from kg.web.site import Site, SiteDep

router = APIRouter(tags=["health"])


def store_problem(site: Site) -> str | None:
    """Why the store of ``site`` cannot be read (by the server, or opened by a query worker; or, for a
    remote store, queried at its endpoint), or None."""
    if site.remote is not None:
        return site.remote.problem()
    if not site.publication.store_path.is_dir():
        return f"the store folder {site.publication.store_path.name} of build {site.publication.build_id} is gone"
    try:
        next(iter(site.publication.store.quads_for_pattern(None, None, None)), None)
    except OSError as error:
        return f"the store cannot be read: {error}"
    return None


@router.api_route("/health", methods=["GET", "HEAD"])
def health(request: Request, site: SiteDep) -> JSONResponse:
    """Liveness and build facts: ``{"status": "ok", "store": "reachable", "build": <build id>,
    "triples": <count>, "queries": {"workers", "running", "waiting"}}``; when the store cannot be read,
    ``503`` with ``"status": "unavailable"`` and the reason in ``"store"``."""
    problem = store_problem(site)
    body = {
        "status": "unavailable" if problem else "ok",
        "store": problem or "reachable",
        "build": site.publication.build_id,
        "triples": site.triple_count,
        "queries": query_pool(request).stats(),
    }
    return JSONResponse(body, status_code=503 if problem else 200, headers={"Cache-Control": "no-store"})
