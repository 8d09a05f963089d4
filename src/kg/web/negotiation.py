"""Content negotiation: one function for every route, and the format tables as data.

Follows RFC 9110, section 12.5.1 (``Accept``: q-values, lists, wildcards, ``q=0`` exclusions) using
werkzeug's :class:`~werkzeug.datastructures.MIMEAccept`, which ranks each offer by the most specific
media range that matches it. A ``?format=`` short name overrides the header (Linked Data practice, as in
Prez and Trifid).
"""

from __future__ import annotations

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg.web.errors import NotAcceptable

__all__ = [
    "FORMAT_NAMES",
    "HTML",
    "RDF_FORMATS",
    "RESULT_ALIASES",
    "RESULT_FORMATS",
    "NotAcceptable",
    "choose",
    "negotiate",
]

HTML = "text/html"

#: RDF serialisations offered for graphs: registered media type -> pyoxigraph format. First = default.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}

#: SPARQL query result serialisations (SELECT, ASK): media type -> pyoxigraph format. First = default.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}

#: Generic media types clients send for query results, answered with the registered type.
RESULT_ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
}

#: ``?format=`` short names -> media type.
FORMAT_NAMES: dict[str, str] = {
    "html": HTML,
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def negotiate(accept_header: str | None, offered: list[str]) -> str:
    """Choose the media type to answer with.

    Args:
        accept_header: the request's ``Accept`` header; ``None`` or blank means "anything".
        offered: the media types the route can produce, in the server's order of preference
            (the first is the answer to ``*/*`` and to a request without ``Accept``).

    Returns:
        The offered media type with the highest quality; among equal qualities, the one matched by
        the more specific media range, then the one offered first. Media type parameters other
        than ``q`` are ignored (each type is served in one variant).

    Raises:
        NotAcceptable: when every offered type has quality 0 (not listed, or excluded with ``q=0``).

    Standard: RFC 9110, section 12.5.1.
    """
    if not offered:
        raise NotAcceptable("nothing to offer")
    if accept_header is None or not accept_header.strip():
        return offered[0]
    parsed = parse_accept_header(accept_header, MIMEAccept)
    ranges = MIMEAccept([(value.split(";", 1)[0].strip(), quality) for value, quality in parsed])
    best = ranges.best_match(offered)
    if best is None:
        raise NotAcceptable(f"none of {', '.join(offered)} is acceptable (Accept: {accept_header})")
    return best


def choose(
    accept_header: str | None,
    format_name: str | None,
    offered: list[str],
    aliases: dict[str, str] | None = None,
) -> str:
    """Choose a media type from a ``?format=`` short name or else the ``Accept`` header.

    Args:
        accept_header: the ``Accept`` header (see :func:`negotiate`).
        format_name: the ``?format=`` value, a key of :data:`FORMAT_NAMES` (``None``/empty: not given).
        offered: the media types the route can produce, default first.
        aliases: extra media types clients may ask for -> the offered type answered instead.

    Returns:
        One of ``offered``.

    Raises:
        NotAcceptable: for an unknown or unoffered format name, or when nothing fits the header.
    """
    if format_name:
        media_type = FORMAT_NAMES.get(format_name)
        if media_type is None or media_type not in offered:
            names = sorted(name for name, value in FORMAT_NAMES.items() if value in offered)
            raise NotAcceptable(f"format={format_name!r} is not offered here; use one of {', '.join(names)}")
        return media_type
    aliases = aliases or {}
    chosen = negotiate(accept_header, offered + [alias for alias in aliases if alias not in offered])
    return aliases.get(chosen, chosen)
