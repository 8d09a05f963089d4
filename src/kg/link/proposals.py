"""Link stage across bodies: propose links between plans of different bodies that name the same things.

Two plans of different bodies (``document.body.code``) often work on the same thing: the same partner, fund,
place or policy theme. :func:`propose` proposes a link (``pb:mogelijkVerwant``) between two of their nodes
when the evidence is strong enough; a reviewer accepts or rejects each proposal in the review file
(:mod:`kg.link.review`), and :func:`proposal_linksets` publishes the open ones and the accepted ones.

**Nodes compared**: goals and performances, the levels :data:`PROPOSED_LEVELS` (beleidsopgave, doelstelling,
resultaat, deelresultaat); programmes and products are chapters, too broad to relate one by one.

**Evidence of a node**: what it names explicitly, the entities of its label (``node.mentions``, found by
:mod:`kg.link.entities`, of any :class:`kg.model.plan.LinkKind`: partners, regions, instruments, themes) and the
links its author asserts (``node.asserted``); and implicitly, what holds for every node of its plan: its body
(``body.iri``) and the body's area, the region of the reference data whose ``dct:identifier`` is the body's
CBS code (``vocab/gebieden.ttl``: ``gebied/pv22`` "PV22" is provincie Drenthe's area; a body without such a
region has no known area). A region a node names that is its own body's area counts as implicit: "Energiefonds
Overijssel" in Overijssel's plan says no more than that the plan is Overijssel's.

**Clues** between node ``a`` and node ``b`` (of different bodies), each with a weight ``w``:

- an entity (not a region) both name: by kind, :data:`KIND_WEIGHTS` (partner, instrument 0.6), any other kind
  (a theme) :data:`OTHER_KIND_WEIGHT` (0.5);
- one names the other's body: :data:`OTHER_BODY` (0.25);
- a region both name: :data:`SAME_REGION` (0.5);
- a region one names within a region the other names (``geo:sfWithin``, transitively: Emmen within Drenthe):
  :data:`NESTED_REGION` (0.35);
- a region one names that is, lies within or holds the other body's area: :data:`OTHER_BODY` (0.25);
- a region clue whose larger region holds both bodies' areas: :data:`GENERIC_REGION` (0.1), whatever the row
  above. This is the generic case: both nodes merely lie in one area (Noord-Nederland for a Drenthe and a
  Groningen plan; Nederland for any two). When one body's area is unknown, the region counts as generic when
  it is larger than the other body's (known) area.

Two implicit places never make a clue (every node of two nested bodies would match). Of the region clues only
the best counts, once (naming Drenthe and Noord-Nederland is not twice the evidence): the highest weight, and
of equal ones those with the most places the nodes name; their regions are the link's region evidence.

**Score** ``= 1 - (1 - w_region) * prod(1 - w)`` over the other clues: each clue closes part of the gap to
certainty. A pair is proposed when its score is at least :data:`THRESHOLD` (0.5): a shared partner,
instrument, theme or named region suffices; a place alone (the other body's area, a region holding both) does
not. Each node takes part in at most :data:`MAX_PER_NODE` (3) proposals: pairs are taken by descending score,
ties by the rarest shared entity (the fewest compared nodes naming it: Agro&Food before innovation), then by
the text similarity of the two labels (:func:`kg.link.similarity.text_similarity`), then by ``level/key``; a pair is
skipped once either node has its three. The subject of a proposal is the node whose ``level/key`` sorts first
(the relation is symmetric), so a proposal keeps its statement IRI (:func:`kg.model.iris.statement_iri`) from
build to build. ``CrossLink.shared`` holds the entities of the clues that count (for a region clue, the regions
involved); ``CrossLink.method`` says per clue why and how much.

Only pairs that share a key are scored (an entity, or a region or one of its containers, that both name; or one
node's body that the other names): any other pair has only region clues with an implicit place, worth at most
0.25, below the threshold. **At scale** a key such as a broad theme or a region that holds many others
(Noord-Nederland) is named by thousands of nodes, and its pairs grow with the square of their number. A key named
by more than :data:`MAX_KEY_NODES` (200) compared nodes therefore pairs each of its nodes only with its
:data:`WINDOW` (3) neighbours on either side in the order of their labels (sorted neighbourhood, as in record
linkage): nodes whose labels begin alike, so likely alike, meet; the candidates grow linearly with the nodes. A
pair this leaves out may still be found through a rarer key both name. The seeds' keys are far below the cap.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import groupby

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from kg.link.review import MOGELIJK_VERWANT, REVIEW_FILE, Decision, End, Entry, Review, iri_ref, merge, node_ref
from kg.link.similarity import text_similarity
from kg.model.iris import node_iri, statement_iri
from kg.model.plan import CrossLink, Level, LinkKind, Linkset, Node, Plan

#: The levels whose nodes are compared: goals and performances.
PROPOSED_LEVELS = frozenset({Level.BELEIDSOPGAVE, Level.DOELSTELLING, Level.RESULTAAT, Level.DEELRESULTAAT})

#: Weight of an entity (not a region) both nodes name, by kind; other kinds (themes) weigh OTHER_KIND_WEIGHT.
KIND_WEIGHTS: dict[str, float] = {LinkKind.PARTNER.value: 0.6, LinkKind.INSTRUMENT.value: 0.6}
OTHER_KIND_WEIGHT = 0.5
#: Weights of the region clues and of a node that names the other node's body.
SAME_REGION = 0.5
NESTED_REGION = 0.35
OTHER_BODY = 0.25
GENERIC_REGION = 0.1
#: The least score of a proposal.
THRESHOLD = 0.5
#: The most proposals a node takes part in.
MAX_PER_NODE = 3
#: The most nodes of a key (module doc, last paragraph) whose every pair is compared; the nodes of a more common
#: key are compared with their :data:`WINDOW` neighbours on either side in the order of their labels.
MAX_KEY_NODES = 200
WINDOW = 3

GEO_SF_WITHIN = URIRef("http://www.opengis.net/ont/geosparql#sfWithin")
#: The link predicate of links accepted in review (that of proposals is :data:`kg.link.review.MOGELIJK_VERWANT`).
RELATED_MATCH = str(SKOS.relatedMatch)

#: The scoring rule in words (the end of every proposal's ``pb:methode``).
RULE = (
    f"kg.proposals: clues between nodes of two bodies' plans: an entity both name (partner or instrument "
    f"{KIND_WEIGHTS['partner']}, other kinds such as themes {OTHER_KIND_WEIGHT}), the best region clue (both name "
    f"it {SAME_REGION}, one within the other {NESTED_REGION}, the other body's area {OTHER_BODY}, a region holding "
    f"both bodies' areas {GENERIC_REGION}), one naming the other's body {OTHER_BODY}; score = 1 - prod(1 - w); "
    f"proposed from {THRESHOLD}, at most {MAX_PER_NODE} per node"
)


@dataclass(frozen=True)
class Clue:
    """One piece of evidence for a link: the entities it rests on, why they count, and its weight.

    Attributes:
        entities: IRIs of the entities (for a region clue, the regions involved), sorted.
        why: in words, e.g. ``theme named by both``.
        weight: from 0 to 1.
        region: for a region clue, how many of its two places the nodes name (1 or 2; the other is a body's
            area); 0 for any other clue. Only the best region clues count: the highest weight, and of those the
            ones with the most named places.
    """

    entities: tuple[str, ...]
    why: str
    weight: float
    region: int = 0


@dataclass(frozen=True)
class Geography:
    """The regions of the reference data: containment (``geo:sfWithin``, transitive) and bodies' areas.

    Attributes:
        containers: by region IRI, every region that holds it (not itself).
        areas: by body code in lower case (``pv22``), the IRI of the region with that ``dct:identifier``.
    """

    containers: dict[str, frozenset[str]]
    areas: dict[str, str]

    @classmethod
    def from_graph(cls, graph: Graph) -> Geography:
        """Collect containment and areas from the reference data ``graph`` (a containment cycle is harmless)."""
        parents: dict[str, set[str]] = defaultdict(set)
        for inner, outer in graph.subject_objects(GEO_SF_WITHIN):
            parents[str(inner)].add(str(outer))
        containers = {}
        for region in parents:
            seen: set[str] = set()
            todo = list(parents[region])
            while todo:
                if (container := todo.pop()) not in seen:
                    seen.add(container)
                    todo.extend(parents.get(container, set()))
            containers[region] = frozenset(seen - {region})
        areas = {
            str(code).lower(): str(region)
            for region, code in graph.subject_objects(DCTERMS.identifier)
            if (region, RDF.type, DCTERMS.Location) in graph
        }
        return cls(containers, areas)

    def holds(self, outer: str, inner: str) -> bool:
        """Return whether region ``outer`` is ``inner`` or holds it."""
        return outer == inner or outer in self.containers.get(inner, ())

    def up(self, region: str) -> frozenset[str]:
        """Return ``region`` and every region that holds it."""
        return self.containers.get(region, frozenset()) | {region}


@dataclass(frozen=True)
class _Side:
    """What one node brings to a comparison (module doc, "Evidence of a node")."""

    node: Node
    plan: Plan
    entities: dict[str, str]  # explicitly named entities that are not regions -> kind
    regions: frozenset[str]  # explicitly named regions other than the body's area
    body: str
    area: str | None

    @property
    def ref(self) -> str:
        return node_ref(self.node)


class Proposer:
    """Compares the goal and performance nodes of a build's plans (module doc).

    Args:
        plans: the plans of the build, keys assigned.
        reference: the reference data (regions with ``geo:sfWithin`` and ``dct:identifier``, labels).
    """

    def __init__(self, plans: list[Plan], reference: Graph) -> None:
        self.reference = reference
        self.geography = Geography.from_graph(reference)
        self.bodies = {plan.document.body.iri: plan.document.body.name for plan in plans}
        self.sides: dict[str, _Side] = {}
        for plan in plans:
            area = self.geography.areas.get(plan.document.body.code.lower())
            for node in plan.nodes():
                if node.level in PROPOSED_LEVELS and node.key:
                    self.sides[node_ref(node)] = self._side(node, plan, area)
        self.named = Counter(entity for side in self.sides.values() for entity in (*side.entities, *side.regions))

    def _side(self, node: Node, plan: Plan, area: str | None) -> _Side:
        named = [(m.kind.value, m.entity) for m in node.mentions] + [(k.value, e) for k, e in node.asserted]
        body = plan.document.body.iri
        entities = {entity: kind for kind, entity in named if kind != LinkKind.REGION.value and entity != body}
        regions = frozenset(entity for kind, entity in named if kind == LinkKind.REGION.value and entity != area)
        return _Side(node, plan, entities, regions, body, area)

    def plan_of(self, ref: str) -> Plan | None:
        """Return the plan of the node ``level/key``, or None when it is no goal or performance of the build."""
        side = self.sides.get(ref)
        return side.plan if side else None

    def assess(self, first: str, second: str) -> CrossLink | None:
        """Return the link between the nodes ``first`` and ``second`` (``level/key``) with its evidence and
        score, whatever the score; None when either is no goal or performance of the build or both are of
        one body. The subject is the node whose reference sorts first."""
        assessed = self.clues(first, second)
        if assessed is None:
            return None
        (subject, obj), counted = assessed
        score = _score(counted)
        shared = tuple(sorted({entity for clue in counted for entity in clue.entities}))
        return CrossLink(subject, obj, score, self._method(counted, score), shared)

    def clues(self, first: str, second: str) -> tuple[tuple[Node, Node], list[Clue]] | None:
        """Return (subject, object) and the clues that count between the nodes ``first`` and ``second``
        (``level/key``): every entity clue and the best region clues; None as :meth:`assess`."""
        a, b = sorted((self.sides.get(first), self.sides.get(second)), key=lambda s: s.ref if s else "")
        if a is None or b is None or a.plan.document.body.code == b.plan.document.body.code:
            return None
        clues = self._clues(a, b)
        best = max(((clue.weight, clue.region) for clue in clues if clue.region), default=None)
        return (a.node, b.node), [clue for clue in clues if not clue.region or (clue.weight, clue.region) == best]

    def propose(self, exclude: Collection[tuple[str, str]] = ()) -> list[CrossLink]:
        """Return the proposals (module doc): score at least :data:`THRESHOLD`, at most :data:`MAX_PER_NODE`
        per node, by descending score, then subject and object ``level/key``.

        Pairs are taken by descending score; ties by the rarest shared entity (the fewest compared nodes naming
        it, :meth:`_rarest`), then by descending text similarity of the labels
        (:func:`kg.link.similarity.text_similarity`), then by subject and object ``level/key``. The text similarity
        is computed only for the pairs of equal
        score and rarest entity whose nodes both still have room, and the method only for the pairs taken: the
        result is that of ranking every pair, at a cost that grows with the pairs scored, not with the pairs
        ranked.

        Args:
            exclude: pairs (subject, object ``level/key``) not to propose (reviewed ones); they do not take a
                node's place among its :data:`MAX_PER_NODE`.
        """
        scored = []
        for first, second in self._candidates():
            assessed = None if (first, second) in exclude else self.clues(first, second)
            if assessed is not None and (score := _score(assessed[1])) >= THRESHOLD:
                scored.append((-score, self._rarest(assessed[1]), first, second))
        scored.sort()
        taken: dict[str, int] = defaultdict(int)
        proposals = []
        def room(pair: tuple[str, str]) -> bool:
            return all(taken[end] < MAX_PER_NODE for end in pair)

        for _tie, group in groupby(scored, key=lambda item: item[:2]):
            pairs = [(first, second) for *_, first, second in group if room((first, second))]
            for pair in sorted(pairs, key=lambda pair: (-self._text(*pair), pair)):
                if room(pair) and (link := self.assess(*pair)):
                    proposals.append(link)
                    for end in pair:
                        taken[end] += 1
        return proposals

    def _rarest(self, clues: list[Clue]) -> int:
        """How many compared nodes name the rarest entity of ``clues`` (all compared nodes when none does)."""
        named = [self.named[entity] for clue in clues for entity in clue.entities if entity in self.named]
        return min(named, default=len(self.sides))

    def _text(self, first: str, second: str) -> float:
        """The text similarity of the labels of the nodes ``first`` and ``second`` (``level/key``)."""
        return text_similarity(self.sides[first].node.label, self.sides[second].node.label)

    def _candidates(self) -> Iterator[tuple[str, str]]:
        """Yield each pair of nodes of different bodies that shares a key (module doc, last paragraph), sorted;
        for a key named by more than :data:`MAX_KEY_NODES` nodes, only the pairs of neighbours
        (:meth:`_neighbours`)."""
        named: dict[str, set[str]] = defaultdict(set)
        for ref, side in self.sides.items():
            for key in (*side.entities, *(outer for region in side.regions for outer in self.geography.up(region))):
                named[key].add(ref)
        by_body: dict[str, set[str]] = defaultdict(set)
        for ref, side in self.sides.items():
            by_body[side.body].add(ref)
        pairs: set[tuple[str, str]] = set()
        for key, refs in named.items():
            others = refs | by_body.get(key, set())
            if len(others) <= MAX_KEY_NODES:
                pairs.update((a, b) for a in refs for b in others if a != b)
            else:
                pairs.update(self._neighbours(refs, others))
        codes = {ref: side.plan.document.body.code for ref, side in self.sides.items()}
        yield from sorted({(min(a, b), max(a, b)) for a, b in pairs if codes[a] != codes[b]})

    def _neighbours(self, refs: set[str], others: set[str]) -> Iterator[tuple[str, str]]:
        """Pairs of a common key: each node of ``refs`` with the :data:`WINDOW` nodes of ``others`` before and
        after it in the order of their labels (case folded, then ``level/key``)."""
        order = sorted(others, key=lambda ref: (self.sides[ref].node.label.casefold(), ref))
        for i, a in enumerate(order):
            if a in refs:
                yield from ((a, b) for b in order[max(0, i - WINDOW):i + WINDOW + 1] if b != a)

    def _clues(self, a: _Side, b: _Side) -> list[Clue]:
        """Every clue between subject ``a`` and object ``b`` (module doc, "Clues")."""
        clues = []
        for entity in sorted(a.entities.keys() & b.entities.keys()):
            kind = a.entities[entity]
            clues.append(Clue((entity,), f"{kind} named by both", KIND_WEIGHTS.get(kind, OTHER_KIND_WEIGHT)))
        for named, other, who in ((a, b, "subject"), (b, a, "object")):
            if other.body in named.entities:
                clues.append(Clue((other.body,), f"the {who} names the other's body", OTHER_BODY))
        places = [[(r, True) for r in sorted(side.regions)] + ([(side.area, False)] if side.area else [])
                  for side in (a, b)]
        for p, p_named in places[0]:
            for q, q_named in places[1]:
                if clue := self._region_clue(a, b, (p, p_named), (q, q_named)):
                    clues.append(clue)
        return clues

    def _region_clue(self, a: _Side, b: _Side, p: tuple[str, bool], q: tuple[str, bool]) -> Clue | None:
        """The clue of place ``p`` of subject ``a`` and place ``q`` of object ``b`` (each: region IRI, whether
        the node names it), or None when neither is named or the two regions are apart."""
        (p_region, p_named), (q_region, q_named) = p, q
        geo = self.geography
        if not (p_named or q_named):
            return None
        if geo.holds(p_region, q_region):
            outer = p_region
        elif geo.holds(q_region, p_region):
            outer = q_region
        else:
            return None
        regions, named = tuple(sorted({p_region, q_region})), int(p_named) + int(q_named)
        known = [side.area for side in (a, b) if side.area]
        if known and all(geo.holds(outer, area) for area in known) and (len(known) == 2 or outer != known[0]):
            return Clue(regions, f"{self.label(outer)} holds both bodies' areas", GENERIC_REGION, named)
        if not (p_named and q_named):
            (namer, region), (owner, area) = (("subject", p_region), ("object", q_region)) if p_named else \
                (("object", q_region), ("subject", p_region))
            relation = "is" if region == area else "lies within" if geo.holds(area, region) else "holds"
            return Clue(regions, f"named by the {namer}; it {relation} the {owner}'s body's area", OTHER_BODY, named)
        if p_region == q_region:
            return Clue(regions, "region named by both", SAME_REGION, named)
        inner = q_region if outer == p_region else p_region
        return Clue(regions, f"{self.label(inner)} lies within {self.label(outer)}", NESTED_REGION, named)

    def _method(self, clues: list[Clue], score: float) -> str:
        """The link's ``pb:methode``: each counted clue with its weight, the score, and :data:`RULE`."""
        parts = [f"{', '.join(map(self.label, clue.entities))}: {clue.why} ({clue.weight})" for clue in clues]
        return f"{'; '.join(parts) or 'no shared entity'}; score {score:.3f}. {RULE}"

    def label(self, iri: str) -> str:
        """Return the Dutch (or untagged) ``skos:prefLabel`` of a reference entity, a body's name, or the IRI."""
        labels = sorted(str(value) for value in self.reference.objects(URIRef(iri), SKOS.prefLabel)
                        if isinstance(value, Literal) and value.language in (None, "nl"))
        return labels[0] if labels else self.bodies.get(iri, iri)

    def kind(self, iri: str) -> str:
        """Return what an entity of the evidence is (partner, region, instrument, theme, ...)."""
        for side in self.sides.values():
            if iri in side.entities:
                return side.entities[iri]
        return LinkKind.PARTNER.value if iri in self.bodies else LinkKind.REGION.value


