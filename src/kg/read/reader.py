"""Reader stage: turn a source document's text into the plan model (no RDF, no HTTP).

One engine, driven by the document's layout profile (``kg/read/layouts/<layout>.yaml``, read by
:mod:`kg.read.profile`). Every non-blank line is tried against the profile's rules in order; the first that
applies (its pattern matches and the reading is in one of its states) decides what the line is: a node, a
header, a status of the node above, or a line skipped with a reason. A line no rule matches is handled by
its state's entry (text of a node, a table row, skipped with a reason); in a state without one the read
fails with the file, the line and the state. Every non-blank line ends up in the ledger.

Nodes nest by level: a node's parent is the nearest node above it of a higher plan level, and a node
closes the open nodes of its own and lower levels. A notation (``2.4.01``) must lie within its parent's
(``2.4``). When the document is an excerpt cut off mid-text (meta ``cut_off: true``) its last non-blank
line is reported as cut off and never read into a node.

A curation file beside the source (``<name>.curation.yaml``, :mod:`kg.read.curation`) confirms or overrides
the objective-or-result rule's decision for a table row, naming the row by its text.
"""

from __future__ import annotations

import re

from kg.model.plan import LedgerEntry, Level, Node, Plan
from kg.model.source import SourceDocument, SourceError
from kg.read.authoring import read_csv_plan
from kg.read.curation import Curation
from kg.read.indicators import IndicatorTable
from kg.read.profile import LineRule, Profile, StateAction, load_profile
from kg.read.rows import Rows

#: A document layout (a profile); kept under its former name for callers.
Layout = Profile
#: Load a layout profile by name (see :func:`kg.read.profile.load_profile`).
load_layout = load_profile

#: The reason given in the ledger for the cut-off last line of an excerpt.
CUT_OFF = "cut off: the excerpt ends mid-text here, so the line is a fragment and not read"


class ReadError(SourceError):
    """The document does not fit its layout; the message names the file, the line and the rule."""


def normalise(text: str) -> str:
    """Collapse runs of white space and strip; words and punctuation stay as in the source."""
    return " ".join(text.split())


def read_plan(document: SourceDocument, layout: Profile, curation: Curation | None = None) -> Plan:
    """Read ``document`` into its goal tree.

    Args:
        document: the source, with its lines.
        layout: the layout profile the document is written in.
        curation: the reviewed objective-or-result decisions (:func:`kg.read.curation.load_curation`), or
            None for none.

    Returns:
        The plan: its top nodes with all descendants, the ledger (one entry per non-blank line) and the
        objective-or-result decisions.

    Raises:
        ReadError: when a line does not fit the layout (naming the file, the line and the rule or state),
            or a table's structure is not the layout's.
        SourceError: when a curation entry names no row, or several.
        SourceError: when a document in the authoring format (a profile with ``format: csv``) is malformed
            (see :func:`kg.read.authoring.read_csv_plan`).
    """
    if layout.format == "rdf":
        raise ReadError(f"{document.path}: an RDF source is not read line by line (see kg.read.rdf_source)")
    if layout.format == "csv":
        if curation is not None and curation.entries:
            where = curation.path
            raise ReadError(f"{where}: a plan in the authoring format has no table rows to curate")
        return read_csv_plan(document)
    return _Reader(document, layout, curation).read()


