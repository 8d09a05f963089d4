"""Link stage: find mentions of reference entities (partners, regions, instruments) and policy themes in
plan nodes.

Sits between the reader (plan model) and the mapping (RDF). The reference data (``vocab/*.ttl``) names
each entity with ``skos:prefLabel``, ``skos:altLabel`` (abbreviations, spelling variants) and
``skos:hiddenLabel`` (inflected and adjective forms: "Drentse", "noordelijke"). A label matches as a
whole word (not inside a longer word) and with its exact capitals, except that a form written in lower
case also matches with a capital first letter (at the start of a sentence). Where matches overlap, the
longest wins, so "Groningen Airport Eelde" is the airport and not the province Groningen, while "Emmen en
Delfzijl" is two places. Mentions of the publishing body itself are not links (the province is not a
partner of its own plan). Capitalised phrases and acronyms that match nothing are reported as candidates
for the reference data.

Policy themes are the concepts of the theme scheme (``ontology/thema.ttl``, ``skos:inScheme``
:data:`THEME_SCHEME`), found by their Dutch labels with the same rules. They classify a node rather than name
a partner: they are searched in the labels of nodes of every level (a product "Biobased economy / chemie" is
about the biobased economy), independently of the entities (a theme word inside an instrument's name, as
"Breedband" in "Revolving Fonds Breedband", classifies the node too), and a candidate name made only of
theme words ("Biobased Economy") is no candidate.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, SKOS

from kg.model.plan import Level, LinkKind, Mention, Node, Plan
from kg.settings import ONTOLOGY_NS

SCHEMA_FUNDING_SCHEME = URIRef("https://schema.org/FundingScheme")

#: The class that makes an entity a partner, a region or an instrument.
KIND_OF_CLASS: dict[URIRef, LinkKind] = {
    ORG.Organization: LinkKind.PARTNER,
    DCTERMS.Location: LinkKind.REGION,
    FOAF.Project: LinkKind.INSTRUMENT,
    SCHEMA_FUNDING_SCHEME: LinkKind.INSTRUMENT,
}

#: The concept scheme of policy themes (``ontology/thema.ttl``).
THEME_SCHEME = URIRef(ONTOLOGY_NS.rsplit("/", 1)[0] + "/thema")

#: The concept scheme whose concepts are of a kind (the concepts are found by ``skos:inScheme``).
KIND_OF_SCHEME: dict[URIRef, LinkKind] = {THEME_SCHEME: LinkKind.THEME}

#: Kinds of reference entities: searched in the labels of :data:`LINKED_LEVELS` only.
ENTITY_KINDS = frozenset({LinkKind.PARTNER, LinkKind.REGION, LinkKind.INSTRUMENT})

#: Kinds that classify a node: searched in the labels of nodes of every level, apart from the entities.
CLASSIFYING_KINDS = frozenset({LinkKind.THEME})

#: Levels whose labels are searched for mentions of reference entities.
LINKED_LEVELS = (Level.DOELSTELLING, Level.RESULTAAT, Level.DEELRESULTAAT)

#: A run of capitalised words or acronyms (a name candidate), e.g. "Greenportcluster Noord-Nederland".
_NAME = re.compile(r"(?:\b[A-Z][\w&/+-]*(?:\s+(?:van|voor|en|de|of)?\s*[A-Z][\w&/+-]*)*)")


class ReferenceDataError(ValueError):
    """The reference data cannot be used (e.g. an entity with a label but no known class)."""


@dataclass(frozen=True)
class Form:
    """One surface form of an entity and the pattern that finds it."""

    text: str
    entity: str
    kind: LinkKind
    pattern: re.Pattern[str]


@dataclass
class Gazetteer:
    """The surface forms of every reference entity and policy theme (see the module doc for the matching
    rules)."""

    forms: list[Form] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Graph) -> Gazetteer:
        """Collect the forms of every entity of a known class (:data:`KIND_OF_CLASS`) and of every concept of
        a known scheme (:data:`KIND_OF_SCHEME`) in ``graph``: its ``skos:prefLabel``, ``skos:altLabel`` and
        ``skos:hiddenLabel`` values in Dutch (``@nl``) or without a language tag.

        Raises:
            ReferenceDataError: when an entity of a known class or a concept of a known scheme has no Dutch
                (or untagged) skos:prefLabel.
        """
        gazetteer = cls()
        kinds = [(kind, graph.subjects(RDF.type, cls_iri)) for cls_iri, kind in KIND_OF_CLASS.items()]
        kinds += [(kind, graph.subjects(SKOS.inScheme, scheme)) for scheme, kind in KIND_OF_SCHEME.items()]
        for kind, subjects in kinds:
            for entity in sorted(set(subjects), key=str):
                labels = _dutch(graph.objects(entity, SKOS.prefLabel))
                if not labels:
                    raise ReferenceDataError(f"{entity} has no skos:prefLabel")
                gazetteer.labels[str(entity)] = labels[0]
                for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                    for form in _dutch(graph.objects(entity, prop)):
                        gazetteer.forms.append(Form(form, str(entity), kind, _pattern(form)))
        return gazetteer

    def find(self, text: str, kinds: Collection[LinkKind] | None = None) -> list[Mention]:
        """Return the mentions in ``text`` (of the forms of ``kinds``, or of all forms): the longest of
        overlapping matches, in text order."""
        matches = [
            Mention(form.entity, form.kind, m.start(), m.end(), m.group(0))
            for form in self.forms
            if kinds is None or form.kind in kinds
            for m in form.pattern.finditer(text)
        ]
        chosen: list[Mention] = []
        for mention in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
            if all(mention.end <= c.start or mention.start >= c.end for c in chosen):
                chosen.append(mention)
        return sorted(chosen, key=lambda m: m.start)


def _dutch(values: Iterable[object]) -> list[str]:
    """The literals among ``values`` in Dutch (``@nl``) or without a language tag, as text, sorted."""
    return sorted(str(v) for v in values if isinstance(v, Literal) and v.language in (None, "nl"))


def _pattern(form: str) -> re.Pattern[str]:
    """A whole-word pattern for ``form``: exact capitals (a lower-case first letter may be a capital),
    any run of white space where the form has a space."""
    head, rest = form[0], form[1:]
    first = f"[{head}{head.upper()}]" if head.islower() else re.escape(head)
    body = r"\s+".join(re.escape(part) for part in rest.split(" "))
    return re.compile(rf"(?<!\w){first}{body}(?!\w)")


@dataclass(frozen=True)
class ReferenceData:
    """The reference data: one graph per file (by file stem, published as its own named graph), their
    union with the concepts of the policy themes (the link targets, validated with every document) and the
    gazetteer made from it."""

    files: dict[str, Graph]
    graph: Graph
    gazetteer: Gazetteer


def load_reference_data(vocab_dir: Path, base: str, ontology: Graph | None = None) -> ReferenceData:
    """Read the reference data files (``vocab_dir/*.ttl``; relative IRIs resolve against ``base``/).

    Args:
        vocab_dir: the folder of the reference data files.
        base: the base IRI of the deployment.
        ontology: the ontology and its concept schemes, when given: the gazetteer also holds the forms of
            its policy themes (the concepts of :data:`THEME_SCHEME`), and ``graph`` their triples (SHACL
            validation mixes in only the ontology's RDFS/OWL axioms, not its SKOS concepts).

    Raises:
        ReferenceDataError: as :meth:`Gazetteer.from_graph`; rdflib's parser errors name a bad file.
    """
    files = {
        path.stem: Graph().parse(path, format="turtle", publicID=f"{base}/")
        for path in sorted(vocab_dir.glob("*.ttl"))
    }
    graph = Graph()
    for part in files.values():
        graph += part
    if ontology is not None:
        for concept in {c for scheme in KIND_OF_SCHEME for c in ontology.subjects(SKOS.inScheme, scheme)}:
            graph += ontology.triples((concept, None, None))
    return ReferenceData(files, graph, Gazetteer.from_graph(graph))


@dataclass
class LinkReport:
    """What the linker found in a plan: links per kind, publisher mentions skipped, name candidates."""

    links: Counter[str] = field(default_factory=Counter)
    publisher_mentions: int = 0
    candidates: dict[str, list[int]] = field(default_factory=dict)


def link_plan(plan: Plan, gazetteer: Gazetteer) -> LinkReport:
    """Set ``node.mentions`` of the nodes of ``plan``: the reference entities named by every objective,
    result and sub-item (:data:`LINKED_LEVELS`; the publishing body excepted) and the policy themes named by
    every node of any level (:data:`CLASSIFYING_KINDS`), in text order.

    Returns:
        The report: distinct links per kind, mentions of the publishing body (not linked), and the name
        candidates (capitalised phrases and acronyms not in the reference data) with their source lines.
    """
    report = LinkReport()
    publisher = plan.document.body.iri
    own_names = set(plan.document.body.own_names)
    for node in plan.nodes():
        linked = node.level in LINKED_LEVELS
        found = gazetteer.find(node.label, ENTITY_KINDS) if linked else []
        themes = gazetteer.find(node.label, CLASSIFYING_KINDS)
        entities = [m for m in found if m.entity != publisher]
        node.mentions = sorted(entities + themes, key=lambda m: (m.start, m.end))
        report.publisher_mentions += len(found) - len(entities)
        report.links.update(kind for kind, _ in {(m.kind.value, m.entity) for m in node.mentions})
        if linked:
            for name in _candidates(node, found, themes, own_names):
                report.candidates.setdefault(name, []).append(node.start_line)
    return report


def _candidates(node: Node, found: list[Mention], themes: list[Mention], own_names: set[str]) -> list[str]:
    """Capitalised phrases and acronyms in ``node``'s label outside every entity match in ``found`` (not its
    first word) and not made of theme words only (every word character inside one of ``themes``)."""
    covered = {i for m in themes for i in range(m.start, m.end)}
    names = []
    for m in _NAME.finditer(node.label):
        text, start = m.group(0), m.start()
        sentence_start = start == 0 or node.label[:start].rstrip().endswith((".", "!", "?", "--"))
        if sentence_start and not text.split()[0].isupper():  # a capital that only starts a sentence
            rest = re.sub(r"^\S+(?:\s+(?:van|voor|en|de|of))*\s*", "", text)
            start, text = start + len(text) - len(rest), rest
        if not text or text in own_names or any(start < f.end and start + len(text) > f.start for f in found):
            continue
        if all(start + i in covered for i, char in enumerate(text) if char.isalnum() or char == "_"):
            continue
        names.append(text)
    return names
