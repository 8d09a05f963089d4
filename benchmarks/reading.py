"""Score the reader on texts with readings written by hand before it ran (issue "Plans nobody tuned the reader for").

Each ``<name>.txt`` in a folder (``tests/read/devset/``, the development set; ``tests/read/heldout/``, held out from
tuning) has a ``<name>.expected.yaml``: per product its objectives, per objective its results (by their first line),
per result its bullet sub-items; and a ``<name>.meta.yaml`` as its body would write it (in the seed's layout,
``drenthe-begroting-2016``). Every text is read alone, with no curation file and no key registry, as a new user's
first build would read it. Printed per text and in total:

- rows: table rows (objectives and results) read at the right level;
- objectives: objectives read with exactly the right results;
- results: results read under the right objective;
- sub-items: sub-items read under the right result;
- wrong: rows at the wrong level, and how many of them the reader flagged uncertain;
- flagged right: rows at the right level that were flagged uncertain (work for a reviewer, not an error).

A text the reader refuses is reported with its error (the reader said where it was unsure: no row counts as read).

    python benchmarks/reading.py [FOLDER ...]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from scores import percent  # benchmarks/ is no package: imported from its folder

from kg.model.plan import Level, Node, Plan
from kg.model.source import SourceDocument, SourceError
from kg.read.files import read_document
from kg.read.profile import load_profile
from kg.read.reader import read_plan

REPO = Path(__file__).resolve().parents[1]
FOLDERS = [REPO / "tests" / "read" / "devset", REPO / "tests" / "read" / "heldout"]


@dataclass
class Score:
    """The figures of one text (or of several, added up); see the module doc."""

    name: str
    rows: int = 0
    rows_right: int = 0
    objectives: int = 0
    objectives_right: int = 0
    results: int = 0
    results_right: int = 0
    subitems: int = 0
    subitems_right: int = 0
    wrong_flagged: int = 0
    right_flagged: int = 0
    error: str = ""
    wrong: list[str] = field(default_factory=list)

    @property
    def wrong_rows(self) -> int:
        """Rows at the wrong level."""
        return self.rows - self.rows_right

    def add(self, other: Score) -> None:
        """Add ``other``'s counts to these."""
        for name in ("rows", "rows_right", "objectives", "objectives_right", "results", "results_right", "subitems",
                     "subitems_right", "wrong_flagged", "right_flagged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def document(path: Path) -> SourceDocument:
    """The text at ``path`` as a build reads it, with its ``<name>.meta.yaml`` (the body, its own names and the
    year, as the publishing body would write them); no curation file and no key registry are read.

    Raises:
        kg.model.source.SourceError: when the text or its metadata cannot be read.
    """
    return read_document(path)


@dataclass(frozen=True)
class Expected:
    """The hand-written reading, by source line: objective line -> its result lines, result line -> sub-item lines."""

    results_of: dict[int, list[int]]
    subitems_of: dict[int, list[int]]


def expected_reading(text: Path) -> Expected:
    """Read ``<name>.expected.yaml`` beside ``text`` and place each row on its line (rows are found in file order).

    Raises:
        ValueError: when a row of the reading is not found in the text after the row before it.
    """
    spec = yaml.safe_load(text.with_name(text.stem + ".expected.yaml").read_text(encoding="utf-8"))
    lines = [" ".join(line.split()) for line in text.read_text(encoding="utf-8").splitlines()]
    at = 0

    def find(wanted: str) -> int:
        nonlocal at
        wanted = " ".join(wanted.split())
        for number in range(at, len(lines)):
            if lines[number] == wanted or lines[number] == "• " + wanted:
                at = number + 1
                return number + 1
        raise ValueError(f"{text.name}: {wanted!r} not found after line {at}")

    results_of: dict[int, list[int]] = {}
    subitems_of: dict[int, list[int]] = {}
    for product in spec["products"]:
        find(product["heading"])
        for objective in product["objectives"]:
            line = find(objective["text"])
            results_of[line] = []
            for result in objective["results"]:
                result_line = find(result["text"])
                results_of[line].append(result_line)
                subitems_of[result_line] = [find(item) for item in result.get("subitems", [])]
    return Expected(results_of, subitems_of)


def _nodes(plan: Plan, level: Level) -> list[Node]:
    return [node for node in plan.nodes() if node.level is level]


def score_text(text: Path) -> Score:
    """Read ``text`` alone and compare the reading with its expected one (module doc)."""
    expected = expected_reading(text)
    score = Score(text.stem)
    expected_result_lines = {r: o for o, rs in expected.results_of.items() for r in rs}
    score.objectives = len(expected.results_of)
    score.results = len(expected_result_lines)
    score.rows = score.objectives + score.results
    score.subitems = sum(len(items) for items in expected.subitems_of.values())
    try:
        source = document(text)
        plan = read_plan(source, load_profile(source.layout))
    except SourceError as error:
        score.error = str(error).replace(str(text.parent) + "/", "")
        return score
    objectives = {node.start_line: node for node in _nodes(plan, Level.DOELSTELLING)}
    results = {node.start_line: node for node in _nodes(plan, Level.RESULTAAT)}
    flagged = {d.line for d in plan.decisions if d.uncertain}
    for line, result_lines in expected.results_of.items():
        node = objectives.get(line)
        if node is not None and sorted(c.start_line for c in node.children) == sorted(result_lines):
            score.objectives_right += 1
    for line, objective_line in expected_result_lines.items():
        node = results.get(line)
        if node is not None and node.parent is not None and node.parent.start_line == objective_line:
            score.results_right += 1
        if node is not None:
            items = sorted(c.start_line for c in node.children)
            score.subitems_right += len(set(items) & set(expected.subitems_of.get(line, [])))
    for line in [*expected.results_of, *expected_result_lines]:
        right = line in (objectives if line in expected.results_of else results)
        score.rows_right += right
        if right:
            score.right_flagged += line in flagged
        else:
            score.wrong_flagged += line in flagged
            level = "objective" if line in expected.results_of else "result"
            score.wrong.append(f"{text.name}:{line} should be a {level}{' (flagged)' if line in flagged else ''}: "
                               f"{source.lines[line - 1].strip()[:70]}")
    return score


def score_folder(folder: Path) -> list[Score]:
    """Score every text of ``folder`` that has an expected reading, in name order."""
    return [score_text(text) for text in sorted(folder.glob("*.txt")) if text.with_name(text.stem + ".expected.yaml")
            .is_file()]


def table(scores: list[Score]) -> str:
    """The scores as a Markdown table with a total row."""
    total = Score("total")
    for score in scores:
        total.add(score)
    head = ("| text | rows at the right level | objectives with exactly the right results | results under the right "
            "objective | sub-items under the right result | wrong rows (flagged) | right rows flagged |\n"
            "|---|---|---|---|---|---|---|")
    lines = [head]
    for s in [*scores, total]:
        name = f"**{s.name}**" if s is total else s.name
        if s.error:
            lines.append(f"| {name} | refused: {s.error} | | | | | |")
            continue
        lines.append(f"| {name} | {percent(s.rows_right, s.rows)} | {percent(s.objectives_right, s.objectives)} | "
                     f"{percent(s.results_right, s.results)} | {percent(s.subitems_right, s.subitems)} | "
                     f"{s.wrong_rows} ({s.wrong_flagged}) | {s.right_flagged} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table for each folder (default: the development and held-out sets), and the wrong rows."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[f for f in FOLDERS if f.is_dir()])
    parser.add_argument("--wrong", action="store_true", help="list every row read at the wrong level")
    args = parser.parse_args(argv)
    for folder in args.folders:
        scores = score_folder(folder)
        print(f"\n{folder.relative_to(REPO) if folder.is_relative_to(REPO) else folder}\n")
        print(table(scores))
        if args.wrong:
            for score in scores:
                for line in score.wrong:
                    print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