def _score(clues: list[Clue]) -> float:
    """The score of a pair from the clues that count (module doc, "Score")."""
    best = max((clue.weight for clue in clues if clue.region), default=0.0)
    return 1 - (1 - best) * math.prod(1 - clue.weight for clue in clues if not clue.region)


def propose(plans: list[Plan], reference: Graph) -> list[CrossLink]:
    """Return the proposed links between goals and performances of plans of different bodies (module doc).

    Args:
        plans: the plans of the build, keys assigned (:func:`kg.rdf.keys.assign_keys`) and linked
            (:func:`kg.link.entities.link_plan`).
        reference: the reference data graph (:attr:`kg.link.entities.ReferenceData.graph`).

    Returns:
        The proposals, by descending score; each :class:`kg.model.plan.CrossLink` with its score, method and shared
        entity IRIs.
    """
    return Proposer(plans, reference).propose()


def proposal_linksets(plans: list[Plan], reference: Graph, review: Review | None = None) -> list[Linkset]:
    """Return the linksets ``voorstellen`` (open proposals, ``pb:mogelijkVerwant``) and ``vastgesteld`` (links
    accepted in review, ``skos:relatedMatch``).

    The proposals are those of :func:`propose` less the reviewed pairs (accepted and rejected ones appear only
    as decided). An accepted link keeps its evidence, scored afresh, and its method says it was accepted in
    review, with the reviewer's note. A reviewed entry whose nodes are no longer goals or performances of two
    bodies in the build is left out with a warning in the linkset's report (``warnings``), not an error.

    Args:
        plans: as :func:`propose`.
        reference: as :func:`propose`.
        review: the review file's decisions (:func:`kg.link.review.load_review`), or None for none.
    """
    proposer = Proposer(plans, reference)
    decided = review.decided() if review else {}
    proposals = proposer.propose(exclude=decided)
    accepted, warnings = [], []
    for pair, entry in decided.items():
        link = proposer.assess(*pair)
        if link is None:
            where = f"{review.path if review else REVIEW_FILE}:{entry.line}"
            warnings.append(f"{where}: {entry.decision.value} link {entry.id} is not between goals or performances "
                            f"of two bodies in this build ({entry.subject.iri}, {entry.object.iri}): left out")
        elif entry.decision is Decision.ACCEPTED:
            accepted.append(_accepted(link, entry))
    rejected = sum(entry.decision is Decision.REJECTED for entry in decided.values())
    report = {"threshold": THRESHOLD, "max_per_node": MAX_PER_NODE}
    return [
        Linkset("voorstellen", ("Voorgestelde koppelingen tussen plannen van verschillende overheden",
                                "Proposed links between plans of different bodies"), str(MOGELIJK_VERWANT), proposals,
                {**report, "proposed": len(proposals), "rejected": rejected, "warnings": warnings}),
        Linkset("vastgesteld", ("Vastgestelde koppelingen tussen plannen van verschillende overheden",
                                "Accepted links between plans of different bodies"), RELATED_MATCH, accepted,
                {"accepted": len(accepted)}),
    ]


