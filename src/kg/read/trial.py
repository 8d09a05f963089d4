"""``kg layout try PROFILE PAGE``: run a layout profile on a page without a build and show what became of each line.

A person writing a profile (README, "Adding a province's layout") runs it on the page after every change: each
non-blank line with the state it was read in, what took it (a rule, or, highlighted, the state's entry because
no rule matched), its fate (a node of a level, part of one, a description, a partner, a header, skipped with the
reason, cut off) and the node it hangs under. Nothing is written and nothing is linked, mapped or validated, so
a run takes a fraction of a second. A profile that cannot be loaded fails with its file and line; a page the
profile does not fit shows every line up to the one that failed, that line in red with the reason.

The page needs no metadata file yet: without ``<page>.meta.yaml`` beside it, the page is read as a document of an
unknown body, of the year its ``# kind:`` header line names (or the one given), not cut off unless asked.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kg.model.plan import Indicator, Level, Node, Plan
from kg.model.source import Body, SourceDocument, SourceError
from kg.read.curation import load_curation
from kg.read.files import read_document, read_text
from kg.read.profile import LAYOUTS_DIR, Profile, load_profile, load_profile_file
from kg.read.reader import ReadError, Step, Trace, normalise, read_plan

#: The year a page without metadata or a ``year:`` in its header is read as (only the objective-or-result
#: rule's cue "a target year after the plan's" uses it).
DEFAULT_YEAR = 2000


@dataclass(frozen=True)
class Fate:
    """What became of one non-blank line of the page.

    Attributes:
        line: the source line.
        text: its text, white space collapsed.
        state: the state it was read in.
        taken_by: the rule that took it (its name), or ``state <name>`` when no rule matched and the state's entry
            handled it, ``title`` (the label of the node on the line before), ``page header`` or ``cut off``.
        by_rule: whether a rule (or a page node of the profile) took it; False: no rule did.
        where: ``<profile file>:<line>`` of the rule or state entry ("" for none).
        outcome: ``node``, ``header``, ``skipped``, ``failed``, or ``unread`` (after the line that failed).
        fate: what the line became, in words (``node doelstelling``, ``description of programma 4``, the reason
            it was skipped, the error).
        parent: the node a new node hangs under (or the node a description, partner or text line belongs to),
            as ``<level> <notation> <label>``; "" for none.
    """

    line: int
    text: str
    state: str
    taken_by: str
    by_rule: bool
    where: str
    outcome: str
    fate: str
    parent: str


@dataclass(frozen=True)
class Trial:
    """One run of a profile on a page.

    Attributes:
        profile: the profile run.
        document: the page, as read.
        fates: one per non-blank line, in order.
        plan: what was read (as far as the read got, when it failed).
        error: the reason the read failed, or None.
        seconds: how long loading and reading took.
    """

    profile: Profile
    document: SourceDocument
    fates: list[Fate]
    plan: Plan | None
    error: ReadError | None
    seconds: float

    @property
    def counts(self) -> dict[str, int]:
        """The nodes per level (the levels with any), then ``indicator`` when there are indicators."""
        counts = {level.value: self.plan.count(level) for level in Level} if self.plan else {}
        if self.plan is not None and self.plan.indicators:
            counts["indicator"] = len(self.plan.indicators)
        return {level: n for level, n in counts.items() if n}

    @property
    def unmatched(self) -> list[Fate]:
        """The lines no rule took (their state's entry handled them, or they failed); not the cut-off fragment."""
        return [fate for fate in self.fates if not fate.by_rule and fate.outcome != "unread"
                and fate.taken_by != "cut off"]


def resolve_profile(profile: str | Path) -> Profile:
    """Load a profile named by its file (``path/to/x.yaml``) or by the name of a shipped layout.

    Raises:
        SourceError: when there is no such profile, or it cannot be loaded (naming its file and line).
    """
    path = Path(profile)
    if path.suffix == ".yaml" or path.is_file():
        return load_profile_file(path)
    return load_profile(str(profile), LAYOUTS_DIR)


def page_document(page: Path, profile: Profile, year: int | None = None, cut_off: bool | None = None) -> SourceDocument:
    """The page as a source document: with its metadata when ``<page>.meta.yaml`` is beside it, else as a
    document of an unknown body (see the module doc). ``year`` and ``cut_off`` override what the metadata says.

    Raises:
        SourceError: when the page is missing or not UTF-8, or its metadata file is malformed.
    """
    if page.with_name(page.stem + ".meta.yaml").is_file():
        document = read_document(page)
        return SourceDocument(
            document.path, document.key, document.title, document.kind, year or document.year, document.body,
            profile.name, document.lines, document.sha256, document.cut_off if cut_off is None else cut_off,
        )
    text = read_text(page)
    lines = tuple(text.splitlines())
    header = next((m for line in lines[:10] if (m := re.search(r"\byear: (\d{4})\b", line))), None)
    title = next((line[len("# title: "):] for line in lines[:10] if line.startswith("# title: ")), page.stem)
    return SourceDocument(
        path=page, key="trial", title=title, kind="plan",
        year=year or (int(header[1]) if header else DEFAULT_YEAR),
        body=Body(code="xx00", name="unknown body", iri="https://example.org/unknown-body", own_names=()),
        layout=profile.name, lines=lines, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        cut_off=bool(cut_off),
    )


def try_profile(profile: str | Path, page: Path, year: int | None = None, cut_off: bool | None = None) -> Trial:
    """Run ``profile`` (a file or a shipped layout's name) on ``page`` and return the fate of every line.

    A read that fails is part of the result (``error``, the failed line's fate), not an exception.

    Raises:
        SourceError: when the profile cannot be loaded (naming its file and line), or the page or its metadata
            cannot be read.
    """
    began = time.perf_counter()
    loaded = resolve_profile(profile)
    if loaded.format != "text":
        raise SourceError(f"{loaded.path}: a profile of format {loaded.format} reads no lines: nothing to try")
    document = page_document(page, loaded, year, cut_off)
    curation = load_curation(document) if document.key != "trial" else None
    trace = Trace()
    error: ReadError | None = None
    try:
        read_plan(document, loaded, curation, trace)
    except ReadError as err:
        error = err
    fates = _fates(document, trace, error)
    return Trial(loaded, document, fates, trace.plan, error, time.perf_counter() - began)


def _fates(document: SourceDocument, trace: Trace, error: ReadError | None) -> list[Fate]:
    """The fate of each non-blank line, from the trace, the ledger and the nodes read."""
    plan = trace.plan
    ledger = {entry.line: entry for entry in plan.ledger} if plan is not None else {}
    steps: dict[int, Step] = {step.line: step for step in trace.steps}
    owners = _owners(plan) if plan is not None else {}
    fates = []
    failed = error.line if error is not None else None
    for number, raw in enumerate(document.lines, start=1):
        if not raw.strip():
            continue
        step = steps.get(number)
        entry = ledger.get(number)
        text = normalise(raw)
        if number == failed:
            state = step.state if step else (trace.steps[-1].then if trace.steps else "start")
            message = str(error).split(": ", 1)[-1] if error is not None else ""
            fates.append(Fate(number, text, state, step.name if step else "", False, step.where if step else "",
                              "failed", message, ""))
            continue
        if step is None and entry is None:  # after the line that failed (or rows the failure left unread)
            fates.append(Fate(number, text, "", "", False, "", "unread", "", ""))
            continue
        taken_by, by_rule, where, state = "", False, "", ""
        if step is not None:
            state, where = step.state, step.where
            by_rule = step.how in ("rule", "page", "title")
            taken_by = {"rule": step.name, "state": f"state {step.name}", "title": "title",
                        "page": f"page node {step.name}", "cut off": "cut off"}[step.how]
        outcome = entry.outcome if entry is not None else "node"
        detail = entry.detail if entry is not None else "table row (read with its table)"
        fate, parent = _fate(number, outcome, detail, owners)
        fates.append(Fate(number, text, state, taken_by, by_rule, where, outcome, fate, parent))
    return fates


def _owners(plan: Plan) -> dict[int, tuple[str, Node | Indicator]]:
    """For each line that is part of a node or an indicator: what it is of it (``node``, ``description``,
    ``partner``, ``indicator``) and the node or indicator."""
    owners: dict[int, tuple[str, Node | Indicator]] = {}
    for node in plan.nodes():
        for line in range(node.start_line, node.end_line + 1):
            owners.setdefault(line, ("node", node))
        if node.description_lines is not None:
            for line in range(node.description_lines[0], node.description_lines[1] + 1):
                owners.setdefault(line, ("description", node))
        for listed in node.listed:
            owners[listed.line] = ("partner", node)
    for indicator in plan.indicators:
        for line in range(indicator.start_line, indicator.end_line + 1):
            owners.setdefault(line, ("indicator", indicator))
    return owners


def _fate(line: int, outcome: str, detail: str, owners: dict[int, tuple[str, Node | Indicator]]) -> tuple[str, str]:
    """The fate of a line in words and the node it hangs under (or belongs to)."""
    if outcome == "skipped":
        return f"skip: {detail}", ""
    if outcome == "header":
        return f"header: {detail}", ""
    what, owner = owners.get(line, ("", None))
    if isinstance(owner, Indicator):
        return f"indicator ({detail})", name(owner.parent) if owner.parent is not None else ""
    if owner is None:
        return f"node: {detail}", ""
    if what == "description":
        return f"description of {owner.level.value}", name(owner)
    if what == "partner":
        return f"partner of {owner.level.value}", name(owner)
    if line != owner.start_line:
        return f"part of {owner.level.value} ({detail})", name(owner)
    return f"node {owner.level.value}", name(owner.parent) if owner.parent is not None else "(top)"


def name(node: Node) -> str:
    """A node as ``<level> <notation> <label>``, the label cut at 40 characters."""
    label = node.label if len(node.label) <= 40 else node.label[:39] + "…"
    return " ".join(part for part in (node.level.value, node.notation, f"«{label}»") if part)


def render(trial: Trial) -> RenderableType:
    """The trial as a table, one row per non-blank line (the lines no rule took highlighted in yellow, the line
    that failed in red), with a line of counts after it."""
    table = Table(title=f"{trial.document.path.name} read with profile {trial.profile.name}", title_justify="left",
                  show_lines=False, expand=False)
    for column, column_style in (("line", "cyan"), ("state", "dim"), ("taken by", ""), ("fate", ""), ("parent", ""),
                                 ("text", "")):
        table.add_column(column, style=column_style or None, overflow="fold",
                         max_width={"text": 48, "fate": 40, "parent": 36}.get(column))
    for fate in trial.fates:
        style = "bold red" if fate.outcome == "failed" else "dim" if fate.outcome == "unread" else (
            "dim" if fate.taken_by == "cut off" else "black on yellow" if not fate.by_rule else None)
        taken = fate.taken_by if fate.by_rule or fate.taken_by == "cut off" else (
            "not read" if fate.outcome == "unread" else f"{fate.taken_by} (no rule)" if fate.taken_by else "(no rule)")
        if fate.where:
            taken += f"\n{fate.where.rsplit('/', 1)[-1]}"
        text = fate.text if len(fate.text) <= 90 else fate.text[:89] + "…"
        table.add_row(str(fate.line), fate.state, taken, fate.fate, fate.parent, text, style=style)
    return Group(table, Text(summary(trial)))


def summary(trial: Trial) -> str:
    """One line: lines taken by rules and by state entries, the nodes per level, the failure if any, the time."""
    by_rule = sum(1 for fate in trial.fates if fate.by_rule)
    unmatched = len(trial.unmatched)
    counts = ", ".join(f"{n} {level}" for level, n in trial.counts.items()) or "no nodes"
    outcome = f"FAILED: {trial.error}" if trial.error is not None else "read"
    return (f"{len(trial.fates)} lines: {by_rule} taken by a rule, {unmatched} by no rule (highlighted); {counts}; "
            f"{outcome} in {trial.seconds:.2f} s")
