"""Content negotiation: one function for every route, and the format tables as data.

Follows RFC 9110, section 12.5.1 (``Accept``: q-values, lists, wildcards, ``q=0`` exclusions) using
werkzeug's :class:`~werkzeug.datastructures.MIMEAccept`, which ranks each offer by the most specific
media range that matches it. A format parameter overrides the header (Linked Data practice, as in
Prez and Trifid; SPARQL endpoints as Fuseki and Virtuoso do): ``?format=``, ``?output=`` or ``?results=``,
read in that order, each value either a short name (:data:`FORMAT_NAMES`: kg's own ``ttl``, ``jsonld`` ...,
Fuseki's ``json``, ``xml``, ``text``, ``turtle``, ``json-ld``, ``n-quads`` ..., SPARQLWrapper's ``n3``,
``rdf+xml``, ``tsv`` ...) or a media type (Virtuoso's convention, e.g. ``format=text/turtle``). A value that
names no format the answer is offered in is **ignored**, and ``Accept`` decides: a client that sends one
name for every kind of query (SPARQLWrapper sends ``format=turtle`` with a SELECT and an ``Accept`` of
``*/*``) gets the answer its ``Accept`` asks for, never a ``406`` that ``Accept`` does not call for.

Generic and older media types are answered with the registered type their peers answer with
(:data:`RESULT_ALIASES`, :data:`RDF_ALIASES`): ``application/json`` is SPARQL JSON results for SELECT and
ASK and JSON-LD for a graph, ``application/xml`` SPARQL XML results or RDF/XML, ``text/n3`` Turtle (Turtle is
N3's RDF subset), ``text/plain`` N-Triples for a graph, as Fuseki, Virtuoso and Trifid do.

Malformed parts of an ``Accept`` header are ignored, as Apache httpd and Fuseki do, rather than answered
with 406: an element whose media range is not ``type/subtype`` (or ``*/*``), or whose ``q`` is not a
number from 0 to 1, is dropped; a lone ``*`` (sent by old Java clients) means ``*/*``; a header with no
valid element at all counts as absent (the route's default format). Valid ``q=0`` elements still exclude.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept

from kg.web.http.errors import NotAcceptable

__all__ = [
    "ALTERNATES",
    "DOCUMENT_FORMATS",
    "FORMAT_NAMES",
    "FORMAT_PARAMETERS",
    "HTML",
    "RDF_ALIASES",
    "RDF_FORMATS",
    "RESULT_ALIASES",
    "RESULT_FORMATS",
    "SHORT_NAMES",
    "NotAcceptable",
    "choose",
    "format_values",
    "named_format",
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

#: Generic and older media types clients send for graphs, answered with the registered type their peers
#: answer with (Fuseki, Trifid, Virtuoso): RDF/XML for XML, JSON-LD for JSON, Turtle for N3 and the
#: pre-registration Turtle types (SPARQLWrapper's and Comunica's ``Accept`` lists name them), N-Triples for
#: ``text/plain``, its type before RDF 1.1 (rdflib's ``Graph.parse(url, format="nt")`` asks for it).
RDF_ALIASES: dict[str, str] = {
    "text/plain": "application/n-triples",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "application/json": "application/ld+json",
    "application/x-json+ld": "application/ld+json",
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/n3": "text/turtle",
    "application/turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
}

#: The parameters that name a format, in the order they are read: kg's and Virtuoso's ``format``,
#: Fuseki's and Joseki's ``output``, and ``results`` (SPARQLWrapper sends all three).
FORMAT_PARAMETERS: tuple[str, ...] = ("format", "output", "results")

#: Format short names -> the media types they name, in order: the first one the answer is offered in is
#: taken (``json`` is SPARQL JSON results for SELECT and ASK, JSON-LD for a graph, as in Fuseki). Lower case;
#: a value is compared lower-cased, with a space read as ``+`` (an unencoded ``rdf+xml`` in a URL).
FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "html": (HTML,),
    "ttl": ("text/turtle",),
    "turtle": ("text/turtle",),
    "n3": ("text/turtle",),
    "text": ("text/turtle",),
    "nt": ("application/n-triples",),
    "ntriples": ("application/n-triples",),
    "n-triples": ("application/n-triples",),
    "jsonld": ("application/ld+json",),
    "json-ld": ("application/ld+json",),
    "rdf": ("application/rdf+xml",),
    "rdfxml": ("application/rdf+xml",),
    "rdf+xml": ("application/rdf+xml",),
    "trig": ("application/trig",),
    "nq": ("application/n-quads",),
    "nquads": ("application/n-quads",),
    "n-quads": ("application/n-quads",),
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "sparql": ("application/sparql-results+xml",),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}

#: Each media type's own short name: the ``?format=`` of links to it and the variant in its ``ETag``.
SHORT_NAMES: dict[str, str] = {
    HTML: "html",
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
    "application/trig": "trig",
    "application/n-quads": "nq",
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}

#: What a Linked Data document (a resource description, the catalog, VoID, a vocabulary, a named graph) is
#: offered as; the first answers ``*/*`` and requests without ``Accept``.
DOCUMENT_FORMATS: list[str] = [
    "text/turtle", HTML, "application/ld+json", "application/rdf+xml", "application/n-triples",
]
#: The other formats an HTML page links to: (``?format=`` name, media type).
ALTERNATES: list[tuple[str, str]] = [(SHORT_NAMES[value], value) for value in DOCUMENT_FORMATS if value != HTML]


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


def format_values(parameters: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The values of the format parameters among ``parameters`` (name, value pairs of a query string or form):
    those of ``format``, then ``output``, then ``results`` (:data:`FORMAT_PARAMETERS`), each in the order sent,
    blank ones left out."""
    pairs = list(parameters)
    return tuple(value.strip() for name in FORMAT_PARAMETERS for key, value in pairs if key == name and value.strip())


