"""Tests of the ontology (ontology/begroting.ttl), the realisation status scheme and the SHACL shapes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

REPO = Path(__file__).parents[2]
ONTOLOGY_FILE = REPO / "ontology" / "begroting.ttl"
STATUS_FILE = REPO / "ontology" / "realisatiestatus.ttl"
REVIEW_FILE = REPO / "ontology" / "beoordelingsstatus.ttl"
SHAPES_FILE = REPO / "shapes" / "begroting.ttl"

ONTOLOGY_IRI = URIRef("https://kg.example.org/def/begroting")
PB = Namespace("https://kg.example.org/def/begroting#")
PBSH = Namespace("https://kg.example.org/def/begroting/shapes#")
RS = Namespace("https://kg.example.org/def/realisatiestatus#")
BS = Namespace("https://kg.example.org/def/beoordelingsstatus#")
SCHEMA = Namespace("https://schema.org/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LINE_NUMBER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
FOAF_DOCUMENT = URIRef("http://xmlns.com/foaf/0.1/Document")

#: The classes and properties of the data model contract (the spec), by local name.
SPEC_CLASSES = {
    "Begroting",
    "Programma",
    "Product",
    "Doel",
    "Beleidsopgave",
    "Doelstelling",
    "Prestatie",
    "Resultaat",
    "Deelresultaat",
    "Indicator",
    "Koppeling",
    "Leesbeslissing",
}
SPEC_OBJECT_PROPERTIES = {
    "realisatie",
    "streefwaarde",
    "inhoudelijkeKleurscore",
    "financieleKleurscore",
    "programma",
    "product",
    "beleidsopgave",
    "doelstelling",
    "resultaat",
    "zieOok",
    "partner",
    "instrument",
    "voortzettingVan",
    "verantwoordIn",
    "realisatiestatus",
    "mogelijkVerwant",
    "gedeeld",
    "leesbeslissing",
    "beoordelingsstatus",
    "gekozenNiveau",
    "nulmeting",
}
SPEC_DATATYPE_PROPERTIES = {
    "jaar", "beginRegel", "eindRegel", "totEnMetJaar", "operator", "eenheid", "score", "methode", "beslisregel",
    "twijfel", "beschrijvingBeginRegel", "beschrijvingEindRegel", "rol",
}
#: The classes whose instances the pipeline writes (each needs a node shape).
DATA_CLASSES = (
    "Begroting",
    "Programma",
    "Product",
    "Beleidsopgave",
    "Doelstelling",
    "Resultaat",
    "Deelresultaat",
    "Leesbeslissing",
)

#: A small plan that follows the spec: one node of every level, one source document.
SAMPLE = """
@prefix pb:     <https://kg.example.org/def/begroting#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix dcat:   <http://www.w3.org/ns/dcat#> .
@prefix foaf:   <http://xmlns.com/foaf/0.1/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix spdx:   <http://spdx.org/rdf/terms#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

