"""Links from a budget to the report that accounts for it, and the realisation status they carry (BBV).

**Pairs of plans.** A budget (kind ``begroting``) is paired with each annual report (``jaarverslag``) and
progress monitor (``monitor``) of the same body (``document.body.code``) and the same year.

**Matching.** A result (level ``resultaat``; a prestatie) of the budget is linked to the result of the report
that accounts for it: ``budget result pb:verantwoordIn report item``. First by official number: the report's
result with the same ``skos:notation`` (the Overijssel Monitor 2020-II reports on the Begroting 2020's
prestaties by their codes, such as 1.4.2); score 1. Then, for the results left, by text: the pairs of which at
least one side has no official number (two different official numbers say they are different items) are
scored with :func:`kg.link.similarity.similarity` and matched one-to-one with :func:`kg.link.similarity.assign`, from
:data:`TEXT_THRESHOLD`. A report restates the budget's items, so the threshold is high; no real budget and
report of the same year without numbers was at hand to tune it (the seeds hold none), so it is a cautious
choice, not a measured one. Sub-results (acties) carry no status in the sources read so far and are not
linked.

**Realisation status** (``pb:realisatiestatus``, a concept of ``ontology/realisatiestatus.ttl``). A report
item's status is the one the report states (a ``realisatiestatus`` status of the node, as an annual report
gives it), else the one its content score (``pb:inhoudelijkeKleurscore``, a monitor's colour) means: the
concept of the realisatiestatus scheme that is ``skos:closeMatch`` of that kleurscore concept in the ontology
graph (so the mapping lives in the vocabulary, not in this code). A budget result takes the status of the item
it is linked to. A result with no linked item, or whose item has no status (Overijssel's 4.1.4 is cut off
before its scores), has none: a missing status is absent, never guessed. A monitor's own results carry the
status their own content score means too (in the linkset graph, beside the links), so "results per status"
can be asked of the monitor itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.link.similarity import SIMILARITY_METHOD, Match, assign, node_summary, plan_summary, similarity
from kg.model.iris import DEFINITIONS, PB
from kg.model.plan import CrossLink, Level, Linkset, Node, Plan

#: The kinds of plan that account for a budget.
REPORT_KINDS = frozenset({"jaarverslag", "monitor"})
#: The kind of plan that is accounted for.
BUDGET_KIND = "begroting"

#: The concept scheme of realisation statuses.
STATUS_SCHEME = URIRef(f"{DEFINITIONS}/realisatiestatus")
#: The status (node.statuses property) a report states directly, and the content score a monitor gives.
STATED, CONTENT_SCORE = "realisatiestatus", "inhoudelijkeKleurscore"

#: Least score of a match by text (module doc).
TEXT_THRESHOLD = 0.8

#: The link property: a budget's result is accounted for in a report's item.
PREDICATE = str(PB.verantwoordIn)

#: The method of a link by official number, and of a link by text, in words (``pb:methode``).
NOTATION_METHOD = (
    "Realisation: the budget's result and the result of the annual report or monitor of the same body and "
    "year have the same official number (skos:notation); score 1"
)
TEXT_METHOD = (
    "Realisation: the budget result's label compared with the labels of the results of the annual report or "
    "monitor of the same body and year that no official number matched (pairs where both have a number "
    f"excluded); {SIMILARITY_METHOD}; results matched one-to-one, greedily by descending score, from score "
    f"{TEXT_THRESHOLD}"
)


def report_pairs(plans: list[Plan]) -> list[tuple[Plan, Plan]]:
    """Return the (budget, report) pairs: same body and year, the report an annual report or monitor."""
    return [
        (budget, report)
        for budget in plans
        if budget.document.kind == BUDGET_KIND
        for report in plans
        if report.document.kind in REPORT_KINDS
        and (report.document.body.code, report.document.year) == (budget.document.body.code, budget.document.year)
    ]


def stated_status(node: Node, ontology: Graph) -> URIRef | None:
    """Return the realisation status the source states for ``node`` (a concept of the scheme), or None."""
    for prop, vocabulary, concept in node.statuses:
        iri = URIRef(f"{DEFINITIONS}/{vocabulary}#{concept}")
        if prop == STATED and (iri, SKOS.inScheme, STATUS_SCHEME) in ontology:
            return iri
    return None


def scored_status(node: Node, ontology: Graph) -> URIRef | None:
    """Return the realisation status ``node``'s content score means, or None when it has no content score.

    The status is the concept of :data:`STATUS_SCHEME` that is ``skos:closeMatch`` (either direction) of the
    node's ``inhoudelijkeKleurscore`` concept in ``ontology``.

    Raises:
        ValueError: when the score's concept maps to no status or to several (the vocabulary is broken).
    """
    for prop, vocabulary, concept in node.statuses:
        if prop != CONTENT_SCORE:
            continue
        score = URIRef(f"{DEFINITIONS}/{vocabulary}#{concept}")
        close = set(ontology.subjects(SKOS.closeMatch, score)) | set(ontology.objects(score, SKOS.closeMatch))
        statuses = sorted(c for c in close if isinstance(c, URIRef) and (c, SKOS.inScheme, STATUS_SCHEME) in ontology)
        if len(statuses) != 1:
            raise ValueError(f"{score} is skos:closeMatch of {len(statuses)} realisation statuses, not exactly one")
        return statuses[0]
    return None


def realisation_status(node: Node, ontology: Graph) -> URIRef | None:
    """Return a report item's realisation status: the one its source states, else the one its score means."""
    return stated_status(node, ontology) or scored_status(node, ontology)


