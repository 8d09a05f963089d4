"""The regions of the reference data: ``vocab/gebieden-cbs.ttl`` as generated from CBS's 2024 lists
(``vocab/sources/cbs/``, see its README), the hand-written ``vocab/gebieden.ttl`` beside it, and the generator."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, Namespace

from conftest import REPO
from kg.link.entities import load_reference_data
from kg.validate.shacl import read_turtle_dir, validate_graph

BASE = "https://kg.example.org"
GEBIED = f"{BASE}/id/gebied/"
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
VOCAB = REPO / "vocab"
GENERATED = VOCAB / "gebieden-cbs.ttl"

#: Every region the hand-written file defined before the CBS regions were generated, with its label then: each keeps
#: its IRI and label (links made before keep their targets).
FORMER_REGIONS = {
    "noord-nederland": "Noord-Nederland", "pv22": "Drenthe", "pv20": "Groningen", "pv23": "Overijssel",
    "zuidoost-drenthe": "Zuidoost-Drenthe", "zuidwest-drenthe": "Zuidwest-Drenthe", "gm0114": "Emmen",
    "gm0106": "Assen", "gm1699": "Noordenveld", "roden": "Roden", "gm1730": "Tynaarlo", "eelde": "Eelde",
    "gm1979": "Eemsdelta", "delfzijl": "Delfzijl", "duitsland": "Duitsland", "emsland": "Emsland",
    "noordzeelanden": "Noordzeelanden",
}


def regenerate() -> ModuleType:
    """``vocab/regenerate.py`` imported as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location("regenerate", VOCAB / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("regenerate", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated() -> Graph:
    """The generated file alone, its relative IRIs resolved against the default base."""
    return Graph().parse(GENERATED, format="turtle", publicID=f"{BASE}/")


@pytest.fixture(scope="module")
def union() -> Graph:
    """All reference data files together, as the build reads them."""
    return load_reference_data(VOCAB, BASE).graph


def region(key: str) -> URIRef:
    """The IRI of region ``key`` (``gm0114``, ``roden``)."""
    return URIRef(GEBIED + key)


def codes(graph: Graph, prefix: str) -> set[str]:
    """The CBS codes starting with ``prefix`` that regions of ``graph`` carry."""
    return {str(code) for code in graph.objects(None, DCTERMS.identifier) if str(code).startswith(prefix)}


def test_the_script_reproduces_the_committed_file_byte_for_byte(tmp_path: Path) -> None:
    output = tmp_path / "gebieden-cbs.ttl"
    assert regenerate().main(["--output", str(output)]) == 0
    assert output.read_bytes() == GENERATED.read_bytes()
    assert regenerate().main(["--check"]) == 0
    output.write_text(output.read_text(encoding="utf-8").replace('"Amsterdam"', '"Amsterdan"'), encoding="utf-8")
    assert regenerate().main(["--check", "--output", str(output)]) == 1


def test_every_municipality_and_corop_region_of_2024(generated: Graph, union: Graph) -> None:
    module = regenerate()
    extract = module.read_extract()
    # CBS's 2024 lists as kept in the extract: 342 municipalities (the count on 1 January 2024), 40 COROP regions
    assert len(extract.municipalities) == 342
    assert set(extract.corop) == {f"CR{n:02d}" for n in range(1, 41)}
    # written: all but the two whose name a hand-written region without a CBS code has (whether they are one region
    # is unchecked), the five hand-written municipalities in gebieden.ttl and the rest here. Regions of different
    # levels that share a name (the municipality and the province Groningen, the municipality and the COROP region
    # Utrecht) are written since the linker decides such names by rules (issue 18, item 3)
    _, left_out = module.generate()
    assert {(r.code, r.name) for r in left_out} == {("CR08", "Zuidoost-Drenthe"), ("CR09", "Zuidwest-Drenthe")}
    assert len(codes(generated, "GM")) == 342 - 5
    assert codes(union, "GM") == set(extract.municipalities)
    assert codes(union, "CR") == set(extract.corop) - {"CR08", "CR09"}
    for municipality in generated.subjects(DCTERMS.identifier, None):
        if str(generated.value(municipality, DCTERMS.identifier)).startswith("GM"):
            within = list(generated.objects(municipality, GEO.sfWithin))
            cr = extract.municipalities[str(generated.value(municipality, DCTERMS.identifier))][1]
            assert within == ([] if cr in {"CR08", "CR09"} else [region(cr.lower())])


def test_all_names_are_written_when_the_linker_can_decide_them() -> None:
    text, left_out = regenerate().generate(include_shared=True)
    assert left_out == []
    assert '<id/gebied/gm0014> a dct:Location' in text and '"Groningen"@nl' in text


@pytest.mark.parametrize(
    ("key", "label", "corop", "corop_label"),
    [
        ("gm1680", "Aa en Hunze", "cr07", "Noord-Drenthe"),
        ("gm1731", "Midden-Drenthe", "cr07", "Noord-Drenthe"),
        ("gm0153", "Enschede", "cr12", "Twente"),
        ("gm1952", "Midden-Groningen", "cr03", "Overig Groningen"),
        ("gm0363", "Amsterdam", "cr23", "Groot-Amsterdam"),
        ("gm0034", "Almere", "cr40", "Flevoland"),
    ],
)
def test_a_municipality_lies_in_its_corop_region(
    union: Graph, key: str, label: str, corop: str, corop_label: str
) -> None:
    assert union.value(region(key), SKOS.prefLabel) == Literal(label, lang="nl")
    assert union.value(region(key), DCTERMS.identifier) == Literal(key.upper())
    assert region(corop) in set(union.objects(region(key), GEO.sfWithin))
    assert union.value(region(corop), SKOS.prefLabel) == Literal(corop_label, lang="nl")


def test_names_cbs_qualifies_get_their_plain_name_only_when_it_is_unambiguous(generated: Graph) -> None:
    def alt(key: str) -> set[str]:
        return {str(label) for label in generated.objects(region(key), SKOS.altLabel)}

    assert generated.value(region("gm0164"), SKOS.prefLabel) == Literal("Hengelo (O.)", lang="nl")
    assert alt("gm0164") == {"Hengelo"}
    assert alt("gm0687") == {"Middelburg"}
    assert alt("gm0893") == alt("gm0373") == set()  # Bergen (L.) and Bergen (NH.)
    assert alt("gm0888") == set()  # Beek (L.): Beek is also a place in Berg en Dal and in Montferland
    assert alt("gm0518") == {"Den Haag"}  # 's-Gravenhage, from namen.csv
    assert alt("gm0796") == {"Den Bosch"}


@pytest.mark.parametrize(
    ("key", "label", "code", "municipality"),
    [
        ("roden", "Roden", "WP1647", "gm1699"),
        ("eelde", "Eelde", "WP2909", "gm1730"),
        ("delfzijl", "Delfzijl", "WP3234", "gm1979"),
        ("beilen", "Beilen", "WP3006", "gm1731"),
        ("gieten", "Gieten", "WP1167", "gm1680"),
        ("annen", "Annen", "WP1150", "gm1680"),
        ("borger", "Borger", "WP1782", "gm1681"),
        ("zuidbroek", "Zuidbroek", "WP2280", "gm1952"),
    ],
)
def test_a_place_lies_in_its_municipality(union: Graph, key: str, label: str, code: str, municipality: str) -> None:
    assert union.value(region(key), SKOS.prefLabel) == Literal(label, lang="nl")
    assert union.value(region(key), DCTERMS.identifier) == Literal(code)
    assert set(union.objects(region(key), GEO.sfWithin)) == {region(municipality)}


def test_only_the_listed_places(generated: Graph, union: Graph) -> None:
    assert len(codes(union, "WP")) == 8
    assert len(codes(generated, "WP")) == 5  # Roden, Eelde and Delfzijl are hand-written


def test_no_region_is_defined_in_two_files() -> None:
    defined: dict[URIRef, list[str]] = {}
    for path in sorted(VOCAB.glob("gebieden*.ttl")):
        graph = Graph().parse(path, format="turtle", publicID=f"{BASE}/")
        for subject in set(graph.subjects(SKOS.prefLabel, None)):
            defined.setdefault(subject, []).append(path.name)  # type: ignore[arg-type]
    assert {iri: files for iri, files in defined.items() if len(files) > 1} == {}


def test_every_former_region_keeps_its_iri_and_label(union: Graph) -> None:
    for key, label in FORMER_REGIONS.items():
        assert (region(key), RDF.type, DCTERMS.Location) in union, key
        assert union.value(region(key), SKOS.prefLabel) == Literal(label, lang="nl"), key


def test_hand_checked_containment_still_holds(union: Graph) -> None:
    within = {(s, o) for s, o in union.subject_objects(GEO.sfWithin)}
    assert (region("gm0106"), region("pv22")) in within  # Assen in Drenthe (hand-checked)
    assert (region("gm0114"), region("zuidoost-drenthe")) in within
    assert (region("gm1979"), region("pv20")) in within
    assert (region("emsland"), region("nedersaksen")) in within
    assert (region("nedersaksen"), region("duitsland")) in within
    assert (region("vlaanderen"), region("belgie")) in within
    assert union.value(region("nedersaksen"), SKOS.altLabel) == Literal("Niedersachsen", lang="nl")


def test_the_linker_loads_the_regions_and_finds_the_places() -> None:
    gazetteer = load_reference_data(VOCAB, BASE).gazetteer
    text = "Busverbinding Gieten – Borger en de fietsroute Hoogeveen – Beilen, in Aa en Hunze en Noordenveld"
    assert [(m.text, m.entity.removeprefix(GEBIED)) for m in gazetteer.find(text)] == [
        ("Gieten", "gieten"), ("Borger", "borger"), ("Hoogeveen", "gm0118"), ("Beilen", "beilen"),
        ("Aa en Hunze", "gm1680"), ("Noordenveld", "gm1699"),
    ]


def test_the_regions_conform_to_the_shapes(union: Graph) -> None:
    report = validate_graph(union, read_turtle_dir(REPO / "shapes"))
    assert report.conforms, [str(v) for v in report.violations]


def test_the_generator_refuses_a_place_named_as_its_municipality() -> None:
    module = regenerate()
    extract = module.read_extract()
    assert module.regions(extract, [("Gieten", "GM1680")], {})[0][-1].code == "WP1167"
    with pytest.raises(module.ExtractError, match="its municipality's name"):
        module.regions(extract, [("Assen", "GM0106")], {})
    with pytest.raises(module.ExtractError, match="0 places of that name in GM1680"):
        module.regions(extract, [("Roden", "GM1680")], {})
    with pytest.raises(module.ExtractError, match="not in the extract"):
        module.regions(extract, [("Roden", "GM9999")], {})
