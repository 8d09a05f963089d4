"""Generate a synthetic corpus of plan documents, seeded and deterministic, to run kg at national size.

    python benchmarks/generate.py --triples 100000 --seed 1 --out /tmp/corpus
    kg build --seeds-dir /tmp/corpus --data-dir /tmp/corpus-data

The folder written is a seeds folder (:func:`kg.read.files.discover`): per document a ``<key>.plan.csv`` in the
authoring format (``authoring/README.md``: one row per node, layout ``authoring-csv``) and its
``<key>.plan.meta.yaml``, plus a ``README.md`` saying what the folder is. ``kg build`` mints the key
registries (``<key>.plan.keys.csv``) on its first build.

What is in it:

- **Bodies**: first the provinces and municipalities whose CBS/TOOI codes are checked in this repository
  (:data:`REAL_BODIES`), then as many synthetic municipalities as the size needs, with codes that are no CBS
  code (``zz9001``, ``zz9002``, ...) and IRIs under the deployment's base
  (``https://kg.example.org/id/organisatie/synthetisch-zz9001``): no real-looking code is invented.
- **Documents**: one per body and year (2016-2025; a programme's IRI is made of body, year and number, so a
  budget and an annual report of one year would share it), a ``begroting``, ``jaarverslag`` or ``monitor``,
  of 60 to 4000 nodes (median 200): programmes and products numbered as published, policy tasks, objectives
  (numbered in some documents), results (numbered in monitors) and sub-items.
- **Texts**: Dutch phrases from the word lists below (``Stimuleren van de concurrentiekracht van het mkb in
  Zuidoost-Drenthe``), naming partners, regions and instruments of the reference data (``vocab/*.ttl``) by
  their ``skos:prefLabel`` or ``skos:altLabel``, so that the linker finds them; the link columns list them
  (as :func:`kg.read.authoring.export_csv` does), and a few rows list a region the text does not name (a plain
  link). Annual reports give results a ``realisatiestatus``, monitors colour scores.

**Determinism**: everything comes from one ``random.Random(seed)``, iterates sorted data and uses no
clock, so the same ``--seed`` and ``--triples`` give byte-identical files.

**Size**: ``--triples`` is the size of the built graph (``kg build``'s "published N triples", with
ontology, reference data, shapes and linksets). The generator counts the triples of each document's graph
exactly, with the build's own linker (:func:`row_triples`; the constants were read off :mod:`kg.rdf.mapping` and
checked by building), parses the ontology, reference data and shapes for theirs, estimates the
cross-document linksets (:func:`linkset_triples`, calibrated by building), and stops after the objective at
which the sum reaches the target (see ``benchmarks/README.md`` for measured sizes).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from kg.link.entities import KIND_OF_CLASS, Gazetteer, link_plan, load_reference_data
from kg.model.plan import Level, LinkKind, Node, Plan
from kg.model.source import Body as SourceBody
from kg.model.source import SourceDocument
from kg.read.authoring import FIELDS
from kg.settings import Settings
from kg.validate.shacl import read_turtle_dir

#: The plan years a corpus covers.
YEARS = tuple(range(2016, 2026))

#: Triples every plan node gets (:func:`kg.rdf.mapping.map_plan`): two types, label, scheme, position, source,
#: first and last line, and the pair parent + skos:broader (or topConceptOf + hasTopConcept for a top node).
NODE_TRIPLES = 10
#: Levels that also get a generic class (pb:Doel, pb:Prestatie).
GENERIC_LEVELS = (Level.BELEIDSOPGAVE, Level.DOELSTELLING, Level.RESULTAAT, Level.DEELRESULTAAT)
#: Triples of the evidence of a mention the linker finds, a Web Annotation: annotation 4, target 4, position
#: selector 3, quote selector 2 (besides the link itself, one triple per distinct entity or theme of a node).
EVIDENCE_TRIPLES = 13
#: Triples of a document that belong to no node: its source document (8, and its checksum 3) and the plan (6).
DOCUMENT_TRIPLES = 17
#: Triples per node of the cross-document linksets (:func:`kg.link.crosslink.cross_link`: continuations across
#: years, accounts, proposals between bodies), which the generator cannot count. They grow with the corpus, as
#: more nodes of other bodies share an entity, a theme or a region, and level off (a node takes part in at most
#: 3 proposals, and a common key pairs each node with a few neighbours only): ``MAX * nodes / (nodes + HALF)``
#: per node, fitted to builds of ``--seed 1``: 2.87 per node at ``--triples 10000`` (312 nodes), 6.55 at
#: 100000 (3365 nodes), 7.17 at 1000000 (31193 nodes: 6.19 proposals, 0.95 continuations, 0.04 accounts).
LINKSET_MAX, LINKSET_HALF = 7.3, 480
#: Triples per node of a generated corpus, documents and linksets (measured: 23.1 in the documents of
#: ``--triples 1000000 --seed 1``, 2.9 to 7.2 in the linksets), used only to split a small corpus into at least
#: :data:`MIN_DOCUMENTS` documents.
AVERAGE_NODE_TRIPLES = 28
#: Fewest documents a corpus is split into when its size allows.
MIN_DOCUMENTS = 3
#: Node counts of a document: log-normal around a median, clipped (real plans: hundreds to a few thousand).
MEDIAN_NODES, SIGMA_NODES, MIN_NODES, MAX_NODES = 200, 0.8, 60, 4000

#: Weights of the statuses: realisatiestatus of a result in an annual report ("" none stated), colour scores
#: of a monitor, and of the kinds of document.
STATUS_REALISATIE = (
    ("gerealiseerd", 55), ("deels-gerealiseerd", 20), ("niet-gerealiseerd", 8), ("gepland", 7), ("", 10),
)
STATUS_KLEUR = (("groen", 60), ("oranje", 28), ("rood", 12))
KINDS = (("begroting", 6), ("jaarverslag", 3), ("monitor", 1))
TITLES = {"begroting": "Programmabegroting", "jaarverslag": "Jaarverslag", "monitor": "Monitor"}


@dataclass(frozen=True)
class Body:
    """A body that publishes plans (see :class:`kg.model.source.Body`), with where its code was checked."""

    code: str
    name: str
    iri: str
    own_names: tuple[str, ...]
    note: str
    gemeente: bool
    since: int = YEARS[0]


def _province(code: str, name: str, own: tuple[str, ...], checked: str) -> Body:
    return Body(code, f"provincie {name}", f"https://identifier.overheid.nl/tooi/id/provincie/{code}", own,
                f"CBS/TOOI code {code.upper()} (checked: {checked})", gemeente=False)


def _municipality(code: str, name: str, own: tuple[str, ...], checked: str, since: int = YEARS[0]) -> Body:
    return Body(code, f"gemeente {name}", f"https://identifier.overheid.nl/tooi/id/gemeente/{code}", own,
                f"CBS/TOOI code {code.upper()} (checked: {checked})", gemeente=True, since=since)


#: The bodies whose codes this repository has checked: in the metadata of ``seeds/`` or as a region's
#: ``dct:identifier`` in ``vocab/gebieden.ttl``. Eemsdelta exists since 2021.
REAL_BODIES = (
    _province("pv20", "Groningen", ("Groningen", "Gronings", "Groningse"), "vocab/gebieden.ttl"),
    _province("pv22", "Drenthe", ("Drenthe", "Drents", "Drentse"), "seeds/000_61c47c45ec098bf8.meta.yaml"),
    _province("pv23", "Overijssel", ("Overijssel", "Overijssels", "Overijsselse"), "vocab/gebieden.ttl"),
    _province("pv24", "Flevoland", ("Flevoland", "Flevolands", "Flevolandse"),
              "seeds/flevoland-begroting-2019-economie-indicatoren.meta.yaml"),
    _province("pv26", "Utrecht", ("Utrecht", "Utrechts", "Utrechtse"),
              "seeds/utrecht-begroting-2024-vernieuwingen-doelenboom.meta.yaml"),
    _municipality("gm0106", "Assen", ("Assen", "Asser"), "vocab/gebieden.ttl"),
    _municipality("gm0114", "Emmen", ("Emmen", "Emmer"), "vocab/gebieden.ttl"),
    _municipality("gm0479", "Zaanstad", ("Zaanstad", "Zaanse", "Zaans"),
                  "seeds/zaanstad-begroting-2018-burger-en-bestuur-doelenboom.meta.yaml"),
    _municipality("gm1699", "Noordenveld", ("Noordenveld",), "vocab/gebieden.ttl"),
    _municipality("gm1730", "Tynaarlo", ("Tynaarlo",), "vocab/gebieden.ttl"),
    _municipality("gm1979", "Eemsdelta", ("Eemsdelta",), "vocab/gebieden.ttl", since=2021),
)


def synthetic_body(number: int, base: str) -> Body:
    """The synthetic municipality ``number`` (from 9001): code ``zz<number>``, which no CBS code starts with,
    and an IRI under the deployment's ``base``."""
    code = f"zz{number}"
    return Body(code, f"synthetische gemeente {number}", f"{base}/id/organisatie/synthetisch-{code}",
                (f"Synthetisch {number}",), "synthetic: no real body, not a CBS/TOOI code", gemeente=True)


