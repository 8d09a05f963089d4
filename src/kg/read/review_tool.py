"""Reviewing a reading in the terminal: ``kg review DOCUMENT [--all]``.

The reader decides for each row of a flattened objective/result table whether it is a Doelstelling or a
Resultaat (:mod:`kg.read.rows`), and says which decisions are uncertain. This module shows a reviewer the tables
as the reader rebuilt them (:func:`reading_view`), goes through the unreviewed uncertain decisions (or, with
``--all``, every decision) one at a time with the rows around each, and asks what the row is:

- ``c`` confirms the reader's level, ``f`` flips it (doelstelling <-> resultaat); both then ask for a short reason
  (default: "confirmed in kg review", "flipped in kg review");
- ``s`` skips the row (it stays unreviewed); ``q`` (or the end of the input) saves and quits.

Each answer is tried at once on the document (read with the curation entries so far, in memory): an answer
the document cannot be read with (a flip that leaves its table without an objective first) is refused, and
the row asked again. The reading is taken afresh after each answer: the reader decides a table's rows together,
so a decided row can change how the other rows of its table read, and which of them are uncertain; the rows
still to ask about are always those of the current reading. Ctrl-C stops without writing anything.

At the end the curation file (:mod:`kg.read.curation`) is written with
:func:`~kg.read.curation.write_curation`: every existing entry kept, an entry added (or replaced) for each row
decided, dated today, with ``within`` only when the row's text is not unique in the document. The document is
then read again from disk with the new file; if that fails, the old file is put back (:func:`save_entries`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.prompt import Prompt
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from kg.model.plan import Decision, Level, Node, Plan
from kg.model.source import SourceDocument, SourceError
from kg.read.curation import Curation, Entry, load_curation, row_key, write_curation
from kg.read.files import read_document
from kg.read.profile import Profile
from kg.read.reader import load_layout, read_plan

#: The reason an entry gets when the reviewer confirms a row and gives none.
CONFIRMED = "confirmed in kg review"
#: The reason an entry gets when the reviewer flips a row and gives none.
FLIPPED = "flipped in kg review"
#: The answers to the question about a row.
ANSWERS = ("c", "f", "s", "q")
#: The other level of a table row.
OTHER = {Level.DOELSTELLING: Level.RESULTAAT, Level.RESULTAAT: Level.DOELSTELLING}


class ReviewError(Exception):
    """A document that cannot be reviewed, or a curation file that was not written; the message is one line
    naming the file."""


@dataclass
class Reading:
    """A document read for review.

    Attributes:
        document: the source document.
        layout: its layout profile (one with an objective-or-result table).
        curation: the curation file's entries as read (``curation.path`` is the file, present or not).
        plan: the document read with those entries.
    """

    document: SourceDocument
    layout: Profile
    curation: Curation
    plan: Plan


@dataclass
class Outcome:
    """What a review did.

    Attributes:
        path: the curation file.
        confirmed: the rows confirmed (their decisions as the reviewer saw them).
        flipped: the rows flipped (likewise).
        skipped: the rows skipped.
        remaining: the uncertain decisions still unreviewed after the review.
        written: whether the curation file was written (False when no row was decided).
    """

    path: Path
    confirmed: list[Decision] = field(default_factory=list)
    flipped: list[Decision] = field(default_factory=list)
    skipped: list[Decision] = field(default_factory=list)
    remaining: int = 0
    written: bool = False

    def summary(self) -> str:
        """Return the counts in one line: confirmed, flipped, skipped, still unreviewed, and where written."""
        where = f"written to {self.path}" if self.written else f"nothing written to {self.path}"
        return (f"{len(self.confirmed)} confirmed, {len(self.flipped)} flipped, {len(self.skipped)} skipped; "
                f"{self.remaining} uncertain decision(s) remain unreviewed; {where}")


def _one_line(path: Path, err: BaseException) -> str:
    """The error's message on one line, starting with ``path`` unless it already names it."""
    message = " ".join(str(err).split())
    return message if message.startswith(str(path)) else f"{path}: {message}"


