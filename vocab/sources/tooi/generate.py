"""Regenerate ``vocab/organisaties-tooi.ttl`` (the government bodies with their TOOI IRIs) from the kept extract
beside this script (see README.md for the sources):

    python vocab/sources/tooi/generate.py [--out PATH]

What goes in, and by which rule:

- provinces: every Provincie of ``rwc_provincies_compleet_1.json`` (TOOI IRI ``.../tooi/id/provincie/pvNN``);
- water boards and municipalities: every Waterschap of ``rwc_waterschappen_compleet_2.json`` and Gemeente of
  ``rwc_gemeenten_compleet_5.json`` that existed on or after 2014-01-01 (no ``einddatum``, or one on or after
  that day; historical versions, ``HistorischeVersie``, are not separate bodies), with its end date;
- ministries: every ministry of ``ministeries.csv`` (the DiWoo ministerielijst) whose TOOI IRI the TOOI
  registers themselves name as the responsible ministry (``verantwoordelijkMinisterie``) of a zbo or other
  government body, except those in :data:`EXCLUDED` (see the reason there);
- other bodies: those whose code ``selection.csv`` names, from the registers of zbo's, other government
  bodies and cooperation bodies.

Labels: ``skos:prefLabel`` is the body's preferred name as TOOI gives it, with its kind for provinces,
municipalities and water boards ("provincie Drenthe", "gemeente Den Haag", "waterschap Noorderzijlvest";
a water board whose name is already a kind, "Hoogheemraadschap van Delfland", "Wetterskip Fryslân", keeps it),
the name alone for the other bodies ("Rijkswaterstaat"). ``skos:altLabel``: the official name where it
differs ("gemeente 's-Gravenhage"), TOOI's alternative names, its abbreviation (``afkorting``) unless another
body of the registers has the same one, the body is a province (two-letter codes) or it is in
:data:`DROPPED_ABBREVIATIONS`, and the labels of
``extra-labels.csv`` (each with its source; one that cites TOOI must be one of the body's TOOI names or the
words that end one, as "Groningen Seaports" ends "Havenschap Groningen Seaports").
Each body also gets its TOOI code (``skos:notation``), its kind (``org:classification``, TOOI's
organisatiesoort), its begin and end dates where TOOI gives them (``schema:foundingDate``,
``schema:dissolutionDate``) and its source (``prov:wasDerivedFrom``: the register's version, or the ministry list).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent.parent / "organisaties-tooi.ttl"

ONT = "https://identifier.overheid.nl/tooi/def/ont/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TOOI_ID = "https://identifier.overheid.nl/tooi/id/"

REGISTERS = {
    "provincie": "rwc_provincies_compleet_1.json",
    "waterschap": "rwc_waterschappen_compleet_2.json",
    "gemeente": "rwc_gemeenten_compleet_5.json",
    "zbo": "rwc_zbo_compleet_6.json",
    "oorg": "rwc_overige_overheidsorganisaties_compleet_13.json",
    "so": "rwc_samenwerkingsorganisaties_compleet_3.json",
}

#: The ministry list: minvws/nl-rdo-woo-web's transcription of the DiWoo ministerielijst.
MINISTRIES_SOURCE = (
    "https://github.com/minvws/nl-rdo-woo-web/blob/00828238ed925fafd76e8d53e8118f2df3205584/"
    "src/Domain/WooIndex/Tooi/Ministerie.php"
)

#: Bodies left out although the rules take them in, with the reason (also in vocab/open-items.md).
EXCLUDED = {
    "mnre1045": "its name (ministerie van Economische Zaken) is the label of the hand-written "
    "<id/organisatie/ministerie-van-economische-zaken> (the 2016 ministry of the seed); whether TOOI's mnre1045 "
    "is that body is unchecked, and one name must not name two organisations",
}

#: TOOI abbreviations left out although unique in the registers, with the reason.
DROPPED_ABBREVIATIONS = {
    "GMR": "also the common abbreviation of a school's joint participation council (gemeenschappelijke "
    "medezeggenschapsraad)",
}

#: Bodies that existed on or after this day are kept (the plans kg reads start in 2014).
SINCE = "2014-01-01"

#: Words that make a water board's name a kind of its own.
WATER_BOARD_KINDS = ("Hoogheemraadschap", "Wetterskip", "Waterschap")

#: The kinds (TOOI IRI path segment) in the order the file lists them.
KIND_ORDER = ("ministerie", "provincie", "waterschap", "gemeente", "oorg", "zbo", "so")


@dataclass
class Body:
    """One organisation to write."""

    iri: str
    kind: str
    code: str
    pref: str
    alt: list[str] = field(default_factory=list)
    classification: str | None = None
    founded: str | None = None
    dissolved: str | None = None
    sources: list[str] = field(default_factory=list)

    def add_alt(self, label: str | None) -> None:
        """Add an alternative label unless it is empty or already a label of the body."""
        if label and label != self.pref and label not in self.alt:
            self.alt.append(label)


def values(node: dict, prop: str) -> list[str]:
    """The literal values (or IRIs) of ``prop`` (a TOOI ontology property, or a full IRI) on ``node``."""
    key = prop if prop.startswith("http") else ONT + prop
    return [str(v.get("@value", v.get("@id"))) for v in node.get(key, []) if isinstance(v, dict)]


def first(node: dict, prop: str) -> str | None:
    """The first value of ``prop`` on ``node``, or None."""
    found = values(node, prop)
    return found[0] if found else None


def iso_date(text: str | None) -> str | None:
    """A TOOI date as ISO 8601 (TOOI writes YYYY-MM-DD, and D-M-YYYY in some registers)."""
    if text is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if match := re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text):
        return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    raise ValueError(f"not a date: {text!r}")


def load_register(name: str) -> list[dict]:
    """The nodes of one kept register."""
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def register_version(nodes: list[dict]) -> str:
    """The IRI of the register's version (``.../tooi/set/rwc_..._compleet/N``)."""
    (version,) = [n["@id"] for n in nodes if any(t.endswith("RegisterwaardelijstCompleet") for t in n["@type"])]
    return version


