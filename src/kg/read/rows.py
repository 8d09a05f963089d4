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
from kg.read import plan_language as language
from kg.read.curation import Curation
from kg.read.profile import Cue, Table


@dataclass
class Row:
    """A row of the flattened table: one cell's text (maybe wrapped) and its bullet lines.

    Attributes:
        start: its first source line.
        end: its last source line (before its bullets).
        text: its text, wrapped lines joined.
        bullets: its bullet sub-items, with their lines.
        doubt: what about the row's lines a reader should check ("" when nothing).
    """

    start: int
    end: int
    text: str
    bullets: list[tuple[int, str]] = field(default_factory=list)
    doubt: str = ""


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
        year: the plan's year (a later year in a row is an aim's horizon).
        rows: the rows read so far, in source order.
    """

    table: Table
    own_names: frozenset[str]
    year: int | None = None
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
            if number - last.start + 1 > self.table.row_lines:
                raise fail(number, f"a row running over more than {self.table.row_lines} lines (from line "
                                   f"{last.start}): blank lines between the rows missing?")
            if (text[:1].isupper() or text[:1].isdigit()) and not last.doubt:
                last.doubt = (f"line {number} continues the row of line {last.start} though it starts with "
                              f"{'a capital' if text[:1].isupper() else 'a number'}: two rows with no blank line "
                              "between?")
            last.text, last.end = f"{last.text} {text}", number
        else:
            self.rows.append(Row(number, number, text))

    def close(self, parent: Node | None, above: tuple[str, ...], plan: Plan, curation: Curation, fail: Fail,
              log: Log) -> None:
        """Decide the rows' levels as one table, attach them under ``parent`` and record decisions and ledger
        entries.

        Args:
            parent: the node the table hangs under.
            above: the notations and labels of the open nodes above the table, nearest first.
            plan: the plan read so far (its decisions grow).
            curation: the reviewed decisions; each row is looked up by its text, and a reviewed row's level
                is fixed before the table is decided.
            fail: makes the error for a line that does not fit.
            log: records a line that became part of a node.

        Raises:
            Exception: ``fail(...)`` when rows have no node to attach to, or the table cannot be split into
                objectives each with at least one result (a table of one row; reviewed levels that leave an
                objective without a result).
        """
        if not self.rows:
            return
        if parent is None:
            raise fail(self.rows[0].start, "table rows with no node above them to attach to")
        entries = [curation.decide(row.start, row.text, above) for row in self.rows]
        if len(self.rows) == 1:
            raise fail(self.rows[0].start, "a table of one row: an objective with no result (a table is a sequence "
                                           "of an objective and its results)")
        wording = [self._wording(row) for row in self.rows]
        fixed = [entry.level if entry is not None else self._position(index, row)
                 for index, (row, entry) in enumerate(zip(self.rows, entries, strict=True))]
        try:
            reading = split_table([score for score, _ in wording], fixed)
        except ValueError as error:
            raise fail(self.rows[0].start, f"the table cannot be read as objectives each with results: {error}") \
                from error
        objective: Node | None = None
        for index, row in enumerate(self.rows):
            level = reading[index][0]
            entry = entries[index]
            own, margin = self._reading_without(index, reading, [score for score, _ in wording], fixed, entry)
            rule, doubt = self._explain(index, row, own, margin, wording[index][1])
            doubt = "; ".join(filter(None, [row.doubt, doubt]))
            if entry is not None:
                rule = f"{rule}; reviewed ({'overridden' if own is not level else 'confirmed'}): {entry.reason}"
            plan.decisions.append(Decision(
                row.start, row.text, level, rule, uncertain=bool(doubt) or own is not level,
                curated=own is not level, reviewed=entry is not None, doubt=doubt, above=above,
            ))
            if level is Level.DOELSTELLING:
                objective = parent.add(Node(level, row.text, row.start, row.end))
            else:
                assert objective is not None  # split_table starts every table with an objective
                self._add_result(objective, row, log)
            for number in range(row.start, row.end + 1):
                if plan.document.lines[number - 1].strip():
                    log(number, level.value)
        self.rows = []

    def _add_result(self, objective: Node, row: Row, log: Log) -> None:
        result = objective.add(Node(Level.RESULTAAT, row.text, row.start, row.end))
        result.see_also = [m["notation"] for m in self.table.cross_reference.finditer(row.text)]
        for number, label in row.bullets:
            result.add(Node(Level.DEELRESULTAAT, label, number, number))
            log(number, "deelresultaat")

    def _position(self, index: int, row: Row) -> Level | None:
        """The level the table's structure alone gives a row: the first row is an objective, a row that
        introduces bullet sub-items a result; None for any other."""
        if index == 0:
            return Level.DOELSTELLING
        if row.bullets or row.text.endswith(":"):
            return Level.RESULTAAT
        return None

    def _wording(self, row: Row) -> tuple[float, list[language.Cue]]:
        """The row's wording score (positive: an aim) and the cues it is made of: those of Dutch plan language
        (:mod:`kg.read.plan_language`) and the layout's own (``table.cues``)."""
        found = language.cues(row.text, self.own_names, self.year)
        found += [language.Cue(cue.name, cue.weight) for cue in self.table.cues if self._matches(cue, row.text)]
        return PRIOR + sum(cue.weight for cue in found), found

    def _explain(self, index: int, row: Row, level: Level, margin: float,
                 found: list[language.Cue]) -> tuple[str, str]:
        """The rule that decided a row, in words, and why it is uncertain ("" when it is not)."""
        words = ", ".join(f"{cue.name} {cue.weight:+g}" for cue in found) or "no cue"
        position = self._position(index, row)
        if position is not None:
            return ("first row of the table" if index == 0 else "introduces bullet sub-items"), ""
        score = PRIOR + sum(cue.weight for cue in found)
        against = score >= CONFLICT if level is Level.RESULTAAT else score <= -CONFLICT
        if margin == float("inf"):
            rule = f"the table's structure (every objective has a result); wording: {words}"
            if against:
                return rule, ("the table's structure decided it against its wording, which reads "
                              f"{'an aim' if score > 0 else 'a result'} ({score:+g}): an objective without results "
                              "above it, or a row out of place?")
            return rule, ""
        rule = f"the table read as a whole: {level.value} by {margin:.1f}; wording: {words}"
        other = "resultaat" if level is Level.DOELSTELLING else "doelstelling"
        if margin < MARGIN:
            return rule, (f"reading it as a {other} scores only {margin:.1f} lower (a reading is sure from "
                          f"{MARGIN:g}); wording: {words}")
        aims = [cue.name for cue in found if cue.weight >= CONFLICT]
        works = [cue.name for cue in found if cue.weight <= -CONFLICT]
        if aims and works:
            return rule, f"its wording points both ways: {', '.join(aims)} (an aim), {', '.join(works)} (a result)"
        return rule, ""

    def _reading_without(self, index: int, reading: list[tuple[Level, float]], scores: list[float],
                         fixed: list[Level | None], entry: object) -> tuple[Level, float]:
        """The level and margin the rule gives row ``index`` on its own: with its reviewed level, if any, not
        fixed."""
        if entry is None:
            return reading[index]
        unfixed = [*fixed]
        unfixed[index] = self._position(index, self.rows[index])
        try:
            return split_table(scores, unfixed)[index]
        except ValueError:
            return reading[index]

    def _matches(self, cue: Cue, text: str) -> bool:
        if any(p.search(text) for p in cue.patterns):
            return True
        if cue.named_entity:
            words = re.findall(r"\w[\w\-&+]*", text)[1:]
            return any(w[0].isupper() and w not in self.own_names for w in words)
        return False


