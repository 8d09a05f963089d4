"""JSON-LD with the curated ``@context`` of the begroting vocabulary, readable by JSON-LD 1.0 and 1.1 processors.

The context (``kg/web/static/context.jsonld``, served at ``/context.jsonld`` and, immutable, at
``/context/{CONTEXT_VERSION}.jsonld``) gives short names to the terms of our ontology (``Doelstelling``,
``doelstelling``, ``beginRegel``) and of the few external terms every description uses (``prefLabel``,
``broader``, ``source``), and prefixes for the rest; it is not a dump of every bound prefix. It uses only
what JSON-LD 1.0 defines (prefixes, type coercion, keyword aliases for ``@id`` and ``@type``), so it declares
no ``"@version": 1.1``, which a 1.0 processor refuses (JSON-LD 1.1, section 4.1.1). JSON-LD responses embed
it, so a client reads them without fetching anything.

:func:`serialize_jsonld` writes the compacted form itself, from the triples, rather than through a JSON-LD
library (rdflib's writer drops the statements of a blank node that is the value of a term with
``"@type": "@id"``, and orders its output by hash); the shape of every answer is the same:

* ``{"@context": ..., "@graph": [...]}``, one node object per subject, **the described resource first**, then
  the main resource of a document (a catalog, VoID description, SPARQL service, ontology or concept scheme, in
  the order of :data:`kg.web.vocab.DOCUMENT_CLASSES`), then the others by IRI, blank nodes last;
* a blank node that is the value of exactly one statement is embedded there as a node object without a
  label (as JSON-LD framing embeds it, JSON-LD 1.1 Framing, section 4.1), others keep their label; a
  well-formed RDF collection is written as ``{"@list": [...]}`` (never a list directly in a list, which
  JSON-LD 1.0 cannot express);
* a property is keyed by the context's term for it, else by a compact IRI (``dct:issued``), else by its IRI;
  a value is a plain string where the term's type coercion says what it is (an IRI for ``"@type": "@id"``,
  a literal of the coerced datatype, a plain string for a term without coercion), else a value or node
  object; literals keep their lexical form (no native numbers), so nothing changes on the way back;
* keys in a fixed order (``id``, ``type``, then by name) and values in the order of the triples given: the
  same triples (with the same blank node labels: :func:`kg.web.querying.describe.canonical`) give the same bytes,
  in every server process.

Standard: JSON-LD 1.0 (W3C Recommendation 2014), sections 6.3 (compact IRIs), 6.4 (typed values and type
coercion), 6.11 (lists) and 6.12 (keyword aliasing); JSON-LD 1.1, section 4.1.1 (``@version``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.web.vocab import DOCUMENT_CLASSES, PREFIXES, RDF_TYPE

#: The version of the context: that of the ontology it names terms of (``owl:versionInfo``).
CONTEXT_VERSION = "0.1.0"
#: The context document.
CONTEXT_FILE = Path(__file__).resolve().parent.parent / "static" / "context.jsonld"
MEDIA_TYPE = "application/ld+json"

_RDF = PREFIXES["rdf"]
_FIRST, _REST, _NIL = _RDF + "first", _RDF + "rest", _RDF + "nil"
_XSD_STRING = PREFIXES["xsd"] + "string"
_LANG_STRING = _RDF + "langString"

Subject = ox.NamedNode | ox.BlankNode
Object = ox.NamedNode | ox.BlankNode | ox.Literal


@cache
def context() -> dict[str, Any]:
    """The term definitions of the curated context (the value of its ``@context``)."""
    document: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return dict(document["@context"])


@dataclass(frozen=True)
class Term:
    """A term of the context that can key a property.

    Attributes:
        name: the term.
        iri: the property's IRI.
        coercion: ``"@id"``, a datatype IRI, or None (no type coercion).
    """

    name: str
    iri: str
    coercion: str | None


@dataclass(frozen=True)
class Vocabulary:
    """What the writer reads from the context: keyword aliases, prefixes and terms.

    Attributes:
        id_key: the alias of ``@id`` (``id``), or ``@id``.
        type_key: the alias of ``@type`` (``type``), or ``@type``.
        prefixes: prefix -> namespace IRI, longest namespace first.
        terms: property IRI -> the term that keys it (the first in the context).
        names: IRI -> simple term (no coercion), for ``@type`` values and datatypes.
    """

    id_key: str
    type_key: str
    prefixes: tuple[tuple[str, str], ...]
    terms: dict[str, Term]
    names: dict[str, str]

    def compact(self, iri: str, vocab: bool) -> str:
        """``iri`` as a term (``vocab``: a ``@type`` value or datatype), else a compact IRI ``prefix:local``,
        else as it is (JSON-LD 1.0, IRI compaction)."""
        if vocab and iri in self.names:
            return self.names[iri]
        for prefix, namespace in self.prefixes:
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and local and not local.startswith("//"):
                return f"{prefix}:{local}"
        return iri


@cache
def vocabulary() -> Vocabulary:
    """The :class:`Vocabulary` of the curated context (definitions with a container, a language or a reverse
    property are not used)."""
    definitions = context()
    aliases = {value: name for name, value in definitions.items() if value in ("@id", "@type")}
    prefixes = {name: value for name, value in definitions.items()
                if isinstance(value, str) and not value.startswith("@") and value.endswith(("#", "/"))}

    def expand(value: str) -> str:
        prefix, colon, local = value.partition(":")
        return prefixes[prefix] + local if colon and prefix in prefixes else value

    terms: dict[str, Term] = {}
    names: dict[str, str] = {}
    for name, value in definitions.items():
        if name.startswith("@") or name in prefixes or name in aliases.values():
            continue
        if isinstance(value, str):
            names.setdefault(expand(value), name)
            terms.setdefault(expand(value), Term(name, expand(value), None))
        elif isinstance(value, dict) and isinstance(value.get("@id"), str) and not (
            {"@container", "@language", "@reverse"} & value.keys()
        ):
            coercion = value.get("@type")
            coerced = coercion if coercion in (None, "@id") else expand(str(coercion))
            terms.setdefault(expand(value["@id"]), Term(name, expand(value["@id"]), coerced))
    return Vocabulary(
        id_key=aliases.get("@id", "@id"),
        type_key=aliases.get("@type", "@type"),
        prefixes=tuple(sorted(prefixes.items(), key=lambda item: -len(item[1]))),
        terms=terms,
        names=names,
    )


def serialize_jsonld(triples: Sequence[ox.Triple], main: str | None = None) -> bytes:
    """Serialise ``triples`` as compacted JSON-LD with the curated context embedded (see the module
    documentation).

    Args:
        triples: the graph, ideally in canonical form (stable blank node labels and order).
        main: the IRI of the resource the document describes (or ``_:label`` of a blank node), put first.

    A graph holding RDF 1.2 triple terms, which JSON-LD 1.0 cannot carry, is written by pyoxigraph's JSON-LD
    writer instead, with prefixes only.
    """
    if any(isinstance(term, ox.Triple) for t in triples for term in (t.subject, t.object)):
        prefixes = {name: ns for name, ns in vocabulary().prefixes}
        body = ox.serialize(list(triples), format=ox.RdfFormat.JSON_LD, prefixes=prefixes)
        assert body is not None
        return body
    nodes = _Writer(triples, vocabulary()).nodes(main)
    document = {"@context": context(), "@graph": nodes}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class _Writer:
    """Writes the node objects of one graph (see :func:`serialize_jsonld`)."""

    def __init__(self, triples: Sequence[ox.Triple], words: Vocabulary) -> None:
        self.words = words
        self.statements: dict[Subject, list[tuple[str, Object]]] = defaultdict(list)
        references: Counter[Subject] = Counter()
        for t in dict.fromkeys(triples):
            assert isinstance(t.subject, Subject) and isinstance(t.object, Object)
            self.statements[t.subject].append((t.predicate.value, t.object))
            if isinstance(t.object, ox.BlankNode):
                references[t.object] += 1
        self.references = references
        self.done: set[Subject] = set()

    def nodes(self, main: str | None) -> list[dict[str, Any]]:
        """The top-level node objects, in order (see the module documentation)."""
        def rank(subject: Subject) -> tuple[int, int, str]:
            first = -1 if _label(subject) == main else self._document_rank(subject)
            return first, isinstance(subject, ox.BlankNode), subject.value

        roots = sorted((s for s in self.statements if self.references[s] != 1 or _label(s) == main), key=rank)
        found = [self._node(subject, top=True) for subject in roots]
        for subject in sorted(self.statements, key=rank):  # blank nodes in cycles, each referenced once
            if subject not in self.done:
                found.append(self._node(subject, top=True))
        return found

    def _document_rank(self, subject: Subject) -> int:
        """The position in :data:`~kg.web.vocab.DOCUMENT_CLASSES` of the first class of ``subject`` there, else
        one past the end."""
        classes = {o.value for p, o in self.statements[subject] if p == RDF_TYPE}
        return next((i for i, cls in enumerate(DOCUMENT_CLASSES) if cls in classes), len(DOCUMENT_CLASSES))

    def _node(self, subject: Subject, top: bool) -> dict[str, Any]:
        """The node object of ``subject`` (with its ``id`` when at the top)."""
        self.done.add(subject)
        words = self.words
        node: dict[str, Any] = {}
        if top:
            node[words.id_key] = self._id(subject)
        grouped: dict[str, list[Any]] = defaultdict(list)
        types = [o for p, o in self.statements[subject] if p == RDF_TYPE and isinstance(o, ox.NamedNode)]
        if types:
            node[words.type_key] = _one_or_many([words.compact(o.value, vocab=True) for o in types])
        for predicate, value in self.statements[subject]:
            if predicate == RDF_TYPE and isinstance(value, ox.NamedNode):
                continue
            term = words.terms.get(predicate)
            key = term.name if term else words.compact(predicate, vocab=True)
            grouped[key].append(self._value(value, term.coercion if term else None))
        for key in sorted(grouped):
            node[key] = _one_or_many(grouped[key])
        return node

    def _id(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return _label(term) if isinstance(term, ox.BlankNode) else self.words.compact(term.value, vocab=False)

    def _value(self, value: Object, coercion: str | None) -> Any:
        """A property value: a plain string where ``coercion`` (the key's) says what it is, else an object."""
        if isinstance(value, ox.Literal):
            datatype = value.datatype.value
            if value.language:
                return {"@language": value.language, "@value": value.value}
            if (coercion is None and datatype == _XSD_STRING) or coercion == datatype:
                return value.value
            if datatype == _XSD_STRING:
                return {"@value": value.value}
            return {"@type": self.words.compact(datatype, vocab=True), "@value": value.value}
        if isinstance(value, ox.BlankNode) and value not in self.done and self.references[value] == 1:
            items = self._list(value)
            if items is not None:
                return {"@list": [self._value(item, coercion) for item in items]}  # items take the key's coercion
            if value in self.statements:
                return self._node(value, top=False)
        reference = self._id(value)
        return reference if coercion == "@id" else {self.words.id_key: reference}

    def _list(self, head: ox.BlankNode) -> list[Object] | None:
        """The items of the well-formed RDF collection starting at ``head`` (each of its nodes a blank node with
        exactly one ``rdf:first`` and one ``rdf:rest``, referenced once, no item itself such a list), else None."""
        items: list[Object] = []
        chain: list[ox.BlankNode] = []
        node: Object = head
        while node != ox.NamedNode(_NIL):
            if not isinstance(node, ox.BlankNode) or node in chain or self.references[node] != 1:
                return None
            statements = self.statements.get(node, [])
            first = [o for p, o in statements if p == _FIRST]
            rest = [o for p, o in statements if p == _REST]
            if len(statements) != 2 or len(first) != 1 or len(rest) != 1:
                return None
            if isinstance(first[0], ox.BlankNode) and self._starts_list(first[0]):
                return None
            chain.append(node)
            items.append(first[0])
            node = rest[0]
        self.done.update(chain)
        return items

    def _starts_list(self, node: ox.BlankNode) -> bool:
        """True when ``node`` has an ``rdf:first`` (a list cannot be an item of a list in JSON-LD 1.0)."""
        return any(p == _FIRST for p, _ in self.statements.get(node, []))


def _label(term: ox.NamedNode | ox.BlankNode) -> str:
    """A blank node's JSON-LD identifier ``_:label``, or an IRI."""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _one_or_many(values: list[Any]) -> Any:
    """One value as itself, several as an array (JSON-LD compacted form)."""
    return values[0] if len(values) == 1 else values
