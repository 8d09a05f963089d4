"""Unit tests of content negotiation (RFC 9110, section 12.5.1) and of the path <-> IRI mapping."""

from __future__ import annotations

import pytest

from kg.web.http.iris import iri_to_uri, uri_to_iri
from kg.web.http.negotiation import (
    RDF_ALIASES,
    RDF_FORMATS,
    RESULT_ALIASES,
    RESULT_FORMATS,
    NotAcceptable,
    choose,
    format_values,
    negotiate,
)

RDF = list(RDF_FORMATS)
RESULTS = list(RESULT_FORMATS)
DOC = ["text/turtle", "text/html", "application/ld+json", "application/rdf+xml", "application/n-triples"]


def test_lower_quality_loses_to_an_unweighted_type() -> None:
    assert negotiate("text/turtle;q=0.5, application/ld+json", RDF) == "application/ld+json"


def test_q_values_rank_offers() -> None:
    accept = "application/rdf+xml;q=0.3, application/n-triples;q=0.9, text/turtle;q=0.6"
    assert negotiate(accept, RDF) == "application/n-triples"


def test_no_or_blank_accept_gets_the_first_offer() -> None:
    assert negotiate(None, DOC) == "text/turtle"
    assert negotiate("", DOC) == "text/turtle"
    assert negotiate("*/*", DOC) == "text/turtle"


def test_browser_accept_gets_html() -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    assert negotiate(accept, DOC) == "text/html"


def test_subtype_wildcard() -> None:
    assert negotiate("application/*", DOC) == "application/ld+json"
    assert negotiate("image/*, text/*;q=0.5", list(RESULT_FORMATS)) == "text/csv"


def test_more_specific_range_wins_among_equal_qualities() -> None:
    assert negotiate("*/*, application/rdf+xml", DOC) == "application/rdf+xml"


def test_q_zero_excludes_even_when_a_wildcard_matches() -> None:
    assert negotiate("text/turtle;q=0, */*", DOC) == "text/html"
    assert negotiate("text/*;q=0, */*;q=0.1", DOC) == "application/ld+json"


def test_media_type_parameters_are_ignored_for_matching() -> None:
    assert negotiate("text/turtle; charset=utf-8", RDF) == "text/turtle"
    assert negotiate('application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', RDF) == (
        "application/ld+json"
    )


def test_nothing_acceptable_raises() -> None:
    with pytest.raises(NotAcceptable):
        negotiate("image/png", DOC)
    with pytest.raises(NotAcceptable):
        negotiate("text/turtle;q=0", ["text/turtle"])
    with pytest.raises(NotAcceptable):
        negotiate("*/*", [])


def test_format_name_overrides_accept() -> None:
    assert choose("text/turtle", "jsonld", DOC) == "application/ld+json"
    assert choose("image/png", "html", DOC) == "text/html"


def test_unknown_or_unoffered_format_name_is_ignored_and_accept_decides() -> None:
    # README "HTTP interface": a format parameter that names nothing offered never causes a 406 by itself
    assert choose(None, "png", DOC) == "text/turtle"
    assert choose("text/html", "csv", DOC) == "text/html"
    with pytest.raises(NotAcceptable, match=r"format="):
        choose("image/png", "png", DOC)


@pytest.mark.parametrize(("names", "offered", "expected"), [
    # Fuseki's names (jena-fuseki Responses: shortNamesResultSet, shortNamesGraph): json and xml by kind
    ("json", RESULTS, "application/sparql-results+json"),
    ("json", RDF, "application/ld+json"),
    ("xml", RESULTS, "application/sparql-results+xml"),
    ("xml", RDF, "application/rdf+xml"),
    ("sparql", RESULTS, "application/sparql-results+xml"),
    ("text", RDF, "text/turtle"),
    ("turtle", RDF, "text/turtle"),
    ("TTL", RDF, "text/turtle"),
    ("json-ld", RDF, "application/ld+json"),
    ("n-quads", RDF, "application/n-quads"),
    ("nt", RDF, "application/n-triples"),
    ("trig", RDF, "application/trig"),
    # SPARQLWrapper's names, and the media types it (and Virtuoso) sends as values
    ("n3", RDF, "text/turtle"),
    ("rdf+xml", RDF, "application/rdf+xml"),
    ("rdf xml", RDF, "application/rdf+xml"),  # '+' sent unencoded in a URL reads as a space
    ("tsv", RESULTS, "text/tab-separated-values"),
    ("csv", RESULTS, "text/csv"),
    ("text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("application/ld+json,application/x-json+ld", RDF, "application/ld+json"),
    ("application/rdf+xml", RDF, "application/rdf+xml"),
    ("text/turtle; charset=utf-8", RDF, "text/turtle"),
])
def test_format_names_of_fuseki_virtuoso_and_sparqlwrapper(names: str, offered: list[str], expected: str) -> None:
    assert choose("image/png", names, offered, RDF_ALIASES if offered == RDF else RESULT_ALIASES) == expected


def test_the_first_format_value_that_names_an_offered_format_wins() -> None:
    # SPARQLWrapper: format=json-ld&format=application/ld+json,...&output=...&results=...
    assert choose(None, ("turtle", "text/turtle"), RESULTS) == "application/sparql-results+json"  # both ignored
    assert choose(None, ("tsv", "text/tab-separated-values"), RDF) == "text/turtle"
    assert choose(None, ("bogus", "json"), RESULTS) == "application/sparql-results+json"
    pairs = [("query", "ASK {}"), ("results", "csv"), ("output", "xml"), ("format", " "), ("format", "json")]
    assert format_values(pairs) == ("json", "xml", "csv")


@pytest.mark.parametrize(("accept", "expected"), [
    ("application/xml", "application/rdf+xml"),
    ("application/json", "application/ld+json"),
    ("text/n3", "text/turtle"),
    ("application/x-turtle", "text/turtle"),
])
def test_generic_graph_types_are_answered_as_peers_answer_them(accept: str, expected: str) -> None:
    assert choose(accept, None, DOC, RDF_ALIASES) == expected
    assert choose(accept, None, RDF, RDF_ALIASES) == expected


def test_generic_result_types_are_answered_with_the_registered_type() -> None:
    offered = list(RESULT_FORMATS)
    assert choose("application/json", None, offered, RESULT_ALIASES) == "application/sparql-results+json"
    assert choose("application/xml", None, offered, RESULT_ALIASES) == "application/sparql-results+xml"


def test_uri_to_iri_decodes_only_non_ascii_utf8() -> None:
    assert uri_to_iri("organisatie/caf%C3%A9") == "organisatie/café"
    assert uri_to_iri("a%20b%2Fc") == "a%20b%2Fc"
    assert uri_to_iri("x%C3%A9%20%E2%82%AC") == "xé%20€"
    assert uri_to_iri("bad%C3%28") == "bad%C3%28"
    assert uri_to_iri("caf%25C3%25A9") == "caf%25C3%25A9"


def test_iri_to_uri_round_trips() -> None:
    iri = "https://kg.example.org/id/organisatie/café-ü%20x"
    assert iri_to_uri(iri) == "https://kg.example.org/id/organisatie/caf%C3%A9-%C3%BC%20x"
    assert uri_to_iri(iri_to_uri(iri)) == iri
