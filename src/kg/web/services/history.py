"""A plan node's history across years and its realisation, for its HTML page.

Reads the linkset graphs of the build (:mod:`kg.rdf.linksets`): ``pb:voortzettingVan`` links a node of a later
plan to the node of an earlier plan of the same body that it continues, and ``pb:verantwoordIn`` links a
planned result to the item of the annual report or monitor that accounts for it, beside the
``pb:realisatiestatus`` it takes from that item. Each link's score comes from its ``pb:Koppeling``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.store.remote import ReadableStore
from kg.web.querying import describe
from kg.web.services.view import PageBuilder, Value
from kg.web.vocab import PB, PREFIXES

CONTINUES = PB + "voortzettingVan"
REPORTED_IN = PB + "verantwoordIn"
STATUS = PB + "realisatiestatus"
_SKOS = PREFIXES["skos"]
_RDF = PREFIXES["rdf"]


@dataclass(frozen=True)
class Step:
    """One node of a history: the node, its plan, the plan's year, and the score of the link to it."""

    node: Value
    plan: Value
    year: str
    score: str | None


@dataclass(frozen=True)
class History:
    """The page's history section.

    Attributes:
        predecessors: the nodes this one continues, nearest year first.
        successors: the nodes that continue this one, nearest year first.
        reported_in: the report or monitor items that account for this node (with their plan and year).
        accounts_for: for a report item, the planned results it accounts for.
        statuses: this node's realisation statuses.
    """

    predecessors: tuple[Step, ...] = ()
    successors: tuple[Step, ...] = ()
    reported_in: tuple[Step, ...] = ()
    accounts_for: tuple[Step, ...] = ()
    statuses: tuple[Value, ...] = ()


def history(page: PageBuilder, iri: str) -> History:
    """The history and realisation of the plan node ``iri`` (all empty for any other resource).

    Raises:
        kg.web.http.errors.NotFound: when ``iri`` is not a valid IRI.
    """
    this = describe.node(iri)
    statuses = [row["s"].value for row in
                describe.select(page.site.store, f"SELECT ?s WHERE {{ {this} <{STATUS}> ?s }} ORDER BY ?s")]
    page.labels.add(describe.labels(page.site.store, statuses))
    return History(
        predecessors=_steps(page, f"{this} <{CONTINUES}>* ?from . ?from <{CONTINUES}> ?n .", CONTINUES, "DESC"),
        successors=_steps(page, f"?from <{CONTINUES}>* {this} . ?n <{CONTINUES}> ?from .", CONTINUES, "ASC",
                          reverse=True),
        reported_in=_steps(page, f"{this} <{REPORTED_IN}> ?n . BIND({this} AS ?from)", REPORTED_IN, "ASC"),
        accounts_for=_steps(page, f"?n <{REPORTED_IN}> {this} . BIND({this} AS ?from)", REPORTED_IN, "ASC",
                            reverse=True),
        statuses=tuple(page.iri(status) for status in statuses),
    )


def _steps(page: PageBuilder, pattern: str, predicate: str, order: str, reverse: bool = False) -> tuple[Step, ...]:
    """The nodes ``?n`` that ``pattern`` binds (``?from`` is the other end of the link to ``?n``, the link's
    subject unless ``reverse``), with their plan, the plan's year and the link's score (:func:`_scores`),
    ordered by year (``order``: ASC or DESC).

    The path is written with its bound end first (``?from p* <iri>`` before ``?n p ?from``): pyoxigraph 0.5
    joins in the order written here, and the other order scans every link first.
    """
    rows = describe.select(
        page.site.store,
        f"""SELECT DISTINCT ?n ?from ?plan ?year WHERE {{
          {pattern}
          ?n <{_SKOS}inScheme> ?plan .
          OPTIONAL {{ ?plan <{PB}jaar> ?year }}
        }} ORDER BY {order}(?year) ?n""",
    )
    ends = [(_iri(row["from"]), _iri(row["n"])) for row in rows]
    links = [(n, start) if reverse else (start, n) for start, n in ends]
    scores = _scores(page.site.store, predicate, links)
    iris = [row[v].value for row in rows for v in ("n", "plan") if isinstance(row[v], ox.NamedNode)]
    page.labels.add(describe.labels(page.site.store, iris))
    found = dict.fromkeys(
        (row["n"].value, row["plan"].value, row["year"].value if row["year"] else "", score)
        for row, link in zip(rows, links, strict=True)
        for score in scores.get(link) or (None,)
    )
    return tuple(Step(page.iri(n), page.iri(plan), year, score) for n, plan, year, score in found)


_Link = tuple[str, str]


def _scores(store: ReadableStore, predicate: str, links: list[_Link]) -> dict[_Link, tuple[str, ...]]:
    """The ``pb:score`` values of the ``pb:Koppeling`` of each link ``(subject IRI, object IRI)`` of
    ``predicate`` (links with an end that is not an IRI, given as "", have none).

    A separate query with the links in one ``VALUES`` block: as an ``OPTIONAL`` of the steps' query,
    pyoxigraph 0.5 read every ``pb:Koppeling`` of the store (130 to 200 ms at 1M triples).

    Raises:
        OSError: when the store cannot be read.
    """
    pairs = " ".join(f"(<{s}> <{o}>)" for s, o in dict.fromkeys(links) if s and o)
    if not pairs:
        return {}
    rows = describe.select(
        store,
        f"""SELECT DISTINCT ?s ?o ?score WHERE {{ VALUES (?s ?o) {{ {pairs} }}
          ?k <{_RDF}subject> ?s ; <{_RDF}predicate> <{predicate}> ; <{_RDF}object> ?o ; <{PB}score> ?score }}""",
    )
    found: dict[_Link, list[str]] = {}
    for row in rows:
        found.setdefault((_iri(row["s"]), _iri(row["o"])), []).append(row["score"].value)
    return {link: tuple(sorted(values)) for link, values in found.items()}


def _iri(term: object) -> str:
    """The IRI of ``term`` when it is a named node, else ""."""
    return term.value if isinstance(term, ox.NamedNode) else ""
