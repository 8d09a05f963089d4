"""Mapping stage: the plan model as RDF (design notes, sections 1-3).

IRIs follow the Dutch URI strategy: ``{base}/id/{type}/{reference}`` names a thing; the named graph of a
source document is ``{base}/graph/{document key}``. Every plan node is a ``skos:Concept`` in the plan's
``skos:ConceptScheme`` (with ``skos:broader`` asserted beside the level's own upward link, and the generic
class ``pb:Doel``/``pb:Prestatie`` beside the level's class, so neither SKOS tools nor queries need
inference) and records its provenance (``dct:source`` and its line span). Prose the source gives under a node is
its ``dct:description``, with the description's own line span (``pb:beschrijvingBeginRegel`` and
``pb:beschrijvingEindRegel``). How a row of an objective/result table was read is published too when its decision
was uncertain or a person reviewed it (:func:`map_decisions`).
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from kg.model.iris import (
    CLASS,
    DEFINITIONS,
    OA,
    PB,
    PREFIXES,
    SCHEMA,
    SPDX,
    decision_iri,
    graph_name,
    node_iri,
    plan_iri,
    thing,
)
from kg.model.plan import Decision, Level, LinkKind, Node, Plan

#: The property that links a plan node to an entity it mentions, per kind of entity (a policy theme is the
#: node's subject: ``dct:subject`` to a concept of the theme scheme).
LINK_PROPERTY: dict[LinkKind, URIRef] = {
    LinkKind.PARTNER: PB.partner,
    LinkKind.REGION: DCTERMS.spatial,
    LinkKind.INSTRUMENT: PB.instrument,
    LinkKind.THEME: DCTERMS.subject,
}

#: The evidence of a link of each kind: the type segment of its Web Annotation's IRI and the annotation's
#: motivation (Web Annotation Data Model, "Motivation and Purpose": the text names an entity,
#: ``oa:identifying``, or a theme that classifies the node, ``oa:classifying``). A theme's annotation has
#: IRIs of its own, as a theme word can start where an entity's name does ("Breedband" in "Breedband
#: Platform Drenthe").
ANNOTATION: dict[LinkKind, tuple[str, URIRef]] = {
    LinkKind.PARTNER: ("vermelding", OA.identifying),
    LinkKind.REGION: ("vermelding", OA.identifying),
    LinkKind.INSTRUMENT: ("vermelding", OA.identifying),
    LinkKind.THEME: ("classificatie", OA.classifying),
}

#: The upward link to a parent of each level (each a sub-property of skos:broader in the ontology).
PARENT_PROPERTY: dict[Level, URIRef] = {
    Level.PROGRAMMA: PB.programma,
    Level.PRODUCT: PB.product,
    Level.BELEIDSOPGAVE: PB.beleidsopgave,
    Level.DOELSTELLING: PB.doelstelling,
    Level.RESULTAAT: PB.resultaat,
}

#: The generic BBV class of each level, asserted too so that queries need no inference.
GENERIC_CLASS: dict[Level, URIRef] = {
    Level.BELEIDSOPGAVE: PB.Doel, Level.DOELSTELLING: PB.Doel,
    Level.RESULTAAT: PB.Prestatie, Level.DEELRESULTAAT: PB.Prestatie,
}


#: The concept scheme of a reading decision's review status (``ontology/beoordelingsstatus.ttl``).
REVIEW_SCHEME = f"{DEFINITIONS}/beoordelingsstatus"
#: The review status of a decision: nobody reviewed it (it was uncertain), a reviewer confirmed it, or overrode it.
NOT_REVIEWED = URIRef(f"{REVIEW_SCHEME}#niet-beoordeeld")
CONFIRMED = URIRef(f"{REVIEW_SCHEME}#bevestigd")
OVERRIDDEN = URIRef(f"{REVIEW_SCHEME}#overschreven")


def map_plan(plan: Plan, base: str) -> Graph:
    """Map ``plan`` to the triples of its named graph.

    Args:
        plan: a plan whose nodes have keys.
        base: the base IRI (no trailing slash).

    Returns:
        An rdflib Graph (identifier = the document's graph name) with the source document node, the
        Begroting (a ``skos:ConceptScheme``) and every plan node with its provenance.
    """
    doc = plan.document
    g = Graph(identifier=graph_name(base, plan))
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    source = thing(base, "brondocument", doc.key)
    body = URIRef(doc.body.iri)
    year = Literal(str(doc.year), datatype=XSD.gYear)
    checksum = BNode()
    g.add((source, RDF.type, FOAF.Document))
    g.add((source, RDF.type, PROV.Entity))
    g.add((source, DCTERMS.title, Literal(doc.title, lang="nl")))
    g.add((source, DCTERMS.publisher, body))
    g.add((source, DCTERMS.format, Literal("text/csv" if doc.path.suffix == ".csv" else "text/plain")))
    g.add((source, DCAT.downloadURL, URIRef(f"{base}/bronnen/{doc.path.name}")))
    g.add((source, PB.jaar, year))
    g.add((source, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(doc.sha256)))

    scheme = plan_iri(base, plan)
    g.add((scheme, RDF.type, PB.Begroting))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal(f"{doc.kind.capitalize()} {doc.year} {doc.body.name}", lang="nl")))
    g.add((scheme, DCTERMS.publisher, body))
    g.add((scheme, PB.jaar, year))
    g.add((scheme, DCTERMS.source, source))

    for node in plan.nodes():
        iri = node_iri(base, node)
        g.add((iri, RDF.type, CLASS[node.level]))
        g.add((iri, RDF.type, SKOS.Concept))
        if node.level in GENERIC_CLASS:
            g.add((iri, RDF.type, GENERIC_CLASS[node.level]))
        g.add((iri, SKOS.prefLabel, Literal(node.label, lang="nl")))
        g.add((iri, SKOS.inScheme, scheme))
        g.add((iri, SCHEMA.position, Literal(node.position)))
        g.add((iri, DCTERMS.source, source))
        g.add((iri, PB.beginRegel, Literal(node.start_line, datatype=XSD.integer)))
        g.add((iri, PB.eindRegel, Literal(node.end_line, datatype=XSD.integer)))
        if node.notation is not None:
            g.add((iri, SKOS.notation, Literal(node.notation)))
        if node.parent is None:
            g.add((iri, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, iri))
        else:
            parent = node_iri(base, node.parent)
            g.add((iri, PARENT_PROPERTY[node.parent.level], parent))
            g.add((iri, SKOS.broader, parent))  # materialised, so SKOS browsers show the tree
        for notation in node.see_also:
            g.add((iri, PB.zieOok, thing(base, "programma", f"{doc.body.code}-{doc.year}-{notation}")))
        for kind, entity in node.asserted:  # links an author states; the same link found in the text is one triple
            g.add((iri, LINK_PROPERTY[kind], URIRef(entity)))
        for prop, vocabulary, concept in node.statuses:
            g.add((iri, PB[prop], URIRef(f"{DEFINITIONS}/{vocabulary}#{concept}")))
        if node.description_lines is not None:
            first, last = node.description_lines
            g.add((iri, DCTERMS.description, Literal(node.description, lang="nl")))
            g.add((iri, PB.beschrijvingBeginRegel, Literal(first, datatype=XSD.integer)))
            g.add((iri, PB.beschrijvingEindRegel, Literal(last, datatype=XSD.integer)))
        _map_mentions(g, base, node, iri)
    _map_indicators(g, base, plan, scheme, source)
    map_decisions(g, base, plan, source)
    return g


def published_decisions(plan: Plan) -> list[tuple[Decision, Node]]:
    """The reading decisions of ``plan`` that are published, each with the node it made: those that were uncertain
    or that a person reviewed (a decision the rule was sure of and nobody reviewed is left out).

    Each decision is about the row at its line, which became the objective or result that starts there.

    Raises:
        ValueError: when no objective or result of the plan starts at a published decision's line.
    """
    rows = {node.start_line: node for node in plan.nodes() if node.level in (Level.DOELSTELLING, Level.RESULTAAT)}
    published = []
    for decision in plan.decisions:
        if not (decision.uncertain or decision.reviewed):
            continue
        node = rows.get(decision.line)
        if node is None:
            raise ValueError(f"{plan.document.path.name}:{decision.line}: the reader decided a row there, but no "
                             "objective or result starts at that line")
        published.append((decision, node))
    return published


def review_status(decision: Decision) -> URIRef:
    """The review status of ``decision``: overridden (a curation entry gave it another level), confirmed (one gave
    it the rule's level) or not reviewed."""
    if decision.curated:
        return OVERRIDDEN
    return CONFIRMED if decision.reviewed else NOT_REVIEWED


def map_decisions(g: Graph, base: str, plan: Plan, source: URIRef) -> None:
    """Add the published reading decisions of ``plan`` (:func:`published_decisions`) to ``g``: each a
    ``pb:Leesbeslissing`` linked from its node by ``pb:leesbeslissing``, with its review status, the level chosen
    (the class), the rule (``pb:beslisregel``) and the doubt (``pb:twijfel``, when there is one) as the reader
    words them (technical English, so plain strings as ``pb:methode``), and its row's source document and line.

    Raises:
        ValueError: as :func:`published_decisions`.
    """
    for decision, node in published_decisions(plan):
        iri = decision_iri(base, node)
        g.add((node_iri(base, node), PB.leesbeslissing, iri))
        g.add((iri, RDF.type, PB.Leesbeslissing))
        g.add((iri, RDFS.label, Literal(f"leesbeslissing over regel {decision.line}", lang="nl")))
        g.add((iri, RDFS.label, Literal(f"reading decision on line {decision.line}", lang="en")))
        g.add((iri, PB.beoordelingsstatus, review_status(decision)))
        g.add((iri, PB.gekozenNiveau, CLASS[decision.level]))
        g.add((iri, PB.beslisregel, Literal(decision.rule)))
        if decision.doubt:
            g.add((iri, PB.twijfel, Literal(decision.doubt)))
        g.add((iri, DCTERMS.source, source))
        g.add((iri, PB.beginRegel, Literal(decision.line, datatype=XSD.integer)))


def _map_indicators(g: Graph, base: str, plan: Plan, scheme: URIRef, source: URIRef) -> None:
    """Map the plan's indicators with their provenance: each a top concept of the plan, or, when it measures a
    node (the node above its table), under that node (``skos:broader`` and the upward property of the node's
    level); its code as ``skos:notation``; each value a node with its year (or period; none when its column names
    no year), its decimal value, a target's operator and the unit (``%``), as ``pb:realisatie``,
    ``pb:streefwaarde`` or ``pb:nulmeting`` (the baseline); the indicator column of the table is a
    ``skos:Collection`` of its indicators."""
    doc = plan.document
    for position, indicator in enumerate(plan.indicators, start=1):
        iri = thing(base, "indicator", indicator.key)
        for triple in (
            (iri, RDF.type, PB.Indicator), (iri, RDF.type, SKOS.Concept),
            (iri, SKOS.prefLabel, Literal(indicator.label, lang="nl")), (iri, SKOS.inScheme, scheme),
            (iri, SCHEMA.position, Literal(position)), (iri, DCTERMS.source, source),
            (iri, PB.beginRegel, Literal(indicator.start_line, datatype=XSD.integer)),
            (iri, PB.eindRegel, Literal(indicator.end_line, datatype=XSD.integer)),
        ):
            g.add(triple)
        if indicator.parent is None:
            g.add((iri, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, iri))
        else:
            parent = node_iri(base, indicator.parent)
            g.add((iri, SKOS.broader, parent))
            if indicator.parent.level in PARENT_PROPERTY:
                g.add((iri, PARENT_PROPERTY[indicator.parent.level], parent))
        if indicator.notation is not None:
            g.add((iri, SKOS.notation, Literal(indicator.notation)))
        if indicator.note:
            g.add((iri, SKOS.note, Literal(indicator.note, lang="nl")))
        if indicator.group:
            slug = "-".join(re.findall(r"[a-z0-9]+", indicator.group.lower()))
            group = thing(base, "indicatorgroep", f"{doc.body.code}-{doc.year}-{slug}")
            g.add((group, RDF.type, SKOS.Collection))
            g.add((group, SKOS.prefLabel, Literal(indicator.group, lang="nl")))
            g.add((group, SKOS.member, iri))
        for m in indicator.measurements:
            value = BNode()
            g.add((iri, PB[m.kind], value))
            g.add((value, RDF.value, Literal(m.value)))
            if m.start_year is not None:
                g.add((value, PB.jaar, Literal(str(m.start_year), datatype=XSD.gYear)))
            if m.end_year is not None:
                g.add((value, PB.totEnMetJaar, Literal(str(m.end_year), datatype=XSD.gYear)))
            if m.operator is not None:
                g.add((value, PB.operator, Literal(m.operator)))
            if m.unit is not None:
                g.add((value, PB.eenheid, Literal(m.unit)))


def _map_mentions(g: Graph, base: str, node: Node, iri: URIRef) -> None:
    """Link ``node`` to the entities and themes it mentions (:data:`LINK_PROPERTY`), each mention kept as a
    Web Annotation (its evidence: the matched text and its character offsets in the label; Web Annotation
    Data Model, section 4.2) with the motivation of its kind (:data:`ANNOTATION`).

    A mention on a source line that lists the entity for the node (a partner of a "Verbonden partijen"
    paragraph, :class:`kg.model.plan.Listed`) has its offsets in that line's text (white space collapsed), and its
    target says which line (``pb:beginRegel``); the role the source gives the entity is the annotation's
    ``pb:rol``."""
    for mention in node.mentions:
        entity = URIRef(mention.entity)
        g.add((iri, LINK_PROPERTY[mention.kind], entity))
        kind, motivation = ANNOTATION[mention.kind]
        where = f"{mention.start}" if mention.line is None else f"r{mention.line}-{mention.start}"
        annotation = thing(base, kind, f"{node.key}-{where}")
        target, position, quote = BNode(), BNode(), BNode()
        if mention.line is not None:
            g.add((target, PB.beginRegel, Literal(mention.line, datatype=XSD.integer)))
        if mention.role is not None:
            g.add((annotation, PB.rol, Literal(mention.role, lang="nl")))
        g.add((annotation, RDF.type, OA.Annotation))
        g.add((annotation, OA.motivatedBy, motivation))
        g.add((annotation, OA.hasBody, entity))
        g.add((annotation, OA.hasTarget, target))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, iri))
        g.add((target, OA.hasSelector, position))
        g.add((target, OA.hasSelector, quote))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(mention.start, datatype=XSD.integer)))
        g.add((position, OA.end, Literal(mention.end, datatype=XSD.integer)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(mention.text)))
