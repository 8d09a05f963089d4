"""Reader stage: turn a source document's text into the plan model (no RDF, no HTTP).

One engine, driven by the document's layout profile (``kg/read/layouts/<layout>.yaml``, read by
:mod:`kg.read.profile`). Every non-blank line is tried against the profile's rules in order; the first that
applies (its pattern matches and the reading is in one of its states) decides what the line is: a node, a
header, a status of the node above, or a line skipped with a reason. A line no rule matches is handled by
its state's entry (text of a node, a table row, skipped with a reason); in a state without one the read
fails with the file, the line and the state. Every non-blank line ends up in the ledger.

Nodes nest by level: a node's parent is the nearest node above it of a higher plan level, and a node
closes the open nodes of its own and lower levels; a rule closes more when it says so (``close``: the deepest
open node, or a level and those below), so that a list that has ended no longer takes the nodes after it. A
notation (``2.4.01``) must lie within its parent's (``2.4``). Nodes the page's header names (the profile's
``page``) are opened before the body's first line. Prose under a node can be kept as its description, and a
paragraph listing organisations (BBV "Verbonden partijen") as the partners of a node. An indicator table hangs
its indicators under the node open above it and ends when a rule says so (``close: table``), at a node, or
when a rule leads to a state that reads no indicators. When the document is an excerpt cut off mid-text (meta
``cut_off: true``) its last non-blank line is reported as cut off and never read into a node.

A :class:`Trace` passed to :func:`read_plan` records what became of every line (the rule or state entry that
took it), for ``kg layout try`` (:mod:`kg.read.trial`).

A curation file beside the source (``<name>.curation.yaml``, :mod:`kg.read.curation`) confirms or overrides
the objective-or-result rule's decision for a table row, naming the row by its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.model.plan import LedgerEntry, Level, Listed, Node, Plan
from kg.model.source import SourceDocument, SourceError
from kg.read.authoring import read_csv_plan
from kg.read.curation import Curation
from kg.read.indicators import IndicatorTable
from kg.read.profile import CLOSE_NODE, CLOSE_TABLE, START, LineRule, Profile, StateAction, load_profile
from kg.read.rows import Rows

#: A document layout (a profile); kept under its former name for callers.
Layout = Profile
#: Load a layout profile by name (see :func:`kg.read.profile.load_profile`).
load_layout = load_profile

#: The reason given in the ledger for the cut-off last line of an excerpt.
CUT_OFF = "cut off: the excerpt ends mid-text here, so the line is a fragment and not read"


class ReadError(SourceError):
    """The document does not fit its layout; the message names the file, the line and the rule.

    Attributes:
        line: the source line that does not fit (None when the error is about no one line).
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Step:
    """What the reader did with one non-blank line.

    Attributes:
        line: the source line.
        state: the state the line was read in.
        how: ``rule`` (a rule took it), ``state`` (no rule matched: its state's entry handled it), ``title``
            (the label of the node a ``title: true`` rule made on the line before), ``page`` (a header line a
            page node was read from) or ``cut off`` (the fragment an excerpt ends with).
        name: the rule's name, the state's name, or the page node's level.
        where: ``<profile file>:<line>`` of the rule, state entry or page node ("" when there is none).
        then: the state after the line.
    """

    line: int
    state: str
    how: str
    name: str
    where: str
    then: str


@dataclass
class Trace:
    """A record of one reading, line by line (pass one to :func:`read_plan`).

    Attributes:
        steps: one per non-blank line read, in order (up to the line that failed, when the read failed).
        plan: the plan being read (complete when the read succeeded).
    """

    steps: list[Step] = field(default_factory=list)
    plan: Plan | None = None


def normalise(text: str) -> str:
    """Collapse runs of white space and strip; words and punctuation stay as in the source."""
    return " ".join(text.split())


def read_plan(document: SourceDocument, layout: Profile, curation: Curation | None = None,
              trace: Trace | None = None) -> Plan:
    """Read ``document`` into its goal tree.

    Args:
        document: the source, with its lines.
        layout: the layout profile the document is written in.
        curation: the reviewed objective-or-result decisions (:func:`kg.read.curation.load_curation`), or
            None for none.
        trace: when given, filled with what became of each line (also when the read fails).

    Returns:
        The plan: its top nodes with all descendants, the ledger (one entry per non-blank line) and the
        objective-or-result decisions.

    Raises:
        ReadError: when a line does not fit the layout (naming the file, the line and the rule or state),
            or a table's structure is not the layout's.
        SourceError: when a curation entry names no row, or several.
        SourceError: when a document in the authoring format (a profile with ``format: csv``) is malformed
            (see :func:`kg.read.authoring.read_csv_plan`).
        ReadError: also when the profile's ``page`` nodes find no matching ``# title:``/``# source:`` line.
    """
    if layout.format == "rdf":
        raise ReadError(f"{document.path}: an RDF source is not read line by line (see kg.read.rdf_source)")
    if layout.format == "csv":
        if curation is not None and curation.entries:
            where = curation.path
            raise ReadError(f"{where}: a plan in the authoring format has no table rows to curate")
        return read_csv_plan(document)
    return _Reader(document, layout, curation, trace).read()


