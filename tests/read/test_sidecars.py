"""A malformed sidecar file fails the build with the file, the line (or field) and the rule, never a traceback.

Each case copies the real seeds, breaks one sidecar (``.meta.yaml``, ``.curation.yaml``, ``.keys.csv``) and
reads it through the stage that uses it; the last tests run the whole build and the ``kg`` command.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SEED, build_into, copy_seeds
from kg.build.pipeline import run_build
from kg.cli import app
from kg.model.source import SourceError
from kg.rdf.keys import KeyRegistry
from kg.read.curation import load_curation
from kg.read.files import read_document
from kg.settings import Settings
from kg.store.local import has_publication, open_publication

META, CURATION, KEYS = ".meta.yaml", ".curation.yaml", ".keys.csv"


def break_sidecar(tmp_path: Path, suffix: str, old: bytes, new: bytes) -> Path:
    """Copy the seeds to ``tmp_path``, replace ``old`` by ``new`` once in a sidecar, and return the seeds folder."""
    seeds = copy_seeds(tmp_path)
    path = seeds / f"{SEED}{suffix}"
    data = path.read_bytes()
    assert old in data, f"{old!r} not in {path.name}"
    path.write_bytes(data.replace(old, new, 1))
    return seeds


def error(suffix: str, message: str) -> str:
    """The pattern of the whole error about the seed's ``suffix`` file; ``message`` starts ``:<line>: `` or ``: ``."""
    return re.escape(f"{SEED}{suffix}{message}") + "$"


