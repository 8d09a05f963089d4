"""Publishing the vocabularies (build stage): the ontology, concept schemes and shapes as documents.

Each Turtle file of ``settings.ontology_dir`` is published at ``/def/{stem}`` (``ontology/begroting.ttl``
is the document of ``https://kg.example.org/def/begroting``, whose terms are hash IRIs in it) and each file
of ``settings.shapes_dir`` at ``/shapes/{stem}``. The build copies them into its folder (the web layer
serves only the published build) and documents every OWL ontology as HTML with pyLODE (OntPub profile),
whose fragment identifiers are renamed to the terms' local names, so that a term IRI such as
``.../def/begroting#Doelstelling`` opens the page at that term.

pyLODE 3 documents OWL classes and properties only (its VocPub profile for SKOS is not re-implemented in 3.x,
RDFLib/pyLODE#190, and it has no profile for SHACL shapes): concept schemes and shapes get an HTML page
from the web layer instead (:mod:`kg.web.routes.discovery`).
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kg.settings import Settings

#: Folder of the build that holds the published vocabularies (``{path}.ttl`` and ``{path}.html``).
VANN_NAMESPACE = URIRef("http://purl.org/vocab/vann/preferredNamespaceUri")
#: Classes whose instances make a graph an ontology that pyLODE documents.
OWL_TERMS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
_ID = re.compile(r'(id="|href="#)([^"]+)"')


class DocumentationError(RuntimeError):
    """pyLODE could not document an ontology (e.g. it has no title)."""


@dataclass(frozen=True)
class VocabularyFile:
    """A vocabulary document: the URL path it is served at (``def/begroting``) and its Turtle source."""

    path: str
    source: Path


def vocabulary_files(settings: Settings) -> list[VocabularyFile]:
    """The vocabulary documents of a deployment: ``def/{stem}`` per ontology file, ``shapes/{stem}`` per
    shapes file (``*.ttl``, sorted)."""
    return [
        VocabularyFile(f"{prefix}/{path.stem}", path)
        for prefix, folder in (("def", settings.ontology_dir), ("shapes", settings.shapes_dir))
        for path in sorted(folder.glob("*.ttl"))
    ]


def publish_vocabularies(files: list[VocabularyFile], folder: Path) -> None:
    """Copy each vocabulary file to ``folder/{path}.ttl`` and document each OWL ontology as
    ``folder/{path}.html`` (pyLODE); concept schemes and shapes get no page here (the web layer lists them).

    Raises:
        DocumentationError: when pyLODE fails on an ontology.
        rdflib parser errors when a file is not valid Turtle.
    """
    for file in files:
        target = folder / f"{file.path}.ttl"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file.source, target)
        html = ontology_documentation(Graph().parse(file.source, format="turtle"))
        if html is not None:
            target.with_suffix(".html").write_text(html, encoding="utf-8")


def ontology_documentation(graph: Graph) -> str | None:
    """Document ``graph`` as HTML with pyLODE's OntPub profile; None when it declares no OWL ontology
    with classes or properties.

    Fragment identifiers of the ontology's own terms are their local names (see :func:`anchor_terms`).

    Raises:
        DocumentationError: when pyLODE fails (its message says why).
    """
    ontology = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    if ontology is None or not any((None, RDF.type, kind) in graph for kind in OWL_TERMS):
        return None
    namespace = str(graph.value(ontology, VANN_NAMESPACE) or f"{ontology}#")
    with _root_logger_left_alone():
        from pylode import OntPub

        try:
            document = OntPub(ontology=graph + Graph())  # pyLODE adds inferred triples to the graph it gets
            html = document.make_html()
        except Exception as error:  # pyLODE raises PylodeError and plain errors alike
            raise DocumentationError(f"pyLODE could not document <{ontology}>: {error}") from error
    assert isinstance(html, str)
    return anchor_terms(html, document.fids, namespace)


@contextmanager
def _root_logger_left_alone() -> Iterator[None]:
    """Keep pyLODE from configuring the root logger: one of its modules calls ``logging.basicConfig(level=
    DEBUG)`` on import and it logs with ``logging.info()``, which configures a handler too; both are no-ops
    while the root logger has a handler, so one that drops everything is added for the duration."""
    root = logging.getLogger()
    guard = logging.NullHandler()
    root.addHandler(guard)
    try:
        yield
    finally:
        root.removeHandler(guard)


def anchor_terms(html: str, fids: dict[str, str], namespace: str) -> str:
    """Rename the fragment identifiers pyLODE made for the terms of ``namespace`` (``fids``: IRI -> id,
    derived from labels) to the terms' local names, in ``id="..."`` and ``href="#..."`` alike.

    A term keeps pyLODE's id when its local name is already the id of something else on the page.
    """
    taken = set(re.findall(r'id="([^"]+)"', html))
    renames: dict[str, str] = {}
    for iri, fid in fids.items():
        local = iri[len(namespace) :] if iri.startswith(namespace) else ""
        if fid and local and local != fid and local not in renames.values():
            renames[fid] = local
    clashes = {new for old, new in renames.items() if new in taken - renames.keys()}
    renames = {old: new for old, new in renames.items() if new not in clashes}
    return _ID.sub(lambda m: f'{m.group(1)}{renames.get(m.group(2), m.group(2))}"', html)