@dataclass(frozen=True)
class Theme:
    """A programme: its name, its products, what its goals are about and what its results count."""

    name: str
    products: tuple[str, ...]
    objects: tuple[str, ...]
    outputs: tuple[tuple[str, str], ...]
    province: bool = True
    municipality: bool = True


THEMES = (
    Theme("Regionale economie",
          ("Innovatie en kennis", "Vestigingsklimaat", "Arbeidsmarkt en onderwijs", "Breedband", "Vrijetijdseconomie",
           "Landbouw en voedsel"),
          ("de concurrentiekracht van het mkb", "het innovatievermogen van bedrijven", "de werkgelegenheid in de regio",
           "het aantal startende ondernemers", "de aansluiting tussen onderwijs en arbeidsmarkt",
           "het toeristisch-recreatieve aanbod", "snel internet in het buitengebied"),
          (("bedrijven", "ondersteund"), ("starters", "begeleid"), ("innovatieprojecten", "gesubsidieerd"),
           ("stageplaatsen", "gerealiseerd"), ("adressen", "aangesloten op snel internet"))),
    Theme("Bereikbaarheid",
          ("Wegen en vaarwegen", "Openbaar vervoer", "Fiets", "Verkeersveiligheid", "Goederenvervoer"),
          ("de bereikbaarheid van kernen", "de doorstroming op provinciale wegen",
           "het gebruik van het openbaar vervoer", "de verkeersveiligheid op provinciale wegen",
           "het fietsgebruik in het woon-werkverkeer", "het vervoer over water"),
          (("kilometer fietspad", "aangelegd"), ("bushaltes", "toegankelijk gemaakt"),
           ("kruispunten", "veiliger ingericht"), ("kilometer weg", "gerenoveerd"), ("bruggen", "vervangen")),
          municipality=False),
    Theme("Energie en klimaat",
          ("Energietransitie", "Klimaatadaptatie", "Duurzame warmte", "Circulaire economie"),
          ("de opwekking van duurzame energie", "het energieverbruik van woningen", "de uitstoot van broeikasgassen",
           "de weerbaarheid tegen hitte en droogte", "het hergebruik van grondstoffen",
           "de verduurzaming van maatschappelijk vastgoed"),
          (("woningen", "verduurzaamd"), ("zonneparken", "vergund"), ("laadpalen", "geplaatst"),
           ("energiecoöperaties", "ondersteund"), ("schoolgebouwen", "verduurzaamd"))),
    Theme("Natuur en landschap",
          ("Natuurnetwerk", "Biodiversiteit", "Landschap", "Stikstof en natuurherstel"),
          ("de kwaliteit van het natuurnetwerk", "de biodiversiteit in het landelijk gebied",
           "de stikstofdepositie op natuurgebieden", "het karakteristieke landschap",
           "de soortenrijkdom van bermen en akkerranden"),
          (("hectare natuur", "ingericht"), ("kilometer houtwal", "hersteld"), ("faunapassages", "aangelegd"),
           ("boeren", "begeleid bij natuurinclusieve landbouw")), municipality=False),
    Theme("Water en bodem",
          ("Waterkwaliteit", "Waterveiligheid", "Bodem en ondergrond", "Drinkwater"),
          ("de kwaliteit van het oppervlaktewater", "de veiligheid van de dijken",
           "de bescherming van drinkwaterbronnen", "het duurzaam gebruik van de ondergrond",
           "de sanering van verontreinigde grond"),
          (("locaties", "gesaneerd"), ("kilometer dijk", "versterkt"), ("peilbuizen", "geplaatst"),
           ("grondwaterbeschermingsgebieden", "aangewezen")), municipality=False),
    Theme("Ruimtelijke ontwikkeling",
          ("Wonen", "Vitaal platteland", "Omgevingsvisie", "Bedrijventerreinen"),
          ("de woningbouw in kernen", "de leefbaarheid in kleine kernen",
           "het gebruik van bestaande bedrijventerreinen", "de kwaliteit van de leefomgeving",
           "de transformatie van leegstaande gebouwen"),
          (("woningen", "gebouwd"), ("leefbaarheidsinitiatieven", "ondersteund"),
           ("leegstaande panden", "getransformeerd"), ("hectare bedrijventerrein", "geherstructureerd"))),
    Theme("Cultuur en samenleving",
          ("Cultuurparticipatie", "Erfgoed", "Sport en bewegen", "Sociale samenhang"),
          ("de deelname aan cultuur door jongeren", "het behoud van monumenten", "het bereik van musea en bibliotheken",
           "een gevarieerd cultureel aanbod", "het sporten en bewegen van inwoners"),
          (("monumenten", "gerestaureerd"), ("culturele projecten", "gesubsidieerd"), ("scholen", "bereikt"),
           ("sportverenigingen", "ondersteund"))),
    Theme("Bestuur en organisatie",
          ("Openbaar bestuur", "Interbestuurlijk toezicht", "Dienstverlening", "Financiën"),
          ("de kwaliteit van het openbaar bestuur", "de samenwerking met gemeenten en waterschappen",
           "de digitale dienstverlening", "een solide financieel beleid", "de betrokkenheid van inwoners"),
          (("bestuurlijke overleggen", "gevoerd"), ("subsidieaanvragen", "digitaal afgehandeld"),
           ("inwoners", "betrokken bij participatie"), ("audits", "uitgevoerd"))),
    Theme("Sociaal domein",
          ("Jeugd", "Werk en inkomen", "Zorg en ondersteuning", "Onderwijs"),
          ("de zelfredzaamheid van inwoners", "de arbeidsparticipatie van werkzoekenden",
           "passende ondersteuning van jongeren", "de kansengelijkheid in het onderwijs",
           "het voorkomen van armoede en schulden"),
          (("werkzoekenden", "aan het werk geholpen"), ("jongeren", "begeleid"),
           ("huishoudens", "ondersteund bij schulden"), ("mantelzorgers", "bereikt")), province=False),
    Theme("Openbare ruimte",
          ("Beheer openbare ruimte", "Groen", "Afval", "Parkeren"),
          ("een schone en veilige openbare ruimte", "het groen in de wijken", "de scheiding van huishoudelijk afval",
           "de parkeerdruk in de binnenstad"),
          (("bomen", "geplant"), ("speelplekken", "vernieuwd"), ("ondergrondse containers", "geplaatst")),
          province=False),
    Theme("Veiligheid",
          ("Openbare orde", "Brandweer en crisisbeheersing", "Ondermijning"),
          ("de veiligheid in de wijken", "het veiligheidsgevoel van inwoners",
           "de aanpak van ondermijnende criminaliteit", "de voorbereiding op crises"),
          (("buurtpreventieteams", "opgericht"), ("controles", "uitgevoerd"), ("oefeningen", "gehouden")),
          province=False),
)

