"""The endpoint's check for SERVICE and FROM (:mod:`kg.web.querying.query_check`): the words outside a query's code
(comments, strings, IRIs, variable names) do not make it ask rdflib's parser (10 to 160 ms a query), and
the words in the code, or where the cheap check cannot tell, still do. Over HTTP: ``test_server.py``."""

from __future__ import annotations

import pytest

from kg.web.querying import query_check
from kg.web.querying.query_check import QueryFacts, inspect_query


@pytest.mark.parametrize(
    "query",
    [
        "# read from the store, no SERVICE\nSELECT * { ?s ?p ?o }",
        "SELECT * { ?s ?p ?o } # service",
        'SELECT ?x { BIND("SERVICE <http://x>" AS ?x) }',
        "SELECT * { ?s ?p '''one\nFROM <g>\n''' }",
        "SELECT * { ?s <http://x/it's/from> ?o FILTER(?o != 'from') }",
        "SELECT ?from ?service { ?from ?p ?service }",
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT * { ?s rdf:type ?o } # from",
    ],
    ids=["comment", "trailing-comment", "string", "long-string", "iri", "variables", "hash-in-iri"],
)
def test_words_outside_the_code_are_not_given_to_the_parser(query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError(f"the parser was asked about {text!r}")

    monkeypatch.setattr(query_check, "parseQuery", refuse)
    assert inspect_query(query) == QueryFacts(service=False, dataset=False)


@pytest.mark.parametrize(
    ("query", "facts"),
    [
        ("SELECT * FROM <http://x/g> { ?s ?p ?o }", QueryFacts(service=False, dataset=True)),
        ("SELECT * FROM:g { ?s ?p ?o }", QueryFacts(service=False, dataset=True)),
        ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT * FROM <http://x/g> {}",
         QueryFacts(service=False, dataset=True)),
        ("SELECT * { # a comment\nSERVICE <http://x/sparql> { ?s ?p ?o } }", QueryFacts(service=True, dataset=False)),
        ('SELECT * { BIND("""a\\"""" AS ?x) SERVICE <http://x/sparql> { ?s ?p ?o } }',
         QueryFacts(service=True, dataset=False)),
        ("SELECT * { \\u0053ERVICE <http://x/sparql> { ?s ?p ?o } }", QueryFacts(service=True, dataset=False)),
        # `<` may be a comparison: the span up to `>` could hide a comment's `#`, so the parser decides
        ("SELECT * { ?s ?p ?o FILTER(?o<?s)#>'''\nSERVICE <http://x/sparql> { } BIND('''x''' AS ?z) }",
         QueryFacts(service=True, dataset=False)),
    ],
    ids=["from", "from-prefixed-name", "from-after-hash-iri", "service-after-comment", "escaped-quote",
         "unicode-escape", "less-than"],
)
def test_the_keywords_in_the_code_are_found_by_the_parser(query: str, facts: QueryFacts) -> None:
    assert inspect_query(query) == facts
