"""Validation of the links between plans, in parts that worker processes validate and the cache keeps.

The links between plans (:mod:`kg.link.crosslink`) are made from every plan of the build. They are validated in
parts, so that the parts are validated in parallel and a rebuild that changes a few links validates only the
parts those fall in. The shapes of ``shapes/koppelingen.ttl`` relate a link only to its own ``pb:Koppeling`` and
to the links between the same two nodes, and a node's realisation status to nothing else, so a part is closed:
the links between one pair of nodes (in either direction, of any linkset) and the extra triples of one node
(:attr:`kg.model.plan.Linkset.extra`) always fall in the same part, which is validated with the reference data like
a document's graph (:func:`kg.validate.shacl.validate_graph`).

A pair's (or node's) part is a bucket chosen by the SHA-256 of its IRIs, of a power of two of buckets such that
a part holds at most about :data:`PART_LINKS` links on average. Most parts therefore keep their content, and
the cache (:meth:`kg.build.cache.BuildCache.part`) their validation, when a rebuild changes a few links.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from rdflib import Graph

from kg.build.document import Context
from kg.model.iris import node_iri
from kg.model.plan import CrossLink, Linkset, Node
from kg.rdf.linksets import map_linkset
from kg.store.local import nquads, pack
from kg.validate.shacl import ValidationReport, validate_graph

#: Links per part, on average at most.
PART_LINKS = 500


@dataclass
class Part:
    """A part of the links between plans: per linkset, the links and extra triples that fall in it.

    Attributes:
        linksets: slim copies of the build's linksets (nodes detached from their plans: level, label, lines
            and key, enough to name them), each with the links and extras of this part.
        digest: the SHA-256 (hex) of what the part's graph is made of (with the build's shared inputs,
            :meth:`kg.build.cache.BuildCache.part` names its cache entry).
    """

    linksets: list[Linkset] = field(default_factory=list)
    digest: str = ""


@dataclass(frozen=True)
class CheckedPart:
    """A part mapped and validated: its N-Quads (each triple in its linkset's graph), packed
    (:func:`kg.store.local.pack`), and its validation report."""

    nquads: bytes
    validation: ValidationReport


def split(linksets: list[Linkset], base: str) -> list[Part]:
    """Split the links of ``linksets`` into parts (module doc), in a fixed order; empty parts are left out.

    Args:
        linksets: the build's linksets (:func:`kg.link.crosslink.cross_link`), nodes keyed.
        base: the base IRI (no trailing slash).
    """
    count = sum(len(linkset.links) + len(linkset.extra) for linkset in linksets)
    buckets = 1 << max(0, math.ceil(math.log2(max(count, 1) / PART_LINKS)))
    parts = [Part([_empty(linkset) for linkset in linksets]) for _ in range(buckets)]
    detached: dict[int, Node] = {}
    for index, linkset in enumerate(linksets):
        for link in linkset.links:
            ends = sorted((str(node_iri(base, link.subject)), str(node_iri(base, link.object))))
            piece = parts[_bucket(" ".join(ends), buckets)].linksets[index]
            piece.links.append(CrossLink(_detach(link.subject, detached), _detach(link.object, detached), link.score,
                                        link.method, link.shared))
        for node, prop, value in linkset.extra:
            piece = parts[_bucket(str(node_iri(base, node)), buckets)].linksets[index]
            piece.extra.append((_detach(node, detached), prop, value))
    kept = [part for part in parts if any(linkset.links or linkset.extra for linkset in part.linksets)]
    for part in kept:
        part.digest = _digest(part, base)
    return kept


def check(part: Part, context: Context) -> CheckedPart:
    """Map ``part`` to RDF and validate it with the reference data (a task for :class:`kg.build.workers.Workers`)."""
    graphs = [map_linkset(linkset, context.base) for linkset in part.linksets]
    data = pack(b"".join(nquads(graph, str(graph.identifier)) for graph in graphs))
    union = Graph()
    for graph in graphs:
        union += graph
    return CheckedPart(data, validate_graph(union, context.shapes, context.reference.graph))


def _empty(linkset: Linkset) -> Linkset:
    """A copy of ``linkset`` without links, extras or report."""
    return Linkset(linkset.name, linkset.title, linkset.predicate)


def _bucket(key: str, buckets: int) -> int:
    """The bucket of a pair of IRIs or of one IRI."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:12], 16) % buckets


def _detach(node: Node, detached: dict[int, Node]) -> Node:
    """A copy of ``node`` without parent, children or links (what naming it takes), one per node."""
    if id(node) not in detached:
        detached[id(node)] = Node(node.level, node.label, node.start_line, node.end_line, node.notation, key=node.key)
    return detached[id(node)]


def _digest(part: Part, base: str) -> str:
    """The SHA-256 (hex) of everything :func:`kg.rdf.linksets.map_linkset` makes the part's graph of."""
    digest = hashlib.sha256()
    for linkset in part.linksets:
        digest.update(f"linkset {linkset.name} {linkset.predicate}\n".encode())
        for link in linkset.links:
            ends = f"{node_iri(base, link.subject)} {node_iri(base, link.object)}"
            digest.update(f"link {ends} {link.score!r} {link.method!r} {link.shared!r}\n".encode())
        for node, prop, value in linkset.extra:
            digest.update(f"extra {node_iri(base, node)} {prop} {value}\n".encode())
    return digest.hexdigest()