AIMS = ("Stimuleren van", "Versterken van", "Verbeteren van", "Bevorderen van", "Ondersteunen van", "Borgen van",
        "Vergroten van", "Behouden en versterken van", "Ontwikkelen van")
NOMINAL_AIMS = ("Inzet op", "Een bijdrage leveren aan", "Werken aan", "Het verbeteren van", "Het versterken van")
PLACES = ("in de regio", "op het platteland", "in steden en dorpen", "voor inwoners en ondernemers",
          "in het landelijk gebied", "voor de komende jaren")
#: Sub-items (actions); ``{partner}``, ``{region}`` and ``{instrument}`` become names of reference entities.
SUB_ITEMS = ("Organiseren van {number} bijeenkomsten met {partner}", "Opstellen van een plan van aanpak voor {subject}",
             "Subsidie voor {number} projecten via {instrument}", "Overleg met {partner} over {subject}",
             "Monitoring van {subject} in {region}", "Evaluatie van de aanpak", "Communicatie over {subject}")
DELIVERABLES = ("een uitvoeringsprogramma", "een subsidieregeling", "een regionale agenda", "een plan van aanpak",
                "een monitor", "een nieuwe visie")


#: geo:sfWithin: a region lies within another (vocab/gebieden.ttl).
SF_WITHIN = URIRef("http://www.opengis.net/ont/geosparql#sfWithin")


