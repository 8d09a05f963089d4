"""The DCAT-AP-NL 3.0 catalog of a build (build stage): what a data portal harvests.

:func:`catalog_graph` describes, from the build report and the dump files, a ``dcat:Catalog`` with one
``dcat:Dataset`` per source document (identified by its named graph), one for the whole knowledge graph
(with a ``dcat:Distribution`` per dump: media type, byte size, SHA-256 checksum, download URL, licence),
and the SPARQL endpoint as ``dcat:DataService`` whose endpoint description is the SPARQL service
description. It conforms to the DCAT-AP-NL 3.0 SHACL shapes (Geonovum, repository DCAT-AP-NL30), which
require the class of every linked resource to be stated, so each is typed (``foaf:Agent``,
``vcard:Kind``, ``skos:Concept``, ...). Code lists: the EU Vocabularies authority tables the profile
names (data theme, access right, language, file type); organisations: TOOI.

Things are named with hash IRIs in the catalog document ``{base}/catalog`` (``#catalog``, ``#kg``,
``#sparql``, ...); a source document's dataset is named by its graph IRI ``{base}/graph/{key}``, the
subject VoID (:mod:`kg.store.void`) describes too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from kg.settings import ONTOLOGY_NS, Settings
from kg.store.local import DUMPS

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

#: EU data themes of every dataset (EU Vocabularies "data-theme"), with their labels (nl, en).
THEMES: dict[str, tuple[str, str]] = {
    EU + "data-theme/GOVE": ("Overheid en publieke sector", "Government and public sector"),
    EU + "data-theme/ECON": ("Economie en financiën", "Economy and finance"),
}
THEME_SCHEME = EU + "data-theme"
ACCESS_PUBLIC = EU + "access-right/PUBLIC"
DUTCH = EU + "language/NLD"
#: EU file type (EU Vocabularies "file-type") of each dump media type.
FILE_TYPES: dict[str, str] = {
    "application/trig": EU + "file-type/RDF_TRIG",
    "application/n-quads": EU + "file-type/RDF_N_QUADS",
}
#: Licences known to the EU licence table: our licence IRI -> the EU authority IRI (``skos:exactMatch``).
LICENCE_MATCHES: dict[str, str] = {
    "http://creativecommons.org/publicdomain/zero/1.0/": EU + "licence/CC0",
    "https://creativecommons.org/licenses/by/4.0/": EU + "licence/CC_BY_4_0",
}
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
ONTOLOGY = ONTOLOGY_NS.rstrip("#")

TITLE = ("Begrotingen van provincies als linked data", "Budget plans of Dutch provinces as linked data")
DESCRIPTION = (
    "De doelenbomen (programma, product, beleidsopgave, doelstelling, resultaat) van begrotingen van "
    "provincies, gelezen uit de gepubliceerde documenten en gevalideerd, met de bronregels van elk onderdeel.",
    "The goal trees (programme, product, policy task, objective, result) of Dutch provincial budget plans, "
    "read from the published documents and validated, with the source lines of every node.",
)


@dataclass(frozen=True)
class DumpFile:
    """A dump file of a build: its name (in :data:`kg.store.local.DUMPS`), media type, size and SHA-256."""

    name: str
    media_type: str
    size: int
    sha256: str


def dump_files(dumps_dir: Path) -> list[DumpFile]:
    """Measure the dump files of :data:`kg.store.local.DUMPS` found in ``dumps_dir`` (size and SHA-256)."""
    found = []
    for name, (_fmt, media_type) in DUMPS.items():
        path = dumps_dir / name
        if path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            found.append(DumpFile(name, media_type, path.stat().st_size, digest.hexdigest()))
    return found


class _Catalog:
    """Builds the catalog graph; one method per DCAT class."""

    def __init__(self, settings: Settings, report: dict[str, Any]) -> None:
        self.settings = settings
        self.base = settings.base
        self.doc = URIRef(f"{self.base}/catalog")
        self.built = Literal(datetime.fromisoformat(report["built_at"]), datatype=XSD.dateTime)
        self.graph = Graph()
        for prefix, ns in {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": VCARD, "spdx": SPDX}.items():
            self.graph.bind(prefix, ns)
        self.licence = URIRef(settings.licence_iri)
        self.contact = self.iri("contactpunt")
        self.service = self.iri("sparql")

    def iri(self, name: str) -> URIRef:
        """A thing named in the catalog document: ``{base}/catalog#{name}``."""
        return URIRef(f"{self.doc}#{name}")

    def add(self, subject: URIRef | BNode, *pairs: tuple[URIRef, Any]) -> None:
        """Add ``subject``'s property-value pairs (values that are None are skipped)."""
        for predicate, value in pairs:
            if value is not None:
                self.graph.add((subject, predicate, value))

    def texts(self, subject: URIRef | BNode, predicate: URIRef, nl: str, en: str | None = None) -> None:
        """Add a Dutch text and, when given, its English version."""
        self.graph.add((subject, predicate, Literal(nl, lang="nl")))
        if en is not None:
            self.graph.add((subject, predicate, Literal(en, lang="en")))

    def agent(self, iri: str, name: str) -> URIRef:
        """An organisation (``foaf:Agent`` with ``foaf:name``)."""
        agent = URIRef(iri)
        self.add(agent, (RDF.type, FOAF.Agent), (FOAF.name, Literal(name, lang="nl")))
        return agent

    def shared(self) -> None:
        """The resources every catalogued item links to: licence, themes, access right, language, contact."""
        g, settings = self.graph, self.settings
        g.add((self.licence, RDF.type, DCTERMS.LicenseDocument))
        if str(self.licence) in LICENCE_MATCHES:
            g.add((self.licence, SKOS.exactMatch, URIRef(LICENCE_MATCHES[str(self.licence)])))
        scheme = URIRef(THEME_SCHEME)
        self.add(scheme, (RDF.type, SKOS.ConceptScheme), (DCTERMS.title, Literal("Data theme", lang="en")))
        for theme, (nl, en) in THEMES.items():
            self.add(URIRef(theme), (RDF.type, SKOS.Concept), (SKOS.inScheme, scheme))
            self.texts(URIRef(theme), SKOS.prefLabel, nl, en)
        self.add(URIRef(ACCESS_PUBLIC), (RDF.type, DCTERMS.RightsStatement))
        self.texts(URIRef(ACCESS_PUBLIC), RDFS.label, "publiek", "public")
        self.add(URIRef(DUTCH), (RDF.type, DCTERMS.LinguisticSystem))
        self.texts(URIRef(DUTCH), RDFS.label, "Nederlands", "Dutch")
        self.add(
            self.contact,
            (RDF.type, VCARD.Kind),
            (VCARD.fn, Literal(settings.contact_name, lang="nl")),
            (VCARD.hasEmail, URIRef(f"mailto:{settings.contact_email}") if settings.contact_email else None),
            (VCARD.hasURL, URIRef(settings.contact_url or f"{self.base}/")),
        )
        self.add(URIRef(ONTOLOGY), (RDF.type, DCTERMS.Standard))
        self.add(URIRef(SPARQL_PROTOCOL), (RDF.type, DCTERMS.Standard))

    def common(self, subject: URIRef, identifier: str, publisher: URIRef) -> None:
        """The properties DCAT-AP-NL requires of both datasets and data services."""
        self.add(
            subject,
            (DCTERMS.identifier, Literal(identifier)),
            (DCTERMS.publisher, publisher),
            (DCTERMS.accessRights, URIRef(ACCESS_PUBLIC)),
            (DCAT.contactPoint, self.contact),
            (DCTERMS.language, URIRef(DUTCH)),
            (DCTERMS.modified, self.built),
        )
        for theme in THEMES:
            self.graph.add((subject, DCAT.theme, URIRef(theme)))

    def document_dataset(self, doc: dict[str, Any]) -> URIRef:
        """The dataset of one source document: its named graph, offered through the SPARQL endpoint."""
        dataset = URIRef(doc["graph"])
        body = doc["body"]
        publisher = self.agent(body["iri"], body["name"])
        counts = ", ".join(f"{n} {level}" for level, n in doc["counts"].items())
        self.add(dataset, (RDF.type, DCAT.Dataset), (DCTERMS.creator, publisher), (DCTERMS.issued, self.built))
        self.common(dataset, doc["graph"], publisher)
        self.texts(dataset, DCTERMS.title, doc["title"])
        self.texts(
            dataset,
            DCTERMS.description,
            f"De doelenboom van '{doc['title']}' als linked data ({counts}), gelezen uit het brondocument "
            f"{doc['file']} (SHA-256 {doc['sha256']}); de named graph <{doc['graph']}> op het SPARQL-endpoint.",
            f"The goal tree of '{doc['title']}' as linked data ({counts}), read from the source document "
            f"{doc['file']} (SHA-256 {doc['sha256']}); the named graph <{doc['graph']}> on the SPARQL endpoint.",
        )
        for keyword in (doc["kind"], body["name"], str(doc["year"])):
            self.graph.add((dataset, DCAT.keyword, Literal(keyword, lang="nl")))
        period = BNode()
        self.graph.add((dataset, DCTERMS.temporal, period))
        self.add(
            period,
            (RDF.type, DCTERMS.PeriodOfTime),
            (DCAT.startDate, Literal(f"{doc['year']}-01-01", datatype=XSD.date)),
            (DCAT.endDate, Literal(f"{doc['year']}-12-31", datatype=XSD.date)),
        )
        provenance = BNode()
        self.add(dataset, (DCTERMS.provenance, provenance), (DCTERMS.conformsTo, URIRef(ONTOLOGY)))
        self.graph.add((provenance, RDF.type, DCTERMS.ProvenanceStatement))
        self.texts(
            provenance,
            RDFS.label,
            f"Gelezen door kg uit {doc['file']} (SHA-256 {doc['sha256']}); elk knooppunt noemt zijn bronregels.",
            f"Read by kg from {doc['file']} (SHA-256 {doc['sha256']}); every node names its source lines.",
        )
        graph = doc["graph"]
        distribution = self.sparql_distribution(doc["key"], f"SPARQL-endpoint, graaf <{graph}>",
                                                f"SPARQL endpoint, graph <{graph}>")
        self.graph.add((dataset, DCAT.distribution, distribution))
        return dataset

    def sparql_distribution(self, key: str, title_nl: str, title_en: str) -> URIRef:
        """A distribution named ``#sparql-{key}``: access through the SPARQL endpoint (``dcat:accessService``)."""
        distribution = self.iri(f"sparql-{key}")
        self.add(
            distribution,
            (RDF.type, DCAT.Distribution),
            (DCAT.accessURL, URIRef(f"{self.base}/sparql")),
            (DCAT.accessService, self.service),
            (DCTERMS.license, self.licence),
            (DCTERMS.modified, self.built),
        )
        self.texts(distribution, DCTERMS.title, title_nl, title_en)
        return distribution

    def dump_distribution(self, dump: DumpFile) -> URIRef:
        """A distribution of the whole dataset as a downloadable dump file, with its SPDX checksum."""
        distribution = self.iri(f"dump-{dump.name}")
        url = URIRef(f"{self.base}/dumps/{dump.name}")
        media_type = URIRef(IANA_MEDIA_TYPES + dump.media_type)
        checksum = BNode()
        self.add(
            distribution,
            (RDF.type, DCAT.Distribution),
            (DCAT.accessURL, url),
            (DCAT.downloadURL, url),
            (DCAT.mediaType, media_type),
            (DCTERMS.format, URIRef(FILE_TYPES[dump.media_type]) if dump.media_type in FILE_TYPES else None),
            (DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)),
            (SPDX.checksum, checksum),
            (DCTERMS.license, self.licence),
            (DCTERMS.issued, self.built),
            (DCTERMS.modified, self.built),
        )
        self.texts(distribution, DCTERMS.title, f"Download {dump.name}", f"Download {dump.name}")
        self.add(media_type, (RDF.type, DCTERMS.MediaType))
        if dump.media_type in FILE_TYPES:
            self.add(URIRef(FILE_TYPES[dump.media_type]), (RDF.type, DCTERMS.MediaTypeOrExtent))
        algorithm = SPDX.checksumAlgorithm_sha256
        self.add(
            checksum,
            (RDF.type, SPDX.Checksum),
            (SPDX.algorithm, algorithm),
            (SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)),
        )
        self.add(algorithm, (RDF.type, SPDX.ChecksumAlgorithm))
        return distribution