def open_reading(path: Path) -> Reading:
    """Read the document at ``path`` with its layout and curation file, for review.

    Args:
        path: the document's text file (``<name>.txt`` with ``<name>.meta.yaml`` beside it).

    Returns:
        The document, its layout, its curation entries and the plan read with them.

    Raises:
        ReviewError: when the file is missing, the document, its metadata or its curation file cannot be read
            (:class:`~kg.model.source.SourceError`, including the reader's ``ReadError``), or its layout has
            no objective-or-result table or the document no rows in one (nothing to review).
    """
    if not path.is_file():
        raise ReviewError(f"{path}: file missing")
    try:
        document = read_document(path)
        layout = load_layout(document.layout)
        if layout.format != "text" or layout.table is None:
            raise ReviewError(f"{path}: layout {layout.name} has no objective-or-result table: nothing to review")
        curation = load_curation(document)
        plan = read_plan(document, layout, curation)
    except (SourceError, OSError) as err:
        raise ReviewError(_one_line(path, err)) from err
    if not plan.decisions:
        raise ReviewError(f"{path}: no rows of an objective-or-result table (layout {layout.name}): "
                          "nothing to review")
    return Reading(document, layout, curation, plan)


def _read(reading: Reading, entries: Sequence[Entry]) -> Plan:
    """Read the document with ``entries`` as its curation (in memory; nothing is written).

    Raises:
        SourceError: when the document does not read with them.
    """
    return read_plan(reading.document, reading.layout, Curation(reading.curation.path, list(entries)))


# --- what the reader made of the tables -------------------------------------------------------------------------


def _row_nodes(plan: Plan) -> dict[int, Node]:
    """The nodes read from table rows (objectives and results), by first line."""
    lines = {decision.line for decision in plan.decisions}
    return {node.start_line: node for node in plan.nodes()
            if node.level in OTHER and node.start_line in lines}


def _table_parent(node: Node) -> Node | None:
    """The node a row's table hangs under: an objective's parent, a result's objective's parent."""
    objective = node if node.level is Level.DOELSTELLING else node.parent
    return objective.parent if objective is not None else None


def _title(node: Node) -> str:
    """The path of ``node`` from below the programme down: ``product 2.1 ... › beleidsopgave ...``."""
    chain: list[Node] = []
    current: Node | None = node
    while current is not None:
        chain.append(current)
        current = current.parent
    shown = [n for n in reversed(chain) if n.level is not Level.PROGRAMMA] or chain[:1]
    return " › ".join(" ".join(part for part in (n.level.value, n.notation or "", n.label) if part) for n in shown)


def _mark(decision: Decision, entry: Entry | None) -> str:
    """The markup that says how sure the reading of a row is: a yellow ``?`` with the doubt, or reviewed."""
    if decision.reviewed:
        how = (f"[cyan]✓ overridden[/cyan] (the rule said {OTHER[decision.level].value})" if decision.curated
               else "[green]✓ confirmed[/green]")
        reason = f" [dim]{escape(entry.reason)}[/dim]" if entry is not None else ""
        return f"  {how}{reason}"
    if decision.uncertain:
        return f"  [bold yellow]?[/bold yellow] [yellow]{escape(decision.doubt or decision.rule)}[/yellow]"
    return ""


def _row_label(line: int, level: Level, text: str, mark: str = "") -> str:
    """One row as markup: source line, level, text and its mark."""
    return f"[dim]{line:>4}[/dim]  [bold]{level.value:<13}[/bold] {escape(text)}{mark}"


def _entry_of(decision: Decision, entries: Sequence[Entry]) -> Entry | None:
    """The curation entry that names the row of ``decision``, if any."""
    return next((entry for entry in entries if entry.matches(decision.text, decision.above)), None)


