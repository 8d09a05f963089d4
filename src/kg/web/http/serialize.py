"""Writing graphs and query results with pyoxigraph, and what each format cannot carry.

Two pyoxigraph writers can produce output that is not what the format promises, so the endpoint checks
before it answers in them (and a client that accepts another format gets that one instead):

* **XML 1.0 forbids some characters** (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE,
  U+FFFF; XML 1.0, section 2.2) even as character references, yet a literal may hold them
  (``"\\u0000"`` in a query). SPARQL XML results and RDF/XML cannot carry such a result.
* **RDF/XML writes a predicate as an XML element name**, namespace + local name (RDF 1.1 XML Syntax,
  section 2.2), so a predicate IRI must end in an NCName (``<urn:1>`` and ``<http://x/a#>`` do not);
  pyoxigraph writes ``<oxprefix:>`` for those, which no parser reads.

Every XML document written is also parsed once with expat (namespaces on) before it is answered, so a
writer bug not listed here gives a clear refusal rather than a broken document.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox

from kg.web.http.jsonld import serialize_jsonld
from kg.web.http.negotiation import RDF_FORMATS
from kg.web.vocab import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

#: Characters XML 1.0 cannot hold (section 2.2 ``Char``; surrogates cannot occur in Python text).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: The XML 1.0 (5th ed.) NCName start characters and name characters (Namespaces in XML 1.0, section 3).
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_LOCAL_NAME = re.compile(f"[{_NAME_START}][{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*$")

RDF_XML_MEDIA_TYPE = "application/rdf+xml"
XML_RESULTS_MEDIA_TYPE = "application/sparql-results+xml"


def serialize_graph(triples: Sequence[ox.Triple], media_type: str, main: str | None = None) -> bytes:
    """Serialise ``triples`` with pyoxigraph in the format of ``media_type`` (a key of ``RDF_FORMATS``),
    with the prefixes of :data:`kg.web.vocab.PREFIXES`; JSON-LD with the curated context instead
    (:func:`kg.web.http.jsonld.serialize_jsonld`, ``main``, the IRI of the resource described, first).

    Dataset formats (TriG, N-Quads) get the triples in the default graph. The bytes depend only on the triples
    and their order (give them in canonical form for the same bytes every time).
    """
    rdf_format = RDF_FORMATS[media_type]
    if rdf_format == ox.RdfFormat.JSON_LD:
        return serialize_jsonld(triples, main)
    data: list[ox.Triple] | list[ox.Quad] = list(triples)
    if rdf_format.supports_datasets:
        data = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    body = ox.serialize(data, format=rdf_format, prefixes=PREFIXES)
    assert body is not None
    return body


def serialize_solutions(
    variables: Sequence[ox.Variable], rows: Iterable[ox.QuerySolution], results_format: ox.QueryResultsFormat
) -> bytes:
    """Serialise SELECT solutions already read from a result (so they can be counted and checked first).

    pyoxigraph only writes results it produced itself, so the rows are written as SPARQL JSON results
    (below) and read back with :func:`pyoxigraph.parse_query_results` to be written in ``results_format``.

    Standard: SPARQL 1.1 Query Results JSON Format, section 3.
    """
    names = [variable.value for variable in variables]
    document = {
        "head": {"vars": names},
        "results": {
            "bindings": [{name: _json_term(row[name]) for name in names if row[name] is not None} for row in rows]
        },
    }
    parsed = ox.parse_query_results(json.dumps(document).encode("utf-8"), format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    body = parsed.serialize(format=results_format)
    assert body is not None
    return body


def _json_term(term: Term) -> dict[str, Any]:
    """One RDF term in SPARQL JSON results (section 3.2.2; triple terms as in SPARQL 1.2)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {name: _json_term(part) for name, part in parts.items()}}
    literal: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        literal["xml:lang"] = term.language
    else:
        literal["datatype"] = term.datatype.value
    return literal


def xml_obstacle(terms: Iterable[Term], predicates: Iterable[ox.NamedNode] = ()) -> str | None:
    """Why these terms cannot be written as XML, or None when they can.

    Args:
        terms: every term of the result (literal values and IRIs are checked for characters XML 1.0
            cannot hold).
        predicates: for RDF/XML, the predicates (each must end in an NCName to become an element name).
    """
    for predicate in predicates:
        if not _LOCAL_NAME.search(predicate.value):
            return f"the predicate <{predicate.value}> does not end in an XML name, so RDF/XML cannot write it"
    for term in terms:
        text = _texts(term)
        found = next((m for value in text if (m := _NOT_XML.search(value))), None)
        if found:
            return f"the result holds the character U+{ord(found[0]):04X}, which XML 1.0 cannot carry"
    return None


def _texts(term: Term) -> list[str]:
    """The character data of ``term`` that a writer puts in a document."""
    if isinstance(term, ox.Triple):
        return [text for part in (term.subject, term.predicate, term.object) for text in _texts(part)]
    if isinstance(term, ox.Literal):
        return [term.value, term.language or term.datatype.value]
    return [term.value]


def xml_error(document: bytes) -> str | None:
    """The well-formedness error of an XML ``document`` (parsed with namespaces), or None when it is fine.

    Standard: XML 1.0, section 2.1; Namespaces in XML 1.0.
    """
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(document, True)
    except xml.parsers.expat.ExpatError as error:
        return f"the XML written is not well-formed ({error})"
    return None
