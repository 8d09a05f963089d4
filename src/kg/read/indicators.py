"""Indicator tables: a flattened table of indicators with yearly values and targets, read into the model.

A layout's ``indicators`` section (see ``kg/read/layouts/flevoland-begroting-2019.yaml``) describes the table; the
reader feeds it the lines of a state whose entry is ``indicator: true``. The table is read in two parts:

1. the column headers (lines the ``column_header`` pattern matches, cells separated by blank lines): each
   cell gives a year or a period (``2020 - 2022``), and a target column when it matches ``target_column``.
   A column whose header names no year is a baseline when it matches ``baseline_column`` ("Nulmeting"), a
   target without a year when it matches ``target_column`` ("Streefwaarde"), or a text column after the
   values when it matches ``source_column`` ("Bron": its cell is the indicator's source, kept as its note);
   any other column without a year fails the read with the file and the header's line;
2. the rows: paragraphs of text (the indicator column, then the description with its ``Bron:`` lines and
   ``•`` items), then the value cells, then the cells of the text columns. A row with items holds one
   indicator per item, and its value cells give each column's values item by item. A value matches ``value``
   (an optional operator, a number in Dutch notation, an optional ``%``); a cell matching ``missing``
   (``n.b.``, ``PM``) is an absent value. An indicator whose text starts with its own code (``code``, group
   ``notation``: ``4.1.2.1 Aantal ...``) keeps the code as its notation, apart from its label.

The reader gives each indicator the plan node open above its table as its parent (it measures that goal or
programme) and ends a table only when a rule says so (:mod:`kg.read.reader`). Every value is accounted for: a
row whose number of values is not (columns x items) fails the read with the file, the line and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from kg.model.plan import Indicator, Measurement, Node, Plan

#: The operators of targets, as the model writes them.
OPERATORS = {">": ">", "<": "<", ">=": ">=", "<=": "<=", "≥": ">=", "≤": "<="}


@dataclass(frozen=True)
class IndicatorSpec:
    """The ``indicators`` section of a layout profile (patterns; see the module doc). The last three are
    optional: a table without such columns or codes needs none."""

    column_header: re.Pattern[str]
    target_column: re.Pattern[str]
    value: re.Pattern[str]
    missing: re.Pattern[str]
    source: re.Pattern[str]
    item: re.Pattern[str]
    footnote_mark: re.Pattern[str]
    baseline_column: re.Pattern[str] | None = None
    source_column: re.Pattern[str] | None = None
    code: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Column:
    """A column of the table: a value column with its year or period (None: its header names none) and the kind
    of its values (``realisatie``, ``streefwaarde``, ``nulmeting``), or a text column (``kind`` ``text``: its
    cells are the indicators' source, headed ``header``)."""

    start_year: int | None
    end_year: int | None
    kind: str
    header: str = ""

    @property
    def target(self) -> bool:
        """Whether the column holds targets."""
        return self.kind == "streefwaarde"


#: ``fail(line, rule)`` makes the error to raise for a line that does not fit.
Fail = Callable[[int, str], Exception]


@dataclass
class IndicatorTable:
    """The indicator table being read (see the module doc)."""

    spec: IndicatorSpec
    header: list[list[tuple[int, str]]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    texts: list[list[tuple[int, str]]] = field(default_factory=list)
    values: list[tuple[int, str]] = field(default_factory=list)
    cells: list[tuple[int, str]] = field(default_factory=list)  # the text columns' cells of the pending row
    group: str | None = None
    parent: Node | None = None  # the node the table's indicators measure (set by the reader)

    @property
    def empty(self) -> bool:
        """Whether no line of the table has been read yet."""
        return not (self.header or self.columns or self.texts)

    def add_line(self, number: int, text: str, previous_blank: bool, plan: Plan, fail: Fail) -> tuple[str, str]:
        """Add a non-blank line; return its ledger outcome and detail.

        Raises:
            Exception: ``fail(...)`` when a column header names no year and is no baseline, target or text column,
                a text column comes before a value column, or a row's values do not fit the columns.
        """
        if not self.columns and not self.texts and self.spec.column_header.match(text):
            if previous_blank or not self.header:
                self.header.append([])
            self.header[-1].append((number, text))
            return "header", "indicator column header"
        if not self.columns:
            self.columns = [self._column(cell, fail) for cell in self.header]
            kinds = [column.kind for column in self.columns]
            late = [i for i, k in enumerate(kinds) if k != "text" and "text" in kinds[:i]]
            if late:
                cell = self.header[late[0]]
                raise fail(cell[0][0], f"indicator column {' '.join(t for _, t in cell)!r} comes after a text column: "
                                       "text columns (indicators.source_column) must be the last")
        values = [c for c in self.columns if c.kind != "text"]
        if self.spec.value.match(text) or self.spec.missing.match(text):
            if not self.columns:
                raise fail(number, "an indicator value, but the table has no column headers (did a rule end the "
                                   "table before this row: close: table?)")
            if not self.texts:
                raise fail(number, "a value with no indicator text before it")
            self.values.append((number, text))
            return "node", "indicator value"
        text_columns = len(self.columns) - len(values)
        if self.values and len(self.cells) < text_columns:
            self.cells.append((number, text))
            return "node", f"indicator {self.columns[len(values) + len(self.cells) - 1].header.lower()}"
        if self.values:
            self.close(plan, fail)
        if previous_blank or not self.texts:
            self.texts.append([])
        self.texts[-1].append((number, text))
        return "node", "indicator"

    def close(self, plan: Plan, fail: Fail) -> None:
        """Make the indicators of the row read so far (none when no row is pending).

        Raises:
            Exception: ``fail(...)`` when the number of values is not (value columns x items), or an indicator's
                code does not lie within the notation of the node above the table.
        """
        if not self.texts:
            return
        *groups, description = self.texts
        if groups:
            self.group = self.spec.footnote_mark.sub("", " ".join(t for g in groups for _, t in g))
        indicators = self._describe(description)
        columns = [c for c in self.columns if c.kind != "text"]
        expected = len(columns) * len(indicators)
        if len(self.values) != expected:
            line = self.values[-1][0] if self.values else description[-1][0]
            raise fail(line, f"indicator row with {len(self.values)} values, expected {len(columns)} "
                             f"columns x {len(indicators)} item(s) = {expected}")
        for index, (number, text) in enumerate(self.values):
            column = columns[index // len(indicators)]
            if (measurement := self._measurement(column, number, text)) is not None:
                indicators[index % len(indicators)].measurements.append(measurement)
        sources = [f"{self.columns[len(columns) + i].header}: {text}" for i, (_, text) in enumerate(self.cells)]
        above = self.parent.notation if self.parent is not None else None
        for indicator in indicators:
            if sources:
                indicator.note = " ".join(filter(None, [indicator.note, *sources]))
            if indicator.notation and above and not indicator.notation.startswith(above + "."):
                raise fail(indicator.start_line, f"indicator code {indicator.notation} does not lie within "
                                                 f"{above} above the table")
            indicator.parent = self.parent
        plan.indicators.extend(indicators)
        self.texts, self.values, self.cells = [], [], []

    def _column(self, cell: list[tuple[int, str]], fail: Fail) -> Column:
        """The column a header cell names (see the module doc)."""
        words = " ".join(text for _, text in cell)
        years = [int(y) for y in re.findall(r"\b\d{4}\b", words)]
        target = any(self.spec.target_column.search(text) for _, text in cell)
        if years:
            return Column(years[0], years[-1] if len(years) > 1 else None, "streefwaarde" if target else "realisatie")
        baseline = self.spec.baseline_column
        if baseline is not None and any(baseline.search(text) for _, text in cell):
            return Column(None, None, "nulmeting", words)
        if target:
            return Column(None, None, "streefwaarde", words)
        source = self.spec.source_column
        if source is not None and any(source.search(text) for _, text in cell):
            return Column(None, None, "text", words)
        raise fail(cell[0][0], f"indicator column header {words!r} names no year and is no baseline, target or text "
                               "column: give its year, or match it with indicators.baseline_column (a "
                               "\"Nulmeting\"), target_column (a \"Streefwaarde\") or source_column (a \"Bron\")")

    def _describe(self, lines: list[tuple[int, str]]) -> list[Indicator]:
        """The indicators of a description: one, or one per item; the ``Bron:`` lines are their note."""
        head: list[str] = []
        items: list[list[str]] = []
        note: list[str] = []
        for _, text in lines:
            if self.spec.source.match(text) is not None or note:
                note.append(text if not note or not note[-1].endswith("/") else note.pop() + text)
            elif (item := self.spec.item.match(text)) is not None:
                items.append([item["label"]])
            else:
                (items[-1] if items else head).append(text)
        start, end = lines[0][0], lines[-1][0]
        note_text = " ".join(note) or None
        indicators = []
        for parts in [[*head, *item] for item in items] or [head]:
            notation = None
            first = len(head) if items else 0  # an item's own code starts the item, else the code starts the text
            if self.spec.code is not None and (code := self.spec.code.match(parts[first])):
                notation = code["notation"]
                parts = [*parts[:first], parts[first][code.end():], *parts[first + 1:]]
            label = " ".join(part for part in parts if part)
            indicators.append(Indicator(label, self.group, note_text, start, end, notation=notation))
        return indicators

    def _measurement(self, column: Column, number: int, text: str) -> Measurement | None:
        match = self.spec.value.match(text)
        if match is None:
            return None  # a missing value: absent, never a string
        operator = OPERATORS[match["operator"]] if match["operator"] else None
        value = Decimal(match["number"].replace(".", "").replace(",", "."))
        kind = "streefwaarde" if column.target or operator else "realisatie"
        if column.kind == "nulmeting":
            kind = column.kind  # a baseline is a measured value, whatever its cell looks like
        return Measurement(kind, column.start_year, column.end_year, value, operator, match["unit"], number)