def reading_view(plan: Plan, entries: Sequence[Entry] = ()) -> RenderableType:
    """Show the tables of ``plan`` as the reader rebuilt them.

    One tree per table, titled by the node it hangs under (product, policy task): each objective with its results
    under it and their sub-items (deelresultaten) under those, each with its source line. An uncertain row
    carries a yellow ``?`` and why (``decision.doubt``, else ``decision.rule``); a reviewed row says whether the
    reviewer confirmed or overrode the rule, with the reason of its entry of ``entries`` (the curation file's).

    Returns:
        A rich renderable: the trees and a line of counts.
    """
    decisions = {decision.line: decision for decision in plan.decisions}
    rows = _row_nodes(plan)
    parents: list[Node] = []
    for node in rows.values():
        parent = _table_parent(node)
        if node.level is Level.DOELSTELLING and parent is not None and parent not in parents:
            parents.append(parent)
    trees: list[RenderableType] = []
    for parent in parents:
        tree = Tree(f"[bold]{escape(_title(parent))}[/bold]")
        for objective in parent.children:
            if rows.get(objective.start_line) is not objective:
                continue
            branch = tree.add(_row_label(objective.start_line, objective.level, objective.label,
                                         _mark(decisions[objective.start_line],
                                               _entry_of(decisions[objective.start_line], entries))))
            for result in objective.children:
                decision = decisions.get(result.start_line)
                mark = _mark(decision, _entry_of(decision, entries)) if decision is not None else ""
                twig = branch.add(_row_label(result.start_line, result.level, result.label, mark))
                for item in result.children:
                    twig.add(_row_label(item.start_line, item.level, item.label))
        trees.append(tree)
    levels = {level: sum(1 for d in plan.decisions if d.level is level) for level in OTHER}
    uncertain = sum(1 for d in plan.decisions if d.uncertain)
    reviewed = sum(1 for d in plan.decisions if d.reviewed)
    unreviewed = sum(1 for d in plan.decisions if d.unreviewed)
    trees.append(Text(f"{len(plan.decisions)} rows in {len(parents)} table(s): "
                      f"{levels[Level.DOELSTELLING]} doelstelling, {levels[Level.RESULTAAT]} resultaat; "
                      f"{uncertain} uncertain, {reviewed} reviewed, {unreviewed} uncertain and unreviewed"))
    return Group(*trees)


def context_view(plan: Plan, decision: Decision, position: str = "") -> RenderableType:
    """Show the row of ``decision`` in its table, with the row before and the row after (of the same table) and
    the row's sub-items.

    Args:
        plan: the current reading.
        decision: the row to show (one of ``plan.decisions``).
        position: where the row is in the review, e.g. ``"3 of 7"`` (shown in the heading).

    Returns:
        A rich renderable: a heading (position, line, the node the table hangs under), the rows, and the reader's
        rule and doubt.
    """
    rows = _row_nodes(plan)
    node = rows.get(decision.line)
    parent = _table_parent(node) if node is not None else None
    same = [d for d in plan.decisions
            if (n := rows.get(d.line)) is not None and _table_parent(n) is parent] if node is not None else [decision]
    index = next(i for i, d in enumerate(same) if d.line == decision.line)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column()
    for i in range(max(index - 1, 0), min(index + 2, len(same))):
        row = same[i]
        current = i == index
        label = _row_label(row.line, row.level, row.text)
        grid.add_row("[bold magenta]▶[/bold magenta]" if current else "",
                     f"[bold]{label}[/bold]" if current else f"[dim]{label}[/dim]")
        row_node = rows.get(row.line)
        if current and row_node is not None:
            for item in (child for child in row_node.children if child.level is Level.DEELRESULTAAT):
                grid.add_row("", "    " + _row_label(item.start_line, item.level, item.label))
    heading = " · ".join(part for part in (position, f"line {decision.line}",
                                           escape(_title(parent)) if parent is not None else "") if part)
    state = ("reviewed, " + ("overridden" if decision.curated else "confirmed") if decision.reviewed
             else "uncertain" if decision.uncertain else "certain")
    why = f"[dim]reader:[/dim] {decision.level.value} ({state}; {escape(decision.rule)})"
    if decision.doubt and decision.doubt != decision.rule:
        why += f"\n[dim]doubt:[/dim] [yellow]{escape(decision.doubt)}[/yellow]"
    return Group(Text(""), f"[bold]── {heading}[/bold]", grid, why)


