"""How alike two plan nodes are, and a one-to-one assignment of nodes by that score (link stage, across plans).

One similarity serves every link between plans that rests on text (:mod:`kg.link.years`, :mod:`kg.link.realisation`):

1. **Labels** are normalised: Unicode NFKD with the accents dropped, lower case, split into words at every
   character that is not a letter or digit (``chemie/BBE`` -> ``chemie bbe``, ``Noord-Nederland`` ->
   ``noord nederland``), and the Dutch function words of :data:`STOPWORDS` dropped.
2. **Text similarity** ``t``: each word of one label is paired with the most similar word of the other label
   by rapidfuzz's normalised Indel similarity (``rapidfuzz.fuzz.ratio`` / 100), and counts, weighted by that
   similarity, when it reaches :data:`WORD_SIMILARITY`, so that Dutch compounds and inflections still meet
   (``greenportcluster`` ~ ``greenport`` 0.72, ``ontwikkeling`` ~ ``doorontwikkeling`` 0.86, ``projecten``
   ~ ``project`` 0.88; ``chemie`` ~ ``chemiecluster`` 0.63 does not count). The coverage of a label is the
   share of its characters (word lengths) that count; ``t`` is the larger of the two labels' coverages.
   A later plan often restates an item at length (Drenthe 2017: "Communicatieprogramma BBE is in uitvoering.
   Resultaten hiervan zijn ..." for 2016's "Communicatieprogramma BBE 2015-2020 in uitvoering"), so the
   better-covered (usually the shorter) label decides, as in an overlap coefficient.
3. **Shared entities**: the partners and instruments both nodes name (:attr:`kg.model.plan.Node.mentions` found by
   :mod:`kg.link.entities`, and the links an author asserts) give ``e`` = shared / the number the node with fewer
   names. Regions and themes are listed as shared evidence (``pb:gedeeld``) but do not raise the score: a
   body's own province or a broad theme is named by many items of the same plan.
4. **Score** = ``t + (1 - t) * e / 2``: a shared named partner or instrument closes half the gap between the
   text similarity and certainty.

:func:`assign` pairs nodes one-to-one, greedily: candidate pairs by descending score (ties by source lines),
each taken when neither node is taken yet and its score reaches the threshold. Greedy is not an optimal
assignment, but with a threshold it keeps every clear match (the best pair of both nodes is taken first)
and is easy to explain pair by pair.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from kg.model.plan import LinkKind, Node, Plan

#: Dutch function words (articles, prepositions, conjunctions, pronouns, auxiliaries) left out of labels.
STOPWORDS = frozenset({
    "de", "het", "een", "en", "of", "in", "op", "van", "voor", "met", "aan", "als", "bij", "door", "naar", "om",
    "over", "te", "tot", "uit", "dat", "die", "dit", "deze", "er", "is", "zijn", "wordt", "worden", "werd", "zal",
    "zullen", "heeft", "hebben", "ook", "nog", "al", "wij", "we", "ons", "onze",
})

#: Least rapidfuzz ratio (0-100) at which a word counts as the counterpart of another.
WORD_SIMILARITY = 70.0

#: The kinds of entity whose sharing raises the score (regions and themes only count as listed evidence).
SPECIFIC_KINDS = frozenset({LinkKind.PARTNER, LinkKind.INSTRUMENT})

#: The score computation in words, for a link's ``pb:methode``.
SIMILARITY_METHOD = (
    "score = t + (1 - t) * e / 2, where t is the text similarity of the two labels (normalised: accents and "
    "punctuation removed, lower case, Dutch function words dropped; each word paired with the most similar "
    f"word of the other label by rapidfuzz fuzz.ratio, counting, weighted by that ratio, from {WORD_SIMILARITY:.0f}; "
    "t = the larger share of a label's characters that count) and e is the share of partners and instruments "
    "(kg linker mentions) named by the node naming fewer that both nodes name"
)


@dataclass(frozen=True)
class Evidence:
    """How alike two nodes are.

    Attributes:
        score: the combined score, from 0 to 1 (module doc, step 4).
        text: the text similarity ``t`` of their labels, from 0 to 1.
        shared: IRIs of every entity both nodes name (partners, regions, instruments, themes), sorted.
    """

    score: float
    text: float
    shared: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A pair of nodes that :func:`assign` matched: ``subject`` (the linking node) and ``object``."""

    subject: Node
    object: Node
    evidence: Evidence


