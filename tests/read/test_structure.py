"""A structure that does not look like the layout fails the read with the file, the line and what was expected;
a reviewed decision stays on its row whatever is edited elsewhere (issue "Plans nobody tuned the reader for").

Each test edits a copy of the seed the way a real document differs from it, and fails without the fix it names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SEED, copy_seeds, read_seed
from kg.model.plan import Level, Plan
from kg.model.source import SourceError
from kg.read.reader import ReadError


def _edited(tmp_path: Path, *edits: tuple[str, str], count: int = 1) -> Path:
    """A copy of the seeds folder whose seed text has each ``old`` replaced by ``new`` (``count`` times, -1: all)."""
    seeds = copy_seeds(tmp_path)
    path = seeds / f"{SEED}.txt"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, count)
    path.write_text(text, encoding="utf-8")
    return seeds


def _reading(plan: Plan) -> list[tuple[str, str, str | None]]:
    """Each objective, result and sub-item as (level, label, parent's label): the reading, free of line numbers."""
    return [(n.level.value, n.label, n.parent.label if n.parent else None) for n in plan.nodes()
            if n.level in (Level.DOELSTELLING, Level.RESULTAAT, Level.DEELRESULTAAT)]


def test_plural_column_headers_read_as_the_singular_ones(tmp_path: Path) -> None:
    seeds = _edited(tmp_path, ("\nDoelstelling\n", "\nDoelstellingen\n"), ("\nResultaat 2016\n", "\nResultaten 2016\n"),
                    count=-1)
    assert "Doelstellingen" in (seeds / f"{SEED}.txt").read_text(encoding="utf-8")
    assert _reading(read_seed(seeds)) == _reading(read_seed())


def test_column_headers_without_the_year_read_the_same(tmp_path: Path) -> None:
    seeds = _edited(tmp_path, ("\nResultaat 2016\n", "\nResultaat\n"), count=-1)
    assert _reading(read_seed(seeds)) == _reading(read_seed())


def test_a_product_without_its_column_headers_fails_at_its_first_row(tmp_path: Path) -> None:
    """Product 2.4's header lines removed: its first row (line 178 after the edit) would otherwise be glued onto
    the policy task "Breedband op het Drentse platteland"."""
    seeds = _edited(tmp_path, ("Breedband op het Drentse platteland\n\nDoelstelling\n\nResultaat 2016\n",
                               "Breedband op het Drentse platteland\n"))
    message = (rf"{SEED}\.txt:178: expected the column headers \"Doelstelling\" and \"Resultaat <year>\", not "
               r"'Breedband' \(a beleidsopgave takes at most 1 line\(s\) of text\)")
    with pytest.raises(ReadError, match=message):
        read_seed(seeds)


def test_other_column_headers_fail_naming_the_line(tmp_path: Path) -> None:
    seeds = _edited(tmp_path, ("\nDoelstelling\n\nResultaat 2016\n", "\nDoelen\n\nPrestaties 2016\n"))
    with pytest.raises(ReadError, match=rf"{SEED}\.txt:11: expected the column headers .* not 'Doelen'"):
        read_seed(seeds)


def test_a_result_header_missing_after_the_objective_header_fails(tmp_path: Path) -> None:
    seeds = _edited(tmp_path, ("\nDoelstelling\n\nResultaat 2016\n", "\nDoelstelling\n"))
    with pytest.raises(ReadError, match=rf"{SEED}\.txt:13: expected the column header \"Resultaat <year>\" after"):
        read_seed(seeds)


def test_missing_blank_lines_in_a_product_fail_instead_of_gluing_its_rows(tmp_path: Path) -> None:
    """Product 2.4's four rows without blank lines between them: one row of four lines before the fix."""
    rows = ("Breedband\n\nActieve inzet op het ontsluiten met snel internet van de \"witte\" gebieden in Drenthe\n\n"
            "Breedband Platform Drenthe\n\nRevolving Fonds Breedband ingericht\n")
    seeds = _edited(tmp_path, (rows, rows.replace("\n\n", "\n")))
    with pytest.raises(ReadError, match=rf"{SEED}\.txt:185: a row running over more than 3 lines \(from line 182\)"):
        read_seed(seeds)


def test_two_rows_glued_by_a_missing_blank_line_are_flagged(tmp_path: Path) -> None:
    """An objective and its first result with no blank line between read as one row; the capital that starts
    the second line makes the decision uncertain, with the reason."""
    seeds = _edited(tmp_path, ("Breedband\n\nActieve inzet", "Breedband\nActieve inzet"))
    (glued,) = [d for d in read_seed(seeds).decisions if d.text.startswith("Breedband Actieve inzet")]
    assert glued.uncertain and not glued.reviewed
    assert glued.doubt.startswith("line 183 continues the row of line 182 though it starts with a capital")


def test_a_table_of_one_row_is_an_objective_without_results(tmp_path: Path) -> None:
    rows = "Breedband\n\nActieve inzet op het ontsluiten met snel internet van de \"witte\" gebieden in Drenthe\n\n"
    seeds = _edited(tmp_path, (rows, ""), ("Breedband Platform Drenthe\n\n", ""))
    with pytest.raises(ReadError, match=rf"{SEED}\.txt:\d+: a table of one row: an objective with no result"):
        read_seed(seeds)


def test_lines_added_at_the_top_leave_every_reviewed_decision_on_its_row(tmp_path: Path) -> None:
    """Two blank lines and a navigation line added at the top shift every line; the curation file names rows
    by text, so the reading is the same (before, by line number, three overrides moved onto other rows)."""
    seeds = _edited(tmp_path, ("Programma 2\n", "\n\nTerug naar navigatie\n\nProgramma 2\n"))
    plan = read_seed(seeds)
    assert _reading(plan) == _reading(read_seed())
    assert [d.line for d in plan.decisions if d.curated] == [31, 139, 147]
    assert [d.line for d in plan.decisions if d.unreviewed] == []


def test_a_rewrapped_row_keeps_its_reviewed_decision(tmp_path: Path) -> None:
    old = "Aanpak laaggeletterdheid\n"
    seeds = _edited(tmp_path, (old, "Aanpak\nlaaggeletterdheid\n"))
    (row,) = [d for d in read_seed(seeds).decisions if d.text == "Aanpak laaggeletterdheid"]
    assert (row.level, row.curated, row.reviewed) == (Level.RESULTAAT, True, True)


def test_a_curation_entry_that_names_no_row_fails_naming_the_entry(tmp_path: Path) -> None:
    seeds = _edited(tmp_path, ("Aanpak laaggeletterdheid\n", "Aanpak van laaggeletterdheid\n"))
    curation = f"{SEED}.curation.yaml"
    message = rf"{curation}:\d+: decisions\[4\] names no row of the document: no table row reads 'Aanpak "
    message += "laaggeletterdheid'"
    with pytest.raises(SourceError, match=message):
        read_seed(seeds)


def test_a_curation_entry_that_names_several_rows_must_say_within(tmp_path: Path) -> None:
    """A row's text made to occur twice (in products 2.4 and 2.5); the entry then names both."""
    seeds = _edited(tmp_path, ("Breedband Platform Drenthe\n", "Aanpak laaggeletterdheid\n"))
    with pytest.raises(SourceError, match=r"decisions\[4\] names 2 rows \(lines 143, 186\): add `within`"):
        read_seed(seeds)
    path = seeds / f"{SEED}.curation.yaml"
    text = path.read_text(encoding="utf-8")
    within = "- text: Aanpak laaggeletterdheid\n  within: '2.3'\n"
    path.write_text(text.replace("- text: Aanpak laaggeletterdheid\n", within), encoding="utf-8")
    plan = read_seed(seeds)
    levels = {d.line: (d.level, d.reviewed) for d in plan.decisions if d.text == "Aanpak laaggeletterdheid"}
    assert levels[143] == (Level.RESULTAAT, True) and levels[186][1] is False


def test_an_old_curation_file_by_line_numbers_is_refused(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    (seeds / f"{SEED}.curation.yaml").write_text("overrides:\n  - line: 27\n    level: doelstelling\n")
    with pytest.raises(SourceError, match=re.escape("overrides")):
        read_seed(seeds)


def test_an_objective_without_results_is_flagged_where_the_structure_overrules_the_wording(tmp_path: Path) -> None:
    """The five results of "Meer werkgelegenheid ..." removed (an empty result cell): the structure then makes
    the next objective, "Het verbeteren van het Drents imago", its result. Its wording says aim, so the decision
    is uncertain and says why (before, it was read as a result with no flag)."""
    results = "".join(f"{line}\n\n" for line in (
        "Met gemeenten, stakeholders en marktpartijen zijn nieuwe concepten ontwikkeld voor optimale beleving van "
        "Drenthe",
        "Ondersteuning van beeldbepalende, imagoversterkende culturele en sportieve evenementen en festivals die "
        "economische en maatschappelijke spin-off realiseren, waaronder diverse fietsevenementen",
        "Verbreed aanbod van fietsarrangementen en fietshoreca met commerciële partijen is gestimuleerd",
        "Met de uitvoering eerste jaar Leaderprogramma Zuidwest Drenthe is focus gelegd op vrijetijdseconomie",
        "De tussenevaluatie van het provinciale sectorplan ‘Vrijetijdseconomie Drenthe’ is aan PS aangeboden",
    ))
    seeds = _edited(tmp_path, (results, ""))
    (row,) = [d for d in read_seed(seeds).decisions if d.text == "Het verbeteren van het Drents imago"]
    assert (row.level, row.uncertain, row.reviewed) == (Level.RESULTAAT, True, False)
    assert row.doubt.startswith("the table's structure decided it against its wording, which reads an aim (+2)")


def test_a_continuation_that_starts_with_a_number_is_flagged(tmp_path: Path) -> None:
    seeds = _edited(tmp_path, ("Breedband Platform Drenthe\n\nRevolving", "Breedband Platform Drenthe\n2 Revolving"))
    (glued,) = [d for d in read_seed(seeds).decisions if d.text.startswith("Breedband Platform Drenthe 2")]
    assert glued.uncertain and glued.doubt.startswith("line 187 continues the row of line 186 though it starts with "
                                                      "a number")


def test_a_numeric_within_must_be_quoted(tmp_path: Path) -> None:
    """YAML reads ``within: 2.3`` as a number (and ``2.10`` as 2.1), so the entry is refused with the advice."""
    seeds = copy_seeds(tmp_path)
    path = seeds / f"{SEED}.curation.yaml"
    text = path.read_text(encoding="utf-8")
    numeric = "- text: Aanpak laaggeletterdheid\n  within: 2.3\n"
    path.write_text(text.replace("- text: Aanpak laaggeletterdheid\n", numeric), encoding="utf-8")
    with pytest.raises(SourceError, match=r"decisions\[4\]\.within must be text: write a notation in quotes, as "
                                          r"within: '2\.3'"):
        read_seed(seeds)
