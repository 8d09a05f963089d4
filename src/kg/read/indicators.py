"""Indicator tables: a flattened table of indicators with yearly values and targets, read into the model.

A layout's ``indicators`` section (see ``kg/read/layouts/flevoland-begroting-2019.yaml``) describes the table; the
reader feeds it the lines of a state whose entry is ``indicator: true``. The table is read in two parts:

1. the column headers (lines the ``column_header`` pattern matches, cells separated by blank lines): each
   cell gives a year or a period (``2020 - 2022``), and a target column when it matches ``target_column``;
2. the rows: paragraphs of text (the indicator column, then the description with its ``Bron:`` lines and
   ``•`` items), then the value cells. A row with items holds one indicator per item, and its value cells
   give each column's values item by item. A value matches ``value`` (an optional operator, a number in
   Dutch notation, an optional ``%``); a cell matching ``missing`` (``n.b.``, ``PM``) is an absent value.

Every value is accounted for: a row whose number of values is not (columns x items) fails the read with the
file, the line and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from kg.model.plan import Indicator, Measurement, Plan

#: The operators of targets, as the model writes them.
OPERATORS = {">": ">", "<": "<", ">=": ">=", "<=": "<=", "≥": ">=", "≤": "<="}


@dataclass(frozen=True)
class IndicatorSpec:
    """The ``indicators`` section of a layout profile (patterns; see the module doc)."""

    column_header: re.Pattern[str]
    target_column: re.Pattern[str]
    value: re.Pattern[str]
    missing: re.Pattern[str]
    source: re.Pattern[str]
    item: re.Pattern[str]
    footnote_mark: re.Pattern[str]


@dataclass(frozen=True)
class Column:
    """A value column: its year or period and whether it holds targets."""

    start_year: int
    end_year: int | None
    target: bool


#: ``fail(line, rule)`` makes the error to raise for a line that does not fit.
Fail = Callable[[int, str], Exception]


@dataclass
class IndicatorTable:
    """The indicator table being read (see the module doc)."""

    spec: IndicatorSpec
    header: list[list[str]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    texts: list[list[tuple[int, str]]] = field(default_factory=list)
    values: list[tuple[int, str]] = field(default_factory=list)
    group: str | None = None

    def add_line(self, number: int, text: str, previous_blank: bool, plan: Plan, fail: Fail) -> tuple[str, str]:
        """Add a non-blank line; return its ledger outcome and detail.

        Raises:
            Exception: ``fail(...)`` when a row's values do not fit the columns.
        """
        if not self.columns and not self.texts and self.spec.column_header.match(text):
            if previous_blank or not self.header:
                self.header.append([])
            self.header[-1].append(text)
            return "header", "indicator column header"
        if not self.columns:
            self.columns = [self._column(cell) for cell in self.header]
        if self.spec.value.match(text) or self.spec.missing.match(text):
            if not self.texts:
                raise fail(number, "a value with no indicator text before it")
            self.values.append((number, text))
            return "node", "indicator value"
        if self.values:
            self.close(plan, fail)
        if previous_blank or not self.texts:
            self.texts.append([])
        self.texts[-1].append((number, text))
        return "node", "indicator"

    def close(self, plan: Plan, fail: Fail) -> None:
        """Make the indicators of the row read so far (none when no row is pending).

        Raises:
            Exception: ``fail(...)`` when the number of values is not (columns x items).
        """
        if not self.texts:
            return
        *groups, description = self.texts
        if groups:
            self.group = self.spec.footnote_mark.sub("", " ".join(t for g in groups for _, t in g))
        indicators = self._describe(description)
        expected = len(self.columns) * len(indicators)
        if len(self.values) != expected:
            line = self.values[-1][0] if self.values else description[-1][0]
            raise fail(line, f"indicator row with {len(self.values)} values, expected {len(self.columns)} "
                             f"columns x {len(indicators)} item(s) = {expected}")
        for index, (number, text) in enumerate(self.values):
            column = self.columns[index // len(indicators)]
            if (measurement := self._measurement(column, number, text)) is not None:
                indicators[index % len(indicators)].measurements.append(measurement)
        plan.indicators.extend(indicators)
        self.texts, self.values = [], []

    def _column(self, cell: list[str]) -> Column:
        years = [int(y) for y in re.findall(r"\b\d{4}\b", " ".join(cell))]
        target = any(self.spec.target_column.search(line) for line in cell)
        return Column(years[0], years[-1] if len(years) > 1 else None, target)

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
        labels = [" ".join([*head, *item]) for item in items] or [" ".join(head)]
        return [Indicator(label, self.group, note_text, start, end) for label in labels]

    def _measurement(self, column: Column, number: int, text: str) -> Measurement | None:
        match = self.spec.value.match(text)
        if match is None:
            return None  # a missing value: absent, never a string
        operator = OPERATORS[match["operator"]] if match["operator"] else None
        value = Decimal(match["number"].replace(".", "").replace(",", "."))
        kind = "streefwaarde" if column.target or operator else "realisatie"
        return Measurement(kind, column.start_year, column.end_year, value, operator, match["unit"], number)
