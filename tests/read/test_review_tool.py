"""``kg review DOCUMENT``: the reviewer's tool, driven as a reviewer would, by typed answers on standard input.

Each test copies the Drenthe 2016 seed's text and metadata into a temporary folder (with no curation file, one
written by the test, or, once, the seed's own) and runs the real command as a subprocess. Which rows are
uncertain is the objective-or-result rule's business (it changes, and it decides a table's rows together, so a
decided row can change the others), so the tests take the rows from a fresh reading (``plan.decisions``), never
from fixed line numbers.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SEED, copy_seeds
from kg.model.plan import Decision, Level, Plan
from kg.read.curation import Curation, Entry, load_curation, write_curation
from kg.read.files import read_document
from kg.read.reader import load_layout, read_plan
from kg.read.review_tool import CONFIRMED, ReviewError, open_reading, save_entries

OTHER = {Level.DOELSTELLING: Level.RESULTAAT, Level.RESULTAAT: Level.DOELSTELLING}
REMAINING = re.compile(r"(\d+) confirmed, (\d+) flipped, (\d+) skipped; (\d+) uncertain decision\(s\) remain "
                       r"unreviewed")


def copy_document(tmp_path: Path, stem: str = SEED) -> Path:
    """Copy a seed's text and ``.meta.yaml`` (nothing else) to ``tmp_path/seeds`` and return the text's path."""
    folder = tmp_path / "seeds"
    folder.mkdir(exist_ok=True)
    for suffix in (".txt", ".meta.yaml"):
        shutil.copy(REPO / "seeds" / f"{stem}{suffix}", folder)
    return folder / f"{stem}.txt"


def review(path: Path, typed: str, *options: str) -> subprocess.CompletedProcess[str]:
    """Run ``kg review path`` with ``typed`` as standard input."""
    return subprocess.run([sys.executable, "-m", "kg", "review", str(path), *options], input=typed, text=True,
                          capture_output=True, timeout=300, env={**os.environ, "COLUMNS": "200"}, check=False)


def read(path: Path) -> Plan:
    """Read the document at ``path`` afresh, with the curation file beside it."""
    document = read_document(path)
    return read_plan(document, load_layout(document.layout), load_curation(document))


def read_with(path: Path, curation: list[Entry]) -> Plan:
    """Read the document at ``path`` with ``curation`` as its entries (in memory, not the file beside it)."""
    document = read_document(path)
    return read_plan(document, load_layout(document.layout), Curation(path, curation))


def entries(path: Path) -> list[Entry]:
    """The entries of the curation file beside the document at ``path``."""
    return load_curation(read_document(path)).entries


def at(plan: Plan, line: int) -> Decision:
    """The decision of the row whose first line is ``line``."""
    (decision,) = [d for d in plan.decisions if d.line == line]
    return decision


def counts(result: subprocess.CompletedProcess[str]) -> tuple[int, ...]:
    """Confirmed, flipped, skipped and still unreviewed, from the command's last line."""
    match = REMAINING.search(result.stdout)
    assert match, result.stdout[-2000:] + result.stderr
    return tuple(int(group) for group in match.groups())


def unreviewed(path: Path) -> list[Decision]:
    """The unreviewed uncertain decisions of a fresh reading, at least two of them (the tests decide two)."""
    pending = [d for d in read(path).decisions if d.unreviewed]
    assert len(pending) >= 2, "the tests need two uncertain rows in the seed"
    return pending


def test_confirm_and_flip_write_the_curation_file(tmp_path: Path) -> None:
    path = copy_document(tmp_path)
    first = unreviewed(path)[0]
    # the reader decides a table's rows together: the next row asked is the first unreviewed one once the first
    # is confirmed
    with_first = read_with(path, [Entry(first.text, first.level, "", dt.date.today())])
    second = next(d for d in with_first.decisions if d.unreviewed and d.line != first.line)

    result = review(path, "c\n\nf\nreason text\nq\n")

    assert result.returncode == 0, result.stderr
    today = dt.date.today()
    assert [(e.text, e.level, e.reason, e.reviewed, e.within) for e in entries(path)] == [
        (first.text, first.level, CONFIRMED, today, ""),
        (second.text, OTHER[second.level], "reason text", today, ""),
    ]
    plan = read(path)
    confirmed, flipped = at(plan, first.line), at(plan, second.line)
    assert (confirmed.level, confirmed.reviewed, confirmed.curated) == (first.level, True, False)
    assert (flipped.level, flipped.reviewed, flipped.curated) == (OTHER[second.level], True, True)
    assert [d.line for d in plan.decisions if d.reviewed] == [first.line, second.line]
    assert counts(result) == (1, 1, 0, sum(d.unreviewed for d in plan.decisions))
    assert "&id" not in path.with_name(f"{SEED}.curation.yaml").read_text(encoding="utf-8")  # no yaml aliases