def _quote(text: str, most: int = 60) -> str:
    """``text`` quoted for a message, cut to ``most`` characters with an ellipsis."""
    return repr(text if len(text) <= most else text[: most - 1] + "…")


class _Reader:
    """The state of one reading; see :func:`read_plan`."""

    def __init__(self, document: SourceDocument, profile: Profile, curation: Curation | None,
                 trace: Trace | None = None) -> None:
        self.doc = document
        self.profile = profile
        self.curation = curation if curation is not None else Curation(document.sidecar(".curation.yaml"))
        self.plan = Plan(document=document)
        self.open: list[Node] = []
        self.state = START
        self.titled: Node | None = None  # a node whose label is the next non-blank line
        self.text_lines: dict[int, int] = {}  # lines of text taken by a node, by id (see StateAction.lines)
        self.rows = Rows(profile.table, frozenset(document.body.own_names), document.year) if profile.table else None
        self.indicators = IndicatorTable(profile.indicators) if profile.indicators else None
        self.trace = trace
        if trace is not None:
            trace.plan = self.plan

    def fail(self, line: int, rule: str) -> ReadError:
        return ReadError(f"{self.doc.path}:{line}: {rule} (layout {self.profile.name})", line)

    def log(self, line: int, outcome: str, detail: str) -> None:
        self.plan.ledger.append(LedgerEntry(line, self.doc.lines[line - 1], outcome, detail))

    def record(self, line: int, state: str, how: str, name: str, where: str) -> None:
        """Add a step to the trace, if one is kept."""
        if self.trace is not None:
            self.trace.steps.append(Step(line, state, how, name, where, self.state))

    def read(self) -> Plan:
        lines = self.doc.lines
        numbered = [n for n, raw in enumerate(lines, start=1) if raw.strip()]
        last = numbered[-1] if numbered and self.doc.cut_off else None
        taken = self.open_page_nodes()
        for number in numbered:
            if number in taken:
                continue
            if number == last:
                self.log(number, "skipped", CUT_OFF)
                self.record(number, self.state, "cut off", "", "")
                continue
            previous_blank = number == 1 or not lines[number - 2].strip()
            self.step(number, normalise(lines[number - 1]), previous_blank)
        self.close_rows()
        self.close_indicators()
        self.plan.ledger.sort(key=lambda entry: entry.line)
        self.curation.check_used()
        return self.plan

    def open_page_nodes(self) -> set[int]:
        """Open the nodes the page's header names (the profile's ``page``); return the header lines they took."""
        if not self.profile.page:
            return set()
        header: dict[str, tuple[int, str]] = {}
        for number, raw in enumerate(self.doc.lines, start=1):
            if (found := re.match(r"# (title|source): (.*\S)", raw)) is not None:
                header.setdefault(found[1], (number, found[2]))
            elif raw.strip() and not raw.startswith("#"):
                break  # the header ends where the page's text begins
        taken: set[int] = set()
        for spec in self.profile.page:
            groups: dict[str, str] = {}
            lines: list[int] = []
            for part, pattern in (("source", spec.source), ("title", spec.title)):
                if pattern is None:
                    continue
                if part not in header:
                    raise self.fail(1, f"page node {spec.level} (profile {spec.where}): the page has no '# {part}:' "
                                       "header line")
                number, value = header[part]
                if (match := pattern.search(value)) is None:
                    raise self.fail(number, f"page node {spec.level} (profile {spec.where}): the {part} {value!r} does "
                                            f"not match {pattern.pattern!r}")
                groups.update({key: text for key, text in match.groupdict().items() if text})
                lines.append(number)
            level = self.profile.level(spec.level)
            parent = self.parent_for(level)
            notation = groups.get("notation")
            if notation and parent is not None and parent.notation and not notation.startswith(parent.notation + "."):
                raise self.fail(min(lines), f"page node {spec.level}: {notation} does not lie within {parent.notation}")
            self.attach(parent, Node(level, normalise(groups["label"]), min(lines), max(lines), notation=notation))
            for number in sorted(set(lines) - taken):
                self.log(number, "node", f"{spec.level} (from the page header)")
                self.record(number, self.state, "page", spec.level, spec.where)
            taken |= set(lines)
        return taken

    def step(self, number: int, text: str, previous_blank: bool) -> None:
        state = self.state
        if self.titled is not None:
            self.titled.label, self.titled.end_line = text, number
            self.log(number, "node", f"{self.titled.level.value} (title)")
            self.record(number, state, "title", self.titled.level.value, "")
            self.titled = None
            return
        for rule in self.profile.rules:
            if (not rule.states or self.state in rule.states) and (match := rule.pattern.match(text)):
                if self.ends_table(rule):
                    self.close_indicators()
                if rule.close is not None:
                    self.close(rule.close)
                self.apply(rule, match, number)
                if rule.then is not None:
                    self.state = rule.then
                self.record(number, state, "rule", rule.name, rule.where)
                return
        action = self.profile.states.get(self.state)
        if action is None:
            raise self.fail(number, f"unexpected text in state {self.state!r}: {text[:60]!r}")
        self.otherwise(action, number, text, previous_blank)
        if action.then is not None:
            self.state = action.then
        self.record(number, state, "state", state, action.where)

    def ends_table(self, rule: LineRule) -> bool:
        """Whether the line a rule took ends the indicator table being read: the rule says so (``close:
        table``), makes a node, or leads to a state that reads no indicators."""
        if rule.close == CLOSE_TABLE or rule.action == "node":
            return True
        after = self.profile.states.get(rule.then) if rule.then is not None else None
        return rule.then is not None and (after is None or after.action != "indicator")

    def close(self, target: str) -> None:
        """End what a rule's ``close`` names: the table being read, the deepest open node, or the open nodes of
        a level and below (rows read so far are attached first, under the node they were read under)."""
        self.close_rows()
        if target == CLOSE_TABLE:
            self.close_indicators()
        elif target == CLOSE_NODE:
            if self.open:
                self.open.pop()
        else:
            self.parent_for(self.profile.level(target))

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
        elif rule.action == "partner":
            self.add_partner(rule, match, number)
        else:
            self.add_node(rule, match, number)

    def add_partner(self, rule: LineRule, match: re.Match[str], number: int) -> None:
        """Record the organisation a line lists as a partner of the open node of the rule's level."""
        node = self.find(self.profile.level(rule.argument))
        if node is None:
            raise self.fail(number, f"{rule.name}: a partner organisation with no {rule.argument} open above it "
                                    f"(rule at {rule.where})")
        role = match.groupdict().get("role") or rule.role
        node.listed.append(Listed(number, match.string, match.start("name"), match.end("name"), role))
        self.log(number, "node", f"{node.level.value} partner ({rule.name})")

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
            if self.indicators is None:
                raise self.fail(number, f"state {self.state!r} reads an indicator table, but the layout has no "
                                        f"indicators section (state at {action.where})")
            if self.indicators.empty:
                self.indicators.parent = self.open[-1] if self.open else None
            self.log(number, *self.indicators.add_line(number, text, previous_blank, self.plan, self.fail))
        elif action.action == "description":
            self.describe(action, number, text, previous_blank)
        elif action.action == "expect":
            raise self.fail(number, f"expected {action.expect}, not {_quote(text)} (state {self.state!r})")
        else:
            level = self.profile.level(action.argument)
            if self.open and self.open[-1].level is level:
                node = self.open[-1]
                self.text_lines[id(node)] = taken = self.text_lines.get(id(node), 0) + 1
                if action.lines is not None and taken > action.lines:
                    raise self.fail(number, f"expected {action.expect or 'the next heading'}, not {_quote(text)} "
                                            f"(a {level.value} takes at most {action.lines} line(s) of text)")
                node.label += " " + text
                node.end_line = number
            else:
                node = Node(level, text, number, number)
                self.attach(self.parent_for(level), node)
                self.text_lines[id(node)] = 1
            self.log(number, "node", action.argument)

    def describe(self, action: StateAction, number: int, text: str, previous_blank: bool) -> None:
        """Add a line of prose to the description of the node it stands under (the open node of the entry's
        level, or the deepest open node); a blank line before it starts a new paragraph."""
        node = self.find(self.profile.level(action.argument)) if action.argument else (self.open[-1] if self.open
                                                                                       else None)
        if node is None:
            raise self.fail(number, f"text with no {action.argument or 'node'} above it to describe, in state "
                                    f"{self.state!r}: {text[:60]!r} (state at {action.where})")
        if node.description_lines is None:
            node.description, node.description_lines = text, (number, number)
        else:
            node.description += ("\n\n" if previous_blank else "\n") + text
            node.description_lines = (node.description_lines[0], number)
        self.log(number, "node", f"{node.level.value} description")

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