def organisations(nodes: list[dict], cls: str) -> list[dict]:
    """The nodes of TOOI class ``cls`` (``Gemeente``, ``Zbo`` ...) that are bodies, not historical versions."""
    return [
        n for n in nodes
        if f"{ONT}{cls}" in n["@type"] and not any(t.endswith("HistorischeVersie") for t in n["@type"])
    ]


def kind_of(iri: str) -> str:
    """The kind of a TOOI IRI: the path segment after ``/tooi/id/``."""
    return iri.removeprefix(TOOI_ID).split("/", 1)[0]


def body_from_node(node: dict, kind: str, source: str, pref: str) -> Body:
    """A :class:`Body` from a TOOI register node (dates, code, kind, names)."""
    body = Body(
        iri=node["@id"],
        kind=kind,
        code=first(node, "organisatiecode") or node["@id"].rsplit("/", 1)[-1],
        pref=pref,
        classification=first(node, "organisatiesoort"),
        founded=iso_date(first(node, "begindatum")),
        dissolved=iso_date(first(node, "einddatum")),
        sources=[source],
    )
    for name in values(node, "alternatieveNaam"):
        body.add_alt(name)
    return body


def existed_since(node: dict) -> bool:
    """Whether the body existed on or after :data:`SINCE`."""
    end = iso_date(first(node, "einddatum"))
    return end is None or end >= SINCE


def water_board_label(node: dict) -> str:
    """The preferred label of a water board (see the module doc)."""
    name = first(node, "voorkeursnaamExclSoort") or first(node, "officieleNaamExclSoort")
    assert name, node["@id"]
    return name if name.startswith(WATER_BOARD_KINDS) else f"waterschap {name}"


def abbreviation_counts(registers: dict[str, list[dict]]) -> Counter[str]:
    """How many bodies of all kept registers carry each abbreviation (historical versions not counted)."""
    counts: Counter[str] = Counter()
    for nodes in registers.values():
        for node in nodes:
            if any(t.endswith("HistorischeVersie") for t in node["@type"]):
                continue
            counts.update(set(values(node, "afkorting")))
    return counts


