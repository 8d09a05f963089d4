"""View models of the HTML pages: what a page shows, computed from the store (templates only lay out).

Every IRI is shown by its label when it has one (``skos:prefLabel``, ``rdfs:label``, ``dct:title``;
Dutch first) and links to its ``/doc/`` page when it is under the base IRI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox

from kg.store.local import DUMPS
from kg.web.http.iris import local_href
from kg.web.querying import describe
from kg.web.services.history import CONTINUES, REPORTED_IN, STATUS, history
from kg.web.services.mentions import GEO_WITHIN, LINK_PROPERTIES, containment, mentioned_in
from kg.web.services.source_files import source_lines
from kg.web.services.view import PageBuilder, Source, Value
from kg.web.site import Site
from kg.web.vocab import (
    DCAT_DOWNLOAD_URL,
    DCT_SOURCE,
    NOT_REVIEWED,
    PB,
    PB_BEGIN,
    PB_DECISION_RULE,
    PB_DOUBT,
    PB_END,
    PB_LEVEL_CHOSEN,
    PB_READING,
    PB_READING_DECISION,
    PB_REVIEW_STATUS,
    PREFIXES,
    RDF_TYPE,
    SCHEMA_POSITION,
    SKOS_BROADER,
    SKOS_NOTATION,
)

OA_HAS_BODY = "http://www.w3.org/ns/oa#hasBody"
#: Generic BBV classes asserted beside each level's own class; a page is titled by the specific one.
GENERIC_CLASSES = {PB + "Doel", PB + "Prestatie"}
#: Most children listed on one page.
MAX_CHILDREN = 1000


@dataclass(frozen=True)
class Reading:
    """How the row a plan node was read from was decided (its ``pb:leesbeslissing``), for the node's page and the
    decision's own.

    Attributes:
        decision: the reading decision (linked to its page).
        status: its review status, a concept of the beoordelingsstatus scheme (by label), or None when not given.
        reviewed: False when nobody reviewed it (status ``niet-beoordeeld``, or none): the page shows a notice.
        level: the level the decision gave the row (the class, by label), or None.
        rule: the rule that decided it, in words ("" when not given).
        doubt: why it is uncertain, in words ("" when not given).
        line: the source line of the row, or None.
    """

    decision: Value
    status: Value | None
    reviewed: bool
    level: Value | None
    rule: str
    doubt: str
    line: int | None


def resource_page(site: Site, iri: str, triples: Sequence[ox.Triple]) -> dict[str, Any]:
    """The view model of the HTML page of ``iri``, from its description ``triples``.

    Returns a dict with ``iri``, ``title``, ``kind`` (label of its most specific kg class), ``types``,
    ``notations``, ``rows`` (outbound properties),
    ``parents``, ``children`` (sorted by ``schema:position``), ``inbound`` (other inbound links),
    ``sources`` (document, line span and lines), and for reference entities ``mentioned_in`` (plan nodes
    that name it, by product), ``within`` and ``contains`` (regions, :mod:`kg.web.services.mentions`), and
    ``history`` (predecessors, successors and realisation of a plan node, :mod:`kg.web.services.history`), and
    ``readings``: how the row a plan node was read from was decided (:func:`readings`; for a reading decision's
    own page, that decision), each unreviewed one shown as a notice.
    """
    page = PageBuilder(site, triples)
    this = ox.NamedNode(iri)
    outbound = [t for t in triples if t.subject == this]
    links = [(t.predicate.value, t.object.value) for t in outbound if isinstance(t.object, ox.NamedNode)]
    literals = [(t.predicate.value, t.object.value) for t in outbound if isinstance(t.object, ox.Literal)]
    parents = set(site.parent_properties)
    shown_apart = parents | set(LINK_PROPERTIES) | {GEO_WITHIN, OA_HAS_BODY, CONTINUES, REPORTED_IN}
    inbound = [t for t in triples if t.object == this and t.predicate.value not in shown_apart]
    in_history = {CONTINUES, REPORTED_IN, STATUS, SKOS_BROADER}
    within, contains = containment(page, iri)
    types = [o for p, o in links if p == RDF_TYPE]
    kinds = [o for o in types if o.startswith(PB) and o not in GENERIC_CLASSES] or types
    return {
        "iri": iri,
        "title": page.labels.get(iri) or iri,
        "kind": page.iri(kinds[0]).text if kinds else "",
        "types": [page.iri(o) for o in types],
        "notations": [o for p, o in literals if p == SKOS_NOTATION],
        "rows": page.rows([t for t in outbound if t.predicate.value not in in_history], frozenset({this})),
        "parents": [page.iri(o) for o in dict.fromkeys(o for p, o in links if p in parents)],
        "children": children(site, page, iri),
        "inbound": page.rows(inbound, inbound=True),
        "sources": [source(site, page, o, outbound) for p, o in links if p == DCT_SOURCE],
        "mentioned_in": mentioned_in(page, iri),
        "within": within,
        "contains": contains,
        "history": history(page, iri),
        "readings": readings(page, iri),
    }


def readings(page: PageBuilder, iri: str) -> list[Reading]:
    """The reading decisions of the plan node ``iri`` (``pb:leesbeslissing``), or ``iri`` itself when it is one,
    with their review status, level chosen, rule, doubt and line, read from the store.

    Raises:
        kg.web.http.errors.NotFound: when ``iri`` is not a valid IRI.
    """
    this = describe.node(iri)
    rows = describe.select(
        page.site.store,
        f"SELECT ?d ?status ?level ?rule ?doubt ?line WHERE {{ "
        f"{{ {this} <{PB_READING}> ?d }} UNION {{ {this} <{RDF_TYPE}> <{PB_READING_DECISION}> BIND({this} AS ?d) }} "
        f"OPTIONAL {{ ?d <{PB_REVIEW_STATUS}> ?status }} OPTIONAL {{ ?d <{PB_LEVEL_CHOSEN}> ?level }} "
        f"OPTIONAL {{ ?d <{PB_DECISION_RULE}> ?rule }} OPTIONAL {{ ?d <{PB_DOUBT}> ?doubt }} "
        f"OPTIONAL {{ ?d <{PB_BEGIN}> ?line }} }} ORDER BY ?d",
    )
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        if isinstance(row["d"], ox.NamedNode):
            found.setdefault(row["d"].value, {name: row[name] for name in ("status", "level", "rule", "doubt", "line")})
    named = [term.value for values in found.values() for term in (values["status"], values["level"])
             if isinstance(term, ox.NamedNode)]
    page.labels.add(describe.labels(page.site.store, [*found, *named]))
    return [
        Reading(
            decision=page.iri(decision),
            status=page.iri(values["status"].value) if isinstance(values["status"], ox.NamedNode) else None,
            reviewed=isinstance(values["status"], ox.NamedNode) and values["status"].value != NOT_REVIEWED,
            level=page.iri(values["level"].value) if isinstance(values["level"], ox.NamedNode) else None,
            rule=values["rule"].value if isinstance(values["rule"], ox.Literal) else "",
            doubt=values["doubt"].value if isinstance(values["doubt"], ox.Literal) else "",
            line=_int(values["line"]),
        )
        for decision, values in found.items()
    ]


def children(site: Site, page: PageBuilder, iri: str) -> list[Value]:
    """The things whose parent is ``iri``, in source order (``schema:position``), then by label."""
    properties = " ".join(f"<{p}>" for p in site.parent_properties)
    rows = describe.select(
        site.store,
        f"SELECT ?child (MIN(?pos) AS ?position) WHERE {{ VALUES ?p {{ {properties} }} "
        f"?child ?p {describe.node(iri)} OPTIONAL {{ ?child <{SCHEMA_POSITION}> ?pos }} }} "
        f"GROUP BY ?child LIMIT {MAX_CHILDREN}",
    )
    found = [(row["child"].value, _int(row["position"])) for row in rows if isinstance(row["child"], ox.NamedNode)]
    page.labels.add(describe.labels(site.store, [child for child, _ in found if page.labels.get(child) is None]))
    values = [(position, page.iri(child)) for child, position in found]
    values.sort(key=lambda item: (item[0] is None, item[0] or 0, item[1].text))
    return [value for _, value in values]


def source(site: Site, page: PageBuilder, document: str, outbound: Sequence[ox.Triple]) -> Source:
    """Where the thing was read: its source ``document``, line span and the lines of the source file."""
    begin = next((_int(t.object) for t in outbound if t.predicate.value == PB_BEGIN), None)
    end = next((_int(t.object) for t in outbound if t.predicate.value == PB_END), begin)
    rows = describe.select(site.store, f"SELECT ?url WHERE {{ {describe.node(document)} <{DCAT_DOWNLOAD_URL}> ?url }}")
    urls = [row["url"].value for row in rows if isinstance(row["url"], ox.NamedNode)]
    download = urls[0] if urls else None
    lines: tuple[tuple[int, str], ...] = ()
    if download and begin is not None and end is not None:
        name = unquote(urlsplit(download).path.rsplit("/", 1)[-1])
        lines = source_lines(site.publication.sources_dir, name, begin, end)
    href = local_href(download, site.base) if download else None
    return Source(page.iri(document), begin, end, href or download, lines)


def landing_page(site: Site) -> dict[str, Any]:
    """The view model of the landing page: the plans and programmes, counts per class (in the data graphs
    ``{base}/graph/...``: the plans and the reference data, not the ontology or shapes; the plan's classes
    first), dumps, example queries and build facts."""
    counts = describe.select(
        site.store,
        f"SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{RDF_TYPE}> ?class }} "
        f'FILTER(STRSTARTS(STR(?g), "{site.base}/graph/")) }} GROUP BY ?class ORDER BY DESC(?n) ?class',
    )
    plans = _plans(site)
    programmes = _things(site, PB + "Programma")
    classes = [row["class"].value for row in counts if isinstance(row["class"], ox.NamedNode)]
    page = PageBuilder(site, describe.labels(site.store, classes + plans + programmes))
    report = site.publication.report
    return {
        "title": str(report.get("title") or "Begrotingen van provincies als linked data"),
        "description": report.get("description"),
        "counts": sorted(
            ((page.iri(c), _int(row["n"])) for c, row in zip(classes, counts, strict=True)),
            key=lambda item: (not (item[0].iri or "").startswith(PB), -(item[1] or 0), item[0].text),
        ),
        "plans": [page.iri(p) for p in plans],
        "programmes": [page.iri(p) for p in programmes],
        "dumps": [name for name in DUMPS if (site.publication.dumps_dir / name).is_file()],
        "examples": list(site.examples),
        "build": site.publication.build_id,
        "triples": site.triple_count,
    }


def _things(site: Site, cls: str) -> list[str]:
    """IRIs of the instances of ``cls``, in ``schema:position`` order then by IRI."""
    rows = describe.select(
        site.store,
        f"SELECT ?x (MIN(?pos) AS ?p) WHERE {{ ?x <{RDF_TYPE}> <{cls}> OPTIONAL {{ ?x <{SCHEMA_POSITION}> ?pos }} }} "
        "GROUP BY ?x ORDER BY ?p ?x",
    )
    return [row["x"].value for row in rows if isinstance(row["x"], ox.NamedNode)]


def _plans(site: Site) -> list[str]:
    """IRIs of the plans (``pb:Begroting``: budgets, annual reports, monitors), by publisher, year and IRI."""
    rows = describe.select(
        site.store,
        f"SELECT DISTINCT ?x ?body ?year WHERE {{ ?x <{RDF_TYPE}> <{PB}Begroting> "
        f"OPTIONAL {{ ?x <{PREFIXES['dct']}publisher> ?body }} OPTIONAL {{ ?x <{PB}jaar> ?year }} }} "
        "ORDER BY ?body ?year ?x",
    )
    return list(dict.fromkeys(row["x"].value for row in rows if isinstance(row["x"], ox.NamedNode)))


def _int(term: Any) -> int | None:
    """The integer value of a literal, or None."""
    try:
        return int(term.value) if isinstance(term, ox.Literal) else None
    except ValueError:
        return None
