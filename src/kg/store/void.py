"""The VoID description of a build (build stage), served at ``/.well-known/void``.

Standard: "Describing Linked Datasets with the VoID Vocabulary" (W3C Interest Group Note, 2011): the
whole knowledge graph (``{base}/catalog#kg``, the dataset the DCAT catalog describes) with its SPARQL
endpoint, data dumps, URI space, vocabularies, statistics, example resources and class and property
partitions (sections 4.5-4.6), one ``void:subset`` per source document, named by its graph IRI, and one per
linkset graph (links between plans), with a ``void:Linkset`` per pair of plans it links (section 4.7).
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from kg.model.iris import thing
from kg.settings import Settings
from kg.store.catalog import TITLE
from kg.store.local import DUMPS
from kg.store.statistics import Scope, Statistics


def _literal(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _describe(g: Graph, dataset: URIRef, scope: Scope, base: str) -> None:
    """Add the statistics, partitions, URI space, endpoint and examples of one dataset."""
    for predicate, value in (
        (VOID.triples, scope.triples),
        (VOID.entities, scope.entities),
        (VOID.distinctSubjects, scope.distinct_subjects),
        (VOID.distinctObjects, scope.distinct_objects),
        (VOID.classes, len(scope.classes)),
        (VOID.properties, len(scope.properties)),
    ):
        g.add((dataset, predicate, _literal(value)))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
    g.add((dataset, VOID.uriSpace, Literal(f"{base}/id/")))
    for vocabulary in scope.vocabularies:
        g.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    for example in scope.examples:
        g.add((dataset, VOID.exampleResource, URIRef(example)))
    for partition in scope.classes:
        node = BNode()
        g.add((dataset, VOID.classPartition, node))
        g.add((node, VOID["class"], URIRef(partition.iri)))
        g.add((node, VOID.entities, _literal(partition.count)))
    for partition in scope.properties:
        node = BNode()
        g.add((dataset, VOID.propertyPartition, node))
        g.add((node, VOID.property, URIRef(partition.iri)))
        g.add((node, VOID.triples, _literal(partition.count)))


def void_graph(report: dict[str, Any], statistics: Statistics, settings: Settings) -> Graph:
    """Describe a build with VoID.

    Args:
        report: the build report (``built_at``; per document ``key``, ``graph`` and ``title``).
        statistics: the statistics of the published store (see :func:`kg.store.statistics.count_statistics`).
        settings: the deployment settings (base IRI, licence).

    Returns:
        The VoID graph: a ``void:DatasetDescription`` whose primary topic is the whole dataset.
    """
    base = settings.base
    g = Graph()
    g.bind("void", VOID)
    g.bind("dct", DCTERMS)
    whole = URIRef(f"{base}/catalog#kg")
    description = URIRef(f"{base}/.well-known/void")
    built = Literal(report["built_at"], datatype=XSD.dateTime)
    g.add((description, RDF.type, VOID.DatasetDescription))
    g.add((description, FOAF.primaryTopic, whole))
    g.add((description, DCTERMS.title, Literal(f"VoID: {TITLE[1]}", lang="en")))
    g.add((description, RDFS.seeAlso, URIRef(f"{base}/catalog")))
    _describe(g, whole, statistics.whole, base)
    for lang, title in zip(("nl", "en"), TITLE, strict=True):
        g.add((whole, DCTERMS.title, Literal(title, lang=lang)))
    g.add((whole, DCTERMS.modified, built))
    g.add((whole, DCTERMS.license, URIRef(settings.licence_iri)))
    for name in DUMPS:
        g.add((whole, VOID.dataDump, URIRef(f"{base}/dumps/{name}")))
    for doc in report["documents"]:
        subset = URIRef(doc["graph"])
        g.add((whole, VOID.subset, subset))
        g.add((subset, DCTERMS.title, Literal(doc["title"], lang="nl")))
        g.add((subset, DCTERMS.source, thing(base, "brondocument", doc["key"])))
        g.add((subset, DCTERMS.modified, built))
        if doc["graph"] in statistics.subsets:
            _describe(g, subset, statistics.subsets[doc["graph"]], base)
    for linkset in report.get("linksets", []):
        _describe_linkset(g, whole, linkset, built)
    return g


def _describe_linkset(g: Graph, whole: URIRef, linkset: dict[str, Any], built: Literal) -> None:
    """Describe a linkset graph (VoID section 4.7): the graph is a subset of the whole dataset, and each
    pair of plans it links is a ``void:Linkset`` with its two targets, link predicate and number of links."""
    graph = URIRef(linkset["graph"])
    predicate = URIRef(linkset["predicate"])
    g.add((whole, VOID.subset, graph))
    g.add((graph, RDF.type, VOID.Dataset))
    for lang, title in zip(("nl", "en"), linkset["title"], strict=True):
        g.add((graph, DCTERMS.title, Literal(title, lang=lang)))
    g.add((graph, DCTERMS.modified, built))
    g.add((graph, VOID.linkPredicate, predicate))
    for pair in linkset["pairs"]:
        ends = "--".join(pair[end].rsplit("/", 1)[-1] for end in ("subjects", "objects"))
        subset = URIRef(f"{linkset['graph']}#{ends}")
        g.add((graph, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Linkset))
        g.add((subset, VOID.linkPredicate, predicate))
        g.add((subset, VOID.subjectsTarget, URIRef(pair["subjects"])))
        g.add((subset, VOID.objectsTarget, URIRef(pair["objects"])))
        g.add((subset, VOID.triples, _literal(pair["links"])))
