"""Building responses: negotiated representations and files, with their validators.

Every negotiated response carries the exact registered media type in ``Content-Type`` (RFC 9110,
8.3) and ``Vary: Accept`` (RFC 9110, 12.5.5). Representations and files derived from the build carry
``ETag`` and ``Last-Modified`` (:mod:`kg.web.http.conditional`) and are answered with ``304 Not Modified`` when
the request's ``If-None-Match`` or ``If-Modified-Since`` says the client's copy is current (RFC 9110, 13).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Request, Response
from fastapi.responses import FileResponse

from kg.web.http.conditional import Validators, not_modified
from kg.web.http.negotiation import HTML
from kg.web.http.serialize import serialize_graph

__all__ = ["file_response", "not_modified_response", "representation", "serialize_graph"]


def representation(
    request: Request, body: bytes, media_type: str, validators: Validators | None = None
) -> Response:
    """Return ``body`` as a negotiated representation of type ``media_type``.

    Args:
        request: the request (its preconditions are evaluated when ``validators`` are given).
        body: the serialised representation.
        media_type: the registered media type; HTML gets ``charset=utf-8``.
        validators: ``ETag`` and ``Last-Modified`` of this representation, or None.

    Returns:
        ``200`` with the body, or ``304`` without one when the client's copy is current.
    """
    headers = {"Vary": "Accept", **(validators.headers() if validators else {})}
    if validators is not None and (unchanged := not_modified_response(request, validators)) is not None:
        return unchanged
    headers["Content-Type"] = f"{HTML}; charset=utf-8" if media_type == HTML else media_type
    return Response(body, headers=headers)


def not_modified_response(request: Request, validators: Validators, vary: bool = True) -> Response | None:
    """``304 Not Modified`` with ``validators`` (and ``Vary: Accept`` for a negotiated representation) when
    the request's preconditions say the client's copy is current (RFC 9110, 13.1 and 15.4.5), else None;
    asked before the representation is made, it saves making it."""
    if not not_modified(request.method, request.headers, validators):
        return None
    return Response(status_code=304, headers={**({"Vary": "Accept"} if vary else {}), **validators.headers()})


def file_response(request: Request, path: Path, media_type: str, validators: Validators) -> Response:
    """Serve the file at ``path`` as ``media_type`` with ``validators`` (``304`` when current; ranges
    as Starlette's :class:`~fastapi.responses.FileResponse` serves them)."""
    if (unchanged := not_modified_response(request, validators, vary=False)) is not None:
        return unchanged
    return FileResponse(path, media_type=media_type, headers=validators.headers())