@dataclass(frozen=True)
class Entity:
    """A partner, region or instrument of the reference data: its IRI, kind, the names the linker finds
    (``skos:prefLabel`` first, then the ``skos:altLabel`` s), the organisation it is part of and the regions
    it lies within."""

    iri: str
    kind: LinkKind
    forms: tuple[str, ...]
    part_of: str | None = None
    within: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    """The reference entities by kind (sorted by IRI), the regions by CBS code (lower case), the gazetteer of
    the build's linker and the triples a build publishes besides the plans (ontology, reference data, shapes)."""

    entities: dict[LinkKind, tuple[Entity, ...]]
    regions: dict[str, str]
    gazetteer: Gazetteer
    overhead: int


def load_reference(settings: Settings) -> Reference:
    """Read the reference data and ontology of ``settings`` as :func:`kg.build.pipeline.run_build` does, and count the
    triples a build publishes besides the plans (each ontology and reference file its graph, and the shapes)."""
    vocabularies = [Graph().parse(path, format="turtle") for path in sorted(settings.ontology_dir.glob("*.ttl"))]
    ontology = Graph()
    for vocabulary in vocabularies:
        ontology += vocabulary
    reference = load_reference_data(settings.vocab_dir, settings.base, ontology)
    graph = reference.graph
    entities: dict[LinkKind, dict[str, Entity]] = {kind: {} for kind in LinkKind}
    regions: dict[str, str] = {}
    for cls_iri, kind in KIND_OF_CLASS.items():
        for node in sorted({s for s in graph.subjects(RDF.type, cls_iri) if isinstance(s, URIRef)}, key=str):
            alternatives = sorted(str(label) for label in graph.objects(node, SKOS.altLabel))
            forms = (str(graph.value(node, SKOS.prefLabel)), *alternatives)
            within: list[str] = []
            up = graph.value(node, SF_WITHIN)
            while isinstance(up, URIRef) and str(up) not in within:
                within.append(str(up))
                up = graph.value(up, SF_WITHIN)
            owner = graph.value(node, ORG.subOrganizationOf)
            entities[kind][str(node)] = Entity(str(node), kind, forms, str(owner) if owner else None, tuple(within))
            if (code := graph.value(node, DCTERMS.identifier)) is not None and kind is LinkKind.REGION:
                regions[str(code).lower()] = str(node)
    overhead = sum(len(part) for part in reference.files.values()) + len(read_turtle_dir(settings.shapes_dir))
    overhead += sum(len(vocabulary) for vocabulary in vocabularies)
    return Reference({kind: tuple(found[iri] for iri in sorted(found)) for kind, found in entities.items()},
                     regions, reference.gazetteer, overhead)


