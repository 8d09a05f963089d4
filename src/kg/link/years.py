"""Links across years: the items of a later plan that continue items of an earlier plan of the same body.

**Pairs of plans.** Each plan is paired with the plans of the nearest earlier year of the same body
(``document.body.code``) and the same kind (``begroting`` with ``begroting``, ...). Every item of the later
plan may continue one item of the earlier plan: ``later pb:voortzettingVan earlier`` (a sub-property of
``prov:wasDerivedFrom``), with a ``pb:Koppeling`` that carries the score and the method.

**Candidates.** Items are compared at the same level only (:data:`LEVELS`). Policy tasks are compared across
the whole pair of plans. Objectives, results and sub-results are compared within a matched policy task (the
nearest beleidsopgave above each side must be the matched pair), not only within the same objective: a
result may move to another objective from one year to the next (Drenthe 2016's "Clusterorganisatie Greenlincs
is actief" is under "Doorontwikkeling van Drenthe als biobased economy", its 2017 continuation under
"Faciliteren van het transitieproces"). Where a side has no policy task above an item (a page that starts
below it), the whole other plan is its scope. Items are scored with :func:`kg.link.similarity.similarity` and
matched one-to-one with :func:`kg.link.similarity.assign`, from :data:`THRESHOLD`.

**The threshold was chosen by reading the real pair** (Drenthe Begroting 2016, product 2.1, seed
``000_61c47c45ec098bf8.txt`` lines 5-51, against the Begroting 2017 page
``drenthe-begroting-2017-p2-1-beleidsopgave.txt``). Read before any score was computed:

- the policy task (2016 line 9 -> 2017 line 6) and three objectives (15 -> 12, 31 -> 22, 35 -> 28) are the
  same text; 2016's objectives at lines 27 and 49 are not on the 2017 page (which is cut off at line 36);
- clear continuations of results: "Communicatieprogramma BBE 2015-2020 in uitvoering" (33) ->
  "Communicatieprogramma BBE is in uitvoering. ..." (24); "Clusterorganisatie Greenlincs is actief" (41) ->
  "Clusterorganisatie Greenlincs draagt bij aan business development. ..." (16); "Doorontwikkeling
  aanjaagorganisatie Chemie heeft plaatsgevonden" (45) -> "Aanjaagorganisatie chemie/BBE ondersteunt het
  bedrijfsleven. ..." (14); "De eerste stappen in de ontwikkeling van Greenportcluster Noord-Nederland zijn
  gezet" (25) -> "Doorontwikkeling Greenport Noord Nederland, ..." (18);
- arguable: "Noordelijke aanpak circulaire economie opgesteld" (17) -> "Drentse invulling circulaire economie
  door concrete projecten ... aansluiting op de Noordelijke Samenwerkingsagenda" (20), and "De eerste
  projecten in de het kader van business development zijn in 2016 afgerond" (37) -> "Realisatie 4
  projecten/businesscases op het gebied van agribusiness/BBE/circulaire economie" (32), each under the same
  objective in both years;
- no earlier counterpart: 2017's "Exposure van verkiezing ..." (26), "Er is 1 consortium Agribusiness/BBE
  ..." (30) and "Start grootschalig project Green Business Campus Emmen ..." (34).

The method's one-to-one matches of the results, in the order taken: Greenlincs 0.912, Communicatieprogramma
0.905, circulaire economie (arguable) 0.659, Greenport 0.597, aanjaagorganisatie 0.444, business development
(arguable) 0.396; the best remaining pair is wrong: "Start grootschalig project Green Business Campus Emmen"
<- "Strategieplan Groene Chemie is gereed" 0.282. The threshold 0.35 lies between the two: it keeps the four
clear and both arguable continuations and no wrong one. (Plain ``token_set_ratio`` could not separate them:
it scored Greenport 0.51 below wrong pairs at 0.55-0.57.)
"""

from __future__ import annotations

from typing import Any

from kg.link.similarity import SIMILARITY_METHOD, Match, assign, node_summary, plan_summary
from kg.model.iris import PB
from kg.model.plan import CrossLink, Level, Linkset, Node, Plan

#: The levels compared, top down (a policy task is matched before what lies under it).
LEVELS = (Level.BELEIDSOPGAVE, Level.DOELSTELLING, Level.RESULTAAT, Level.DEELRESULTAAT)

#: Least score of a continuation (module doc: chosen by reading the real pair).
THRESHOLD = 0.35

#: The link property: a later plan's node continues an earlier plan's node.
PREDICATE = str(PB.voortzettingVan)

#: The method of every continuation, in words (``pb:methode``).
METHOD = (
    "Continuation across years: the node's label compared with the labels of the nodes of the same level in "
    "the plan of the same body and kind of the nearest earlier year (objectives, results and sub-results "
    f"within the matched policy task); {SIMILARITY_METHOD}; nodes matched one-to-one, greedily by descending "
    f"score, from score {THRESHOLD}"
)


