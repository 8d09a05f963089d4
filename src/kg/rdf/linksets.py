"""Mapping stage for links between plans: each :class:`kg.model.plan.Linkset` as RDF in its own named graph.

A linkset's graph ``{base}/graph/koppelingen/{name}`` holds the link triples themselves (so a query joins
plans with one triple pattern) and, per link, a ``pb:Koppeling`` (an ``rdf:Statement``, RDF 1.1 Semantics
section D.2 "reification") that carries its evidence: ``pb:score``, ``pb:methode`` and the entities both
ends share (``pb:gedeeld``). The VoID description (:mod:`kg.store.void`) describes each graph as a
``void:Linkset`` per pair of plans, from :func:`linkset_report`.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.model.iris import PB, PREFIXES, graph_name, node_iri, statement_iri
from kg.model.plan import Linkset, Node, Plan

#: Decimal places of a published score.
SCORE_PLACES = 3


def linkset_graph(base: str, name: str) -> URIRef:
    """Return the IRI ``{base}/graph/koppelingen/{name}`` of a linkset's named graph."""
    return URIRef(f"{base}/graph/koppelingen/{name}")


def score_literal(score: float) -> Literal:
    """Return ``score`` as an ``xsd:decimal`` literal rounded to :data:`SCORE_PLACES` places."""
    return Literal(Decimal(score).quantize(Decimal(1).scaleb(-SCORE_PLACES)), datatype=XSD.decimal)


def map_linkset(linkset: Linkset, base: str) -> Graph:
    """Map ``linkset`` to the triples of its named graph.

    Args:
        linkset: links between nodes that have keys (:func:`kg.rdf.keys.assign_keys`).
        base: the base IRI (no trailing slash).

    Returns:
        An rdflib Graph (identifier :func:`linkset_graph`) with each link triple, its ``pb:Koppeling`` and the
        linkset's extra triples.
    """
    g = Graph(identifier=linkset_graph(base, linkset.name))
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    predicate = URIRef(linkset.predicate)
    for link in linkset.links:
        subject, obj = node_iri(base, link.subject), node_iri(base, link.object)
        g.add((subject, predicate, obj))
        statement = statement_iri(base, subject, predicate, obj)
        g.add((statement, RDF.type, PB.Koppeling))
        g.add((statement, RDF.type, RDF.Statement))
        g.add((statement, RDF.subject, subject))
        g.add((statement, RDF.predicate, predicate))
        g.add((statement, RDF.object, obj))
        g.add((statement, PB.score, score_literal(link.score)))
        g.add((statement, PB.methode, Literal(link.method)))
        for entity in link.shared:
            g.add((statement, PB.gedeeld, URIRef(entity)))
    for node, prop, value in linkset.extra:
        g.add((node_iri(base, node), URIRef(prop), URIRef(value)))
    return g


def linkset_report(linkset: Linkset, base: str, plans: list[Plan]) -> dict[str, Any]:
    """Describe ``linkset`` for the build report and VoID.

    Returns:
        A JSON-ready dict: ``name``, ``graph``, ``title`` (nl, en), ``predicate``, ``links`` (count), ``pairs``
        (per pair of plan graphs: ``subjects``, ``objects``, ``links``) and the linkset's own ``report``.
    """
    plan_of = {id(node): plan for plan in plans for node in plan.nodes()}

    def graph_of(node: Node) -> str:
        return str(graph_name(base, plan_of[id(node)]))

    pairs = Counter((graph_of(link.subject), graph_of(link.object)) for link in linkset.links)
    return {
        "name": linkset.name,
        "graph": str(linkset_graph(base, linkset.name)),
        "title": list(linkset.title),
        "predicate": linkset.predicate,
        "links": len(linkset.links),
        "pairs": [{"subjects": s, "objects": o, "links": n} for (s, o), n in sorted(pairs.items())],
        **linkset.report,
    }