class _Reader:
    """The state of one reading; see :func:`read_plan`."""

    def __init__(self, document: SourceDocument, profile: Profile, curation: Curation | None) -> None:
        self.doc = document
        self.profile = profile
        self.curation = curation if curation is not None else Curation(document.sidecar(".curation.yaml"))
        self.plan = Plan(document=document)
        self.open: list[Node] = []
        self.state = "start"
        self.titled: Node | None = None  # a node whose label is the next non-blank line
        self.text_lines: dict[int, int] = {}  # lines of text taken by a node, by id (see StateAction.lines)
        self.rows = Rows(profile.table, frozenset(document.body.own_names), document.year) if profile.table else None
        self.indicators = IndicatorTable(profile.indicators) if profile.indicators else None

    def fail(self, line: int, rule: str) -> ReadError:
        return ReadError(f"{self.doc.path}:{line}: {rule} (layout {self.profile.name})")

    def log(self, line: int, outcome: str, detail: str) -> None:
        self.plan.ledger.append(LedgerEntry(line, self.doc.lines[line - 1], outcome, detail))

    def read(self) -> Plan:
        lines = self.doc.lines
        numbered = [n for n, raw in enumerate(lines, start=1) if raw.strip()]
        last = numbered[-1] if numbered and self.doc.cut_off else None
        for number in numbered:
            if number == last:
                self.log(number, "skipped", CUT_OFF)
                continue
            previous_blank = number == 1 or not lines[number - 2].strip()
            self.step(number, normalise(lines[number - 1]), previous_blank)
        self.close_rows()
        self.close_indicators()
        self.plan.ledger.sort(key=lambda entry: entry.line)
        self.curation.check_used()
        return self.plan

    def step(self, number: int, text: str, previous_blank: bool) -> None:
        if self.titled is not None:
            self.titled.label, self.titled.end_line = text, number
            self.log(number, "node", f"{self.titled.level.value} (title)")
            self.titled = None
            return
        for rule in self.profile.rules:
            if (not rule.states or self.state in rule.states) and (match := rule.pattern.match(text)):
                self.close_indicators()
                self.apply(rule, match, number)
                if rule.then is not None:
                    self.state = rule.then
                return
        action = self.profile.states.get(self.state)
        if action is None:
            raise self.fail(number, f"unexpected text in state {self.state!r}: {text[:60]!r}")
        self.otherwise(action, number, text, previous_blank)
        if action.then is not None:
            self.state = action.then

    def apply(self, rule: LineRule, match: re.Match[str], number: int) -> None:
        """Carry out a rule's action on the line ``number`` it matched."""
        if rule.requires is not None and not self.find(self.profile.level(rule.requires)):
            raise self.fail(number, f"{rule.name} before any {rule.requires} (rule at {rule.where})")
        if rule.action == "header":
            self.log(number, "header", rule.argument)
        elif rule.action == "skip":
            self.log(number, "skipped", rule.argument)
        elif rule.action == "status":
            self.set_status(rule, match, number)
        else:
            self.add_node(rule, match, number)

    def add_node(self, rule: LineRule, match: re.Match[str], number: int) -> None:
        groups = match.groupdict()
        level = self.profile.level(rule.argument)
        self.close_rows()
        parent = self.parent_for(level)
        notation = groups.get("notation")
        if notation and parent is not None and parent.notation and not notation.startswith(parent.notation + "."):
            if rule.foreign is None:
                raise self.fail(number, f"{rule.name}: {notation} does not lie within {parent.notation} above it")
            self.log(number, "skipped", rule.foreign)
            return
        node = Node(level, normalise(groups.get("label") or ""), number, number, notation=notation)
        self.attach(parent, node)
        if rule.title:
            self.titled = node
        self.log(number, "node", rule.name)

    def set_status(self, rule: LineRule, match: re.Match[str], number: int) -> None:
        assert rule.status is not None
        value = match.groupdict().get("value") or match.group(0)
        deepest = self.open[-1] if self.open else None
        node = self.find(self.profile.level(rule.requires)) if rule.requires else deepest
        if node is None or value not in rule.status.values:
            known = "/".join(rule.status.values)
            raise self.fail(number, f"{rule.name}: status {value!r} with no node above it or not one of {known}")
        node.statuses.append((rule.argument, rule.status.scheme, rule.status.values[value]))
        self.log(number, "node", f"{node.level.value} status ({rule.name})")

    def otherwise(self, action: StateAction, number: int, text: str, previous_blank: bool) -> None:
        """Handle a line that no rule matched, by its state's entry."""
        if action.action == "skip":
            self.log(number, "skipped", action.argument)
        elif action.action == "row":
            assert self.rows is not None, f"layout {self.profile.name} has row states but no table"
            self.rows.add_line(number, text, previous_blank, self.fail)
        elif action.action == "indicator":
            assert self.indicators is not None, f"layout {self.profile.name} has indicator states but no indicators"
            self.log(number, *self.indicators.add_line(number, text, previous_blank, self.plan, self.fail))
        elif action.action == "expect":
            raise self.fail(number, f"expected {action.expect}, not {text[:60]!r} (state {self.state!r})")
        else:
            level = self.profile.level(action.argument)
            if self.open and self.open[-1].level is level:
                node = self.open[-1]
                self.text_lines[id(node)] = taken = self.text_lines.get(id(node), 0) + 1
                if action.lines is not None and taken > action.lines:
                    raise self.fail(number, f"a {level.value} label running over more than {action.lines} line(s): "
                                            f"expected {action.expect or 'the next heading'}, not {text[:60]!r}")
                node.label += " " + text
                node.end_line = number
            else:
                node = Node(level, text, number, number)
                self.attach(self.parent_for(level), node)
                self.text_lines[id(node)] = 1
            self.log(number, "node", action.argument)

    def parent_for(self, level: Level) -> Node | None:
        """Close the open nodes of ``level`` and below; return the nearest open node above (None: a top node)."""
        order = list(Level)
        while self.open and order.index(self.open[-1].level) >= order.index(level):
            self.open.pop()
        return self.open[-1] if self.open else None

    def attach(self, parent: Node | None, node: Node) -> None:
        if parent is None:
            self.plan.programmes.append(node)
        else:
            parent.add(node)
        self.open.append(node)

    def find(self, level: Level) -> Node | None:
        """Return the open node of ``level``, if any."""
        return next((node for node in self.open if node.level is level), None)

    def close_indicators(self) -> None:
        """End the indicator table being read (its last row); the next indicator line starts a new table."""
        if self.indicators is not None and self.profile.indicators is not None:
            self.indicators.close(self.plan, self.fail)
            self.indicators = IndicatorTable(self.profile.indicators)

    def close_rows(self) -> None:
        """Classify the rows of the table read so far and attach them under the deepest open node."""
        if self.rows is None:
            return
        parent = self.open[-1] if self.open else None
        above = tuple(text for node in reversed(self.open) for text in (node.notation, node.label) if text)
        self.rows.close(parent, above, self.plan, self.curation, self.fail,
                        lambda n, detail: self.log(n, "node", detail))