def named_format(values: str | Sequence[str] | None, offered: Sequence[str],
                 aliases: dict[str, str] | None = None) -> str | None:
    """The media type the format parameters name, or None when none names one of ``offered``.

    Args:
        values: the values of the format parameters (:func:`format_values`), or one value.
        offered: the media types of the answer.
        aliases: other media types -> the offered type answered for them (:data:`RDF_ALIASES`, ...).

    Each value in turn is read as a short name (:data:`FORMAT_NAMES`, case-insensitive) or else as a media type
    or a comma-separated list of them (parameters ignored); the first that names an offered type (directly or
    through ``aliases``) wins. Values that name nothing offered are skipped (see the module documentation).
    """
    if not values:
        return None
    aliases = aliases or {}
    for value in [values] if isinstance(values, str) else values:
        key = value.strip().lower().replace(" ", "+")
        candidates = FORMAT_NAMES.get(key) or tuple(media_range for media_range, _ in parse_accept(key))
        for candidate in candidates:
            media_type = aliases.get(candidate, candidate)
            if media_type in offered:
                return media_type
    return None


def choose(
    accept_header: str | None,
    format_name: str | Sequence[str] | None,
    offered: list[str],
    aliases: dict[str, str] | None = None,
) -> str:
    """Choose a media type from the format parameters or else the ``Accept`` header.

    Args:
        accept_header: the ``Accept`` header (see :func:`negotiate`).
        format_name: the values of the format parameters (:func:`format_values`), or one value, or None; a
            value that names no offered format is ignored (:func:`named_format`).
        offered: the media types the route can produce, default first.
        aliases: extra media types clients may ask for -> the offered type answered instead.

    Returns:
        One of ``offered``.

    Raises:
        NotAcceptable: when no format parameter names an offered type and nothing fits the header (the message
            lists the format names that would have).

    Standard: RFC 9110, section 12.5.1.
    """
    aliases = {alias: target for alias, target in (aliases or {}).items() if target in offered}
    named = named_format(format_name, offered, aliases)
    if named is not None:
        return named
    try:
        chosen = negotiate(accept_header, offered + [alias for alias in aliases if alias not in offered])
    except NotAcceptable as error:
        names = ", ".join(SHORT_NAMES[media_type] for media_type in offered if media_type in SHORT_NAMES)
        raise NotAcceptable(f"{error}; or name a format with ?format= ({names})") from None
    return aliases.get(chosen, chosen)
