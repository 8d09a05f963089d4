"""Building responses: RDF serialisation with pyoxigraph and representation headers.

Every negotiated response carries the exact registered media type in ``Content-Type`` (RFC 9110,
8.3), ``Vary: Accept`` (RFC 9110, 12.5.5) and, when given, an ``ETag`` derived from the build, answered
with ``304 Not Modified`` on a matching ``If-None-Match`` (RFC 9110, 13.1.2).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from fastapi import Request, Response

from kg.web.negotiation import HTML, RDF_FORMATS
from kg.web.vocab import PREFIXES


def serialize_graph(triples: Sequence[ox.Triple], media_type: str) -> bytes:
    """Serialise ``triples`` with pyoxigraph in the format of ``media_type`` (a key of RDF_FORMATS).

    Dataset formats (TriG, N-Quads) get the triples in the default graph.
    """
    rdf_format = RDF_FORMATS[media_type]
    data: list[ox.Triple] | list[ox.Quad] = list(triples)
    if rdf_format.supports_datasets:
        data = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    body = ox.serialize(data, format=rdf_format, prefixes=PREFIXES)
    assert body is not None
    return body


def representation(request: Request, body: bytes, media_type: str, etag: str | None = None) -> Response:
    """Return ``body`` as a negotiated representation of type ``media_type``.

    Args:
        request: the request (its ``If-None-Match`` is honoured).
        body: the serialised representation.
        media_type: the registered media type; HTML gets ``charset=utf-8``.
        etag: an opaque validator for this representation (e.g. build id + format), or None.
    """
    headers = {"Vary": "Accept"}
    if etag is not None:
        headers["ETag"] = f'"{etag}"'
        tags = _entity_tags(request.headers.get("if-none-match", ""))
        if headers["ETag"] in tags or "*" in tags:
            return Response(status_code=304, headers=headers)
    headers["Content-Type"] = f"{HTML}; charset=utf-8" if media_type == HTML else media_type
    return Response(body, headers=headers)


def _entity_tags(header: str) -> set[str]:
    """The entity tags of an ``If-None-Match`` header, weak prefixes dropped (weak comparison)."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
