"""Link stage across documents: the links between plans that no single document states.

Runs after every document has been read, linked and keyed, and returns one :class:`kg.model.Linkset` per
kind of link; :mod:`kg.linksets` maps each to its own named graph.
"""

from __future__ import annotations

from rdflib import Graph

from kg.model import Linkset, Plan


def cross_link(plans: list[Plan], ontology: Graph) -> list[Linkset]:
    """Return the linksets between ``plans`` (every plan of the build, keys assigned).

    Args:
        plans: the plans of the build, in source order.
        ontology: the ontology and concept schemes (e.g. the realisation status scheme and its mappings).

    Returns:
        The linksets, in a fixed order; a kind with no link is still returned (an empty graph, a report).
    """
    return []
