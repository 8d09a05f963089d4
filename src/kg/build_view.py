"""How ``kg build`` shows a build on the terminal: live progress per stage and a summary table (rich).

:class:`RichProgress` is the :class:`kg.progress.ProgressListener` of the command line: one progress line
per stage, with its counts when it ends. :func:`summary_table` sums the build up: triples, nodes per class,
the validation result, the ledger and the time of each stage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.build import BuildResult


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
    """The summary of a finished build: triples, nodes per class, validation, ledger, time per stage."""
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
    for stage in result.stages:
        table.add_row(f"stage {stage.name}", stage.summary, f"{stage.seconds:.2f}")
    table.add_row("total", "", f"{sum(stage.seconds for stage in result.stages):.2f}")
    return table