def words(label: str) -> list[str]:
    """Return the normalised words of ``label`` (module doc, step 1), in order; function words dropped."""
    decomposed = unicodedata.normalize("NFKD", label.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [word for word in re.findall(r"[^\W_]+", plain) if word not in STOPWORDS]


def text_similarity(a: str, b: str) -> float:
    """Return the text similarity ``t`` of two labels, from 0 to 1 (module doc, step 2).

    Two labels with no words (only function words or punctuation) have similarity 0.
    """
    first, second = words(a), words(b)
    return max(_coverage(first, second), _coverage(second, first))


def _coverage(label: list[str], other: list[str]) -> float:
    """The share of ``label``'s characters whose words have a counterpart in ``other``, weighted by similarity."""
    total = sum(len(word) for word in label)
    if not total or not other:
        return 0.0
    counted = 0.0
    for word in label:
        best = process.extractOne(word, other, scorer=fuzz.ratio, score_cutoff=WORD_SIMILARITY)
        if best is not None:
            counted += best[1] / 100 * len(word)
    return counted / total


def entities(node: Node, kinds: Iterable[LinkKind] | None = None) -> set[str]:
    """Return the IRIs of the entities ``node`` names (mentions and asserted links), of ``kinds`` or of any kind."""
    wanted = set(LinkKind) if kinds is None else set(kinds)
    found = {mention.entity for mention in node.mentions if mention.kind in wanted}
    return found | {entity for kind, entity in node.asserted if kind in wanted}


def similarity(a: Node, b: Node) -> Evidence:
    """Return how alike nodes ``a`` and ``b`` are: text similarity, shared entities and their score.

    The score is symmetric and lies between 0 and 1 (module doc, steps 2 to 4).
    """
    text = text_similarity(a.label, b.label)
    specific_a, specific_b = entities(a, SPECIFIC_KINDS), entities(b, SPECIFIC_KINDS)
    share = len(specific_a & specific_b) / min(len(specific_a), len(specific_b)) if specific_a and specific_b else 0.0
    return Evidence(text + (1 - text) * share / 2, text, tuple(sorted(entities(a) & entities(b))))


def assign(candidates: Iterable[tuple[Node, Node]], threshold: float) -> list[Match]:
    """Match nodes one-to-one among candidate pairs, greedily by descending score (module doc).

    Args:
        candidates: (subject, object) pairs that may be linked; a node may appear in several.
        threshold: the least score of a match.

    Returns:
        The matches, in the order they were taken (by descending score; ties by the subject's, then the
        object's first source line).
    """
    scored = [Match(subject, obj, similarity(subject, obj)) for subject, obj in candidates]
    scored.sort(key=lambda m: (-m.evidence.score, m.subject.start_line, m.object.start_line))
    taken: set[int] = set()
    matches = []
    for match in scored:
        if match.evidence.score < threshold or id(match.subject) in taken or id(match.object) in taken:
            continue
        taken.update((id(match.subject), id(match.object)))
        matches.append(match)
    return matches


def node_summary(node: Node) -> dict[str, Any]:
    """Return how a report of links between plans names a node: official number (or None), label, first line."""
    return {"notation": node.notation, "label": node.label, "line": node.start_line}


def plan_summary(plan: Plan) -> dict[str, Any]:
    """Return how a report of links between plans names a plan: document key, kind, year and ``cut_off``."""
    doc = plan.document
    return {"key": doc.key, "kind": doc.kind, "year": doc.year, "cut_off": doc.cut_off}
