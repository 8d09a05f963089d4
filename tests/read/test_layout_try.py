"""``kg layout try PROFILE PAGE`` (kg.read.trial): driven for real, through the command (typer's runner and a
subprocess) and the function, on real pages of seeds/ and on broken profiles. No test depends on timing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import astuple
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.read.profile import LAYOUTS_DIR
from kg.read.trial import Fate, try_profile

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
FRYSLAN = SEEDS / "fryslan-jaarstukken-2023-p4-economie.txt"
FRYSLAN_PROFILE = LAYOUTS_DIR / "fryslan-jaarstukken-2023.yaml"


def fate(fates: list[Fate], line: int) -> tuple[object, ...]:
    """The fate of the line ``line``, as a tuple of its fields (line, text, state, taken by, by rule, where, outcome,
    fate, parent)."""
    (found,) = [f for f in fates if f.line == line]
    return astuple(found)


def test_every_line_of_a_real_page_with_its_rule_state_fate_and_parent() -> None:
    trial = try_profile(FRYSLAN_PROFILE, FRYSLAN)
    assert trial.error is None
    assert [f.line for f in trial.fates] == [n for n, t in enumerate(trial.document.lines, 1) if t.strip()]
    assert trial.counts == {"programma": 1, "doelstelling": 3}
    programme = "programma 4 «Economie»"
    assert fate(trial.fates, 6)[1:] == (
        "Programma 4: Economie", "start", "programma", True, f"{FRYSLAN_PROFILE}:11", "node", "node programma", "(top)")
    assert fate(trial.fates, 39)[2:] == ("goals", "ambitie", True, f"{FRYSLAN_PROFILE}:20", "node", "node doelstelling",
                                         programme)
    assert fate(trial.fates, 24)[3:] == ("verbonden partij", True, f"{LAYOUTS_DIR / 'bbv.yaml'}:51", "node",
                                         "partner of programma", programme)
    assert fate(trial.fates, 10)[3:7] == ("navigation link", True, f"{LAYOUTS_DIR / 'bbv.yaml'}:24", "skipped")
    # The lines no rule took: the state's entry handled them (the prose under the programme is its description).
    assert [(f.line, f.taken_by) for f in trial.unmatched] == [
        (12, "state context"), (14, "state context"), (16, "state context"), (22, "state partners"),
        (38, "state goals"),
    ]
    assert fate(trial.fates, 38)[6:] == ("node", "description of programma", programme)
    assert fate(trial.fates, 42)[3:7] == ("cut off", False, "", "skipped")


def test_the_command_prints_the_table_and_highlights_the_lines_no_rule_took() -> None:
    result = CliRunner().invoke(app, ["layout", "try", str(FRYSLAN_PROFILE), str(FRYSLAN)], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output
    assert "fryslan-jaarstukken-2023-p4-economie.txt read with profile fryslan-jaarstukken-2023" in result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│ 38 ") or line.startswith("│ 39 ")]
    assert "state goals (no rule)" in rows[0] and "description of programma" in rows[0]
    assert "ambitie" in rows[1] and "node doelstelling" in rows[1] and "programma 4 «Economie»" in rows[1]
    assert "27 lines: 21 taken by a rule, 5 by no rule (highlighted); 1 programma, 3 doelstelling; read in" in (
        " ".join(result.output.split()))


def test_a_shipped_layout_by_name_on_a_page_it_does_not_fit_fails_at_the_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["layout", "try", "drenthe-jaarverslag-2018", str(FRYSLAN)],
                                env={"COLUMNS": "220"})
    assert result.exit_code == 1
    trial = try_profile("drenthe-jaarverslag-2018", FRYSLAN)
    failed = [f for f in trial.fates if f.outcome == "failed"]
    assert [(f.line, f.fate) for f in failed] == [
        (6, "unexpected text in state 'start': 'Programma 4: Economie' (layout drenthe-jaarverslag-2018)")]
    assert {f.outcome for f in trial.fates if f.line > 6} == {"unread"}
    assert "FAILED:" in result.output and "fryslan-jaarstukken-2023-p4-economie.txt:6: unexpected text" in (
        "".join(result.output.split("\n")))


def test_a_broken_profile_is_named_by_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "mijn-provincie.yaml"
    broken.write_text("name: mijn-provincie\nextends: [corpus-page, bbv]\nrules:\n  - name: programma\n"
                      "    match: '^Programma (?P<notation>\\d+: (?P<label>.*)$'\n    node: programma\n",
                      encoding="utf-8")
    result = CliRunner().invoke(app, ["layout", "try", str(broken), str(FRYSLAN)], env={"COLUMNS": "400"})
    assert result.exit_code == 1
    assert f"{broken}:5: rules[0].match is not a valid regular expression (missing ), unterminated subpattern" in (
        " ".join(result.output.split()))
    broken.write_text("name: mijn-provincie\nextends: [corpus-page, bbv]\nrules:\n  - name: ambitie\n"
                      "    colon: 'Ambitie \\d+'\n    in: [doelen]\n    node: doel\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["layout", "try", str(broken), str(FRYSLAN)], env={"COLUMNS": "400"})
    assert result.exit_code == 1
    assert f"{broken}:6: unknown state 'doelen' in rule 'ambitie'" in " ".join(result.output.split())


def test_a_page_without_metadata_is_read_with_the_year_of_its_header(tmp_path: Path) -> None:
    page = Path(shutil.copy(FRYSLAN, tmp_path / FRYSLAN.name))  # no .meta.yaml beside it
    trial = try_profile(FRYSLAN_PROFILE, page)
    assert (trial.document.year, trial.document.cut_off) == (2023, False)
    assert trial.counts == {"programma": 1, "doelstelling": 4}  # the cut-off fragment read as a fourth ambition
    assert try_profile(FRYSLAN_PROFILE, page, cut_off=True).counts == {"programma": 1, "doelstelling": 3}


def test_the_installed_command_in_a_subprocess(tmp_path: Path) -> None:
    profile = tmp_path / "mijn-provincie.yaml"
    shutil.copy(FRYSLAN_PROFILE, profile)  # a profile outside the shipped layouts, extending two of them
    kg = Path(sys.executable).with_name("kg")
    done = subprocess.run([str(kg), "layout", "try", str(profile), str(FRYSLAN)], capture_output=True, text=True,
                          env={"COLUMNS": "220", "PATH": str(kg.parent)}, check=False)
    assert done.returncode == 0, done.stderr
    assert "1 programma, 3 doelstelling" in done.stdout
    assert f"{profile.name}:20" in done.stdout  # the rule that took an ambition, in the user's own file
