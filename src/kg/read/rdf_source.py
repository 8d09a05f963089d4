"""RDF sources: a plan a body publishes itself as Turtle or TriG, on our ontology (checked with ``kg validate``).

Such a document sits in the seeds folder as ``<name>.ttl`` or ``<name>.trig`` with a ``<name>.meta.yaml``
beside it whose ``layout`` is ``rdf`` (the profile ``kg/read/layouts/rdf.yaml``). Its triples (of every graph, for
TriG) become the document's own named graph ``{base}/graph/{key}`` as they are: they are not re-minted, and
the build validates them with the shapes like any other document's. The plan model is read back from the
triples only to report the nodes per level.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg.model.iris import CLASS, PB, SCHEMA
from kg.model.plan import Node, Plan
from kg.model.source import SourceDocument, SourceError

#: The RDF syntax of each file suffix an RDF source may have.
RDF_SYNTAX = {".ttl": "turtle", ".trig": "trig"}


def read_rdf_source(document: SourceDocument, base: str) -> tuple[Plan, Graph]:
    """Parse an RDF source into the document's named graph and read its plan nodes.

    Args:
        document: the source (a ``.ttl`` or ``.trig`` file).
        base: the base IRI (no trailing slash); names the graph and resolves relative IRIs.

    Returns:
        The plan (its nodes, for the report; keys are the last segments of their IRIs) and the graph.

    Raises:
        SourceError: when the suffix is not ``.ttl`` or ``.trig``, or the file is not valid in its syntax.
    """
    syntax = RDF_SYNTAX.get(document.path.suffix)
    if syntax is None:
        raise SourceError(f"{document.path}: an RDF source must be .ttl (Turtle) or .trig (TriG)")
    dataset = Dataset()
    try:
        dataset.parse(data="\n".join(document.lines), format=syntax, publicID=f"{base}/")
    except Exception as err:  # rdflib raises several types for syntax errors; all mean the same here
        raise SourceError(f"{document.path}: not valid {syntax}: {err}") from err
    graph = Graph(identifier=URIRef(f"{base}/graph/{document.key}"))
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return _plan(document, graph), graph


def _plan(document: SourceDocument, graph: Graph) -> Plan:
    """The plan nodes the graph describes (every subject typed with a level's class), in source order."""
    nodes: dict[URIRef, Node] = {}
    for level, cls in CLASS.items():
        for subject in graph.subjects(RDF.type, cls):
            if isinstance(subject, URIRef):
                node = Node(level, str(graph.value(subject, SKOS.prefLabel) or ""), _int(graph, subject, PB.beginRegel),
                            _int(graph, subject, PB.eindRegel), notation=_text(graph.value(subject, SKOS.notation)))
                node.key = str(subject).rsplit("/", 1)[-1]
                nodes[subject] = node
    plan = Plan(document=document)
    for subject in sorted(nodes, key=lambda s: (_int(graph, s, SCHEMA.position), str(s))):
        parent = graph.value(subject, SKOS.broader)
        if isinstance(parent, URIRef) and parent in nodes:
            nodes[parent].add(nodes[subject])
        else:
            plan.programmes.append(nodes[subject])
    return plan


def _int(graph: Graph, subject: URIRef, predicate: URIRef) -> int:
    value = graph.value(subject, predicate)
    return int(value) if isinstance(value, Literal) and str(value).isdigit() else 0


def _text(value: object) -> str | None:
    return str(value) if isinstance(value, Literal) else None
