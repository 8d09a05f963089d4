"""The objective-or-result table of a layout: rows collected while reading, then classified and attached.

A two-column table ("Doelstelling" | "Resultaat") flattened row by row says in no line which column it came
from. The rows of one table are collected (wrapped lines joined, bullet sub-items kept with their row) and,
when the table ends, each row is classified by the rule of the layout's ``table`` section (position first,
then weighted wording cues; see ``kg/read/layouts/drenthe-begroting-2016.yaml``) unless the curation file
overrides it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kg.model.plan import Decision, Level, Node, Plan
from kg.read.curation import Curation
from kg.read.profile import Cue, Table


@dataclass
class Row:
    """A row of the flattened table: one cell's text (maybe wrapped) and its bullet lines."""

    start: int
    end: int
    text: str
    bullets: list[tuple[int, str]] = field(default_factory=list)


#: ``fail(line, rule)`` makes the error to raise for a line that does not fit.
Fail = Callable[[int, str], Exception]
#: ``log(line, detail)`` records a line that became part of a node.
Log = Callable[[int, str], None]


@dataclass
class Rows:
    """The rows of the table being read, and how to close it (see the module doc).

    Attributes:
        table: the layout's table settings.
        own_names: words that name the publishing body (not counted as a specific name).
        rows: the rows read so far, in source order.
    """

    table: Table
    own_names: frozenset[str]
    rows: list[Row] = field(default_factory=list)

    def add_line(self, number: int, text: str, previous_blank: bool, fail: Fail) -> None:
        """Add a non-blank line: a bullet of the last row, a wrapped continuation of it, or a new row.

        Raises:
            Exception: ``fail(...)`` when a bullet comes before any row.
        """
        if match := self.table.bullet.match(text):
            if not self.rows:
                raise fail(number, "a bullet with no row line before it")
            self.rows[-1].bullets.append((number, " ".join(match["label"].split())))
            return
        last = self.rows[-1] if self.rows else None
        if (
            last is not None
            and not previous_blank
            and not last.bullets
            and not self.table.terminal_punctuation.search(last.text)
        ):
            last.text, last.end = f"{last.text} {text}", number
        else:
            self.rows.append(Row(number, number, text))

    def close(self, parent: Node | None, above: tuple[str, ...], plan: Plan, curation: Curation, fail: Fail,
              log: Log) -> None:
        """Classify the rows, attach them under ``parent`` and record decisions and ledger entries.

        Args:
            parent: the node the table hangs under.
            above: the notations and labels of the open nodes above the table, nearest first.
            plan: the plan read so far (its decisions grow).
            curation: the reviewed decisions; each row is looked up by its text.
            fail: makes the error for a line that does not fit.
            log: records a line that became part of a node.

        Raises:
            Exception: ``fail(...)`` when rows have no node to attach to, or a result row comes before any
                objective row.
        """
        if not self.rows:
            return
        if parent is None:
            raise fail(self.rows[0].start, "table rows with no node above them to attach to")
        objective: Node | None = None
        previous = Level.RESULTAAT
        for index, row in enumerate(self.rows):
            level, rule, uncertain = self.classify(row, index, previous)
            entry = curation.decide(row.start, row.text, above)
            curated = entry is not None and entry.level is not level
            if entry is not None:
                level = entry.level
            plan.decisions.append(Decision(row.start, row.text, level, rule, uncertain, curated,
                                           reviewed=entry is not None, doubt=rule if uncertain else "", above=above))
            if level is Level.DOELSTELLING:
                objective = parent.add(Node(level, row.text, row.start, row.end))
            elif objective is None:
                raise fail(row.start, "a result row before any objective row of its product")
            else:
                self._add_result(objective, row, log)
            for number in range(row.start, row.end + 1):
                if plan.document.lines[number - 1].strip():
                    log(number, level.value)
            previous = level
        self.rows = []

    def _add_result(self, objective: Node, row: Row, log: Log) -> None:
        result = objective.add(Node(Level.RESULTAAT, row.text, row.start, row.end))
        result.see_also = [m["notation"] for m in self.table.cross_reference.finditer(row.text)]
        for number, label in row.bullets:
            result.add(Node(Level.DEELRESULTAAT, label, number, number))
            log(number, "deelresultaat")

    def classify(self, row: Row, index: int, previous: Level) -> tuple[Level, str, bool]:
        """Apply the layout's objective-or-result rule to a row (see the layout file).

        Returns the level, the rule that decided it, and whether the decision is uncertain: the wording
        cues were absent or of both signs, or a position rule overrode wording that pointed the other way.
        """
        matched = [cue for cue in self.table.cues if self._matches(cue, row.text)]
        score = sum(cue.weight for cue in matched)
        wording = f"wording: {', '.join(f'{c.name} {c.weight:+d}' for c in matched) or 'no cue'} = {score:+d}"
        if index == 0:
            return Level.DOELSTELLING, "first row of the table", False
        if row.bullets or row.text.endswith(":"):
            return Level.RESULTAAT, "introduces bullet sub-items", False
        position = "last row of the table" if index == len(self.rows) - 1 else ""
        if previous is Level.DOELSTELLING:
            position = "follows an objective"
        if position:
            return Level.RESULTAAT, f"{position}; {wording}" if score > 0 else position, score > 0
        signs = {cue.weight > 0 for cue in matched}
        return (Level.DOELSTELLING if score > 0 else Level.RESULTAAT), wording, len(signs) != 1

    def _matches(self, cue: Cue, text: str) -> bool:
        if any(p.search(text) for p in cue.patterns):
            return True
        if cue.named_entity:
            words = re.findall(r"\w[\w\-&+]*", text)[1:]
            return any(w[0].isupper() and w not in self.own_names for w in words)
        return False