BODY = b"""body:
  code: pv22
  name: provincie Drenthe
  iri: "https://identifier.overheid.nl/tooi/id/provincie/pv22"
  own_names: [Drenthe, Drents, Drentse]
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (BODY, b"body: pv22\n", ":9: body must be a mapping of code, name, iri, own_names (got 'pv22')"),
        (b"year: 2016", b"year: twenty", ":5: year must be an integer from 1800 to 2200 (got 'twenty')"),
        (b"year: 2016", b"year: 1700", ":5: year must be an integer from 1800 to 2200 (got 1700)"),
        (b"year: 2016", b"year: true", ":5: year must be an integer from 1800 to 2200 (got True)"),
        (
            b"key: pv22-2016-programma-2",
            b"key: ../pv22 x",
            ":2: key must be lower-case letters, digits and hyphens, not starting with a hyphen (got '../pv22 x')",
        ),
        (
            b"code: pv22",
            b"code: drenthe",
            ":10: body.code must be a CBS/TOOI code: two lower-case letters and 2 to 4 digits, as pv22 "
            "(got 'drenthe')",
        ),
        (
            b'iri: "https://',
            b'iri: "ftp://',
            ":12: body.iri must be an http(s) IRI (got 'ftp://identifier.overheid.nl/tooi/id/provincie/pv22')",
        ),
        (
            b'iri: "https://identifier',
            b'iri: "https://id entifier',
            ":12: body.iri must be an http(s) IRI (got 'https://id entifier.overheid.nl/tooi/id/provincie/pv22')",
        ),
        (
            b"layout: drenthe-begroting-2016",
            b"layout: ../layouts/drenthe",
            ":14: layout must be a plain name of lower-case letters, digits and hyphens (got '../layouts/drenthe')",
        ),
        (
            b'title: "Begroting 2016 provincie Drenthe, Programma 2 Regionale economie"',
            b'title: " "',
            ":3: title must be a non-empty text (got ' ')",
        ),
        (
            b"kind: begroting",
            b"kind: Begroting 2016",
            ":4: kind must be a plain name of lower-case letters, digits and hyphens (got 'Begroting 2016')",
        ),
        (b"kind: begroting\n", b"", ": missing field kind"),
        (b"  code: pv22\n", b"", ":9: missing field body.code"),
        (b"own_names:", b"own_name:", ":13: unknown field body.own_name"),
        (b"year: 2016", b"year: 2016\nyear: 2017", ":6: field year repeats line 5"),
        (
            b"key: pv22",
            b"key: [pv22",
            ":3: not valid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence at line 2)",
        ),
    ],
)
def test_malformed_metadata(tmp_path: Path, old: bytes, new: bytes, message: str) -> None:
    seeds = break_sidecar(tmp_path, META, old, new)
    with pytest.raises(SourceError, match=error(META, message)):
        read_document(seeds / f"{SEED}.txt")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            b"  level: doelstelling\n",
            b" level: doelstelling\n",
            ":6: not valid YAML: expected <block end>, but found '<block mapping start>' "
            "(while parsing a block mapping at line 4)",
        ),
        (b"decisions:", b"decisons:", ":4: unknown field decisons"),
        (
            b"level: doelstelling",
            b"level: beleidsopgave",
            ":6: decisions[0].level must be doelstelling or resultaat (got 'beleidsopgave')",
        ),
        (
            b"- text: De provincie Drenthe (als organisatie) laten functioneren als launching customer van biobased "
            b"initiatieven",
            b"- text: Actieve samenwerking op Drentse en Noord-Nederlands schaal (inclusief Overijssel) op het gebied "
            b"van Biobased Economy (BBE)",
            ":12: decisions[1] names the same row as decisions[0] (line 5)",
        ),
        (b"  level: doelstelling\n", b"", ":5: decisions[0] has no level"),
        (b"reviewed: 2026-11-29", b"reviewed: gisteren",
         ":11: decisions[0].reviewed must be a date as 2026-11-29 (got 'gisteren')"),
        (b"reviewed: 2026-11-29", b"reviewed: 2026-13-29", ":11: not valid YAML: not a date (month must be in 1..12)"),
    ],
)
def test_malformed_curation(tmp_path: Path, old: bytes, new: bytes, message: str) -> None:
    seeds = break_sidecar(tmp_path, CURATION, old, new)
    document = read_document(seeds / f"{SEED}.txt")
    with pytest.raises(SourceError, match=error(CURATION, message)):
        load_curation(document)


def test_curation_that_is_a_list_not_a_mapping(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    (seeds / f"{SEED}{CURATION}").write_text("- line: 27\n  level: doelstelling\n", encoding="utf-8")
    document = read_document(seeds / f"{SEED}.txt")
    message = ": the file must be a mapping of decisions (got [{'line': 27, 'level': 'doelstelling'}])"
    with pytest.raises(SourceError, match=error(CURATION, message)):
        load_curation(document)


KEY_RULE = "key must be 1 to 64 lower-case letters, digits and hyphens, not starting with a hyphen"
LEVELS = "one of beleidsopgave, doelstelling, resultaat, deelresultaat, indicator"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b"Noordelijke aanpak", b"Noordelijke \xff aanpak", ":4: not valid UTF-8 (invalid start byte)"),
        (b"400e732c,", b"bad key<>,", f":4: {KEY_RULE} (got 'bad key<>')"),
        (b"400e732c,", b"../../x,", f":4: {KEY_RULE} (got '../../x')"),
        (b"400e732c,", b"5d3931f3,", ":4: key 5d3931f3 repeats line 3"),
        (b"400e732c,resultaat", b"400e732c,result", f":4: level must be {LEVELS} (got 'result')"),
        (b"400e732c,resultaat", b"400e732c,programma", f":4: level must be {LEVELS} (got 'programma')"),
        (b"key,level", b"key,lvl", ":1: header must be key,level,parent,text,previous_text"),
        (b"opgesteld,", b"opgesteld,,extra", ":4: 6 fields, expected 5 (key,level,parent,text,previous_text)"),
        (b"Noordelijke aanpak", b'"Noordelijke aanpak', ":4: not valid CSV (',' expected after '\"')"),
    ],
)
def test_malformed_key_registry(tmp_path: Path, old: bytes, new: bytes, message: str) -> None:
    seeds = break_sidecar(tmp_path, KEYS, old, new)
    with pytest.raises(SourceError, match=error(KEYS, message)):
        KeyRegistry.load(seeds / f"{SEED}{KEYS}")


def test_the_build_fails_on_a_key_that_would_end_up_in_an_iri(tmp_path: Path) -> None:
    seeds = break_sidecar(tmp_path, KEYS, b"400e732c,", b"../../x,")
    settings = Settings(data_dir=tmp_path / "data", seeds_dir=seeds)
    with pytest.raises(SourceError, match=error(KEYS, f":4: {KEY_RULE} (got '../../x')")):
        run_build(settings)
    assert not has_publication(settings.data_dir)


def test_kg_build_reports_a_malformed_sidecar_and_keeps_the_published_build(tmp_path: Path) -> None:
    settings, first = build_into(tmp_path)
    curation = settings.seeds_dir / f"{SEED}{CURATION}"
    curation.write_text(curation.read_text(encoding="utf-8").replace("doelstelling", "beleidsopgave", 1), "utf-8")
    args = ["build", "--data-dir", str(settings.data_dir), "--seeds-dir", str(settings.seeds_dir)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert f"build failed: {curation}:6: decisions[0].level must be doelstelling or resultaat" in result.output
    assert "Traceback" not in result.output
    assert open_publication(settings.data_dir).root == first.root