def publisher_of(report: dict[str, Any], settings: Settings) -> tuple[str, str]:
    """The publisher of the catalog, the whole dataset and the endpoint: (IRI, name).

    The setting ``publisher_iri`` (with ``publisher_name``) when given; else the one body that published
    every source document; else, for a collection of several bodies' plans, the operator of this deployment,
    ``{base}/catalog#beheerder`` named by ``publisher_name`` or the contact point's name (each plan's own
    dataset keeps its body as publisher).
    """
    if settings.publisher_iri:
        return settings.publisher_iri, settings.publisher_name or settings.publisher_iri
    bodies = sorted({(doc["body"]["iri"], doc["body"]["name"]) for doc in report["documents"]})
    if len(bodies) == 1:
        return bodies[0]
    return f"{settings.base}/catalog#beheerder", settings.publisher_name or settings.contact_name


def catalog_graph(report: dict[str, Any], dumps: list[DumpFile], settings: Settings) -> Graph:
    """Describe a build as a DCAT-AP-NL 3.0 catalog.

    Args:
        report: the build report (``built_at`` and, per document, ``key``, ``graph``, ``title``, ``kind``,
            ``year``, ``body`` with ``iri`` and ``name``, ``file``, ``sha256`` and ``counts``).
        dumps: the dump files of the build (see :func:`dump_files`).
        settings: the deployment settings (base IRI, licence, publisher, contact point).

    Returns:
        The catalog graph.

    """
    c = _Catalog(settings, report)
    g, catalog, whole = c.graph, c.iri("catalog"), c.iri("kg")
    publisher = c.agent(*publisher_of(report, settings))
    c.shared()
    c.add(
        catalog,
        (RDF.type, DCAT.Catalog),
        (DCTERMS.publisher, publisher),
        (DCAT.contactPoint, c.contact),
        (DCTERMS.license, c.licence),
        (DCTERMS.language, URIRef(DUTCH)),
        (DCTERMS.issued, c.built),
        (DCTERMS.modified, c.built),
        (FOAF.homepage, URIRef(f"{c.base}/")),
        (DCAT.themeTaxonomy, URIRef(THEME_SCHEME)),
        (DCAT.service, c.service),
        (DCAT.dataset, whole),
        (RDFS.seeAlso, URIRef(f"{c.base}/.well-known/void")),
    )
    c.texts(catalog, DCTERMS.title, *TITLE)
    c.texts(catalog, DCTERMS.description, *DESCRIPTION)
    g.add((URIRef(f"{c.base}/"), RDF.type, FOAF.Document))

    c.add(whole, (RDF.type, DCAT.Dataset), (DCTERMS.issued, c.built), (DCTERMS.conformsTo, URIRef(ONTOLOGY)))
    c.add(whole, (DCAT.landingPage, URIRef(f"{c.base}/")), (RDFS.seeAlso, URIRef(f"{c.base}/.well-known/void")))
    c.common(whole, str(whole), publisher)
    c.texts(whole, DCTERMS.title, *TITLE)
    c.texts(whole, DCTERMS.description, *DESCRIPTION)
    for keyword in ("begroting", "doelenboom", "linked data"):
        g.add((whole, DCAT.keyword, Literal(keyword, lang="nl")))
    for doc in report["documents"]:
        dataset = c.document_dataset(doc)
        c.add(catalog, (DCAT.dataset, dataset))
        c.add(whole, (DCTERMS.hasPart, dataset), (DCTERMS.creator, URIRef(doc["body"]["iri"])))
    for dump in dumps:
        g.add((whole, DCAT.distribution, c.dump_distribution(dump)))
    g.add((whole, DCAT.distribution, c.sparql_distribution("kg", "SPARQL-endpoint", "SPARQL endpoint")))

    c.add(
        c.service,
        (RDF.type, DCAT.DataService),
        (DCAT.endpointURL, URIRef(f"{c.base}/sparql")),
        (DCAT.endpointDescription, URIRef(f"{c.base}/sparql")),
        (DCTERMS.conformsTo, URIRef(SPARQL_PROTOCOL)),
        (DCTERMS.license, c.licence),
        (DCAT.servesDataset, whole),
    )
    c.common(c.service, str(c.service), publisher)
    c.texts(c.service, DCTERMS.title, "SPARQL-endpoint", "SPARQL endpoint")
    c.texts(
        c.service,
        DCTERMS.description,
        "Alleen-lezen SPARQL 1.1-endpoint over alle grafen; zonder query geeft het zijn servicebeschrijving.",
        "Read-only SPARQL 1.1 endpoint over all graphs; without a query it answers its service description.",
    )
    for doc in report["documents"]:
        g.add((c.service, DCAT.servesDataset, URIRef(doc["graph"])))
    return g
