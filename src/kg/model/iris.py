"""Plan model: the IRIs of things and the namespaces they are minted in (design notes, section 2).

IRIs follow the Dutch URI strategy: ``{base}/id/{type}/{reference}`` names a thing; the named graph of a
source document is ``{base}/graph/{document key}``. Every stage names things with these functions, so an IRI
is minted in one place; the mapping to RDF (:mod:`kg.rdf.mapping`) writes the triples about them.
"""

from __future__ import annotations

import hashlib

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, SKOS

from kg.model.plan import Level, Node, Plan
from kg.settings import ONTOLOGY_NS

PB = Namespace(ONTOLOGY_NS)
SCHEMA = Namespace("https://schema.org/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
OA = Namespace("http://www.w3.org/ns/oa#")

#: Prefixes bound in every graph kg writes.
PREFIXES: dict[str, Namespace] = {
    "pb": PB, "skos": Namespace(str(SKOS)), "dct": Namespace(str(DCTERMS)), "prov": Namespace(str(PROV)),
    "dcat": Namespace(str(DCAT)), "foaf": Namespace(str(FOAF)), "schema": SCHEMA, "spdx": SPDX, "oa": OA,
}

#: The namespace of the ontology's concept schemes (``{DEFINITIONS}/kleurscore#groen``).
DEFINITIONS = ONTOLOGY_NS.rsplit("/", 1)[0]

#: The ontology class of each level.
CLASS: dict[Level, URIRef] = {level: PB[level.value.capitalize()] for level in Level}


def thing(base: str, kind: str, reference: str) -> URIRef:
    """Return the IRI ``{base}/id/{kind}/{reference}`` of a thing."""
    return URIRef(f"{base}/id/{kind}/{reference}")


def graph_name(base: str, plan: Plan) -> URIRef:
    """Return the IRI of the named graph that holds ``plan``'s source document."""
    return URIRef(f"{base}/graph/{plan.document.key}")


def plan_iri(base: str, plan: Plan) -> URIRef:
    """Return the IRI of the plan of ``plan``'s kind, body and year, e.g. ``.../begroting/pv22-2016`` or
    ``.../monitor/pv23-2020``: every page of one plan shares it, and a budget and the annual report or monitor
    of the same year are different plans."""
    doc = plan.document
    return thing(base, doc.kind, f"{doc.body.code}-{doc.year}")


def node_iri(base: str, node: Node) -> URIRef:
    """Return the IRI of a plan node; its key must have been assigned (:func:`kg.rdf.keys.assign_keys`)."""
    if not node.key:
        raise ValueError(f"node at line {node.start_line} has no key")
    return thing(base, node.level.value, node.key)


def decision_iri(base: str, node: Node) -> URIRef:
    """Return the IRI ``{base}/id/leesbeslissing/{node key}`` of the reading decision that made ``node`` (an
    objective or result read from a table row) what it is; the node's key must have been assigned.

    A decision is about one row, and a row is one node, so the decision shares its node's key (keys are unique
    within a plan's registry, across levels).
    """
    if not node.key:
        raise ValueError(f"node at line {node.start_line} has no key")
    return thing(base, "leesbeslissing", node.key)


def statement_iri(base: str, subject: URIRef, predicate: URIRef, obj: URIRef) -> URIRef:
    """Return the IRI ``{base}/id/koppeling/{digest}`` of the statement node of one link.

    The digest is the first 16 hex digits of the SHA-256 of the three IRIs, so a link keeps its IRI from build
    to build (a reviewer's file refers to proposals by it).
    """
    digest = hashlib.sha256(f"{subject} {predicate} {obj}".encode()).hexdigest()[:16]
    return URIRef(f"{base}/id/koppeling/{digest}")
