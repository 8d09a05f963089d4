"""Link stage: find mentions of reference entities (partners, regions, instruments) in plan nodes.

Sits between the reader (plan model) and the mapping (RDF). The reference data (``vocab/*.ttl``) names
each entity with ``skos:prefLabel``, ``skos:altLabel`` (abbreviations, spelling variants) and
``skos:hiddenLabel`` (inflected and adjective forms: "Drentse", "noordelijke"). A label matches as a
whole word (not inside a longer word) and with its exact capitals, except that a form written in lower
case also matches with a capital first letter (at the start of a sentence). Where matches overlap, the
longest wins, so "Groningen Airport Eelde" is the airport and not the province Groningen, while "Emmen en
Delfzijl" is two places. Mentions of the publishing body itself are not links (the province is not a
partner of its own plan). Capitalised phrases and acronyms that match nothing are reported as candidates
for the reference data.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, SKOS

from kg.model import Level, LinkKind, Mention, Node, Plan

SCHEMA_FUNDING_SCHEME = URIRef("https://schema.org/FundingScheme")

#: The class that makes an entity a partner, a region or an instrument.
KIND_OF_CLASS: dict[URIRef, LinkKind] = {
    ORG.Organization: LinkKind.PARTNER,
    DCTERMS.Location: LinkKind.REGION,
    FOAF.Project: LinkKind.INSTRUMENT,
    SCHEMA_FUNDING_SCHEME: LinkKind.INSTRUMENT,
}

#: Levels whose labels are searched for mentions.
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
    """The surface forms of every reference entity (see the module doc for the matching rules)."""

    forms: list[Form] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Graph) -> Gazetteer:
        """Collect the forms of every entity of a known class in ``graph``.

        Raises:
            ReferenceDataError: when an entity of a known class has no skos:prefLabel.
        """
        gazetteer = cls()
        for cls_iri, kind in KIND_OF_CLASS.items():
            for entity in sorted(set(graph.subjects(RDF.type, cls_iri)), key=str):
                label = graph.value(entity, SKOS.prefLabel)
                if label is None:
                    raise ReferenceDataError(f"{entity} has no skos:prefLabel")
                gazetteer.labels[str(entity)] = str(label)
                for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                    for form in graph.objects(entity, prop):
                        gazetteer.forms.append(Form(str(form), str(entity), kind, _pattern(str(form))))
        return gazetteer

    def find(self, text: str) -> list[Mention]:
        """Return the mentions in ``text``: the longest of overlapping matches, in text order."""
        matches = [
            Mention(form.entity, form.kind, m.start(), m.end(), m.group(0))
            for form in self.forms
            for m in form.pattern.finditer(text)
        ]
        chosen: list[Mention] = []
        for mention in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
            if all(mention.end <= c.start or mention.start >= c.end for c in chosen):
                chosen.append(mention)
        return sorted(chosen, key=lambda m: m.start)


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
    union (validated with every document) and the gazetteer made from it."""

    files: dict[str, Graph]
    graph: Graph
    gazetteer: Gazetteer


def load_reference_data(vocab_dir: Path, base: str) -> ReferenceData:
    """Read the reference data files (``vocab_dir/*.ttl``; relative IRIs resolve against ``base``/).

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
    return ReferenceData(files, graph, Gazetteer.from_graph(graph))


@dataclass
class LinkReport:
    """What the linker found in a plan: links per kind, publisher mentions skipped, name candidates."""

    links: Counter[str] = field(default_factory=Counter)
    publisher_mentions: int = 0
    candidates: dict[str, list[int]] = field(default_factory=dict)


def link_plan(plan: Plan, gazetteer: Gazetteer) -> LinkReport:
    """Set ``node.mentions`` of every objective, result and sub-item of ``plan``.

    Returns:
        The report: distinct links per kind, mentions of the publishing body (not linked), and the name
        candidates (capitalised phrases and acronyms not in the reference data) with their source lines.
    """
    report = LinkReport()
    publisher = plan.document.body.iri
    own_names = set(plan.document.body.own_names)
    for node in plan.nodes():
        if node.level not in LINKED_LEVELS:
            continue
        found = gazetteer.find(node.label)
        node.mentions = [m for m in found if m.entity != publisher]
        report.publisher_mentions += len(found) - len(node.mentions)
        report.links.update(kind for kind, _ in {(m.kind.value, m.entity) for m in node.mentions})
        for name in _candidates(node, found, own_names):
            report.candidates.setdefault(name, []).append(node.start_line)
    return report


def _candidates(node: Node, found: list[Mention], own_names: set[str]) -> list[str]:
    """Capitalised phrases and acronyms in ``node``'s label outside every match (not its first word)."""
    names = []
    for m in _NAME.finditer(node.label):
        text, start = m.group(0), m.start()
        sentence_start = start == 0 or node.label[:start].rstrip().endswith((".", "!", "?", "--"))
        if sentence_start and not text.split()[0].isupper():  # a capital that only starts a sentence
            rest = re.sub(r"^\S+(?:\s+(?:van|voor|en|de|of))*\s*", "", text)
            start, text = start + len(text) - len(rest), rest
        if not text or text in own_names or any(start < f.end and start + len(text) > f.start for f in found):
            continue
        names.append(text)
    return names
