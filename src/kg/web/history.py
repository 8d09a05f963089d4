"""A plan node's history across years and its realisation, for its HTML page.

Reads the linkset graphs of the build (:mod:`kg.linksets`): ``pb:voortzettingVan`` links a node of a later
plan to the node of an earlier plan of the same body that it continues, and ``pb:verantwoordIn`` links a
planned result to the item of the annual report or monitor that accounts for it, beside the
``pb:realisatiestatus`` it takes from that item. Each link's score comes from its ``pb:Koppeling``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.web import describe
from kg.web.vocab import PB, PREFIXES

if TYPE_CHECKING:
    from kg.web.pages import PageBuilder, Value

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
        kg.web.errors.NotFound: when ``iri`` is not a valid IRI.
    """
    this = describe.node(iri)
    statuses = [row["s"].value for row in
                describe.select(page.site.store, f"SELECT ?s WHERE {{ {this} <{STATUS}> ?s }} ORDER BY ?s")]
    page.labels.add(describe.labels(page.site.store, statuses))
    return History(
        predecessors=_steps(page, f"{this} <{CONTINUES}>* ?from . ?from <{CONTINUES}> ?n .", CONTINUES, "DESC"),
        successors=_steps(page, f"?n <{CONTINUES}> ?from . ?from <{CONTINUES}>* {this} .", CONTINUES, "ASC",
                          reverse=True),
        reported_in=_steps(page, f"{this} <{REPORTED_IN}> ?n . BIND({this} AS ?from)", REPORTED_IN, "ASC"),
        accounts_for=_steps(page, f"?n <{REPORTED_IN}> {this} . BIND({this} AS ?from)", REPORTED_IN, "ASC",
                            reverse=True),
        statuses=tuple(page.iri(status) for status in statuses),
    )


def _steps(page: PageBuilder, pattern: str, predicate: str, order: str, reverse: bool = False) -> tuple[Step, ...]:
    """The nodes ``?n`` that ``pattern`` binds (``?from`` is the other end of the link to ``?n``), with their
    plan, the plan's year and the link's score, ordered by year (``order``: ASC or DESC)."""
    subject, obj = ("?n", "?from") if reverse else ("?from", "?n")
    rows = describe.select(
        page.site.store,
        f"""SELECT DISTINCT ?n ?plan ?year ?score WHERE {{
          {pattern}
          ?n <{_SKOS}inScheme> ?plan .
          OPTIONAL {{ ?plan <{PB}jaar> ?year }}
          OPTIONAL {{ ?k <{_RDF}subject> {subject} ; <{_RDF}predicate> <{predicate}> ; <{_RDF}object> {obj} ;
                      <{PB}score> ?score }}
        }} ORDER BY {order}(?year) ?n""",
    )
    iris = [row[v].value for row in rows for v in ("n", "plan") if isinstance(row[v], ox.NamedNode)]
    page.labels.add(describe.labels(page.site.store, iris))
    return tuple(
        Step(
            page.iri(row["n"].value),
            page.iri(row["plan"].value),
            row["year"].value if row["year"] else "",
            row["score"].value if row["score"] else None,
        )
        for row in rows
    )
