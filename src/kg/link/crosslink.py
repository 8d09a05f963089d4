"""Link stage across documents: the links between plans that no single document states.

Runs after every document has been read, linked and keyed, and returns one :class:`kg.model.plan.Linkset` per
kind of link; :mod:`kg.rdf.linksets` maps each to its own named graph.
"""

from __future__ import annotations

from rdflib import Graph

from kg.link.proposals import proposal_linksets
from kg.link.realisation import realisations
from kg.link.review import Review
from kg.link.years import continuations
from kg.model.plan import Linkset, Plan


def cross_link(
    plans: list[Plan], ontology: Graph, reference: Graph | None = None, review: Review | None = None
) -> list[Linkset]:
    """Return the linksets between ``plans`` (every plan of the build, keys assigned).

    Args:
        plans: the plans of the build, in source order.
        ontology: the ontology and concept schemes (e.g. the realisation status scheme and its mappings).
        reference: the reference data (regions and their containment, for proposals between bodies).
        review: the reviewed proposals (``seeds/link-review.yaml``, :mod:`kg.link.review`), or None for none.

    Returns:
        The linksets, in a fixed order; a kind with no link is still returned (an empty graph, a report):
        ``voortzetting`` (:func:`kg.link.years.continuations`), ``verantwoording``
        (:func:`kg.link.realisation.realisations`),
        ``voorstellen`` and ``vastgesteld`` (:func:`kg.link.proposals.proposal_linksets`).

    Raises:
        ValueError: when the ontology maps a colour score to no realisation status or to several.
    """
    proposals = proposal_linksets(plans, Graph() if reference is None else reference, review)
    return [continuations(plans), realisations(plans, ontology), *proposals]