@dataclass
class Row:
    """One row of the authoring CSV (one plan node), and what the build's linker finds in its text."""

    id: int
    level: Level
    code: str
    parent: Row | None
    text: str
    links: dict[LinkKind, list[str]] = field(default_factory=lambda: {kind: [] for kind in LinkKind})
    status: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    source: str = ""
    mentions: int = 0
    found: frozenset[tuple[LinkKind, str]] = frozenset()

    def cells(self) -> list[str]:
        """The row's fields, in the order of :data:`kg.read.authoring.FIELDS`."""
        return [str(self.id), self.level.value, self.code, str(self.parent.id) if self.parent else "", self.text,
                " ".join(self.links[LinkKind.PARTNER]), " ".join(self.links[LinkKind.REGION]),
                " ".join(self.links[LinkKind.INSTRUMENT]), " ".join(self.status), " ".join(self.see_also),
                self.source]


def row_triples(row: Row) -> int:
    """The triples the build makes of ``row``: :data:`NODE_TRIPLES`, a generic class, its code, statuses and
    references, the evidence of each mention (:data:`EVIDENCE_TRIPLES`) and one triple per distinct link,
    found in the text or listed in a link column."""
    links = row.found | {(kind, iri) for kind, iris in row.links.items() for iri in iris}
    return (NODE_TRIPLES + (row.level in GENERIC_LEVELS) + bool(row.code) + len(row.status) + len(row.see_also)
            + EVIDENCE_TRIPLES * row.mentions + len(links))


@dataclass(frozen=True)
class DocumentSummary:
    """What was written for one document: its key, file, body, year, kind, nodes per level and the triples
    its graph will have."""

    key: str
    file: str
    body: str
    year: int
    kind: str
    counts: dict[str, int]
    triples: int


@dataclass(frozen=True)
class CorpusSummary:
    """What :func:`generate` wrote: the documents, nodes per level, the predicted size of the built graph
    (``triples``: the documents' ``plan_triples``, exact, the estimated ``linkset_triples`` and the ontology,
    reference data and shapes) and the seconds it took."""

    documents: tuple[DocumentSummary, ...]
    counts: dict[str, int]
    plan_triples: int
    linkset_triples: int
    triples: int
    seconds: float