def ministry_bodies(registers: dict[str, list[dict]]) -> list[Body]:
    """The ministries (see the module doc), each with the registers that name it responsible."""
    attested: dict[str, set[str]] = {}
    for kind in ("zbo", "oorg"):
        version = register_version(registers[kind])
        for node in registers[kind]:
            for iri in values(node, "verantwoordelijkMinisterie"):
                attested.setdefault(iri, set()).add(version)
    bodies = []
    with (HERE / "ministeries.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            iri = f"{TOOI_ID}ministerie/{row['code']}"
            if row["alias_van"] or iri not in attested or row["code"] in EXCLUDED:
                continue
            bodies.append(Body(iri, "ministerie", row["code"], row["naam"],
                               sources=[MINISTRIES_SOURCE, *sorted(attested[iri])]))
    return bodies


def read_csv(name: str) -> list[dict[str, str]]:
    """The rows of a CSV file beside this script."""
    with (HERE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build() -> list[Body]:
    """Every organisation to write, in file order (see the module doc)."""
    registers = {kind: load_register(name) for kind, name in REGISTERS.items()}
    versions = {kind: register_version(nodes) for kind, nodes in registers.items()}
    abbreviations = abbreviation_counts(registers)
    bodies = ministry_bodies(registers)
    tooi_names: dict[str, set[str]] = {}

    def remember(body: Body, node: dict) -> None:
        tooi_names[body.iri] = {
            v for p in ("voorkeursnaamExclSoort", "officieleNaamExclSoort", "voorkeursnaamInclSoort",
                        "officieleNaamInclSoort", "alternatieveNaam", "afkorting") for v in values(node, p)
        } | set(values(node, RDFS_LABEL))

    for node in organisations(registers["provincie"], "Provincie"):
        body = body_from_node(node, "provincie", versions["provincie"], first(node, "voorkeursnaamInclSoort") or "")
        body.add_alt(first(node, "officieleNaamInclSoort"))
        bodies.append(body)
        remember(body, node)
    for node in organisations(registers["waterschap"], "Waterschap"):
        if existed_since(node):
            body = body_from_node(node, "waterschap", versions["waterschap"], water_board_label(node))
            if (abbreviation := first(node, "afkorting")) and abbreviations[abbreviation] == 1:
                body.add_alt(abbreviation)
            bodies.append(body)
            remember(body, node)
    for node in organisations(registers["gemeente"], "Gemeente"):
        if existed_since(node):
            body = body_from_node(node, "gemeente", versions["gemeente"], first(node, "voorkeursnaamInclSoort") or "")
            body.add_alt(first(node, "officieleNaamInclSoort"))
            bodies.append(body)
            remember(body, node)

    selected = {row["code"] for row in read_csv("selection.csv")}
    found = set()
    for kind, cls in (("oorg", "Overheidsorganisatie"), ("zbo", "Zbo"), ("so", "Samenwerkingsorganisatie")):
        for node in organisations(registers[kind], cls):
            code = first(node, "organisatiecode")
            if code not in selected:
                continue
            label = first(node, RDFS_LABEL)
            assert label, node["@id"]
            body = body_from_node(node, kind, versions[kind], label)
            for abbreviation in values(node, "afkorting"):
                if abbreviations[abbreviation] == 1 and abbreviation not in DROPPED_ABBREVIATIONS:
                    body.add_alt(abbreviation)
            bodies.append(body)
            remember(body, node)
            found.add(code)
    if missing := selected - found:
        raise SystemExit(f"selection.csv names codes no kept register holds: {sorted(missing)}")

    by_code = {body.code: body for body in bodies}
    for row in read_csv("extra-labels.csv"):
        body = by_code[row["code"]]
        assert row["property"] == "altLabel", row
        names = tooi_names.get(body.iri, set())
        if row["source"].startswith("TOOI") and not any(n == row["label"] or n.endswith(" " + row["label"])
                                                        for n in names):
            raise SystemExit(f"extra-labels.csv: {row['label']!r} is not (the end of) a TOOI name of {row['code']}")
        body.add_alt(row["label"])

    for body in bodies:
        assert body.pref, body.iri
        assert body.iri.startswith(TOOI_ID) and kind_of(body.iri) == body.kind, body.iri
    bodies.sort(key=lambda b: (KIND_ORDER.index(b.kind), b.code))
    return bodies


def literal(text: str) -> str:
    """A Turtle string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def turtle(bodies: Iterable[Body]) -> str:
    """The Turtle text of the generated file."""
    lines = [
        "# GENERATED by vocab/sources/tooi/generate.py from the extract in vocab/sources/tooi/ (see its README.md).",
        "# Do not edit: change the sources or the script and regenerate. Government bodies with their TOOI IRI:",
        "# ministries, provinces, water boards and municipalities (existing on or after 2014-01-01) and selected",
        "# national and cooperation bodies. The other organisations are hand-written in organisaties.ttl.",
        "@prefix cv: <http://data.europa.eu/m8g/> .",
        "@prefix org: <http://www.w3.org/ns/org#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix schema: <https://schema.org/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    ]
    for body in bodies:
        statements = [f"skos:prefLabel {literal(body.pref)}@nl"]
        if body.alt:
            statements.append("skos:altLabel " + ", ".join(f"{literal(a)}@nl" for a in body.alt))
        statements.append(f"skos:notation {literal(body.code)}")
        if body.classification:
            statements.append(f"org:classification <{body.classification}>")
        if body.founded:
            statements.append(f"schema:foundingDate {literal(body.founded)}^^xsd:date")
        if body.dissolved:
            statements.append(f"schema:dissolutionDate {literal(body.dissolved)}^^xsd:date")
        statements.append("prov:wasDerivedFrom " + ", ".join(f"<{s}>" for s in body.sources))
        lines.append("")
        lines.append(f"<{body.iri}> a org:Organization, cv:PublicOrganisation ;")
        lines.extend(f"    {s} ;" for s in statements[:-1])
        lines.append(f"    {statements[-1]} .")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write (default: {OUT})")
    args = parser.parse_args()
    bodies = build()
    args.out.write_text(turtle(bodies), encoding="utf-8")
    counts = Counter(b.kind for b in bodies)
    print(f"wrote {args.out}: {len(bodies)} organisations ({', '.join(f'{k} {counts[k]}' for k in KIND_ORDER)})")


if __name__ == "__main__":
    main()
