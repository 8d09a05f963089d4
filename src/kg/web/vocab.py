"""Namespaces and terms the web layer reads: those of the ontology (``ontology/begroting.ttl``) and the
standard vocabularies it reuses, as plain strings for pyoxigraph. Every part of the web layer may import it."""

from __future__ import annotations

from kg.settings import ONTOLOGY_NS

#: Prefixes used in Turtle, RDF/XML and JSON-LD output and for compact names in HTML.
PREFIXES: dict[str, str] = {
    "pb": ONTOLOGY_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "cv": "http://data.europa.eu/m8g/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "spdx": "http://spdx.org/rdf/terms#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "oa": "http://www.w3.org/ns/oa#",
}

PB = ONTOLOGY_NS
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
RDFS_SUBPROPERTY_OF = PREFIXES["rdfs"] + "subPropertyOf"
SKOS_PREF_LABEL = PREFIXES["skos"] + "prefLabel"
SKOS_NOTATION = PREFIXES["skos"] + "notation"
SKOS_BROADER = PREFIXES["skos"] + "broader"
SKOS_TOP_CONCEPT_OF = PREFIXES["skos"] + "topConceptOf"
DCT_TITLE = PREFIXES["dct"] + "title"
DCT_SOURCE = PREFIXES["dct"] + "source"
DCAT_DOWNLOAD_URL = PREFIXES["dcat"] + "downloadURL"
SCHEMA_POSITION = PREFIXES["schema"] + "position"
PB_BEGIN = PB + "beginRegel"
PB_END = PB + "eindRegel"
#: A reading decision (how a row of an objective/result table was read) and its terms.
PB_READING_DECISION = PB + "Leesbeslissing"
PB_READING = PB + "leesbeslissing"
PB_REVIEW_STATUS = PB + "beoordelingsstatus"
PB_LEVEL_CHOSEN = PB + "gekozenNiveau"
PB_DECISION_RULE = PB + "beslisregel"
PB_DOUBT = PB + "twijfel"
#: The review status of a reading decision that nobody reviewed (``ontology/beoordelingsstatus.ttl``).
NOT_REVIEWED = ONTOLOGY_NS.rsplit("/", 1)[0] + "/beoordelingsstatus#niet-beoordeeld"

#: Classes of the resource a document is about, the first that applies first: the catalog (which also holds the
#: concept schemes of its themes), the VoID description, the SPARQL service, an ontology, a concept scheme
#: (``/def/...``, a plan). Its HTML page is titled by that resource's label and its JSON-LD puts it first.
DOCUMENT_CLASSES: tuple[str, ...] = (
    PREFIXES["dcat"] + "Catalog",
    "http://rdfs.org/ns/void#DatasetDescription",
    "http://www.w3.org/ns/sparql-service-description#Service",
    PREFIXES["owl"] + "Ontology",
    PREFIXES["skos"] + "ConceptScheme",
)

#: Properties that name a thing, in order of preference (dct:title names source documents).
LABEL_PROPERTIES: tuple[str, ...] = (SKOS_PREF_LABEL, RDFS_LABEL, DCT_TITLE)

#: Languages of labels, in order of preference; other languages and plain literals come after.
LABEL_LANGUAGES: tuple[str, ...] = ("nl", "en")


def compact(iri: str) -> str:
    """Return ``prefix:local`` for an IRI in one of :data:`PREFIXES`, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