def plan_pairs(plans: list[Plan]) -> list[tuple[Plan, Plan]]:
    """Return the (earlier, later) pairs of plans to compare.

    Each plan is paired with every plan of the same body and kind from the nearest earlier year that has one
    (several documents of one year, such as pages of one budget, are each compared).

    Returns:
        The pairs, in the order of the later plans in ``plans``, then of the earlier ones.
    """
    pairs: list[tuple[Plan, Plan]] = []
    for later in plans:
        doc = later.document
        same = [p for p in plans if (p.document.body.code, p.document.kind) == (doc.body.code, doc.kind)]
        years = [p.document.year for p in same if p.document.year < doc.year]
        if years:
            pairs.extend((earlier, later) for earlier in same if earlier.document.year == max(years))
    return pairs


def continuations(plans: list[Plan]) -> Linkset:
    """Link the nodes of each plan to the nodes of the earlier plan of the same body and kind they continue.

    Args:
        plans: the plans of the build, keys assigned.

    Returns:
        The linkset ``voortzetting`` (predicate ``pb:voortzettingVan``, subject the later node, object the
        earlier node); its report has one entry per pair of plans (:func:`pair_report`), also when nothing
        matched.
    """
    linkset = Linkset(
        name="voortzetting",
        title=("Voortzetting van doelen en resultaten over de jaren", "Continuation of goals and results across years"),
        predicate=PREDICATE,
    )
    reports = []
    for earlier, later in plan_pairs(plans):
        matches = match_plans(earlier, later)
        linkset.links.extend(
            CrossLink(m.subject, m.object, m.evidence.score, METHOD, m.evidence.shared) for m in matches
        )
        reports.append(pair_report(earlier, later, matches))
    linkset.report = {"threshold": THRESHOLD, "method": METHOD, "plans": reports}
    return linkset


def match_plans(earlier: Plan, later: Plan) -> list[Match]:
    """Return the continuations between two plans: matches with the later node as subject, level by level.

    Candidates are the pairs of the same level within the scope the module doc describes.
    """
    matched: dict[int, Node] = {}  # id of a later policy task -> the earlier one it continues
    matches: list[Match] = []
    for level in LEVELS:
        before = [n for n in earlier.nodes() if n.level is level]
        after = [n for n in later.nodes() if n.level is level]
        candidates = [(a, b) for a in after for b in before if _in_scope(a, b, matched)]
        found = assign(candidates, THRESHOLD)
        if level is Level.BELEIDSOPGAVE:
            matched = {id(m.subject): m.object for m in found}
        matches.extend(found)
    return matches


def _policy_task(node: Node) -> Node | None:
    """The nearest policy task (beleidsopgave) above ``node``, or None."""
    parent = node.parent
    while parent is not None and parent.level is not Level.BELEIDSOPGAVE:
        parent = parent.parent
    return parent


def _in_scope(later: Node, earlier: Node, matched: dict[int, Node]) -> bool:
    """Whether two nodes of the same level may be compared (module doc, "Candidates")."""
    if later.level is Level.BELEIDSOPGAVE:
        return True
    task_later, task_earlier = _policy_task(later), _policy_task(earlier)
    if task_later is None or task_earlier is None:
        return True
    return matched.get(id(task_later)) is task_earlier


def pair_report(earlier: Plan, later: Plan, matches: list[Match]) -> dict[str, Any]:
    """Report one pair of plans: per level the matched, new and dropped items, with labels and lines.

    Returns:
        A JSON-ready dict: ``earlier`` and ``later`` (:func:`kg.link.similarity.plan_summary`), ``levels`` (per level
        of :data:`LEVELS`: ``matched`` with both items and the score, ``new`` items of the later plan that
        continue nothing, ``dropped`` items of the earlier plan that nothing continues), ``counts`` (the
        lengths of those lists per level) and ``notes`` (why "dropped" or "new" may be an artefact: a document
        that is an excerpt cut off mid-text, or policy tasks the later document does not show).
    """
    continued = {id(m.subject) for m in matches} | {id(m.object) for m in matches}
    levels: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for level in LEVELS:
        levels[level.value] = {
            "matched": [
                {
                    "later": node_summary(m.subject),
                    "earlier": node_summary(m.object),
                    "score": round(m.evidence.score, 3),
                }
                for m in sorted(matches, key=lambda m: m.subject.start_line)
                if m.subject.level is level
            ],
            "new": [node_summary(n) for n in later.nodes() if n.level is level and id(n) not in continued],
            "dropped": [node_summary(n) for n in earlier.nodes() if n.level is level and id(n) not in continued],
        }
    notes = [
        f"the {side} document ({plan.document.key}) is an excerpt cut off mid-text: items after its end are "
        f"missing, so '{effect}' may be an artefact of the excerpt"
        for side, plan, effect in (("later", later, "dropped"), ("earlier", earlier, "new"))
        if plan.document.cut_off
    ]
    if tasks := levels[Level.BELEIDSOPGAVE.value]["dropped"]:
        notes.append(f"{len(tasks)} policy task(s) of the earlier plan have no continuation in the later document: "
                     "everything under them counts as dropped")
    return {
        "earlier": plan_summary(earlier),
        "later": plan_summary(later),
        "levels": dict(levels),
        "counts": {level: {kind: len(items) for kind, items in lists.items()} for level, lists in levels.items()},
        "notes": notes,
    }

