"""Content negotiation: one function for every route, and the format tables as data.

Follows RFC 9110, section 12.5.1 (``Accept``: q-values, lists, wildcards, ``q=0`` exclusions) using
werkzeug's :class:`~werkzeug.datastructures.MIMEAccept`, which ranks each offer by the most specific
media range that matches it. A ``?format=`` short name overrides the header (Linked Data practice, as in
Prez and Trifid).

Malformed parts of an ``Accept`` header are ignored, as Apache httpd and Fuseki do, rather than answered
with 406: an element whose media range is not ``type/subtype`` (or ``*/*``), or whose ``q`` is not a
number from 0 to 1, is dropped; a lone ``*`` (sent by old Java clients) means ``*/*``; a header with no
valid element at all counts as absent (the route's default format). Valid ``q=0`` elements still exclude.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept

from kg.web.http.errors import NotAcceptable

__all__ = [
    "ALTERNATES",
    "DOCUMENT_FORMATS",
    "FORMAT_NAMES",
    "HTML",
    "RDF_FORMATS",
    "RESULT_ALIASES",
    "RESULT_FORMATS",
    "NotAcceptable",
    "choose",
    "negotiate",
    "parse_accept",
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

#: What a Linked Data document (a resource description, the catalog, VoID, a vocabulary, a named graph) is
#: offered as; the first answers ``*/*`` and requests without ``Accept``.
DOCUMENT_FORMATS: list[str] = [
    "text/turtle", HTML, "application/ld+json", "application/rdf+xml", "application/n-triples",
]
#: The other formats an HTML page links to: (``?format=`` name, media type).
ALTERNATES: list[tuple[str, str]] = [
    (name, value) for name, value in FORMAT_NAMES.items() if value in DOCUMENT_FORMATS and value != HTML
]


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

    Standard: RFC 9110, section 12.5.1; malformed elements are ignored (see :func:`parse_accept`).
    """
    if not offered:
        raise NotAcceptable("nothing to offer")
    ranges = parse_accept(accept_header)
    if not ranges:
        return offered[0]
    best = MIMEAccept(ranges).best_match(offered)
    if best is None:
        raise NotAcceptable(f"none of {', '.join(offered)} is acceptable (Accept: {accept_header})")
    return best


#: RFC 9110 ``token`` (section 5.6.2).
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_RANGE = re.compile(rf"\*/\*|(?!\*/){_TOKEN}/{_TOKEN}")
_WEIGHT = re.compile(r"(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)")
#: Splits a header at commas or semicolons outside quoted strings.
_PARTS = re.compile(r'(?:[^,;"]|"(?:[^"\\]|\\.)*")+|(?P<sep>[,;])')


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Parse an ``Accept`` header into (media range, quality) pairs, skipping malformed elements.

    Args:
        header: the header value; ``None`` or blank gives no pairs.

    Returns:
        One pair per valid element, in header order: the media range lower-cased and without
        parameters (``*`` becomes ``*/*``), and its ``q`` (1 when absent). An element is dropped when
        its range is not ``type/subtype``, ``type/*`` or ``*/*``, or its ``q`` is not a ``qvalue``.

    Standard: RFC 9110, sections 12.4.2 (``qvalue``) and 12.5.1 (``Accept``).
    """
    pairs: list[tuple[str, float]] = []
    for element in _elements(header or ""):
        media_range, *parameters = element
        media_range = "*/*" if media_range == "*" else media_range.lower()
        weights = [value for name, _, value in (p.partition("=") for p in parameters) if name.strip().lower() == "q"]
        weight = weights[0].strip() if weights else "1"
        if _MEDIA_RANGE.fullmatch(media_range) and _WEIGHT.fullmatch(weight):
            pairs.append((media_range, float(weight)))
    return pairs


def _elements(header: str) -> list[list[str]]:
    """The comma-separated elements of ``header``, each split at its semicolons (quotes respected)."""
    elements: list[list[str]] = [[""]]
    for match in _PARTS.finditer(header):
        if match["sep"] == ",":
            elements.append([""])
        elif match["sep"] == ";":
            elements[-1].append("")
        else:
            elements[-1][-1] += match[0]
    return [[part.strip() for part in element] for element in elements if element[0].strip()]


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