class _Linker:
    """What the build's linker finds in a node's text: :func:`kg.link.entities.link_plan` run on a plan of that one
    node, cached by level and text (texts are linked with ``0`` for their numbers, which name nothing)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        body = SourceBody("zz0000", "generator", "", ())  # no IRI: every mention counts (none names the publisher)
        self.document = SourceDocument(Path("generated.plan.csv"), "generated", "generated", "begroting", YEARS[0],
                                       body, "authoring-csv", (), "")
        self.cache: dict[tuple[Level, str], tuple[int, frozenset[tuple[LinkKind, str]]]] = {}

    def __call__(self, level: Level, text: str) -> tuple[int, frozenset[tuple[LinkKind, str]]]:
        """The number of mentions in ``text`` at ``level`` and the distinct (kind, IRI) links they make."""
        key = (level, text)
        if key not in self.cache:
            node = Node(level, text, 1, 1)
            link_plan(Plan(self.document, [node]), self.gazetteer)
            self.cache[key] = (len(node.mentions), frozenset((m.kind, m.entity) for m in node.mentions))
        return self.cache[key]


class _Writer:
    """Makes the rows of one document: texts from the word lists, links, statuses, codes and source lines."""

    def __init__(self, rng: random.Random, reference: Reference, linker: _Linker, body: Body, year: int,
                 kind: str) -> None:
        self.rng, self.linker, self.body, self.year, self.kind = rng, linker, body, year, kind
        self.rows: list[Row] = []
        self.line = 1
        self.triples = DOCUMENT_TRIPLES
        self._counted = 0
        entities = reference.entities
        self.partners = [e for e in entities[LinkKind.PARTNER] if e.iri != body.iri and e.part_of in (None, body.iri)]
        home = reference.regions.get(body.code)
        self.home = [e for e in entities[LinkKind.REGION] if home is not None and (e.iri == home or home in e.within)]
        self.regions = list(entities[LinkKind.REGION])
        self.instruments = list(entities[LinkKind.INSTRUMENT])
        self.past = kind != "begroting"
        self.numbered = kind == "begroting" and rng.random() < 0.4

    def add(self, level: Level, parent: Row | None, template: str, code: str = "", lines: int = 1,
            number: int = 0) -> Row:
        """Append a row at the next source line(s) of the imagined published document, its text made from
        ``template`` (see :meth:`fill`; ``{number}`` and ``{year}`` become ``number`` and the plan year)."""
        named: list[Entity] = []
        skeleton = self.fill(template, named)
        skeleton = skeleton[0].upper() + skeleton[1:]
        text = skeleton.replace("{number}", str(number)).replace("{year}", str(self.year))
        self.line += self.rng.randint(1, 3)
        end = self.line + lines - 1
        source = f"{self.line}-{end}" if lines > 1 else str(self.line)
        row = Row(len(self.rows) + 1, level, code, parent, text, source=source)
        row.mentions, row.found = self.linker(level, skeleton.replace("{number}", "0").replace("{year}", "0"))
        for entity in named:
            row.links[entity.kind].append(entity.iri)
        if named and self.home and self.rng.random() < 0.05:  # a region the author lists, not named in the text
            region = self.rng.choice(self.home).iri
            if region not in row.links[LinkKind.REGION]:
                row.links[LinkKind.REGION].append(region)
        self.line = end
        self.rows.append(row)
        return row

    def count(self) -> int:
        """The triples of the document's graph so far (:data:`DOCUMENT_TRIPLES` and :func:`row_triples`)."""
        self.triples += sum(row_triples(row) for row in self.rows[self._counted :])
        self._counted = len(self.rows)
        return self.triples

    def _entity(self, kind: LinkKind, taken: set[str]) -> Entity:
        if kind is LinkKind.REGION and self.home and self.rng.random() < 0.7:
            pool = self.home
        else:
            pool = {LinkKind.PARTNER: self.partners, LinkKind.REGION: self.regions}.get(kind, self.instruments)
        choices = [e for e in pool if e.iri not in taken] or [e for e in self.regions if e.iri not in taken]
        return self.rng.choice(choices)

    def fill(self, template: str, named: list[Entity]) -> str:
        """Replace ``{partner}``, ``{region}`` and ``{instrument}`` in ``template`` by a name of a distinct
        entity of that kind (its preferred label mostly, else an alternative one), appending it to ``named``."""
        for kind in (LinkKind.PARTNER, LinkKind.REGION, LinkKind.INSTRUMENT):
            while f"{{{kind.value}}}" in template:
                entity = self._entity(kind, {e.iri for e in named})
                form = entity.forms[0] if len(entity.forms) == 1 or self.rng.random() < 0.7 else (
                    self.rng.choice(entity.forms[1:]))
                template = template.replace(f"{{{kind.value}}}", form, 1)
                named.append(entity)
        return template

    def place(self) -> str:
        """A context for a goal: a place word, a region, a partner or an instrument, or nothing."""
        return self.rng.choices(["", f" {self.rng.choice(PLACES)}", " in {region}", " samen met {partner}",
                                 " met steun van {instrument}"], [30, 25, 25, 12, 8])[0]

    def objective(self, theme: Theme, parent: Row, code: str, programmes: int) -> Row:
        """An objective (doelstelling) under ``parent``, which may refer to an earlier programme."""
        aim = self.rng.choice(AIMS + NOMINAL_AIMS)
        template = f"{aim} {self.rng.choice(theme.objects)}{self.place()}"
        see_also = ""
        if programmes > 1 and self.rng.random() < 0.04:
            see_also = str(self.rng.randint(1, programmes - 1))
            template += f" (zie ook programma {see_also})"
        row = self.add(Level.DOELSTELLING, parent, template, code)
        row.see_also = [see_also] if see_also else []
        return row

    def result(self, theme: Theme, parent: Row, code: str) -> Row:
        """A result (resultaat): a count, a deliverable, an instrument carried out or an agreement."""
        noun, done = self.rng.choice(theme.outputs)
        number = self.rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 250, 500))
        verb, is_ = ("zijn", "is") if self.past else ("worden", "wordt")
        subject = self.rng.choice(theme.objects)
        template = self.rng.choices([
            f"In {{year}} {verb} {{number}} {noun} {done}",
            f"In {{year}} {verb} {{number}} {noun} in {{region}} {done}",
            f"{self.rng.choice(DELIVERABLES)} voor {subject} {is_} {'vastgesteld' if self.past else 'opgesteld'}",
            f"{{instrument}} {is_} uitgevoerd",
            f"Samenwerkingsafspraken met {{partner}} over {subject}",
            "Bijdrage aan {instrument} samen met {partner}",
            "Uitvoeren van {instrument} in {region}",
        ], [22, 14, 18, 14, 12, 8, 12])[0]
        row = self.add(Level.RESULTAAT, parent, template, code, lines=self.rng.choice((1, 1, 1, 2)), number=number)
        if self.kind == "jaarverslag":
            status = self._weighted(STATUS_REALISATIE)
            row.status = [f"realisatiestatus=realisatiestatus#{status}"] if status else []
        elif self.kind == "monitor":
            row.status = [f"inhoudelijkeKleurscore=kleurscore#{self._weighted(STATUS_KLEUR)}",
                          f"financieleKleurscore=kleurscore#{self._weighted(STATUS_KLEUR)}"]
        return row

    def sub_item(self, theme: Theme, parent: Row, template: int) -> Row:
        """A sub-item (deelresultaat) of a result: an action, of the kind ``SUB_ITEMS[template]``."""
        number = self.rng.choice((2, 3, 4, 5, 6, 10, 12))
        text = SUB_ITEMS[template].replace("{subject}", self.rng.choice(theme.objects))
        row = self.add(Level.DEELRESULTAAT, parent, text, number=number)
        if self.kind == "jaarverslag" and (status := self._weighted(STATUS_REALISATIE)):
            row.status = [f"realisatiestatus=realisatiestatus#{status}"]
        return row

    def _weighted(self, table: tuple[tuple[str, int], ...]) -> str:
        return self.rng.choices([value for value, _ in table], [weight for _, weight in table])[0]