# --- curation entries -------------------------------------------------------------------------------------------


def within_for(decision: Decision, decisions: Sequence[Decision]) -> str:
    """Return what an entry for ``decision``'s row needs as ``within``: "" when the row's text (by
    :func:`~kg.read.curation.row_key`) is unique among ``decisions``, else the nearest item of ``decision.above``
    that no other row of the same text has above it (the nearest item when none tells them apart: the entry
    then names several rows, which the reading of the document reports)."""
    twins = [d for d in decisions if d.line != decision.line and row_key(d.text) == row_key(decision.text)]
    if not twins or not decision.above:
        return ""
    for item in decision.above:
        if all(row_key(item) not in {row_key(a) for a in twin.above} for twin in twins):
            return item
    return decision.above[0]


def _line_of(entry: Entry, decisions: Sequence[Decision]) -> int | None:
    """The first line of the row ``entry`` names, or None when it names none."""
    return next((d.line for d in decisions if entry.matches(d.text, d.above)), None)


def place_entry(entries: Sequence[Entry], entry: Entry, decision: Decision,
                decisions: Sequence[Decision]) -> list[Entry]:
    """Return ``entries`` with ``entry`` (for the row of ``decision``) in its place.

    An entry that already names the row is replaced where it stands; otherwise the new one goes before the first
    entry naming a later row (so a file in document order stays so). Every other entry is kept as it is.
    """
    result: list[Entry] = []
    placed = False
    for old in entries:
        if old.matches(decision.text, decision.above):
            if not placed:
                result.append(entry)
                placed = True
            continue
        line = _line_of(old, decisions)
        if not placed and line is not None and line > decision.line:
            result.append(entry)
            placed = True
        result.append(old)
    if not placed:
        result.append(entry)
    return result


def save_entries(reading: Reading, entries: Sequence[Entry], decided: dict[int, Level]) -> Plan:
    """Write ``entries`` to the document's curation file and read the document again from disk with it.

    Args:
        reading: the document under review.
        entries: every entry of the new file.
        decided: the levels the reviewer gave, by the row's first line (checked in the new reading).

    Returns:
        The document read with the new file.

    Raises:
        ReviewError: when the file cannot be written, or the document does not read with it, or a decided row
            does not read as decided; the old file is then put back (or the new one removed, when there was none).
    """
    path = reading.curation.path
    old = path.read_bytes() if path.is_file() else None
    try:
        write_curation(path, reading.document.path.name, entries)
    except OSError as err:
        raise ReviewError(f"{path}: cannot write the curation file: {' '.join(str(err).split())}") from err
    try:
        plan = read_plan(reading.document, reading.layout, load_curation(reading.document))
        lines = {d.line: d for d in plan.decisions}
        for line, level in sorted(decided.items()):
            found = lines.get(line)
            if found is None or found.level is not level or not found.reviewed:
                got = "no row" if found is None else f"{found.level.value}, reviewed={found.reviewed}"
                raise SourceError(f"{path}: the row at line {line} reads {got}, not the {level.value} decided")
    except SourceError as err:
        if old is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(old)
        restored = "the old file was restored" if old is not None else "the new file was removed"
        raise ReviewError(f"{path}: the document does not read with the new curation file ({restored}): "
                          f"{' '.join(str(err).split())}") from err
    return plan


# --- the review -------------------------------------------------------------------------------------------------


class _Quit(Exception):
    """The reviewer asked to save and quit, or the input ended."""


def _ask(console: Console, question: str, default: str | None = None, choices: list[str] | None = None) -> str:
    """Ask ``question`` on ``console`` (rich's prompt, reading standard input).

    Raises:
        _Quit: when the input ended (end of file).
    """
    try:
        if default is None:
            answer: str = Prompt.ask(question, console=console, choices=choices, case_sensitive=False)
        else:
            answer = Prompt.ask(question, console=console, default=default)
    except EOFError as err:
        console.print()
        raise _Quit from err
    return answer.strip()


