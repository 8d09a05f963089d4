"""Plan model: the goal tree of one plan document, independent of RDF and HTTP.

BBV (Besluit begroting en verantwoording) levels as Drenthe names them:
Programma -> Product -> Beleidsopgave -> Doelstelling -> Resultaat -> Deelresultaat (bullet sub-item).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from kg.model.source import SourceDocument


class Level(StrEnum):
    """A level of the goal tree; the value is the ontology class's local name in lower case."""

    PROGRAMMA = "programma"
    PRODUCT = "product"
    BELEIDSOPGAVE = "beleidsopgave"
    DOELSTELLING = "doelstelling"
    RESULTAAT = "resultaat"
    DEELRESULTAAT = "deelresultaat"


class LinkKind(StrEnum):
    """What a mentioned entity is to a plan node: a partner organisation, a region, an instrument, or a
    policy theme (a concept of the theme scheme ``ontology/thema.ttl`` that classifies the node)."""

    PARTNER = "partner"
    REGION = "region"
    INSTRUMENT = "instrument"
    THEME = "theme"


@dataclass(frozen=True)
class Mention:
    """A mention of a reference entity in a node's label, or on a source line that lists it for the node (the
    evidence of a link).

    Attributes:
        entity: the entity's IRI.
        kind: what the entity is to the node.
        start: offset of the first character of the mention in the node's label (0-based), or in the text of
            its source line ``line`` (white space collapsed, as :attr:`Listed.text`) when that is set.
        end: offset just past the mention's last character (so ``label[start:end] == text``).
        text: the matched text, as in the label (or the line).
        line: None for a mention in the label; else the source line that lists the entity for the node (an
            organisation of a "Verbonden partijen" paragraph, :class:`Listed`).
        role: the role the source gives the entity for the node (``verbonden partij``), or None.
    """

    entity: str
    kind: LinkKind
    start: int
    end: int
    text: str
    line: int | None = None
    role: str | None = None


@dataclass(frozen=True)
class Listed:
    """An organisation a page lists for a node outside its label, such as a partner organisation in the
    "Verbonden partijen" paragraph of a programme (BBV: its affiliated parties). The linker turns the name into
    a partner mention (:class:`Mention` with ``line``); without a match it stays a name.

    Attributes:
        line: the source line (1-based).
        text: the line, white space collapsed.
        start: offset of the organisation's name in ``text``.
        end: offset just past the name (``text[start:end]`` is the name, as listed).
        role: the role the page gives it (``verbonden partij``), or None.
    """

    line: int
    text: str
    start: int
    end: int
    role: str | None = None

    @property
    def name(self) -> str:
        """The organisation's name as the page lists it."""
        return self.text[self.start : self.end]