def test_shows_the_tables_as_read(tmp_path: Path) -> None:
    path = copy_document(tmp_path)
    plan = read(path)
    doubtful = next(d for d in plan.decisions if d.unreviewed)

    result = review(path, "q\n")

    assert result.returncode == 0, result.stderr
    shown = result.stdout
    assert "product 2.1 Biobased economy / chemie" in shown
    for decision in plan.decisions:  # every row with its line and level
        assert re.search(rf"\b{decision.line}\s+{decision.level.value}\s+{re.escape(decision.text[:30])}", shown)
    assert re.search(rf"{doubtful.line}\s+{doubtful.level.value}.*\?", shown)
    item = next(node for node in plan.nodes() if node.level is Level.DEELRESULTAAT)
    assert item.parent is not None
    assert re.search(rf"{item.parent.start_line}\s+resultaat[\s\S]*?{item.start_line}\s+deelresultaat\s+"
                     rf"{re.escape(item.label)}", shown)  # a sub-item under its result
    assert f"1 of {sum(d.unreviewed for d in plan.decisions)} · line {doubtful.line}" in shown
    assert not path.with_name(f"{SEED}.curation.yaml").exists()  # nothing decided, nothing written
    assert counts(result) == (0, 0, 0, sum(d.unreviewed for d in plan.decisions))


def test_skipped_rows_stay_unreviewed(tmp_path: Path) -> None:
    path = copy_document(tmp_path)
    first, second = unreviewed(path)[:2]

    result = review(path, "s\nc\n\nq\n")

    assert result.returncode == 0, result.stderr
    assert [(e.text, e.level) for e in entries(path)] == [(second.text, second.level)]
    plan = read(path)
    assert at(plan, first.line).unreviewed
    assert at(plan, second.line).reviewed
    assert counts(result) == (1, 0, 1, sum(d.unreviewed for d in plan.decisions))


def test_round_trip_leaves_fewer_unreviewed(tmp_path: Path) -> None:
    path = copy_document(tmp_path)
    pending = unreviewed(path)

    first = review(path, "c\nchecked by hand\nq\n")
    plan = read(path)
    left = [d for d in plan.decisions if d.unreviewed]
    again = review(path, "q\n")

    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert len(left) < len(pending) and pending[0].line not in {d.line for d in left}
    assert counts(first)[3] == len(left)
    assert re.search(rf"{len(left)} uncertain and unreviewed", again.stdout)
    assert re.search(rf"{pending[0].line}\s+{pending[0].level.value}.*✓ confirmed.*checked by hand", again.stdout)
    if left:  # the confirmed row is not asked again
        assert f"1 of {len(left)} · line {left[0].line}" in again.stdout
    assert counts(again) == (0, 0, 0, len(left))
    assert [e.reason for e in entries(path)] == ["checked by hand"]  # running again without a decision changes nothing


def test_existing_entries_are_kept_in_document_order(tmp_path: Path) -> None:
    path = copy_document(tmp_path)
    last = read(path).decisions[-1]  # by hand, a row after the one decided below
    kept = Entry(last.text, last.level, "read by hand", dt.date(2020, 1, 2))
    write_curation(path.with_name(f"{SEED}.curation.yaml"), path.name, [kept])
    pending = unreviewed(path)

    result = review(path, "c\n\nq\n")

    assert result.returncode == 0, result.stderr
    assert [(e.text, e.level, e.reason, e.reviewed, e.within) for e in entries(path)] == [
        (pending[0].text, pending[0].level, CONFIRMED, dt.date.today(), ""),
        (kept.text, kept.level, kept.reason, kept.reviewed, ""),
    ]


def test_the_seeds_own_curation_file_is_kept(tmp_path: Path) -> None:
    """The real curation file of the seed (with its folded reasons): every entry survives a review unchanged."""
    path = copy_seeds(tmp_path) / f"{SEED}.txt"
    before = entries(path)
    assert before, "the seed has a curation file"
    decisions = read(path).decisions
    index = next(i for i, d in enumerate(decisions) if not any(e.matches(d.text, d.above) for e in before))
    added = decisions[index]

    result = review(path, "s\n" * index + "c\n\nq\n", "--all")

    assert result.returncode == 0, result.stderr
    after = entries(path)
    fields = [(e.text, e.within, e.level, e.reason, e.reviewed) for e in after]
    assert [f for f in fields if f[0] != added.text] == [(e.text, e.within, e.level, e.reason, e.reviewed)
                                                           for e in before]
    assert (added.text, "", added.level, CONFIRMED, dt.date.today()) in fields
    assert at(read(path), added.line).reviewed


