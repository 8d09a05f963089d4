"""How ``kg build`` shows a build on the terminal: live progress per stage and a summary table (rich).

:class:`RichProgress` is the :class:`kg.build.progress.ProgressListener` of the command line: one progress line
per stage, with its counts when it ends. :func:`summary_table` sums the build up: triples, nodes per class,
the validation result, the ledger, the reading decisions uncertain and unreviewed (:func:`decision_line`),
the documents rebuilt and reused, a line per linkset and pair of plans
(:func:`linkset_lines`) and the time of each stage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.build.pipeline import BuildResult


class RichProgress:
    """A progress listener that shows each build stage as a line of a :class:`rich.progress.Progress`."""

    def __init__(self, progress: Progress) -> None:
        """Show stages on ``progress`` (started and stopped by the caller)."""
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def started(self, stage: str, total: int | None) -> None:
        """Add a line for ``stage`` with ``total`` steps (one step when unknown)."""
        self.tasks[stage] = self.progress.add_task(stage, total=total or 1)

    def advanced(self, stage: str, detail: str) -> None:
        """Advance ``stage`` by one step, naming it."""
        self.progress.update(self.tasks[stage], advance=1, description=f"{stage}: {detail}")

    def finished(self, stage: str, summary: str, seconds: float) -> None:
        """Complete the line of ``stage`` and show its summary."""
        task = self.tasks[stage]
        total = self.progress.tasks[task].total or 1
        self.progress.update(task, completed=total, description=f"{stage}: {summary}")


@contextmanager
def build_progress(console: Console) -> Iterator[RichProgress]:
    """Show build progress on ``console`` while the block runs; yields the listener to pass to the build."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        yield RichProgress(progress)


def summary_table(result: BuildResult) -> Table:
    """The summary of a finished build: triples, nodes per class, validation, ledger, reading decisions, time per
    stage."""
    documents = result.report["documents"]
    nodes: Counter[str] = Counter()
    ledger: Counter[str] = Counter()
    for doc in documents:
        nodes.update(doc["counts"])
        ledger.update(doc["ledger"])
    warnings = sum(len(doc["warnings"]) for doc in documents)
    table = Table(title="build summary", title_justify="left")
    table.add_column("")
    table.add_column("result")
    table.add_column("seconds", justify="right")
    table.add_row("triples", f"{result.report['triples']} (with ontology, reference data and shapes)", "")
    table.add_row("nodes per class", ", ".join(f"{n} {level}" for level, n in nodes.items()), "")
    table.add_row("validation", f"conforms: 0 violations, {warnings} warning(s) in {len(documents)} graph(s)", "")
    table.add_row("ledger", ", ".join(f"{n} {outcome}" for outcome, n in ledger.items()), "")
    table.add_row("reading decisions", decision_line(documents), "")
    reused = sum(doc["cache"] == "reused" for doc in documents)
    table.add_row("documents", f"{len(documents) - reused} rebuilt, {reused} reused from the build cache", "")
    for name, line in linkset_lines(result.report.get("linksets", [])):
        table.add_row(f"linkset {name}", line, "")
    for stage in result.stages:
        table.add_row(f"stage {stage.name}", stage.summary, f"{stage.seconds:.2f}")
    table.add_row("total", "", f"{sum(stage.seconds for stage in result.stages):.2f}")
    return table


def decision_line(documents: list[dict[str, Any]]) -> str:
    """Sum up the objective-or-result decisions of a build report's ``documents``: uncertain ones, and those
    nobody reviewed with the documents they are in, e.g. ``"13 uncertain, 2 unreviewed (in 000_x.txt)"``."""
    uncertain = sum(len(doc["uncertain"]) for doc in documents)
    unreviewed = sum(len(doc["unreviewed"]) for doc in documents)
    files = [doc["file"] for doc in documents if doc["unreviewed"]]
    return f"{uncertain} uncertain, {unreviewed} unreviewed" + (f" (in {', '.join(files)})" if files else "")


def linkset_lines(linksets: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Sum up the links between plans of a build report, a line per pair of plans.

    Args:
        linksets: the build report's ``linksets`` (:func:`kg.rdf.linksets.linkset_report`, with the reports of
            :mod:`kg.link.years` and :mod:`kg.link.realisation`).

    Returns:
        (linkset name, line) pairs, e.g. ``("voortzetting", "pv22-2016-programma-2 -> pv22-2017-...: matched 1
        beleidsopgave, 3 doelstelling, 6 resultaat; 3 new, 88 dropped; the later document is cut off")``; a
        linkset without such pairs (of another kind, or with no plans to compare) gets one line with its number
        of links and of pairs of plans linked.
    """
    lines: list[tuple[str, str]] = []
    for linkset in linksets:
        name, pairs = linkset["name"], linkset.get("plans", [])
        lines.extend((name, _pair_line(pair)) for pair in pairs)
        if not pairs:  # another kind of linkset, or no pair of plans to compare
            lines.append((name, f"{linkset['links']} link(s) between {len(linkset['pairs'])} pair(s) of plans"))
        if linkset.get("from_scores"):
            lines.append((name, f"{linkset['from_scores']} report result(s) take a status from their colour score"))
    return lines


def _pair_line(pair: dict[str, Any]) -> str:
    """One line for one pair of plans of a linkset report (continuation or realisation)."""
    if "levels" in pair:  # kg.link.years: earlier -> later
        counts = pair["counts"]
        matched = ", ".join(f"{c['matched']} {level}" for level, c in counts.items() if c["matched"]) or "nothing"
        new, dropped = (sum(c[kind] for c in counts.values()) for kind in ("new", "dropped"))
        ends = [("earlier", pair["earlier"]), ("later", pair["later"])]
        line = f"{pair['earlier']['key']} -> {pair['later']['key']}: matched {matched}; {new} new, {dropped} dropped"
    else:  # kg.link.realisation: budget -> report
        counts = pair["counts"]
        ends = [("report", pair["report"])]
        line = (f"{pair['budget']['key']} -> {pair['report']['key']}: {counts['matched']} result(s) matched "
                f"({counts['with_status']} with a status), {counts['unmatched']} unmatched, "
                f"{counts['unreported']} unreported")
    cut = [side for side, plan in ends if plan["cut_off"]]
    return line + "".join(f"; the {side} document is cut off" for side in cut)
