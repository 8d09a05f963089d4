"""Write the kept extract of the TOOI organisation registers (``rwc_*.json``) and of the DiWoo list of
ministries (``ministeries.csv``) beside this script, from the two stored copies named in README.md.

This is the step that was run once to make the extract; :mod:`generate` regenerates the reference data from
the extract alone. It reads local files only (nothing is downloaded):

    python vocab/sources/tooi/extract.py --cassette CASSETTE.yaml --ministeries Ministerie.php

``CASSETTE.yaml``: the recorded HTTP responses of the TOOI registers in GPP-Woo/GPP-publicatiebank
(``src/woo_publications/metadata/tests/vcr_cassettes/test_organisation_sync/UpdateOrganisationTestCase/
test_data_gets_stored_and_turned_into_fixture.yaml``); ``Ministerie.php``: minvws/nl-rdo-woo-web's
transcription of the DiWoo ``ministerielijst`` (``src/Domain/WooIndex/Tooi/Ministerie.php``). Each register's
JSON-LD is kept as served: one node per line, unchanged. The registers of provinces, water boards,
municipalities, zbo's and other government bodies are kept whole; of the cooperation bodies
(samenwerkingsorganisaties) only the list's own node and the bodies named in ``selection.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPOSITORY = "https://repository.officiele-overheidspublicaties.nl/waardelijsten/"

#: The registers kept, by file name as served.
KEPT_WHOLE = (
    "rwc_provincies_compleet_1.json",
    "rwc_waterschappen_compleet_2.json",
    "rwc_gemeenten_compleet_5.json",
    "rwc_zbo_compleet_6.json",
    "rwc_overige_overheidsorganisaties_compleet_13.json",
)
KEPT_SELECTED = "rwc_samenwerkingsorganisaties_compleet_3.json"

_CASE = re.compile(r"^\s*case (mnre\d{4}) = '([^']+)';\s*$")
_ALIAS = re.compile(r"^\s*public const (mnre\d{4}) = self::(mnre\d{4});\s*$")


def selected_codes() -> set[str]:
    """The organisation codes named in ``selection.csv``."""
    with (HERE / "selection.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"] for row in csv.DictReader(handle)}


def write_list(name: str, nodes: list[dict[str, object]]) -> None:
    """Write one register: a JSON array with one node per line."""
    lines = [json.dumps(node, ensure_ascii=False, separators=(",", ":")) for node in nodes]
    (HERE / name).write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")


def extract_registers(cassette: Path) -> None:
    """Keep the registers of ``cassette`` (KEPT_WHOLE whole, KEPT_SELECTED filtered)."""
    recorded = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    bodies = {}
    for interaction in recorded["interactions"]:
        uri = interaction["request"]["uri"]
        assert uri.startswith(REPOSITORY), uri
        assert interaction["response"]["status"]["code"] == 200, uri
        bodies[uri.rsplit("/", 1)[-1]] = json.loads(interaction["response"]["body"]["string"])
    for name in KEPT_WHOLE:
        write_list(name, bodies[name])
    codes = selected_codes()
    kept = [
        node for node in bodies[KEPT_SELECTED]
        if str(node["@id"]).rsplit("/", 1)[-1] in codes or "/tooi/set/" in str(node["@id"])
    ]
    write_list(KEPT_SELECTED, kept)


def extract_ministries(php: Path) -> None:
    """Keep the (code, name) pairs and the one alias of the DiWoo ministerielijst transcription."""
    rows = []
    for line in php.read_text(encoding="utf-8").splitlines():
        if match := _CASE.match(line):
            rows.append({"code": match[1], "naam": match[2], "alias_van": ""})
        elif match := _ALIAS.match(line):
            rows.append({"code": match[1], "naam": "", "alias_van": match[2]})
    with (HERE / "ministeries.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["code", "naam", "alias_van"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cassette", type=Path, required=True)
    parser.add_argument("--ministeries", type=Path, required=True)
    args = parser.parse_args()
    extract_registers(args.cassette)
    extract_ministries(args.ministeries)


if __name__ == "__main__":
    main()