def test_all_asks_about_every_decision_and_replaces_an_entry(tmp_path: Path) -> None:
    path = copy_document(tmp_path)
    first = read(path).decisions[0]
    write_curation(path.with_name(f"{SEED}.curation.yaml"), path.name,
                   [Entry(first.text, first.level, "old reason", dt.date(2020, 1, 2))])
    assert not [d for d in read(path).decisions if d.unreviewed and d.line == first.line]

    result = review(path, "c\nnew reason\nq\n", "--all")

    assert result.returncode == 0, result.stderr
    assert f"1 of {len(read(path).decisions)} · line {first.line}" in result.stdout  # a certain, reviewed row
    assert [(e.text, e.reason, e.reviewed) for e in entries(path)] == [(first.text, "new reason", dt.date.today())]


def test_a_flip_the_document_cannot_take_is_refused(tmp_path: Path) -> None:
    """The first row of a table is its first objective: as a result it would have no objective to go under."""
    path = copy_document(tmp_path)
    first = read(path).decisions[0]
    assert first.level is Level.DOELSTELLING

    result = review(path, "f\nq\n", "--all")  # refused before a reason is asked

    assert result.returncode == 0, result.stderr
    assert f"not taken: the document does not read with the row a resultaat: {path}:{first.line}:" in result.stdout
    assert result.stdout.count(f"1 of {len(read(path).decisions)} · line {first.line}") == 2  # asked again
    assert not path.with_name(f"{SEED}.curation.yaml").exists()
    assert counts(result)[:3] == (0, 0, 0)


def test_within_names_a_row_whose_text_is_not_unique(tmp_path: Path) -> None:
    """A row of the last table given the text of a row of the first: the entry needs `within`."""
    path = copy_document(tmp_path)
    plan = read(path)
    model, target = plan.decisions[1], plan.decisions[-1]
    assert model.above[0] != target.above[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert " ".join(lines[target.line - 1].split()) == target.text  # a row of one line
    lines[target.line - 1] = model.text
    path.write_text("\n".join(lines), encoding="utf-8")
    decisions = read(path).decisions
    index = next(i for i, d in enumerate(decisions) if d.line == target.line)

    result = review(path, "s\n" * index + "c\n\nq\n", "--all")

    assert result.returncode == 0, result.stderr
    ((entry),) = entries(path)
    assert (entry.text, entry.within) == (model.text, target.above[0])
    again = read(path)
    assert at(again, target.line).reviewed and not at(again, model.line).reviewed
    assert counts(result)[:3] == (1, 0, index)


def test_end_of_input_saves_what_was_decided(tmp_path: Path) -> None:
    path = copy_document(tmp_path)
    first = unreviewed(path)[0]

    result = review(path, "c\n\n")  # no q: the input ends at the next question

    assert result.returncode == 0, result.stderr
    assert [e.text for e in entries(path)] == [first.text]


def test_a_curation_file_that_does_not_read_is_put_back(tmp_path: Path) -> None:
    path = copy_document(tmp_path)
    curation = path.with_name(f"{SEED}.curation.yaml")
    first = read(path).decisions[0]
    write_curation(curation, path.name, [Entry(first.text, first.level, "by hand", dt.date(2020, 1, 2))])
    before = curation.read_bytes()
    reading = open_reading(path)
    wrong = Entry("a row the document does not have", Level.RESULTAAT, "typo", dt.date(2020, 1, 2))

    with pytest.raises(ReviewError, match=r"names no row.*old file was restored|old file was restored.*names no row"):
        save_entries(reading, [wrong], {})
    assert curation.read_bytes() == before

    curation.unlink()
    with pytest.raises(ReviewError, match="new file was removed"):
        save_entries(open_reading(path), [wrong], {})
    assert not curation.exists()


@pytest.mark.parametrize(("case", "says"), [
    ("missing", "file missing"),
    ("no table", "has no objective-or-result table: nothing to review"),
    ("bad curation", ".curation.yaml"),
    ("no metadata", ".meta.yaml"),
])
def test_errors_exit_1_with_one_line_naming_the_file(tmp_path: Path, case: str, says: str) -> None:
    path = copy_document(tmp_path)
    if case == "missing":
        path = path.with_name("nothing-here.txt")
    elif case == "no table":
        path = copy_document(tmp_path, "drenthe-jaarverslag-2018-2-4-breedband")
    elif case == "bad curation":
        path.with_name(f"{SEED}.curation.yaml").write_text("decisions:\n- text: [unclosed\n", encoding="utf-8")
    else:
        path.with_name(f"{SEED}.meta.yaml").unlink()

    result = review(path, "c\n\nq\n")

    assert result.returncode == 1
    message = result.stderr.strip()
    assert message.startswith("review failed:") and "\n" not in message, message
    assert path.stem in message and says in message, message