<https://kg.example.org/id/brondocument/pv22-2016-programma-2>
    a foaf:Document, prov:Entity ;
    dct:title "Begroting 2016 provincie Drenthe, Programma 2 Regionale economie"@nl ;
    dct:publisher <https://identifier.overheid.nl/tooi/id/provincie/pv22> ;
    dct:format "text/plain" ;
    dcat:downloadURL <https://kg.example.org/bronnen/000_61c47c45ec098bf8.txt> ;
    spdx:checksum [
        a spdx:Checksum ;
        spdx:algorithm spdx:checksumAlgorithm_sha256 ;
        spdx:checksumValue "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    ] ;
    pb:jaar "2016"^^xsd:gYear .

<https://kg.example.org/id/begroting/pv22-2016>
    a pb:Begroting, skos:ConceptScheme ;
    skos:prefLabel "Begroting 2016 provincie Drenthe"@nl ;
    dct:publisher <https://identifier.overheid.nl/tooi/id/provincie/pv22> ;
    pb:jaar "2016"^^xsd:gYear ;
    skos:hasTopConcept <https://kg.example.org/id/programma/pv22-2016-2> ;
    dct:source <https://kg.example.org/id/brondocument/pv22-2016-programma-2> .

<https://kg.example.org/id/programma/pv22-2016-2>
    a pb:Programma, skos:Concept ;
    skos:prefLabel "Regionale economie"@nl ;
    skos:notation "2" ;
    skos:inScheme <https://kg.example.org/id/begroting/pv22-2016> ;
    skos:topConceptOf <https://kg.example.org/id/begroting/pv22-2016> ;
    schema:position 1 ;
    dct:source <https://kg.example.org/id/brondocument/pv22-2016-programma-2> ;
    pb:beginRegel "1"^^xsd:integer ;
    pb:eindRegel "3"^^xsd:integer .

<https://kg.example.org/id/product/pv22-2016-2-1>
    a pb:Product, skos:Concept ;
    skos:prefLabel "Biobased economy / chemie"@nl ;
    skos:notation "2.1" ;
    pb:programma <https://kg.example.org/id/programma/pv22-2016-2> ;
    skos:broader <https://kg.example.org/id/programma/pv22-2016-2> ;
    skos:inScheme <https://kg.example.org/id/begroting/pv22-2016> ;
    schema:position 1 ;
    dct:source <https://kg.example.org/id/brondocument/pv22-2016-programma-2> ;
    pb:beginRegel "5"^^xsd:integer ;
    pb:eindRegel "5"^^xsd:integer .

<https://kg.example.org/id/beleidsopgave/pv22-2016-0a1b2c3d>
    a pb:Beleidsopgave, skos:Concept ;
    skos:prefLabel "Realiseren van een groene en duurzame economie"@nl ;
    pb:product <https://kg.example.org/id/product/pv22-2016-2-1> ;
    skos:broader <https://kg.example.org/id/product/pv22-2016-2-1> ;
    skos:inScheme <https://kg.example.org/id/begroting/pv22-2016> ;
    schema:position 1 ;
    dct:source <https://kg.example.org/id/brondocument/pv22-2016-programma-2> ;
    pb:beginRegel "9"^^xsd:integer ;
    pb:eindRegel "9"^^xsd:integer .

<https://kg.example.org/id/doelstelling/pv22-2016-1b2c3d4e>
    a pb:Doelstelling, skos:Concept ;
    skos:prefLabel
        "Faciliteren van het transitieproces richting groen en circulair (duurzaam) ondernemen"@nl ;
    pb:beleidsopgave <https://kg.example.org/id/beleidsopgave/pv22-2016-0a1b2c3d> ;
    skos:broader <https://kg.example.org/id/beleidsopgave/pv22-2016-0a1b2c3d> ;
    skos:inScheme <https://kg.example.org/id/begroting/pv22-2016> ;
    schema:position 1 ;
    dct:source <https://kg.example.org/id/brondocument/pv22-2016-programma-2> ;
    pb:beginRegel "15"^^xsd:integer ;
    pb:eindRegel "15"^^xsd:integer .

<https://kg.example.org/id/resultaat/pv22-2016-2c3d4e5f>
    a pb:Resultaat, skos:Concept ;
    skos:prefLabel "Noordelijke aanpak circulaire economie opgesteld"@nl ;
    pb:doelstelling <https://kg.example.org/id/doelstelling/pv22-2016-1b2c3d4e> ;
    skos:broader <https://kg.example.org/id/doelstelling/pv22-2016-1b2c3d4e> ;
    pb:zieOok <https://kg.example.org/id/programma/pv22-2016-7> ;
    skos:inScheme <https://kg.example.org/id/begroting/pv22-2016> ;
    schema:position 1 ;
    dct:source <https://kg.example.org/id/brondocument/pv22-2016-programma-2> ;
    pb:beginRegel "17"^^xsd:integer ;
    pb:eindRegel "17"^^xsd:integer .

<https://kg.example.org/id/deelresultaat/pv22-2016-3d4e5f60>
    a pb:Deelresultaat, skos:Concept ;
    skos:prefLabel "Op noordelijke schaal minimaal 1 initiatief met MKB gestart"@nl ;
    pb:resultaat <https://kg.example.org/id/resultaat/pv22-2016-2c3d4e5f> ;
    skos:broader <https://kg.example.org/id/resultaat/pv22-2016-2c3d4e5f> ;
    skos:inScheme <https://kg.example.org/id/begroting/pv22-2016> ;
    schema:position 1 ;
    dct:source <https://kg.example.org/id/brondocument/pv22-2016-programma-2> ;
    pb:beginRegel "19"^^xsd:integer ;
    pb:eindRegel "19"^^xsd:integer .
"""

DOCUMENT = URIRef("https://kg.example.org/id/brondocument/pv22-2016-programma-2")
BEGROTING = URIRef("https://kg.example.org/id/begroting/pv22-2016")
PROGRAMMA = URIRef("https://kg.example.org/id/programma/pv22-2016-2")
PRODUCT = URIRef("https://kg.example.org/id/product/pv22-2016-2-1")
DOELSTELLING = URIRef("https://kg.example.org/id/doelstelling/pv22-2016-1b2c3d4e")
RESULTAAT = URIRef("https://kg.example.org/id/resultaat/pv22-2016-2c3d4e5f")
DEELRESULTAAT = URIRef("https://kg.example.org/id/deelresultaat/pv22-2016-3d4e5f60")
DECISION = URIRef("https://kg.example.org/id/leesbeslissing/pv22-2016-2c3d4e5f")

#: The reading decision on the sample's result row, as the build publishes one that nobody reviewed.
SAMPLE_DECISION = """
@prefix pb:     <https://kg.example.org/def/begroting#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

<https://kg.example.org/id/resultaat/pv22-2016-2c3d4e5f>
    pb:leesbeslissing <https://kg.example.org/id/leesbeslissing/pv22-2016-2c3d4e5f> .

<https://kg.example.org/id/leesbeslissing/pv22-2016-2c3d4e5f>
    a pb:Leesbeslissing ;
    rdfs:label "leesbeslissing over regel 17"@nl , "reading decision on line 17"@en ;
    pb:beoordelingsstatus <https://kg.example.org/def/beoordelingsstatus#niet-beoordeeld> ;
    pb:gekozenNiveau pb:Resultaat ;
    pb:beslisregel "the table read as a whole: resultaat by 1.0" ;
    pb:twijfel "reading it as a doelstelling scores only 1.0 lower (a reading is sure from 2)" ;
    dct:source <https://kg.example.org/id/brondocument/pv22-2016-programma-2> ;
    pb:beginRegel "17"^^xsd:integer .
"""


@cache
def _parsed(path: Path) -> Graph:
    """Parse a Turtle file once per test session (callers must not modify the graph)."""
    return Graph().parse(path, format="turtle")


def ontology() -> Graph:
    """Return the ontology graph."""
    return _parsed(ONTOLOGY_FILE)


def shapes() -> Graph:
    """Return the SHACL shapes graph."""
    return _parsed(SHAPES_FILE)


def sample() -> Graph:
    """Return a fresh graph of the conforming sample plan (safe to modify)."""
    return Graph().parse(data=SAMPLE, format="turtle")


def pb_terms(graph: Graph, kind: URIRef) -> set[URIRef]:
    """Return the terms in the pb: namespace that ``graph`` declares with ``rdf:type kind``."""
    return {s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and s.startswith(PB)}


def all_pb_terms(graph: Graph) -> set[URIRef]:
    """Return every pb: class and property the ontology declares."""
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    return set().union(*(pb_terms(graph, kind) for kind in kinds))


def local_names(terms: set[URIRef]) -> set[str]:
    """Return the local names (the part after ``#``) of pb: terms."""
    return {str(term)[len(str(PB)) :] for term in terms}


def literals(graph: Graph, subject: URIRef, predicate: URIRef, lang: str) -> list[Literal]:
    """Return the literals of ``subject predicate`` with language tag ``lang``."""
    return [o for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == lang]


def conforms(data: Graph) -> tuple[bool, Graph, str]:
    """Validate ``data`` against the shapes, with the ontology as ont_graph and no inference."""
    ok, report, text = validate(
        data,
        shacl_graph=shapes(),
        ont_graph=ontology(),
        inference="none",
        advanced=False,
        allow_warnings=False,
    )
    return bool(ok), report, str(text)


def violations(report: Graph) -> set[tuple[Node | None, Node | None]]:
    """Return the (focus node, result path) pairs of the validation results in ``report``."""
    return {
        (report.value(result, SH.focusNode), report.value(result, SH.resultPath))
        for result in report.subjects(RDF.type, SH.ValidationResult)
    }


# --- (a) every term is labelled, defined and attributed ----------------------------------------------


@pytest.mark.parametrize("term", sorted(all_pb_terms(ontology())), ids=lambda t: str(t).split("#")[-1])
def test_term_has_labels_definition_and_is_defined_by(term: URIRef) -> None:
    g = ontology()
    assert len(literals(g, term, RDFS.label, "nl")) == 1, f"{term}: exactly one rdfs:label@nl"
    assert len(literals(g, term, RDFS.label, "en")) == 1, f"{term}: exactly one rdfs:label@en"
    assert len(literals(g, term, SKOS.definition, "en")) == 1, f"{term}: exactly one skos:definition@en"
    assert set(g.objects(term, RDFS.isDefinedBy)) == {ONTOLOGY_IRI}


def test_ontology_header() -> None:
    g = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert g.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://kg.example.org/def/begroting/0.1.0")


# --- (b) the terms are exactly those of the spec ---------------------------------------------------


def test_classes_and_properties_match_the_spec() -> None:
    g = ontology()
    assert local_names(pb_terms(g, OWL.Class)) == SPEC_CLASSES
    assert local_names(pb_terms(g, OWL.ObjectProperty)) == SPEC_OBJECT_PROPERTIES
    assert local_names(pb_terms(g, OWL.DatatypeProperty)) == SPEC_DATATYPE_PROPERTIES
    assert local_names(all_pb_terms(g)) == SPEC_CLASSES | SPEC_OBJECT_PROPERTIES | SPEC_DATATYPE_PROPERTIES
    # no other pb: term is described anywhere in the file
    described = {s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(PB)}
    assert described == all_pb_terms(g)


@pytest.mark.parametrize(
    ("child", "parent", "link"),
    [
        ("Product", "Programma", "programma"),
        ("Beleidsopgave", "Product", "product"),
        ("Doelstelling", "Beleidsopgave", "beleidsopgave"),
        ("Resultaat", "Doelstelling", "doelstelling"),
        ("Deelresultaat", "Resultaat", "resultaat"),
    ],
)
def test_upward_links_are_broader_with_parent_range_and_no_domain(
    child: str, parent: str, link: str
) -> None:
    g = ontology()
    assert (PB[link], RDFS.subPropertyOf, SKOS.broader) in g
    assert set(g.objects(PB[link], RDFS.domain)) == set()  # any lower level: pages skip levels
    assert set(g.objects(PB[link], RDFS.range)) == {PB[parent]}


def test_class_hierarchy() -> None:
    g = ontology()
    expected = {
        "Begroting": SKOS.ConceptScheme,
        "Programma": SKOS.Concept,
        "Product": SKOS.Concept,
        "Doel": SKOS.Concept,
        "Beleidsopgave": PB.Doel,
        "Doelstelling": PB.Doel,
        "Prestatie": SKOS.Concept,
        "Resultaat": PB.Prestatie,
        "Deelresultaat": PB.Prestatie,
        "Indicator": SKOS.Concept,
    }
    for name, superclass in expected.items():
        assert set(g.objects(PB[name], RDFS.subClassOf)) == {superclass}, name


def test_realisation_status_scheme() -> None:
    g = _parsed(STATUS_FILE)
    scheme = URIRef("https://kg.example.org/def/realisatiestatus")
    concepts = set(g.subjects(SKOS.inScheme, scheme))
    assert concepts == {RS[n] for n in ("gepland", "gerealiseerd", "deels-gerealiseerd", "niet-gerealiseerd",
                                        "op-schema", "risico", "niet-op-schema")}  # the last three: a monitor's
    for concept in concepts:
        assert len(literals(g, concept, SKOS.prefLabel, "nl")) == 1
        assert len(literals(g, concept, SKOS.prefLabel, "en")) == 1
        assert len(literals(g, concept, SKOS.definition, "en")) == 1
        assert (scheme, SKOS.hasTopConcept, concept) in g


def test_review_status_scheme() -> None:
    g = _parsed(REVIEW_FILE)
    scheme = URIRef("https://kg.example.org/def/beoordelingsstatus")
    concepts = set(g.subjects(SKOS.inScheme, scheme))
    assert concepts == {BS["niet-beoordeeld"], BS.bevestigd, BS.overschreven}
    assert literals(g, BS["niet-beoordeeld"], SKOS.prefLabel, "nl") == [Literal("niet beoordeeld", lang="nl")]
    assert literals(g, BS["niet-beoordeeld"], SKOS.prefLabel, "en") == [Literal("not reviewed", lang="en")]
    for concept in concepts:
        assert len(literals(g, concept, SKOS.prefLabel, "nl")) == 1
        assert len(literals(g, concept, SKOS.prefLabel, "en")) == 1
        assert len(literals(g, concept, SKOS.definition, "en")) == 1
        assert (scheme, SKOS.hasTopConcept, concept) in g


def test_reading_decision_terms() -> None:
    g = ontology()
    assert set(g.objects(PB.leesbeslissing, RDFS.range)) == {PB.Leesbeslissing}
    for prop in (PB.beoordelingsstatus, PB.gekozenNiveau, PB.beslisregel, PB.twijfel):
        assert set(g.objects(prop, RDFS.domain)) == {PB.Leesbeslissing}, prop
    assert set(g.objects(PB.beoordelingsstatus, RDFS.range)) == {SKOS.Concept}
    assert set(g.objects(PB.beslisregel, RDFS.range)) == set(g.objects(PB.twijfel, RDFS.range)) == {XSD.string}


# --- (c) the shapes target the ontology's classes --------------------------------------------------


def test_every_node_shape_targets_an_ontology_class_or_is_the_document_shape() -> None:
    sg = shapes()
    classes = pb_terms(ontology(), OWL.Class)
    node_shapes = set(sg.subjects(RDF.type, SH.NodeShape))
    assert node_shapes, "the shapes file declares no sh:NodeShape"
    for shape in node_shapes:
        if shape == PBSH.BronDocumentShape:
            assert set(sg.objects(shape, SH.targetClass)) == {FOAF_DOCUMENT}
            continue
        targets = set(sg.objects(shape, SH.targetClass))
        assert targets, f"{shape} has no sh:targetClass"
        assert targets <= classes, f"{shape} targets a class the ontology does not declare"
    targeted = {t for shape in node_shapes for t in sg.objects(shape, SH.targetClass)}
    assert {PB[name] for name in DATA_CLASSES} <= targeted


def test_every_property_shape_has_an_english_message() -> None:
    sg = shapes()
    for shape in sg.subjects(RDF.type, SH.NodeShape):
        for prop in sg.objects(shape, SH.property):
            path = sg.value(prop, SH.path)
            assert literals(sg, prop, SH.message, "en"), f"{shape}: property shape on {path}"


# --- (d) a conforming sample conforms, (e) a broken one does not -------------------------------------


def test_sample_conforms() -> None:
    ok, _, text = conforms(sample())
    assert ok, text


def with_decision() -> Graph:
    """Return a fresh graph of the sample plan with a reading decision on its result (safe to modify)."""
    return sample().parse(data=SAMPLE_DECISION, format="turtle")


def test_sample_with_a_reading_decision_conforms() -> None:
    ok, _, text = conforms(with_decision())
    assert ok, text


@pytest.mark.parametrize(
    ("subject", "predicate", "value", "path"),
    [
        (DECISION, PB.beoordelingsstatus, RS.gepland, PB.beoordelingsstatus),
        (DECISION, PB.beoordelingsstatus, None, PB.beoordelingsstatus),
        (DECISION, PB.gekozenNiveau, PB.Programma, PB.gekozenNiveau),
        (DECISION, PB.beslisregel, None, PB.beslisregel),
        (DECISION, PB.beslisregel, Literal(""), PB.beslisregel),
        (DECISION, PB.twijfel, Literal("twijfel", lang="nl"), PB.twijfel),
        (DECISION, PB.beginRegel, Literal("0", datatype=LINE_NUMBER), PB.beginRegel),
        (DECISION, DCTERMS.source, None, DCTERMS.source),
    ],
)
def test_each_reading_decision_constraint_is_reported(
    subject: URIRef, predicate: URIRef, value: Node | None, path: URIRef
) -> None:
    data = with_decision()
    _replace(data, subject, predicate, value)
    ok, report, text = conforms(data)
    assert not ok
    assert violations(report) == {(subject, path)}, text


def test_a_reading_decision_belongs_to_one_objective_or_result() -> None:
    data = with_decision()
    data.remove((RESULTAAT, PB.leesbeslissing, DECISION))
    ok, report, text = conforms(data)
    assert not ok
    assert {focus for focus, _ in violations(report)} == {DECISION}, text
    data.add((DEELRESULTAAT, PB.leesbeslissing, DECISION))  # a sub-result is not a table row
    ok, report, text = conforms(data)
    assert not ok
    assert {focus for focus, _ in violations(report)} == {DECISION}, text


def test_a_node_has_at_most_one_reading_decision() -> None:
    data = with_decision()
    other = URIRef("https://kg.example.org/id/leesbeslissing/other")
    for _s, p, o in list(data.triples((DECISION, None, None))):
        data.add((other, p, o))
    data.add((RESULTAAT, PB.leesbeslissing, other))
    ok, report, text = conforms(data)
    assert not ok
    assert violations(report) == {(RESULTAAT, PB.leesbeslissing)}, text


def test_missing_parent_is_reported_on_the_resultaat_and_the_path() -> None:
    data = sample()
    data.remove((RESULTAAT, PB.doelstelling, None))
    ok, report, text = conforms(data)
    assert not ok
    assert violations(report) == {(RESULTAAT, PB.doelstelling)}, text
    result = next(iter(report.subjects(RDF.type, SH.ValidationResult)))
    message = str(report.value(result, SH.resultMessage))
    assert message.startswith("A Resultaat needs exactly one pb:doelstelling that is a pb:Doelstelling")


def test_no_parent_at_all_is_reported_on_the_resultaat() -> None:
    data = sample()
    data.remove((RESULTAAT, PB.doelstelling, None))
    data.remove((RESULTAAT, SKOS.broader, None))
    ok, report, text = conforms(data)
    assert not ok
    assert violations(report) == {(RESULTAAT, None)}, text


def test_a_top_resultaat_without_parent_conforms() -> None:
    data = sample()
    data.remove((RESULTAAT, PB.doelstelling, None))
    data.remove((RESULTAAT, SKOS.broader, None))
    data.add((RESULTAAT, SKOS.topConceptOf, BEGROTING))
    data.add((BEGROTING, SKOS.hasTopConcept, RESULTAAT))
    ok, _, text = conforms(data)
    assert ok, text


def test_a_parent_of_the_wrong_class_is_reported_on_the_path() -> None:
    data = sample()
    _replace(data, RESULTAAT, PB.doelstelling, PRODUCT)
    ok, report, text = conforms(data)
    assert not ok
    assert (RESULTAAT, PB.doelstelling) in violations(report), text


# --- more broken samples: each constraint fires on the right focus node and path ---------------------


def _replace(data: Graph, subject: URIRef, predicate: URIRef, value: Node | None) -> None:
    """Replace every ``subject predicate`` value in ``data`` by ``value`` (or just remove them if None)."""
    data.remove((subject, predicate, None))
    if value is not None:
        data.add((subject, predicate, value))


def _set_checksum(data: Graph, value: str) -> None:
    """Set the checksum value of the sample's source document."""
    checksum = data.value(DOCUMENT, SPDX.checksum)
    assert checksum is not None
    _replace(data, checksum, SPDX.checksumValue, Literal(value))


@pytest.mark.parametrize(
    ("subject", "predicate", "value", "path"),
    [
        (PROGRAMMA, SKOS.notation, Literal("2a"), SKOS.notation),
        (PRODUCT, SKOS.notation, Literal("2"), SKOS.notation),
        (PRODUCT, SKOS.notation, None, SKOS.notation),
        (PROGRAMMA, SKOS.topConceptOf, None, SKOS.topConceptOf),
        (PRODUCT, PB.programma, DOELSTELLING, PB.programma),
        (DEELRESULTAAT, SKOS.prefLabel, Literal("Een deelresultaat", lang="en"), SKOS.prefLabel),
        (DEELRESULTAAT, SKOS.inScheme, None, SKOS.inScheme),
        (DEELRESULTAAT, SCHEMA.position, Literal("1"), SCHEMA.position),
        (DEELRESULTAAT, RDF.type, PB.Deelresultaat, RDF.type),
        (DEELRESULTAAT, PB.eindRegel, Literal("18", datatype=LINE_NUMBER), PB.beginRegel),
        (DEELRESULTAAT, PB.beginRegel, Literal("0", datatype=LINE_NUMBER), PB.beginRegel),
        (DEELRESULTAAT, PB.zieOok, Literal("programma 7"), PB.zieOok),
        (DEELRESULTAAT, DCTERMS.source, None, DCTERMS.source),
        (DEELRESULTAAT, DCTERMS.source, PRODUCT, DCTERMS.source),
        (BEGROTING, PB.jaar, Literal("2016"), PB.jaar),
        (BEGROTING, RDF.type, PB.Begroting, RDF.type),
        (DOCUMENT, PB.jaar, None, PB.jaar),
    ],
)
def test_each_constraint_is_reported_on_its_focus_node_and_path(
    subject: URIRef, predicate: URIRef, value: Node | None, path: URIRef
) -> None:
    data = sample()
    _replace(data, subject, predicate, value)
    ok, report, text = conforms(data)
    assert not ok
    assert (subject, path) in violations(report), text


@pytest.mark.parametrize(
    "value",
    [
        "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",  # upper case
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0",  # 63 characters
    ],
)
def test_bad_checksum_is_reported_on_the_document(value: str) -> None:
    data = sample()
    _set_checksum(data, value)
    ok, report, text = conforms(data)
    assert not ok
    assert violations(report) == {(DOCUMENT, SPDX.checksum)}, text
