"""Stages of a build: their timing, and a listener told how far the build is (``kg build`` shows it with rich).

The build calls :meth:`Stages.begin`, :meth:`Stages.advance` and :meth:`Stages.end`; :class:`Stages`
times each stage and forwards the events to an optional :class:`ProgressListener`, so the pipeline knows
nothing of terminals. Within a stage that runs in worker processes (a document's read, link, keys, map,
validate), a :class:`StepClock` times the steps of each task; the stage's summary adds them up.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol


class ProgressListener(Protocol):
    """Receives the progress of a build (e.g. :class:`kg.build.view.RichProgress`)."""

    def started(self, stage: str, total: int | None) -> None:
        """Stage ``stage`` began; it has ``total`` steps (None: one step of unknown size)."""

    def advanced(self, stage: str, detail: str) -> None:
        """One step of ``stage`` is done; ``detail`` names it (e.g. the document read)."""

    def finished(self, stage: str, summary: str, seconds: float) -> None:
        """Stage ``stage`` ended after ``seconds``; ``summary`` gives its counts."""


@dataclass(frozen=True)
class StageTiming:
    """A finished stage: its name, what it produced (``summary``) and how long it took."""

    name: str
    summary: str
    seconds: float


@dataclass
class Stages:
    """Times the stages of one build and forwards them to ``listener``.

    Attributes:
        listener: told of every event, or None.
        timings: the finished stages, in order.
    """

    listener: ProgressListener | None = None
    timings: list[StageTiming] = field(default_factory=list)
    _current: tuple[str, float] | None = None

    def begin(self, name: str, total: int | None = None) -> None:
        """Start stage ``name`` (ending the running stage first, without a summary)."""
        if self._current is not None:
            self.end()
        self._current = (name, time.perf_counter())
        if self.listener is not None:
            self.listener.started(name, total)

    def advance(self, detail: str = "") -> None:
        """Report one step of the running stage done.

        Raises:
            RuntimeError: when no stage is running.
        """
        name, _ = self._running()
        if self.listener is not None:
            self.listener.advanced(name, detail)

    def end(self, summary: str = "") -> StageTiming:
        """End the running stage with ``summary`` and return its timing.

        Raises:
            RuntimeError: when no stage is running.
        """
        name, started = self._running()
        timing = StageTiming(name, summary, time.perf_counter() - started)
        self.timings.append(timing)
        self._current = None
        if self.listener is not None:
            self.listener.finished(name, summary, timing.seconds)
        return timing

    def _running(self) -> tuple[str, float]:
        if self._current is None:
            raise RuntimeError("no build stage is running")
        return self._current


@dataclass
class StepClock:
    """Seconds spent per named step of one task (e.g. one document's ``read``, ``validate``); a step timed
    twice adds up.

    Attributes:
        seconds: by step name, in the order the steps first ran.
    """

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as step ``name`` (also when it raises)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def step_totals(clocks: Iterable[dict[str, float]]) -> dict[str, float]:
    """Add up the seconds per step of several tasks (:attr:`StepClock.seconds`), in the order steps first ran."""
    totals: dict[str, float] = {}
    for seconds in clocks:
        for name, value in seconds.items():
            totals[name] = totals.get(name, 0.0) + value
    return totals
