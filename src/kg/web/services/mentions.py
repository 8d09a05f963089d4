"""The plan nodes that mention a reference entity (partner, region, instrument), grouped by product.

Shown on the page of the entity: for each product, the objectives, results and sub-items that link to it
(``pb:partner``, ``dct:spatial``, ``pb:instrument``) with the words that named it (the mention's
``oa:exact``); for a region also the regions it lies in and the regions within it (``geo:sfWithin``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.web.querying import describe
from kg.web.services.view import PageBuilder, Value
from kg.web.vocab import PB, PREFIXES

#: The properties that link a plan node to a reference entity.
LINK_PROPERTIES = (PB + "partner", PREFIXES["dct"] + "spatial", PB + "instrument")
GEO_WITHIN = "http://www.opengis.net/ont/geosparql#sfWithin"
_OA = "http://www.w3.org/ns/oa#"


@dataclass(frozen=True)
class Mentioned:
    """A plan node that names the entity, and the words it used."""

    node: Value
    words: tuple[str, ...]


@dataclass(frozen=True)
class ProductGroup:
    """The nodes under one product (``product`` is None for nodes outside any product)."""

    product: Value | None
    nodes: tuple[Mentioned, ...]


def mentioned_in(page: PageBuilder, iri: str) -> list[ProductGroup]:
    """The nodes linked to ``iri``, grouped by their product in notation order, in source order within."""
    this = describe.node(iri)
    links = " ".join(f"<{p}>" for p in LINK_PROPERTIES)
    rows = describe.select(
        page.site.store,
        f"""SELECT ?node ?product ?notation ?line (GROUP_CONCAT(DISTINCT ?exact; separator="\\u001f") AS ?words)
        WHERE {{
          VALUES ?p {{ {links} }} ?node ?p {this} .
          OPTIONAL {{ ?node <{PB}beginRegel> ?line }}
          OPTIONAL {{ ?node <{PREFIXES["skos"]}broader>* ?product . ?product a <{PB}Product> ;
                      <{PREFIXES["skos"]}notation> ?notation }}
          OPTIONAL {{ ?a <{_OA}hasBody> {this} ; <{_OA}hasTarget> ?t . ?t <{_OA}hasSource> ?node ;
                      <{_OA}hasSelector>/<{_OA}exact> ?exact }}
        }} GROUP BY ?node ?product ?notation ?line ORDER BY ?notation ?line""",
    )
    iris = [r[v].value for r in rows for v in ("node", "product") if isinstance(r[v], ox.NamedNode)]
    page.labels.add(describe.labels(page.site.store, iris))
    groups: dict[str | None, list[Mentioned]] = {}
    for row in rows:
        product = row["product"].value if isinstance(row["product"], ox.NamedNode) else None
        words = tuple(sorted(set(row["words"].value.split("\u001f")) - {""})) if row["words"] else ()
        groups.setdefault(product, []).append(Mentioned(page.iri(row["node"].value), words))
    return [ProductGroup(page.iri(p) if p else None, tuple(nodes)) for p, nodes in groups.items()]


def containment(page: PageBuilder, iri: str) -> tuple[list[Value], list[Value]]:
    """The regions ``iri`` lies in (transitively, nearest first) and the regions directly within it."""
    this = describe.node(iri)
    outer = describe.select(
        page.site.store,
        f"SELECT ?r (COUNT(?mid) AS ?d) WHERE {{ {this} <{GEO_WITHIN}>+ ?mid . ?mid <{GEO_WITHIN}>* ?r }} "
        "GROUP BY ?r ORDER BY ?d",
    )
    inner = describe.select(page.site.store, f"SELECT ?r WHERE {{ ?r <{GEO_WITHIN}> {this} }} ORDER BY ?r")
    iris = [r["r"].value for r in (*outer, *inner)]
    page.labels.add(describe.labels(page.site.store, iris))
    return [page.iri(r["r"].value) for r in outer], sorted((page.iri(r["r"].value) for r in inner),
                                                           key=lambda v: v.text)
