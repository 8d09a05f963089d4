"""JSON-LD with the curated ``@context`` of the begroting vocabulary.

The context (``kg/web/static/context.jsonld``, served at ``/context.jsonld`` and, immutable, at
``/context/{CONTEXT_VERSION}.jsonld``) gives short names to the terms of our ontology (``Doelstelling``,
``doelstelling``, ``beginRegel``) and of the few external terms every description uses (``prefLabel``,
``broader``, ``source``), and prefixes for the rest; it is not a dump of every bound prefix. JSON-LD
responses embed it, so a client reads them without fetching anything.

Standard: JSON-LD 1.1, sections 4.1 (contexts) and 6 (compaction, done by rdflib's serializer).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

#: The version of the context: that of the ontology it names terms of (``owl:versionInfo``).
CONTEXT_VERSION = "0.1.0"
#: The context document.
CONTEXT_FILE = Path(__file__).resolve().parent.parent / "static" / "context.jsonld"
MEDIA_TYPE = "application/ld+json"


@cache
def context() -> dict[str, Any]:
    """The term definitions of the curated context (the value of its ``@context``)."""
    document: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return dict(document["@context"])


def serialize_jsonld(triples: Sequence[ox.Triple]) -> bytes:
    """Serialise ``triples`` as compacted JSON-LD with the curated context embedded.

    Triples rdflib cannot hold (RDF 1.2 triple terms) are written by pyoxigraph's JSON-LD writer instead,
    with prefixes only.
    """
    data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    try:
        graph = Graph().parse(data=data.decode("utf-8"), format="nt")
    except Exception:  # rdflib's N-Triples parser raises plain exceptions for triple terms
        body = ox.serialize(list(triples), format=ox.RdfFormat.JSON_LD, prefixes=_prefixes())
        assert body is not None
        return body
    return graph.serialize(format="json-ld", context=context(), auto_compact=True).encode("utf-8")


def _prefixes() -> dict[str, str]:
    """The prefix definitions of the context (terms whose value is a namespace IRI)."""
    return {name: value for name, value in context().items() if isinstance(value, str) and value.endswith(("#", "/"))}