@dataclass(eq=False)
class Node:
    """One node of the goal tree.

    Attributes:
        level: the node's level.
        label: the node's text, whitespace normalised, words as in the source.
        start_line: first source line (1-based) the node was read from.
        end_line: last source line (inclusive).
        notation: the official number (``"2"``, ``"2.1"``) or None; never invented.
        parent: the node one level up (None for a programme).
        children: nodes one level down, in source order.
        see_also: notations of other programmes of the same plan that the text refers to.
        key: the stable key (last IRI segment), set by :mod:`kg.rdf.keys`.
        mentions: reference entities its label mentions, set by :func:`kg.link.entities.link_plan`.
        statuses: statuses the source gives the node, as (ontology property, concept scheme, concept) names,
            e.g. ``("inhoudelijkeKleurscore", "kleurscore", "groen")``; a status the source does not give is
            absent.
        asserted: links an author states without evidence in the text (authoring format), as (kind, entity
            IRI); mapped beside the linker's mentions.
        description: prose the source gives under the node (a "Toelichting"), its lines joined with newlines and
            a blank line between paragraphs; "" when it gives none.
        description_lines: the first and last source line of the description (None without one).
        listed: organisations the source lists for the node outside its label (partners; :class:`Listed`).
    """

    level: Level
    label: str
    start_line: int
    end_line: int
    notation: str | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    key: str = ""
    mentions: list[Mention] = field(default_factory=list)
    statuses: list[tuple[str, str, str]] = field(default_factory=list)
    asserted: list[tuple[LinkKind, str]] = field(default_factory=list)
    description: str = ""
    description_lines: tuple[int, int] | None = None
    listed: list[Listed] = field(default_factory=list)

    def add(self, child: Node) -> Node:
        """Attach ``child`` as the last child of this node and return it."""
        child.parent = self
        self.children.append(child)
        return child

    @property
    def position(self) -> int:
        """1-based position among its siblings (source order)."""
        siblings = self.parent.children if self.parent else [self]
        return siblings.index(self) + 1

    def walk(self) -> Iterator[Node]:
        """Yield this node and all its descendants, depth first in source order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Measurement:
    """One value of an indicator, as a table cell gives it.

    Attributes:
        kind: ``realisatie`` (a measured value), ``streefwaarde`` (a target) or ``nulmeting`` (the baseline the
            targets start from).
        start_year: the year it is for (the first year of a period such as 2020-2022), or None when its column
            names no year (a "Nulmeting", a "Streefwaarde" without a year).
        end_year: the last year of a period, or None for one year.
        value: the number, as a decimal (``"13,0"`` -> ``Decimal("13.0")``, ``"10.180"`` -> ``10180``).
        operator: a target's comparison: ``>``, ``>=``, ``<`` or ``<=``; None for an exact value.
        unit: ``%`` when the cell gives a percentage, else None.
        line: the source line of the cell.
    """

    kind: str
    start_year: int | None
    end_year: int | None
    value: Decimal
    operator: str | None
    unit: str | None
    line: int


@dataclass(eq=False)
class Indicator:
    """A measure of a plan with its yearly values and targets (an effect or performance indicator).

    Attributes:
        label: what is measured, as published (for an item of a list: the list's head and the item).
        group: the table's indicator column (the subject, e.g. ``Economie algemeen``), or None.
        note: the source of the figures as published (``Bron: CBS``), or None.
        start_line: first source line of its description.
        end_line: last source line of its description.
        measurements: its values, in table order; a missing value (``n.b.``, ``PM``, an empty cell) is absent.
        key: the stable key (last IRI segment), set by :mod:`kg.rdf.keys`.
        notation: the indicator's own code as the source prints it (``4.1.2.1``), or None.
        parent: the plan node the indicator measures (the node open above its table), or None for a top concept.
    """

    label: str
    group: str | None
    note: str | None
    start_line: int
    end_line: int
    measurements: list[Measurement] = field(default_factory=list)
    key: str = ""
    notation: str | None = None
    parent: Node | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """What became of one non-blank source line.

    Attributes:
        line: 1-based line number.
        text: the line as in the source.
        outcome: ``node`` (part of a node), ``header`` (a recognised heading) or ``skipped``.
        detail: the node's level, the header's name, or the reason for skipping.
    """

    line: int
    text: str
    outcome: str
    detail: str


@dataclass(frozen=True)
class Decision:
    """How an objective-or-result row was classified, and whether a person reviewed it.

    Attributes:
        line: the row's first source line.
        text: the row's text.
        level: the level decided (after any curation entry).
        rule: the rule or cues that decided it, in words.
        uncertain: True when a reader could well disagree (see ``doubt``).
        curated: True when a curation entry overrode the rule (the level is the reviewer's, not the rule's).
        reviewed: True when a curation entry confirmed or overrode the decision.
        doubt: why the decision is uncertain, in words ("" when it is not).
        above: the notations and labels of the nodes above the row, nearest first (a curation entry's
            ``within`` names one of them).
    """

    line: int
    text: str
    level: Level
    rule: str
    uncertain: bool
    curated: bool
    reviewed: bool = False
    doubt: str = ""
    above: tuple[str, ...] = ()

    @property
    def unreviewed(self) -> bool:
        """Whether the decision is uncertain and nobody reviewed it."""
        return self.uncertain and not self.reviewed


@dataclass
class Plan:
    """A plan document read into its goal tree.

    Attributes:
        document: the source it was read from.
        programmes: the top nodes, in source order: the programmes, or the highest level a page shows (a
            page of one policy task or of performances starts below the programme).
        ledger: one entry per non-blank source line.
        decisions: objective-or-result decisions, in source order.
        indicators: the indicators the document's tables give, in source order.
    """

    document: SourceDocument
    programmes: list[Node] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    def nodes(self) -> Iterator[Node]:
        """Yield every node of the plan, depth first in source order."""
        for programme in self.programmes:
            yield from programme.walk()

    def count(self, level: Level) -> int:
        """Return the number of nodes at ``level``."""
        return sum(1 for node in self.nodes() if node.level is level)

    def unaccounted_lines(self) -> list[int]:
        """Return the non-blank source lines that have no ledger entry (the build refuses such a plan)."""
        accounted = {entry.line for entry in self.ledger}
        return [n for n, line in enumerate(self.document.lines, 1) if line.strip() and n not in accounted]


@dataclass(frozen=True)
class CrossLink:
    """A link between nodes of two plans, with its evidence (link stage, across documents).

    Attributes:
        subject: the node the link starts from (a later plan's node, a budget's result, a proposal's node).
        object: the node it points to.
        score: how strongly the evidence supports it, from 0 to 1.
        method: what was compared and how ``score`` was computed, in words.
        shared: IRIs of the entities (partners, regions, instruments, themes) both nodes name.
    """

    subject: Node
    object: Node
    score: float
    method: str
    shared: tuple[str, ...] = ()


@dataclass
class Linkset:
    """One kind of link between plans: published as a VoID linkset in its own named graph.

    Attributes:
        name: the last segment of its graph IRI (``{base}/graph/koppelingen/{name}``), e.g. ``voortzetting``.
        title: its title in Dutch and English.
        predicate: the IRI of the link property (``void:linkPredicate``).
        links: the links, each between nodes of two different plans.
        report: what the build reports about it (counts per pair of plans, matched/new/dropped, ...), JSON-ready.
        extra: further triples per link subject-object pair, e.g. the realisation status a budget result takes
            from its report item: (node, property IRI, object IRI).
    """

    name: str
    title: tuple[str, str]
    predicate: str
    links: list[CrossLink] = field(default_factory=list)
    report: dict[str, object] = field(default_factory=dict)
    extra: list[tuple[Node, str, str]] = field(default_factory=list)