def realisations(plans: list[Plan], ontology: Graph) -> Linkset:
    """Link each budget's results to the items of the report of the same body and year that account for them.

    Args:
        plans: the plans of the build, keys assigned.
        ontology: the ontology and concept schemes (the realisatiestatus scheme and its ``skos:closeMatch``
            mappings to the kleurscore scheme).

    Returns:
        The linkset ``verantwoording`` (predicate ``pb:verantwoordIn``, subject the budget's result, object the
        report's item); its ``extra`` holds the ``pb:realisatiestatus`` of each linked budget result whose item
        has a status and of each report result whose status comes from its score; its report gives the
        threshold, ``from_scores`` (the number of report results whose status comes from their score) and one
        entry per pair of plans (:func:`pair_report`).

    Raises:
        ValueError: from :func:`scored_status`, when the vocabulary maps a score to no status or to several.
    """
    linkset = Linkset(
        name="verantwoording",
        title=("Verantwoording van begrotingsresultaten", "Accounting for the results of a budget"),
        predicate=PREDICATE,
    )
    status = str(PB.realisatiestatus)
    for report in plans:
        if report.document.kind in REPORT_KINDS:
            for node in _results(report):
                if stated_status(node, ontology) is None and (scored := scored_status(node, ontology)):
                    linkset.extra.append((node, status, str(scored)))
    from_scores = len(linkset.extra)
    reports = []
    for budget, report in report_pairs(plans):
        by_number, by_text = match_plans(budget, report)
        for matches, method in ((by_number, NOTATION_METHOD), (by_text, TEXT_METHOD)):
            for m in matches:
                linkset.links.append(CrossLink(m.subject, m.object, m.evidence.score, method, m.evidence.shared))
                if (found := realisation_status(m.object, ontology)) is not None:
                    linkset.extra.append((m.subject, status, str(found)))
        reports.append(pair_report(budget, report, by_number, by_text, ontology))
    linkset.report = {"text_threshold": TEXT_THRESHOLD, "from_scores": from_scores, "plans": reports}
    return linkset


def match_plans(budget: Plan, report: Plan) -> tuple[list[Match], list[Match]]:
    """Return the budget's results matched to the report's: (by official number, by text), each one-to-one.

    A match by number has score 1 (its evidence's text similarity and shared entities are still computed). A
    number that two results of the report share matches neither by number.
    """
    results = _results(report)
    repeated = Counter(n.notation for n in results)
    numbered = {n.notation: n for n in results if n.notation is not None and repeated[n.notation] == 1}
    by_number = [
        Match(node, item, replace(similarity(node, item), score=1.0))
        for node in _results(budget)
        if node.notation is not None and (item := numbered.get(node.notation)) is not None
    ]
    taken = {id(m.subject) for m in by_number} | {id(m.object) for m in by_number}
    candidates = [
        (a, b)
        for a in _results(budget)
        if id(a) not in taken
        for b in results
        if id(b) not in taken and (a.notation is None or b.notation is None)
    ]
    return by_number, assign(candidates, TEXT_THRESHOLD)


def _results(plan: Plan) -> list[Node]:
    """The results (level ``resultaat``) of ``plan``, in source order."""
    return [n for n in plan.nodes() if n.level is Level.RESULTAAT]


def pair_report(
    budget: Plan, report: Plan, by_number: list[Match], by_text: list[Match], ontology: Graph
) -> dict[str, Any]:
    """Report one (budget, report) pair.

    Returns:
        A JSON-ready dict: ``budget`` and ``report`` (:func:`kg.link.similarity.plan_summary`), ``matched`` (per linked
        budget result: both items, ``by`` ``notation`` or ``text``, the score and the ``status`` local name or
        None), ``unmatched`` (budget results with no item: no status), ``unreported`` (report results no budget
        result matched), ``counts`` and ``notes`` (a report cut off mid-text may account for an unmatched
        result after its end).
    """
    matched: list[dict[str, Any]] = []
    for by, matches in (("notation", by_number), ("text", by_text)):
        for m in matches:
            found = realisation_status(m.object, ontology)
            matched.append({
                "budget": node_summary(m.subject), "report": node_summary(m.object), "by": by,
                "score": round(m.evidence.score, 3), "status": None if found is None else found.split("#")[-1],
            })
    matched.sort(key=lambda item: item["budget"]["line"])
    linked = {id(m.subject) for m in by_number + by_text} | {id(m.object) for m in by_number + by_text}
    unmatched = [node_summary(n) for n in _results(budget) if id(n) not in linked]
    unreported = [node_summary(n) for n in _results(report) if id(n) not in linked]
    notes = []
    if report.document.cut_off:
        notes.append(f"the report ({report.document.key}) is an excerpt cut off mid-text: an unmatched result "
                     "may be accounted for after its end")
    return {
        "budget": plan_summary(budget),
        "report": plan_summary(report),
        "matched": matched,
        "unmatched": unmatched,
        "unreported": unreported,
        "counts": {
            "matched": len(matched),
            "with_status": sum(1 for item in matched if item["status"] is not None),
            "unmatched": len(unmatched),
            "unreported": len(unreported),
        },
        "notes": notes,
    }

