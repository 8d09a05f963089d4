"""The building blocks of a page's view model: values, rows and the builder that makes them from triples.

Every IRI is shown by its label when it has one, else by its compact name; a blank node carries its own
rows. :mod:`kg.web.services.pages` composes pages of these, with a node's history
(:mod:`kg.web.services.history`) and an entity's mentions (:mod:`kg.web.services.mentions`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.web.http.iris import local_href
from kg.web.site import Site
from kg.web.vocab import LABEL_LANGUAGES, LABEL_PROPERTIES, PREFIXES, RDF_TYPE, SKOS_NOTATION, SKOS_PREF_LABEL, compact

#: Datatypes not shown next to a literal.
_PLAIN = {PREFIXES["xsd"] + "string", PREFIXES["rdf"] + "langString"}


@dataclass(frozen=True)
class Value:
    """One value on a page: an IRI (by label, linked), a literal (with language/datatype) or a blank
    node (with its own rows)."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True)
class Row:
    """A property and its values."""

    predicate: Value
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Source:
    """Where a thing was read: the document, the line span and the lines (number, text)."""

    document: Value
    begin: int | None
    end: int | None
    download: str | None
    lines: tuple[tuple[int, str], ...] = ()


@dataclass
class Labels:
    """The best label per IRI among label triples (property order, then language preference)."""

    ranked: dict[str, tuple[tuple[int, int, str], str]] = field(default_factory=dict)

    def add(self, triples: Iterable[ox.Triple]) -> Labels:
        """Take the label triples among ``triples`` into account; returns self."""
        for t in triples:
            subject, label = t.subject, t.object
            if not (isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal)):
                continue
            if t.predicate.value in LABEL_PROPERTIES:
                lang = label.language or ""
                rank = (
                    LABEL_PROPERTIES.index(t.predicate.value),
                    LABEL_LANGUAGES.index(lang) if lang in LABEL_LANGUAGES else len(LABEL_LANGUAGES),
                    label.value,
                )
                current = self.ranked.get(subject.value)
                if current is None or rank < current[0]:
                    self.ranked[subject.value] = (rank, label.value)
        return self

    def get(self, iri: str) -> str | None:
        """The label of ``iri``, or None."""
        found = self.ranked.get(iri)
        return found[1] if found else None


class PageBuilder:
    """Turns triples into :class:`Value` and :class:`Row` objects for one page."""

    def __init__(self, site: Site, triples: Sequence[ox.Triple]) -> None:
        """Index ``triples`` (a description) by subject and collect their labels."""
        self.site = site
        self.labels = Labels().add(triples)
        self.by_subject: dict[Any, list[ox.Triple]] = defaultdict(list)
        for t in triples:
            self.by_subject[t.subject].append(t)

    def iri(self, iri: str) -> Value:
        """An IRI shown by its label (else its compact name), linked locally when under the base."""
        href = local_href(iri, self.site.base) or iri
        return Value(text=self.labels.get(iri) or compact(iri), href=href, iri=iri)

    def value(self, term: Any, seen: frozenset[Any] = frozenset()) -> Value:
        """A value for an RDF term; a blank node carries its own rows (cycles cut)."""
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            return Value(
                text=term.value,
                lang=term.language,
                datatype=None if datatype in _PLAIN else compact(datatype),
            )
        if isinstance(term, ox.BlankNode) and term not in seen:
            return Value(text="", rows=self.rows(self.by_subject.get(term, []), seen | {term}))
        return Value(text=str(term))

    def rows(
        self, triples: Iterable[ox.Triple], seen: frozenset[Any] = frozenset(), inbound: bool = False
    ) -> tuple[Row, ...]:
        """Group ``triples`` by predicate (values: objects, or subjects when ``inbound``); type and
        label first, then by predicate label."""
        grouped: dict[str, list[Value]] = defaultdict(list)
        for t in triples:
            grouped[t.predicate.value].append(self.value(t.subject if inbound else t.object, seen))
        order = {RDF_TYPE: 0, SKOS_PREF_LABEL: 1, SKOS_NOTATION: 2}
        rows = [Row(self.iri(p), tuple(sorted(values, key=lambda v: v.text))) for p, values in grouped.items()]
        return tuple(sorted(rows, key=lambda r: (order.get(r.predicate.iri or "", 3), r.predicate.text)))
