"""What the endpoint must know about a query before pyoxigraph runs it.

pyoxigraph exposes no parsed query, so three facts are established here, conservatively:

* **nesting depth**: pyoxigraph's parser recurses per nesting level and overflows the thread's stack on
  a few thousand nested brackets (a crash of the whole process). Queries nested deeper than
  :data:`MAX_NESTING` brackets (``{``, ``(``, ``[``) are refused with 400 before parsing.
* **SERVICE** (federated query) and **FROM / FROM NAMED** (the query's own dataset, SPARQL 1.1 Query,
  section 13.2): when neither keyword occurs in the query text (after resolving ``\\u``/``\\U`` escapes,
  SPARQL 1.1 Query, section 19.2), the query has neither. When one occurs, rdflib's SPARQL parser decides
  whether it is really a clause (and not a word in a string or an IRI). rdflib's parser is not
  thread-safe, so it runs under a lock; it is only asked about the few queries that mention the keywords.
* **a triplestore's own functions**: an IRI in Virtuoso's ``bif:`` or ``sql:`` scheme (its built-in SQL
  functions and stored procedures, callable from SPARQL). A query sent on to a remote store runs with the
  account the server reads it with, so such a query is refused on both stores (it means nothing to the
  embedded one). An IRI is written ``<...>`` (a prefix declaration too), so the text is searched for
  ``<bif:`` and ``<sql:`` after resolving escapes; the words in a string literal can be refused too.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kg.web.http.errors import BadRequest

#: Deepest bracket nesting accepted (real queries stay far below; the parser crashes in the thousands).
MAX_NESTING = 100

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_KEYWORDS = re.compile(r"\b(SERVICE|FROM)\b", re.IGNORECASE)
#: The tokens of SPARQL's grammar (SPARQL 1.1 Query, section 19.8) that can hold the words SERVICE and
#: FROM without being those keywords, and the keywords themselves; tried in this order at each position.
_TOKENS = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      | (?P<comment>\#[^\n\r]*)
      | (?P<escape>\\.)
      | (?P<variable>[?$]\w+)
      | (?P<keyword>\b(?:SERVICE|FROM)\b)""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
#: An IRI that cannot be the operands of a ``<`` comparison: it starts with a scheme and ``//``.
_PLAIN_IRI = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*://")
_STORE_FUNCTIONS = re.compile(r"<\s*(bif|sql):", re.IGNORECASE)
_PARSER_LOCK = threading.Lock()


@dataclass(frozen=True)
class QueryFacts:
    """Facts about a query. ``service``: it calls other endpoints; ``dataset``: it has FROM/FROM NAMED;
    ``store_functions``: it names a triplestore's own functions (``bif:``, ``sql:``)."""

    service: bool
    dataset: bool
    store_functions: bool = False


def nesting_depth(query: str) -> int:
    """The deepest nesting of brackets ``{ ( [`` in ``query`` (unbalanced closing brackets are ignored)."""
    depth = deepest = 0
    for char in query:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]" and depth:
            depth -= 1
    return deepest


def inspect_query(query: str) -> QueryFacts:
    """Establish the :class:`QueryFacts` of ``query``.

    Raises:
        BadRequest: when the query nests deeper than :data:`MAX_NESTING`, or mentions SERVICE or FROM and
            cannot be parsed to tell whether it uses them (the message is rdflib's parser's).
    """
    depth = nesting_depth(query)
    if depth > MAX_NESTING:
        raise BadRequest(f"query nests {depth} brackets deep; this endpoint accepts at most {MAX_NESTING}")
    text = _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), query)
    store_functions = bool(_STORE_FUNCTIONS.search(text))
    if not mentions_keywords(text):
        return QueryFacts(service=False, dataset=False, store_functions=store_functions)
    try:
        with _PARSER_LOCK:
            parsed = parseQuery(text)
    except ParseException as error:
        raise BadRequest(f"query mentions SERVICE or FROM and could not be checked: {error}") from None
    names = _component_names(parsed, set())
    return QueryFacts(service="ServiceGraphPattern" in names, dataset="DatasetClause" in names,
                      store_functions=store_functions)


def mentions_keywords(text: str) -> bool:
    """True when ``text`` (a query, escapes resolved) may hold the keyword SERVICE or FROM: when the word
    occurs outside the comments, string literals, IRIs and variable names of the query.

    A tokenising regular expression (:data:`_TOKENS`), not a parser, and conservative: ``<`` also starts a
    comparison (``?a<?b``), so a span read as an IRI that holds ``#`` or ``'`` (which would start a comment
    or a string outside an IRI) and does not start with ``scheme://`` makes the answer True; the parser
    then decides. An escaped character outside strings (``ex:a\\#``, SPARQL's ``PN_LOCAL_ESC``) starts
    nothing.
    """
    if not _KEYWORDS.search(text):
        return False
    for token in _TOKENS.finditer(text):
        if token.lastgroup == "keyword":
            return True
        if token.lastgroup == "iri" and any(c in token[0] for c in "#'") and not _PLAIN_IRI.match(token[0]):
            return True
    return False


def _component_names(node: Any, names: set[str]) -> set[str]:
    """The names of all rdflib parser components in ``node`` (a parse tree), recursively."""
    if isinstance(node, CompValue):
        names.add(node.name)
        for value in node.values():
            _component_names(value, names)
    elif isinstance(node, list | ParseResults):
        for value in node:
            _component_names(value, names)
    return names
