"""Indicator tables: the Flevoland 2019 page (seeds/), values checked by reading the page."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from kg.link.entities import load_reference_data
from kg.model.iris import PB
from kg.model.plan import Indicator, Plan
from kg.rdf.keys import KeyRegistry, assign_keys
from kg.rdf.mapping import map_plan
from kg.read.files import read_document
from kg.read.profile import load_profile
from kg.read.reader import ReadError, read_plan
from kg.settings import Settings
from kg.validate.shacl import read_turtle_dir, validate_graph

CORPUS = Path(__file__).resolve().parents[2] / "seeds"
REPO = Path(__file__).resolve().parents[2]
NAME = "flevoland-begroting-2019-economie-indicatoren"
BASE = "https://kg.example.org"


def read(folder: Path = CORPUS) -> Plan:
    """Read the Flevoland indicator page."""
    document = read_document(folder / f"{NAME}.txt")
    return read_plan(document, load_profile(document.layout))


def values(indicator: Indicator) -> list[tuple[str, str, str | None, Decimal, str | None]]:
    """(kind, year or period, operator, value, unit) of each value of ``indicator``."""
    return [
        (m.kind, f"{m.start_year}" + (f"-{m.end_year}" if m.end_year else ""), m.operator, m.value, m.unit)
        for m in indicator.measurements
    ]


def by_label(plan: Plan, label: str) -> Indicator:
    """The one indicator labelled ``label``."""
    (found,) = [i for i in plan.indicators if i.label == label]
    return found


def test_the_indicators_of_both_tables() -> None:
    plan = read()
    assert [(i.group, i.label) for i in plan.indicators] == [
        ("Economie algemeen", "Bruto Binnenlands Product Flevoland (x € 1 mld.)"),
        ("Economie algemeen", "Innovatiekracht"),
        ("Recreatie en toerisme", "Toerisme Flevoland: Bereik (x 1 mln.)"),
        ("Recreatie en toerisme", "Toerisme Flevoland: Mediawaarde (x € 1.000)"),
        ("Recreatie en toerisme",
         "Bezoekers: Aantal vrijetijdsactiviteiten (x 1 mln.) (meting eens in de drie jaar)"),
        ("Recreatie en toerisme", "Bezoekers: Aantal overnachtingen (x 1 mln.)"),
        ("Recreatie en toerisme", "Economische impact: Aantal banen"),
        ("Recreatie en toerisme", "Economische impact: Omvang bestedingen (x € 1 mld.)"),
        ("Bruto Binnenlands Product", "Percentage toename van het BBP ten opzichte van het voorgaande jaar"),
        ("Werk-gelegenheid", "Percentage banen ten opzichte van de totale beroepsbevolking"),
    ]
    assert [i.note for i in plan.indicators][:2] == [
        "Bron: CBS - Regionale kerncijfers", "Bron: CBS/EU Regional Innovation Scoreboard"
    ]
    assert by_label(plan, "Economische impact: Aantal banen").note == "Bron: Vestigingenregister/CVTO"


def test_targets_with_operator_and_value() -> None:
    plan = read()
    assert values(by_label(plan, "Bruto Binnenlands Product Flevoland (x € 1 mld.)")) == [
        ("realisatie", "2015", None, Decimal("11.9"), None),
        ("realisatie", "2016", None, Decimal("12.4"), None),
        ("realisatie", "2017", None, Decimal("13.0"), None),
        ("streefwaarde", "2018", ">", Decimal("13.0"), None),
        ("streefwaarde", "2019", ">", Decimal("13.0"), None),
        ("streefwaarde", "2020-2022", ">", Decimal("13.0"), None),
    ]
    overnachtingen = values(by_label(plan, "Bezoekers: Aantal overnachtingen (x 1 mln.)"))
    targets = [("streefwaarde", y, ">=", Decimal("2.6"), None) for y in ("2018", "2019", "2020-2022")]
    assert overnachtingen[2:] == targets
    assert values(by_label(plan, "Percentage toename van het BBP ten opzichte van het voorgaande jaar"))[3] == (
        "streefwaarde", "2018", ">", Decimal("0"), "%"
    )
    banen = values(by_label(plan, "Economische impact: Aantal banen"))
    assert banen[0] == ("realisatie", "2015", None, Decimal("10180"), None)  # "10.180": a thousands separator


def test_missing_values_are_absent() -> None:
    plan = read()
    # "n.b" (2015), then 0,46 and 0,50
    years = [y for _, y, *_ in values(by_label(plan, "Innovatiekracht"))]
    assert years == ["2016", "2017", "2018", "2019", "2020-2022"]
    # "n.b.\nn.b." twice: both items have no value for 2015 and 2016
    assert [y for _, y, *_ in values(by_label(plan, "Toerisme Flevoland: Bereik (x 1 mln.)"))] == [
        "2017", "2018", "2019", "2020-2022"
    ]
    # 81,6 (2015), n.b. (2016), n.b (2017): one realised value; the other item has "n.n.b" for 2017
    activiteiten = "Bezoekers: Aantal vrijetijdsactiviteiten (x 1 mln.) (meting eens in de drie jaar)"
    assert values(by_label(plan, activiteiten))[0] == ("realisatie", "2015", None, Decimal("81.6"), None)
    assert len(values(by_label(plan, activiteiten))) == 4
    assert len(values(by_label(plan, "Bezoekers: Aantal overnachtingen (x 1 mln.)"))) == 5


def test_every_line_is_in_the_ledger() -> None:
    plan = read()
    assert [e.line for e in plan.ledger] == [n for n, t in enumerate(plan.document.lines, 1) if t.strip()]
    (footnote,) = [e for e in plan.ledger if e.outcome == "skipped"]
    assert footnote.line == 143


def test_a_row_with_a_missing_cell_fails_naming_the_line(tmp_path: Path) -> None:
    for suffix in (".txt", ".meta.yaml"):
        shutil.copy(CORPUS / f"{NAME}{suffix}", tmp_path / f"{NAME}{suffix}")
    path = tmp_path / f"{NAME}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("0,46\n\n", "", 1), encoding="utf-8")
    with pytest.raises(ReadError, match=rf"{NAME}\.txt:62: indicator row with 5 values, expected 6 columns x 1"):
        read(tmp_path)


def test_indicators_are_mapped_with_typed_values_and_conform() -> None:
    plan = read()
    assign_keys(plan, KeyRegistry())
    graph = map_plan(plan, BASE)
    bbp = URIRef(f"{BASE}/id/indicator/{plan.indicators[0].key}")
    assert (bbp, RDF.type, PB.Indicator) in graph
    targets = {
        (str(graph.value(t, PB.jaar)), graph.value(t, PB.totEnMetJaar), str(graph.value(t, PB.operator)),
         graph.value(t, RDF.value))
        for t in graph.objects(bbp, PB.streefwaarde)
    }
    assert targets == {
        ("2018", None, ">", Literal(Decimal("13.0"))), ("2019", None, ">", Literal(Decimal("13.0"))),
        ("2020", Literal("2022", datatype=XSD.gYear), ">", Literal(Decimal("13.0"))),
    }
    assert Literal(Decimal("13.0")).datatype == XSD.decimal
    group = URIRef(f"{BASE}/id/indicatorgroep/pv24-2019-economie-algemeen")
    assert (group, SKOS.member, bbp) in graph
    settings = Settings()
    reference = load_reference_data(settings.vocab_dir, settings.base).graph
    shapes = read_turtle_dir(REPO / "shapes")
    assert validate_graph(graph + reference, shapes).conforms
    target = next(graph.objects(bbp, PB.streefwaarde))
    graph.set((target, RDF.value, Literal("n.b.")))  # a missing value as a string: refused
    report = validate_graph(graph + reference, shapes)
    assert not report.conforms
    (violation,) = report.violations
    assert (violation.focus, violation.path) == (str(bbp), f"(<{PB.realisatie}>|<{PB.streefwaarde}>|<{PB.nulmeting}>)")
    assert violation.message.startswith("The values, targets and baseline of an Indicator (pb:realisatie, "
                                        "pb:streefwaarde, pb:nulmeting)")