def _accepted(link: CrossLink, entry: Entry) -> CrossLink:
    """``link`` as accepted in review: its method says so, with the reviewer's note."""
    note = f" (note: {entry.note})" if entry.note else ""
    method = f"accepted in review ({REVIEW_FILE}, {entry.id}){note}; evidence: {link.method}"
    return CrossLink(link.subject, link.object, link.score, method, link.shared)


def review_entries(plans: list[Plan], reference: Graph, review: Review, base: str) -> list[Entry]:
    """Return the review file's entries after this build's proposals (what ``kg link`` writes).

    Every entry of ``review`` stays, with its decision and note, described afresh when its nodes are still
    goals or performances of two bodies (marked ``stale: no longer proposed`` when it is open and no longer
    proposed), else marked ``stale`` naming the missing nodes; new proposals follow as open, by descending
    score.

    Args:
        plans: as :func:`propose`.
        reference: as :func:`propose`.
        review: the review file as read (:func:`kg.link.review.load_review`).
        base: the base IRI the entries' IRIs are written under.
    """
    proposer = Proposer(plans, reference)
    decided = review.decided()
    current = {(node_ref(p.subject), node_ref(p.object)): p for p in proposer.propose(exclude=decided)}
    described, gone = {}, {}
    for entry in review.entries:
        link = current.get(entry.pair) or proposer.assess(*entry.pair)
        if link is None:
            missing = [end.iri for end in (entry.subject, entry.object) if proposer.plan_of(iri_ref(end.iri)) is None]
            gone[entry.pair] = f"node no longer exists: {', '.join(missing)}" if missing else "not between two bodies"
        else:
            stale = None if entry.pair in current or entry.pair in decided else "no longer proposed"
            described[entry.pair] = _describe(proposer, link, base, stale)
    for pair, link in current.items():
        described.setdefault(pair, _describe(proposer, link, base, None))
    return merge(review, described, gone)


def _describe(proposer: Proposer, link: CrossLink, base: str, stale: str | None) -> Entry:
    """The review entry of ``link`` (open), with labels, plans, source lines and evidence for the reviewer."""
    ends = []
    for node in (link.subject, link.object):
        doc = proposer.sides[node_ref(node)].plan.document
        plan = f"{doc.body.name}, {doc.kind} {doc.year}"
        ends.append(End(str(node_iri(base, node)), node.label, plan, f"{doc.path.name}:{node.start_line}"))
    identifier = statement_iri(base, URIRef(ends[0].iri), MOGELIJK_VERWANT, URIRef(ends[1].iri))
    assessed = proposer.clues(node_ref(link.subject), node_ref(link.object))
    why = {entity: clue for clue in (assessed[1] if assessed else []) for entity in reversed(clue.entities)}
    evidence = tuple(
        {"iri": iri, "label": proposer.label(iri), "kind": proposer.kind(iri), "why": why[iri].why,
         "weight": why[iri].weight}
        for iri in link.shared
    )
    return Entry(str(identifier), ends[0], ends[1], score=link.score, evidence=evidence, stale=stale)