def linkset_triples(nodes: int) -> int:
    """The triples the build's cross-document linksets will have in a corpus of ``nodes`` nodes (an estimate,
    see :data:`LINKSET_MAX`)."""
    return round(LINKSET_MAX * nodes * nodes / (nodes + LINKSET_HALF))


def _document(writer: _Writer, nodes: int, full: Callable[[_Writer], bool]) -> None:
    """Write the programmes of one document, about ``nodes`` nodes spread over 5 to 8 programmes and their
    products, stopping early when ``full`` says the corpus is (checked after each objective with its results,
    so every programme, product and policy task has an objective)."""
    rng = writer.rng
    themes = [t for t in THEMES if (t.municipality if writer.body.gemeente else t.province)]
    themes = rng.sample(themes, max(1, min(rng.randint(5, len(themes)), nodes // 45)))
    for number, theme in enumerate(themes, start=1):
        programme = writer.add(Level.PROGRAMMA, None, theme.name, str(number), lines=rng.choice((1, 3)))
        per_programme = nodes / len(themes)
        names = rng.sample(theme.products, max(1, min(rng.randint(2, len(theme.products)), int(per_programme // 12))))
        per_product = per_programme / len(names)
        for p, name in enumerate(names, start=1):
            product = writer.add(Level.PRODUCT, programme, name, f"{number}.{p}")
            first, objectives, results = len(writer.rows), 0, 0
            while len(writer.rows) - first < per_product:
                task = writer.add(Level.BELEIDSOPGAVE, product,
                                  f"{rng.choice(AIMS)} {rng.choice(theme.objects)} {rng.choice(PLACES)}")
                for _ in range(rng.randint(1, 4)):
                    objectives += 1
                    objective = writer.objective(theme, task, f"{number}.{p}.{objectives:02d}" if writer.numbered
                                                 else "", number)
                    for _ in range(rng.randint(1, 6)):
                        results += 1
                        result = writer.result(theme, objective, f"{number}.{p}.{results}"
                                               if writer.kind == "monitor" else "")
                        if rng.random() < 0.3:
                            for template in rng.sample(range(len(SUB_ITEMS)), rng.randint(1, 4)):
                                writer.sub_item(theme, result, template)
                    if full(writer):
                        return
                    if len(writer.rows) - first >= per_product:
                        break


def schedule(rng: random.Random, base: str) -> Iterator[tuple[Body, int]]:
    """The (body, year) of each document in turn: the checked bodies' years shuffled, then synthetic bodies."""
    real = [(body, year) for body in REAL_BODIES for year in YEARS if year >= body.since]
    yield from rng.sample(real, len(real))
    number = 9001
    while True:
        body = synthetic_body(number, base)
        for year in YEARS:
            yield body, year
        number += 1


META = """\
# Metadata of {file}: a synthetic plan made by benchmarks/generate.py
# (--seed {seed}, --triples {target}), not a published document.
key: {key}
title: {title}
kind: {kind}
year: {year}
body:
  code: {code}    # {note}
  name: {name}
  iri: {iri}
  own_names: [{own_names}]
layout: authoring-csv
"""

README = """\
# Synthetic corpus (generated, not published documents)

Made by `python benchmarks/generate.py --triples {target} --seed {seed}` (see benchmarks/README.md):
{documents} plan documents in the authoring CSV format, {nodes} nodes, {triples} triples predicted for the built graph.
Build it with `kg build --seeds-dir <this folder> --data-dir <a data folder>`.
"""


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow(row.cells())
    return out.getvalue()


#: Files the generator writes (and ``kg build`` adds) besides its ``README.md``: what ``--force`` removes.
GENERATED = ("*.plan.csv", "*.plan.meta.yaml", "*.plan.keys.csv")


def generated_files(folder: Path) -> list[Path]:
    """The files in ``folder`` that a run of the generator (and a build of its corpus) wrote, by their names
    and, for the ``README.md``, its first line."""
    readme = folder / "README.md"
    ours = [path for pattern in GENERATED for path in folder.glob(pattern)]
    if readme.is_file() and readme.read_text(encoding="utf-8").startswith(README.split("\n", 1)[0]):
        ours.append(readme)
    return sorted(ours)


def generate(triples: int, seed: int, out: Path, settings: Settings | None = None) -> CorpusSummary:
    """Write a corpus whose built graph has about ``triples`` triples into the folder ``out``.

    Args:
        triples: the size of the built graph to aim at (with ontology, reference data and shapes).
        seed: the seed of the one random generator everything is drawn from.
        out: the folder to write; created when missing, else it must be empty.
        settings: where the reference data, ontology and shapes are, and the base IRI (default: ``Settings()``).

    Returns:
        What was written, with the predicted size of the built graph.

    Raises:
        FileExistsError: when ``out`` holds any file.
    """
    started = time.perf_counter()
    settings = settings or Settings()
    out.mkdir(parents=True, exist_ok=True)
    if existing := sorted(path.name for path in out.iterdir()):
        raise FileExistsError(f"{out} is not empty: {', '.join(existing[:3])}{' ...' if len(existing) > 3 else ''}")
    reference = load_reference(settings)
    linker = _Linker(reference.gazetteer)
    rng = random.Random(seed)
    plans = schedule(rng, settings.base)
    plan_triples, plan_nodes = 0, 0

    def size(writer: _Writer | None = None) -> int:
        """The predicted size of the built graph, with the document being written."""
        nodes = plan_nodes + (len(writer.rows) if writer else 0)
        return reference.overhead + plan_triples + (writer.count() if writer else 0) + linkset_triples(nodes)

    cap = max(MIN_NODES, (triples - reference.overhead) / AVERAGE_NODE_TRIPLES / MIN_DOCUMENTS)
    documents: list[DocumentSummary] = []
    counts: Counter[str] = Counter()
    while size() < triples or not documents:
        body, year = next(plans)
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        nodes = round(min(cap, MAX_NODES, max(MIN_NODES, rng.lognormvariate(math.log(MEDIAN_NODES), SIGMA_NODES))))
        writer = _Writer(rng, reference, linker, body, year, kind)
        _document(writer, nodes, lambda w: size(w) >= triples)
        key = f"{body.code}-{year}-{kind}"
        file = f"{key}.plan.csv"
        (out / file).write_text(_csv(writer.rows), encoding="utf-8")
        title = f"{TITLES[kind]} {year} {body.name} (synthetisch)"
        meta = META.format(file=file, seed=seed, target=triples, key=key, title=_quoted(title), kind=kind, year=year,
                           code=body.code, note=body.note, name=body.name, iri=_quoted(body.iri),
                           own_names=", ".join(body.own_names))
        (out / f"{key}.plan.meta.yaml").write_text(meta, encoding="utf-8")
        per_level = Counter(row.level.value for row in writer.rows)
        counts.update(per_level)
        documents.append(DocumentSummary(key, file, body.code, year, kind,
                                         {level.value: per_level[level.value] for level in Level}, writer.count()))
        plan_triples += writer.count()
        plan_nodes += len(writer.rows)
    ordered = {level.value: counts[level.value] for level in Level}
    (out / "README.md").write_text(README.format(target=triples, seed=seed, documents=len(documents),
                                                 nodes=plan_nodes, triples=size()), encoding="utf-8")
    return CorpusSummary(tuple(documents), ordered, plan_triples, linkset_triples(plan_nodes), size(),
                         time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    """The command line: ``generate.py --triples N --seed S --out FOLDER [--force]``; prints a summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--triples", type=int, required=True, help="size of the built graph to aim at")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (a kg seeds folder)")
    parser.add_argument("--force", action="store_true",
                        help="first remove what an earlier run (and its builds) wrote in --out; no other file")
    args = parser.parse_args(argv)
    if args.triples < 1:
        parser.error("--triples must be positive")
    if args.force and args.out.is_dir():
        for path in generated_files(args.out):
            path.unlink()
    try:
        summary = generate(args.triples, args.seed, args.out)
    except FileExistsError as err:
        print(f"error: {err} (--force removes an earlier corpus, no other file)", file=sys.stderr)
        return 2
    nodes = ", ".join(f"{n} {level}" for level, n in summary.counts.items())
    print(f"{len(summary.documents)} documents, {sum(summary.counts.values())} nodes ({nodes})")
    print(f"predicted: {summary.triples} triples when built ({summary.plan_triples} in the documents, about "
          f"{summary.linkset_triples} in the linksets); written to {args.out} in {summary.seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