def _candidates(plan: Plan, handled: set[int], every: bool) -> list[Decision]:
    """The decisions still to ask about, in source order: unreviewed uncertain ones (``every``: all)."""
    return [d for d in plan.decisions if d.line not in handled and (every or d.unreviewed)]


def review_document(path: Path, every: bool = False, console: Console | None = None,
                    today: dt.date | None = None) -> Outcome:
    """Review the objective-or-result decisions of the document at ``path`` in the terminal (see the module doc).

    Shows the tables as read, asks about each unreviewed uncertain decision (``every``: each decision) with
    ``c`` confirm, ``f`` flip, ``s`` skip, ``q`` save and quit, and writes the curation file when a row was
    confirmed or flipped, checking that the document still reads with it; ends with a line of counts
    (:meth:`Outcome.summary`).

    Args:
        path: the document's text file.
        every: ask about every decision, not only the unreviewed uncertain ones.
        console: where to show and ask (default: standard output and input).
        today: the date of the review (default: today).

    Returns:
        What was confirmed, flipped and skipped, and how many uncertain decisions remain unreviewed.

    Raises:
        ReviewError: as :func:`open_reading`; as :func:`save_entries` (the old file restored); when the review
            is interrupted (Ctrl-C: nothing is written).
    """
    console = console or Console()
    day = today or dt.date.today()
    reading = open_reading(path)
    entries = list(reading.curation.entries)
    plan = reading.plan
    console.print(f"[bold]{escape(reading.document.title)}[/bold] ({escape(str(path))}, "
                  f"layout {escape(reading.layout.name)})", highlight=False)
    console.print(reading_view(plan, entries), highlight=False)
    outcome = Outcome(reading.curation.path)
    decided: dict[int, Level] = {}
    handled: set[int] = set()
    if not _candidates(plan, handled, every):
        console.print("no uncertain decision is unreviewed" + ("" if every else " (--all asks about every one)"))
    try:
        while pending := _candidates(plan, handled, every):
            decision = pending[0]
            position = f"{len(handled) + 1} of {len(handled) + len(pending)}"
            console.print(context_view(plan, decision, position), highlight=False)
            other = OTHER[decision.level]
            answer = _ask(console, f"c confirm {decision.level.value}, f flip to {other.value}, s skip, "
                                   "q save and quit", choices=list(ANSWERS)).lower()
            if answer == "q":
                break
            if answer == "s":
                handled.add(decision.line)
                outcome.skipped.append(decision)
                continue
            level = decision.level if answer == "c" else other
            default = CONFIRMED if answer == "c" else FLIPPED
            # a date of its own per entry: yaml would write one date object shared by entries as an alias
            entry = Entry(text=decision.text, level=level, reason=default,
                          reviewed=dt.date.fromordinal(day.toordinal()), within=within_for(decision, plan.decisions))
            try:  # before the reason is asked: an answer the document cannot be read with is refused
                _read(reading, place_entry(entries, entry, decision, plan.decisions))
            except SourceError as err:
                console.print(f"[red]not taken:[/red] the document does not read with the row a {level.value}: "
                              f"{escape(' '.join(str(err).split()))}", highlight=False)
                continue
            entry = replace(entry, reason=_ask(console, "reason", default=default) or default)
            candidate = place_entry(entries, entry, decision, plan.decisions)
            plan = _read(reading, candidate)
            entries = candidate
            handled.add(decision.line)
            decided[decision.line] = level
            (outcome.confirmed if answer == "c" else outcome.flipped).append(decision)
    except _Quit:
        pass
    except KeyboardInterrupt as err:
        raise ReviewError(f"{reading.curation.path}: review interrupted: nothing written") from err
    if decided:
        plan = save_entries(reading, entries, decided)
        outcome.written = True
    outcome.remaining = sum(1 for d in plan.decisions if d.unreviewed)
    console.print(outcome.summary(), highlight=False, markup=False)
    return outcome