#: Added to every row's wording score: a row is a result unless its wording says otherwise. Plan tables hold
#: about four results per objective (a prior odds of 1 : 4; half its log, -0.7, on this scale, where the two
#: levels differ by twice the score), rounded to the cues' own grain.
PRIOR = -1.0
#: Below this margin between the best reading of a table and the best with a row's level flipped, the row's
#: decision is uncertain.
MARGIN = 2.0
#: A row whose wording has cues of at least this weight of both signs is uncertain, whatever its margin.
CONFLICT = 2.0


def split_table(scores: list[float], fixed: list[Level | None]) -> list[tuple[Level, float]]:
    """Split a table's rows into (objective, result, result, ...) groups, all at once.

    Each row's level gains its wording score (positive for an objective, negated for a result); the split
    maximises the sum under the table's structure: the first row is an objective, no objective directly
    follows another, the last row is a result, and ``fixed`` levels are kept (Viterbi over two states, with a
    backward pass for each row's margin).

    Args:
        scores: per row, the wording score (positive: an aim).
        fixed: per row, a level the structure or a reviewer fixed, or None.

    Returns:
        Per row, its level and its margin: how much less the best split with the row at the other level
        scores (infinite when the structure forbids the other level).

    Raises:
        ValueError: when no split meets the structure (e.g. fixed levels put two objectives in a row).
    """
    levels = (Level.DOELSTELLING, Level.RESULTAAT)
    n = len(scores)
    minus = float("-inf")

    def gain(i: int, level: Level) -> float:
        if fixed[i] is not None and fixed[i] is not level:
            return minus
        if (i == 0 and level is Level.RESULTAAT) or (i == n - 1 and level is Level.DOELSTELLING):
            return minus
        return scores[i] if level is Level.DOELSTELLING else -scores[i]

    def allowed(a: Level, b: Level) -> bool:
        return not (a is Level.DOELSTELLING and b is Level.DOELSTELLING)

    forward = [{level: gain(0, level) for level in levels}]
    for i in range(1, n):
        forward.append({b: gain(i, b) + max(forward[-1][a] for a in levels if allowed(a, b)) for b in levels})
    backward = [{level: 0.0 for level in levels} for _ in range(n)]
    for i in range(n - 2, -1, -1):
        backward[i] = {a: max(gain(i + 1, b) + backward[i + 1][b] for b in levels if allowed(a, b)) for a in levels}
    best = max(forward[-1].values())
    if best == minus:
        raise ValueError("the first row must be an objective, the last a result, and no objective may follow "
                         "another")
    reading = []
    for i in range(n):
        through = {level: forward[i][level] + backward[i][level] for level in levels}
        chosen = max(levels, key=lambda level: through[level])
        other = through[levels[1] if chosen is levels[0] else levels[0]]
        reading.append((chosen, best - other if other != minus else float("inf")))
    return reading
