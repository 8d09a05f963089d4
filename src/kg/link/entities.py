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

**What a name means** (issue 18, item 3) is decided from the words around it, as Dutch plan text marks it
(:mod:`kg.link.names`), never from a list of special cases; where the words do not decide, the mention is not linked
but flagged uncertain (``LinkReport.uncertain``, the build report's ``uncertain_links``), never guessed:

1. *Policy tasks too.* Policy tasks are searched as objectives, results and sub-items are (:data:`LINKED_LEVELS`): a
   task names the area it is about ("Een goed bereikbaar Drenthe").
2. *A name inside a longer name.* Mid-sentence, Dutch capitalises names and nothing else, so a run of capitalised
   words (:func:`kg.link.names.name_runs`) is one name. A match that is only part of a run names something the
   reference data does not hold: it is not linked, and the run is a candidate ("ROV Drenthe" and "Fietsplan Drenthe"
   are not the province; "Revolving Fonds Breedband Groningen" is not Drenthe's "Revolving Fonds Breedband"). A
   compound of a name and a common noun ("MIRT-onderzoek") still names it. A run made of several known names is one
   name too, unless it is places only ("Drenthe-Emsland") or an organisation followed by places ("Fontys Venlo": the
   places are its location); any other such run, an instrument followed by a place among them (a fund of another
   region), is a candidate ("Interreg-programma Euregio Maas-Rijn"). A place inside the name of an organisation or
   instrument that is linked ("Health Hub Roden", "Leaderprogramma Zuidwest Drenthe") is that entity's location
   (``LinkReport.locations``), not a place of the node. The reference data cannot carry it yet (no location property
   in the ontology and shapes; the generated files come from registers), so it is reported, not published.
3. *Body or area.* After a plural body word ("de provincies Groningen en Drenthe", "de gemeenten Zwolle, Enschede en
   Deventer", "de waterschappen ...") each listed name is the body ("provincie Groningen", "gemeente Zwolle"), not the
   area; a listed name that is no body of the reference data is a candidate. A body's name after a preposition of
   place ("uit de hele provincie Groningen", "in de gemeente Assen") is the body's area: its region, by code. A place
   right after an institution noun in lower case ("politie Noord-Nederland", "station Zwolle") is part of that
   institution's name, a candidate, not a place.
4. *One name, several regions* (a city and a province: Groningen; a city and a COROP region: Utrecht), decided in this
   order: "stad X", "X als stad", "gemeente X" (the municipality), "provincie X" (the province), an end point of a
   route ("Emmen – Groningen": a town, so the municipality), a name listed with a place of known level
   ("Drenthe/Groningen", "tussen Groningen en Delfzijl": that level), the publishing body's own area (a bare
   "Groningen" in the province's own plan). Otherwise the mention is uncertain: not linked, flagged with the regions
   it may name.
5. *Abbreviations a text defines.* "Groningen Airport Eelde (GAE)", where the letters are the initials of the words
   before the parenthesis (:func:`kg.link.names.definitions`), makes the abbreviation a name of the full name's
   entity, or the full name a name of the abbreviation's, in that text only (:func:`defined_forms`).
6. *Country codes.* A two-letter code in parentheses after a word ("Niedersachsen (DE)", "Altenpflege (DE)") is the
   country whose ISO 3166-1 code (the ``skos:notation`` of a region) it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, SKOS

from kg.link import names
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

#: Levels whose labels are searched for mentions of reference entities: the policy tasks (a task names the area it
#: is about: module doc, rule 1) and below.
LINKED_LEVELS = (Level.BELEIDSOPGAVE, Level.DOELSTELLING, Level.RESULTAAT, Level.DEELRESULTAAT)

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


@dataclass(frozen=True)
class Span:
    """A stretch of a label that names one or more entities: ``options`` holds every (entity, kind) whose form it
    is (several when entities share a name: the city and the province Groningen)."""

    start: int
    end: int
    text: str
    options: tuple[tuple[str, LinkKind], ...]

    def only(self, entity: str, kind: LinkKind, start: int | None = None) -> Span:
        """This span, naming ``entity`` only (from ``start`` on, when given)."""
        start = self.start if start is None else start
        return Span(start, self.end, self.text[start - self.start :], ((entity, kind),))

    @property
    def regions(self) -> bool:
        """Whether every entity it may name is a region."""
        return all(kind is LinkKind.REGION for _, kind in self.options)


@dataclass
class Gazetteer:
    """The surface forms of every reference entity and policy theme (see the module doc for the matching
    rules)."""

    forms: list[Form] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    #: By region IRI, its CBS code (``dct:identifier``, upper case: ``PV20``, ``GM0014``, ``WP1647``).
    codes: dict[str, str] = field(default_factory=dict)
    #: By body (organisation) IRI, the region of its code (``skos:notation`` ``pv20`` -> the region ``PV20``).
    areas: dict[str, str] = field(default_factory=dict)
    #: By ISO 3166-1 code (a region's ``skos:notation``: ``DE``), the country.
    countries: dict[str, str] = field(default_factory=dict)

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
        by_code: dict[str, str] = {}
        for region in sorted(set(graph.subjects(RDF.type, DCTERMS.Location)), key=str):
            for code in graph.objects(region, DCTERMS.identifier):
                gazetteer.codes[str(region)] = str(code).upper()
                by_code[str(code).upper()] = str(region)
            for code in graph.objects(region, SKOS.notation):
                gazetteer.countries[str(code)] = str(region)
        for body in sorted(set(graph.subjects(RDF.type, ORG.Organization)), key=str):
            for code in graph.objects(body, SKOS.notation):
                if (area := by_code.get(str(code).upper())) is not None:
                    gazetteer.areas[str(body)] = area
        return gazetteer

    def spans(self, text: str, kinds: Collection[LinkKind], extra: Sequence[Form] = ()) -> tuple[list[Span],
                                                                                                    list[Span]]:
        """Find the forms of ``kinds`` (and the ``extra`` forms, a text's own: :func:`defined_forms`) in ``text``.

        Returns:
            The spans chosen (the longest of overlapping matches, in text order), each with every entity whose form
            matches it exactly (several when entities share a name); and the spans inside or overlapping a longer one
            (the places inside a name, for its location).
        """
        found: dict[tuple[int, int], dict[tuple[str, LinkKind], None]] = {}
        for form in [*self.forms, *extra]:
            if form.kind in kinds:
                for m in form.pattern.finditer(text):
                    found.setdefault((m.start(), m.end()), {})[(form.entity, form.kind)] = None
        spans = [Span(start, end, text[start:end], tuple(sorted(options))) for (start, end), options in found.items()]
        chosen: list[Span] = []
        inner: list[Span] = []
        for span in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
            (chosen if all(span.end <= c.start or span.start >= c.end for c in chosen) else inner).append(span)
        return sorted(chosen, key=lambda s: s.start), inner

    def named(self, name: str, kind: LinkKind) -> list[str]:
        """The entities of ``kind`` one of whose forms is ``name`` (capitals aside), sorted."""
        wanted = name.casefold()
        return sorted({form.entity for form in self.forms if form.kind is kind and form.text.casefold() == wanted})

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
    """What the linker found in a plan: links per kind, publisher mentions skipped, name candidates, uncertain
    mentions and the locations of linked entities."""

    links: Counter[str] = field(default_factory=Counter)
    publisher_mentions: int = 0
    candidates: dict[str, list[int]] = field(default_factory=dict)
    #: Mentions the words around them do not decide (module doc, rule 4): not linked; each with its ``line`` (the
    #: first source line of its node), ``text``, the entities it may name (``candidates``) and ``why``.
    uncertain: list[dict[str, object]] = field(default_factory=list)
    #: By linked organisation or instrument, the places inside its name (module doc, rule 2), sorted.
    locations: dict[str, list[str]] = field(default_factory=dict)


def link_plan(plan: Plan, gazetteer: Gazetteer) -> LinkReport:
    """Set ``node.mentions`` of the nodes of ``plan``: the reference entities named by every policy task, objective,
    result and sub-item (:data:`LINKED_LEVELS`; the publishing body excepted), decided by the rules of the module
    doc, and the policy themes named by every node of any level (:data:`CLASSIFYING_KINDS`), in text order.

    The organisations a page lists for a node outside its label (``node.listed``: a programme's "Verbonden
    partijen") are its partners: each name is searched for partners (whole words, exact capitals, as in labels),
    and a name that matches none is a candidate.

    Returns:
        The report: distinct links per kind, mentions of the publishing body (not linked), the name candidates
        (capitalised phrases and acronyms not in the reference data, names inside longer names, bodies a list names
        that are not in the reference data) with their source lines, the mentions left uncertain (not linked) and
        the locations of the linked organisations and instruments.
    """
    report = LinkReport()
    publisher = plan.document.body.iri
    own_names = set(plan.document.body.own_names)
    text = _Text(publisher, gazetteer.areas.get(publisher), defined_forms(plan, gazetteer))
    locations: dict[str, set[str]] = {}
    for node in plan.nodes():
        linked = node.level in LINKED_LEVELS
        decided = _entities(node.label, gazetteer, text) if linked else _Decided()
        found = decided.mentions
        themes = gazetteer.find(node.label, CLASSIFYING_KINDS)
        entities = [m for m in found if m.entity != publisher]
        listed = _listed(node, gazetteer, publisher, report)  # after the label's mentions, in line order
        node.mentions = sorted(entities + themes, key=lambda m: (m.start, m.end)) + listed
        report.publisher_mentions += len(found) - len(entities)
        report.links.update(kind for kind, _ in {(m.kind.value, m.entity) for m in node.mentions})
        for span, why in decided.uncertain:
            report.uncertain.append({"line": node.start_line, "text": span.text,
                                     "candidates": [entity for entity, _ in span.options], "why": why})
        for entity, places in decided.locations.items():
            if entity != publisher:
                locations.setdefault(entity, set()).update(places)
        if linked:
            covered = [(m.start, m.end) for m in found] + [(s.start, s.end) for s, _ in decided.uncertain]
            for name in decided.candidates + _candidates(node, covered, themes, own_names, decided.runs):
                report.candidates.setdefault(name, []).append(node.start_line)
    report.locations = {entity: sorted(places) for entity, places in sorted(locations.items())}
    return report


@dataclass(frozen=True)
class _Text:
    """What holds for every label of one text: the publishing body, its area and the names the text defines."""

    publisher: str
    area: str | None
    forms: list[Form]


@dataclass
class _Decided:
    """What the rules made of one label: its mentions, the mentions left uncertain (with why), the names reported as
    candidates, the places inside the names of linked entities and the starts of its name runs."""

    mentions: list[Mention] = field(default_factory=list)
    uncertain: list[tuple[Span, str]] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    locations: dict[str, set[str]] = field(default_factory=dict)
    runs: set[int] = field(default_factory=set)


def defined_forms(plan: Plan, gazetteer: Gazetteer) -> list[Form]:
    """The names ``plan``'s text defines (module doc, rule 5): for every "Full Name (ABBR)" of any of its labels
    (:func:`kg.link.names.definitions`) where exactly one of the two names is a form of one entity, the other as a
    form of that entity, for this text only. Nothing when both or neither are known, or a name is shared."""
    forms: dict[tuple[str, str], Form] = {}
    for node in plan.nodes():
        label = node.label
        definitions = names.definitions(label)
        if not definitions:
            continue
        chosen, _ = gazetteer.spans(label, ENTITY_KINDS)
        for definition in definitions:
            (full_start, full_end), (abbr_start, abbr_end) = definition.full, definition.abbreviation
            if label[abbr_start:abbr_end] in gazetteer.countries:
                continue
            full = [s for s in chosen if s.end == full_end and s.start <= full_start and len(s.options) == 1]
            abbreviation = [s for s in chosen if (s.start, s.end) == (abbr_start, abbr_end)]
            if full and not abbreviation:
                (entity, kind), name = full[0].options[0], label[abbr_start:abbr_end]
            elif abbreviation and len(abbreviation[0].options) == 1 and not any(
                    full_start <= s.start < full_end for s in chosen):
                (entity, kind), name = abbreviation[0].options[0], label[full_start:full_end]
            else:
                continue
            forms.setdefault((name, entity), Form(name, entity, kind, _pattern(name)))
    return list(forms.values())


def _entities(label: str, gazetteer: Gazetteer, text: _Text) -> _Decided:
    """The entities ``label`` names, decided by the rules of the module doc (2 to 6; rule 1 is the caller's)."""
    decided = _Decided()
    chosen, inner = gazetteer.spans(label, ENTITY_KINDS, text.forms)
    for start, end, code in names.country_codes(label):  # rule 6
        if code in gazetteer.countries and all(end <= s.start or start >= s.end for s in chosen):
            chosen.append(Span(start, end, code, ((gazetteer.countries[code], LinkKind.REGION),)))
    chosen.sort(key=lambda s: s.start)
    chosen = _bodies(label, chosen, gazetteer, decided)  # rule 3
    chosen = _runs(label, chosen, decided)  # rule 2
    kept: list[Span] = []
    for span in chosen:  # rule 4
        if len(span.options) == 1:
            kept.append(span)
            continue
        choice, why = _one_of(label, span, kept + [s for s in chosen if s.start > span.start], gazetteer, text)
        if choice is None:
            decided.uncertain.append((span, why))
        else:
            kept.append(span.only(*choice))
    for span in kept:
        (entity, kind), = span.options
        decided.mentions.append(Mention(entity, kind, span.start, span.end, span.text))
        if kind is not LinkKind.REGION:  # places inside its name (the longest ones): its location
            places = [p for p in inner if span.start <= p.start and p.end <= span.end and p.regions]
            for place in places:
                if any(o is not place and o.start <= place.start and place.end <= o.end for o in places):
                    continue
                regions = [e for e, _ in place.options]
                if len(regions) > 1 and gazetteer.areas.get(entity) in regions:
                    regions = [gazetteer.areas[entity]]
                if len(regions) == 1:
                    decided.locations.setdefault(entity, set()).add(regions[0])
    return decided


def _bodies(label: str, chosen: list[Span], gazetteer: Gazetteer, decided: _Decided) -> list[Span]:
    """Rule 3 of the module doc: names listed after a plural body word are bodies; a body's name after a preposition
    of place is its area; a place after an institution noun in lower case is part of the institution's name."""
    result: list[Span] = []
    body: str | None = None
    previous: Span | None = None
    for span in chosen:
        if (singular := names.plural_body(label, span.start)) is not None:
            body = singular
        elif body is not None and not (previous is not None and names.in_list(label, previous.end, span.start)):
            body = None
        previous = span
        if body is not None and span.regions:
            bodies = gazetteer.named(f"{body} {span.text}", LinkKind.PARTNER)
            if len(bodies) == 1:
                result.append(span.only(bodies[0], LinkKind.PARTNER))
            else:
                decided.candidates.append(f"{body} {span.text}")
            continue
        if len(span.options) == 1 and span.options[0][1] is LinkKind.PARTNER and " " in span.text:
            word, rest = span.text.split(" ", 1)
            area = gazetteer.areas.get(span.options[0][0])
            if word.lower() in ("provincie", "gemeente") and area and names.area_of_body(label, span.start):
                result.append(span.only(area, LinkKind.REGION, span.end - len(rest)))
                continue
        if span.regions and (noun := names.institution(label, span.start)) is not None:
            decided.candidates.append(f"{noun} {span.text}")
            continue
        result.append(span)
    return result


def _runs(label: str, chosen: list[Span], decided: _Decided) -> list[Span]:
    """Rule 2 of the module doc: a match inside a longer name is no link (the name is a candidate, found by
    :func:`_candidates`); several known names in one run are kept only as places, or as an organisation with the
    places that follow it ("Fontys Venlo": its location). An instrument followed by a place is another instrument
    ("Revolving Fonds Breedband Groningen" is not Drenthe's fund): a candidate."""
    dropped: set[Span] = set()
    places = [(s.start, s.end) for s in chosen if s.regions]
    for run in names.name_runs(label, [(s.start, s.end) for s in chosen], places):
        decided.runs.add(run.start)
        inside = [s for s in chosen if s.start < run.end and s.end > run.start]
        if not inside:
            continue
        if not names.covered(label, run, [(s.start, s.end) for s in inside]):
            dropped.update(inside)
        elif len(inside) > 1 and not all(s.regions for s in inside):
            head, rest = inside[0], inside[1:]
            if len(head.options) != 1 or head.options[0][1] is not LinkKind.PARTNER or not all(
                    s.regions for s in rest):
                dropped.update(inside)
                continue
            dropped.update(rest)
            for place in rest:
                if len(place.options) == 1:
                    decided.locations.setdefault(head.options[0][0], set()).add(place.options[0][0])
    return [s for s in chosen if s not in dropped]


def _one_of(label: str, span: Span, others: list[Span], gazetteer: Gazetteer,
            text: _Text) -> tuple[tuple[str, LinkKind] | None, str]:
    """Rule 4 of the module doc: the one region of ``span``'s options the words around it point to (with why), or
    None and why not. ``others`` are the label's other names (decided before it, or still to be decided)."""
    if not span.regions:
        return None, "the name is of entities of different kinds"
    regions = [entity for entity, _ in span.options]

    def of_level(level: str) -> list[str]:
        wanted = ("GM", "WP") if level == "GM" else (level,)
        return [r for r in regions if gazetteer.codes.get(r, "")[:2] in wanted]

    cue = names.level_cue(label, span.start, span.end)
    if cue is not None and len(found := of_level(cue[0])) == 1:
        return (found[0], LinkKind.REGION), cue[1]
    for other in others:
        if len(other.options) != 1 or not other.regions:
            continue
        before, after = (other, span) if other.end <= span.start else (span, other)
        if names.coordinated(label, before.end, after.start):
            level = gazetteer.codes.get(other.options[0][0], "")[:2]
            if level in ("PV", "GM", "WP") and len(found := of_level("GM" if level == "WP" else level)) == 1:
                return (found[0], LinkKind.REGION), f"named with {other.text}"
    if text.area in regions:
        return (text.area, LinkKind.REGION), "the publishing body's own area"
    return None, "the words around it do not tell which region is meant"


def _listed(node: Node, gazetteer: Gazetteer, publisher: str, report: LinkReport) -> list[Mention]:
    """The partner mentions in the organisations listed for ``node`` (offsets in the listing line, with the role
    the page gives; the publishing body excepted); a listed name that names no partner is reported as a
    candidate."""
    mentions = []
    for listed in node.listed:
        found = [m for m in gazetteer.find(listed.name, {LinkKind.PARTNER}) if m.entity != publisher]
        if not found:
            report.candidates.setdefault(listed.name, []).append(listed.line)
        mentions += [replace(m, start=m.start + listed.start, end=m.end + listed.start, line=listed.line,
                             role=listed.role) for m in found]
    return mentions


def _candidates(node: Node, found: list[tuple[int, int]], themes: list[Mention], own_names: set[str],
                runs: Collection[int] = ()) -> list[str]:
    """Capitalised phrases and acronyms in ``node``'s label outside every entity match in ``found`` (their offsets;
    not its first word, unless a name run starts there: ``runs``, :func:`kg.link.names.name_runs`) and not made of
    theme words only (every word character inside one of ``themes``)."""
    covered = {i for m in themes for i in range(m.start, m.end)}
    result = []
    for m in _NAME.finditer(node.label):
        text, start = m.group(0), m.start()
        sentence_start = start == 0 or node.label[:start].rstrip().endswith((".", "!", "?", "--"))
        # a capital that only starts a sentence
        if sentence_start and not text.split()[0].isupper() and start not in runs:
            rest = re.sub(r"^\S+(?:\s+(?:van|voor|en|de|of))*\s*", "", text)
            start, text = start + len(text) - len(rest), rest
        if not text or text in own_names or any(start < end and start + len(text) > begin for begin, end in found):
            continue
        if all(start + i in covered for i, char in enumerate(text) if char.isalnum() or char == "_"):
            continue
        result.append(text)
    return result
