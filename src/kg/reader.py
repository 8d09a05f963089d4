"""Reader stage: turn a source document's text into the plan model (no RDF, no HTTP).

One engine, driven by a layout file (``kg/layouts/<layout>.yaml``) that holds the layout's headings,
bullets, cross references and the objective-or-result rule with its wording cues. A curation file beside
the source (``<name>.curation.yaml``) overrides the rule's decision for a row, by line::

    overrides:
      - line: 27
        level: doelstelling
        reason: "why a reviewer decided so"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.model import Decision, LedgerEntry, Level, Node, Plan
from kg.sources import Rule, SourceDocument, SourceError, YamlFile

LAYOUTS_DIR = Path(__file__).parent / "layouts"


class ReadError(SourceError):
    """The document does not fit its layout; the message names the file, the line and the rule."""


@dataclass(frozen=True)
class Cue:
    """A group of wording cues with one weight (positive: objective, negative: result)."""

    name: str
    weight: int
    patterns: tuple[re.Pattern[str], ...]
    named_entity: bool = False


@dataclass(frozen=True)
class Layout:
    """A document layout, read from ``kg/layouts/<name>.yaml`` (see that file for the meaning)."""

    name: str
    programma: re.Pattern[str]
    product: re.Pattern[str]
    beleidsopgave: re.Pattern[str]
    column_headers: tuple[re.Pattern[str], ...]
    bullet: re.Pattern[str]
    cross_reference: re.Pattern[str]
    terminal_punctuation: re.Pattern[str]
    cues: tuple[Cue, ...]


def load_layout(name: str) -> Layout:
    """Load the layout ``name`` from the package's layouts folder.

    Raises:
        SourceError: when no such layout exists.
    """
    path = LAYOUTS_DIR / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in LAYOUTS_DIR.glob("*.yaml")))
        raise SourceError(f"unknown layout {name!r} (known: {known})")
    spec: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    headings = spec["headings"]
    return Layout(
        name=spec["name"],
        programma=re.compile(headings["programma"]),
        product=re.compile(headings["product"]),
        beleidsopgave=re.compile(headings["beleidsopgave"]),
        column_headers=tuple(re.compile(p) for p in spec["column_headers"]),
        bullet=re.compile(spec["bullet"]),
        cross_reference=re.compile(spec["cross_reference"]),
        terminal_punctuation=re.compile(spec["terminal_punctuation"]),
        cues=tuple(
            Cue(
                name=c["name"],
                weight=int(c["weight"]),
                patterns=tuple(re.compile(p, re.IGNORECASE) for p in c.get("patterns", [])),
                named_entity=bool(c.get("named_entity", False)),
            )
            for c in spec["cues"]
        ),
    )


#: The levels a table row can have: the only ones a curation entry may give it.
ROW_LEVELS = Rule("doelstelling|resultaat", "doelstelling or resultaat")


def load_curation(document: SourceDocument) -> dict[int, Level]:
    """Read the curation file beside ``document`` (absent or empty means no overrides).

    Returns:
        Overridden level per source line.

    Raises:
        SourceError: when the file is not valid YAML or not a mapping with an ``overrides`` list, when an
            entry is not a mapping of ``line`` (a line of the document), ``level`` (``doelstelling`` or
            ``resultaat``), ``reason`` and ``reviewed``, or when two entries override the same line (naming
            the file, the line and the entries).
    """
    path = document.sidecar(".curation.yaml")
    if not path.is_file():
        return {}
    spec = YamlFile.load(path)
    if spec.data is None:
        return {}
    entries = spec.mapping(fields=("overrides",)).get("overrides", [])
    if not isinstance(entries, list):
        raise SourceError(f"{spec.where('overrides')}: overrides must be a list of entries with line and level")
    overrides: dict[int, Level] = {}
    entry_of: dict[int, int] = {}
    for i in range(len(entries)):
        spec.mapping("overrides", i, fields=("line", "level", "reason", "reviewed"))
        line = spec.integer("overrides", i, "line", low=1, high=len(document.lines))
        level = spec.text("overrides", i, "level", rule=ROW_LEVELS)
        if line in entry_of:
            first = entry_of[line]
            raise SourceError(
                f"{spec.where('overrides', i)}: overrides[{i}] overrides line {line} again, "
                f"as overrides[{first}] (line {spec.line('overrides', first)}) does"
            )
        entry_of[line], overrides[line] = i, Level(level)
    return overrides


def normalise(text: str) -> str:
    """Collapse runs of white space and strip; words and punctuation stay as in the source."""
    return " ".join(text.split())


@dataclass
class _Row:
    """A row of the flattened table: one cell's text (maybe wrapped) and its bullet lines."""

    start: int
    end: int
    text: str
    bullets: list[tuple[int, str]] = field(default_factory=list)


def read_plan(document: SourceDocument, layout: Layout, curation: dict[int, Level]) -> Plan:
    """Read ``document`` into its goal tree.

    Args:
        document: the source, with its lines.
        layout: the layout the document is written in.
        curation: reviewed overrides of objective-or-result decisions, by a row's first line.

    Returns:
        The plan: its programmes with all descendants, the ledger (one entry per non-blank line) and the
        objective-or-result decisions.

    Raises:
        ReadError: when a line does not fit the layout, or a curation entry names no row.
    """
    return _Reader(document, layout, curation).read()


class _Reader:
    """The state of one reading; see :func:`read_plan`."""

    def __init__(self, document: SourceDocument, layout: Layout, curation: dict[int, Level]) -> None:
        self.doc = document
        self.layout = layout
        self.curation = dict(curation)
        self.plan = Plan(document=document)
        self.programme: Node | None = None
        self.product: Node | None = None
        self.task: Node | None = None
        self.state = "start"
        self.rows: list[_Row] = []

    def fail(self, line: int, rule: str) -> ReadError:
        return ReadError(f"{self.doc.path}:{line}: {rule} (layout {self.layout.name})")

    def log(self, line: int, outcome: str, detail: str) -> None:
        self.plan.ledger.append(LedgerEntry(line, self.doc.lines[line - 1], outcome, detail))

    def read(self) -> Plan:
        lines = self.doc.lines
        for number, raw in enumerate(lines, start=1):
            text = normalise(raw)
            if text:
                previous_blank = number == 1 or not lines[number - 2].strip()
                self.step(number, raw, text, previous_blank)
        self.close_product()
        if self.curation:
            unused = ", ".join(str(n) for n in sorted(self.curation))
            raise ReadError(f"{self.doc.sidecar('.curation.yaml')}: no row starts at line(s) {unused}")
        return self.plan

    def step(self, number: int, raw: str, text: str, previous_blank: bool) -> None:
        layout = self.layout
        if match := layout.programma.match(text):
            self.close_product()
            self.programme = Node(Level.PROGRAMMA, "", number, number, notation=match["notation"])
            self.plan.programmes.append(self.programme)
            self.log(number, "node", "programma (number)")
            self.state = "programme-title"
        elif self.state == "programme-title":
            assert self.programme is not None
            self.programme.label, self.programme.end_line = text, number
            self.log(number, "node", "programma (title)")
            self.state = "programme"
        elif match := layout.product.match(text):
            if self.programme is None:
                raise self.fail(number, "a product heading before any programme heading")
            self.close_product()
            self.product = self.programme.add(
                Node(Level.PRODUCT, match["label"], number, number, notation=match["notation"])
            )
            self.log(number, "node", "product")
            self.state = "product"
        elif self.state == "start":
            self.log(number, "skipped", "text before the first programme heading")
        elif layout.beleidsopgave.match(text) and self.state == "product":
            self.log(number, "header", "beleidsopgave heading")
            self.state = "task"
        elif any(h.match(text) for h in layout.column_headers) and self.state in ("task", "columns"):
            if self.task is None:
                raise self.fail(number, "column headers before the policy task (Beleidsopgave) text")
            self.log(number, "header", "table column header")
            self.state = "columns"
        elif self.state == "task":
            self.add_task_line(number, text, previous_blank)
        elif self.state in ("columns", "rows"):
            self.add_row_line(number, raw, text, previous_blank)
            self.state = "rows"
        else:
            raise self.fail(number, f"unexpected text in state {self.state!r}: {text[:60]!r}")

    def add_task_line(self, number: int, text: str, previous_blank: bool) -> None:
        assert self.product is not None
        if self.task is not None and self.task.parent is self.product:
            self.task.label += " " + text
            self.task.end_line = number
        else:
            self.task = self.product.add(Node(Level.BELEIDSOPGAVE, text, number, number))
        self.log(number, "node", "beleidsopgave")

    def add_row_line(self, number: int, raw: str, text: str, previous_blank: bool) -> None:
        if match := self.layout.bullet.match(raw):
            if not self.rows:
                raise self.fail(number, "a bullet with no row line before it")
            self.rows[-1].bullets.append((number, normalise(match["label"])))
            return
        last = self.rows[-1] if self.rows else None
        wrapped = (
            last is not None
            and not previous_blank
            and not last.bullets
            and not self.layout.terminal_punctuation.search(last.text)
        )
        if wrapped and last is not None:
            last.text, last.end = f"{last.text} {text}", number
        else:
            self.rows.append(_Row(number, number, text))

    def close_product(self) -> None:
        """Classify the rows read for the current product and attach them to its policy task."""
        if not self.rows:
            return
        assert self.task is not None
        objective: Node | None = None
        previous = Level.RESULTAAT
        for index, row in enumerate(self.rows):
            level, rule, uncertain = self.classify(row, index, previous)
            curated = row.start in self.curation
            if curated:
                level = self.curation.pop(row.start)
            self.plan.decisions.append(Decision(row.start, row.text, level, rule, uncertain, curated))
            if level is Level.DOELSTELLING:
                objective = self.task.add(Node(level, row.text, row.start, row.end))
            elif objective is None:
                raise self.fail(row.start, "a result row before any objective row of its product")
            else:
                self.add_result(objective, row)
            for number in range(row.start, row.end + 1):
                if self.doc.lines[number - 1].strip():
                    self.log(number, "node", level.value)
            previous = level
        self.rows = []

    def add_result(self, objective: Node, row: _Row) -> None:
        result = objective.add(Node(Level.RESULTAAT, row.text, row.start, row.end))
        result.see_also = [m["notation"] for m in self.layout.cross_reference.finditer(row.text)]
        for number, label in row.bullets:
            result.add(Node(Level.DEELRESULTAAT, label, number, number))
            self.log(number, "node", "deelresultaat")

    def classify(self, row: _Row, index: int, previous: Level) -> tuple[Level, str, bool]:
        """Apply the layout's objective-or-result rule to a row (see the layout file).

        Returns the level, the rule that decided it, and whether the decision is uncertain: the wording
        cues were absent or of both signs, or a position rule overrode wording that pointed the other way.
        """
        matched = [cue for cue in self.layout.cues if self.matches(cue, row.text)]
        score = sum(cue.weight for cue in matched)
        wording = f"wording: {', '.join(f'{c.name} {c.weight:+d}' for c in matched) or 'no cue'} = {score:+d}"
        if index == 0:
            return Level.DOELSTELLING, "first row of the table", False
        if row.bullets or row.text.endswith(":"):
            return Level.RESULTAAT, "introduces bullet sub-items", False
        position = "last row of the table" if index == len(self.rows) - 1 else ""
        if previous is Level.DOELSTELLING:
            position = "follows an objective"
        if position:
            return Level.RESULTAAT, f"{position}; {wording}" if score > 0 else position, score > 0
        signs = {cue.weight > 0 for cue in matched}
        return (Level.DOELSTELLING if score > 0 else Level.RESULTAAT), wording, len(signs) != 1

    def matches(self, cue: Cue, text: str) -> bool:
        if any(p.search(text) for p in cue.patterns):
            return True
        if cue.named_entity:
            words = re.findall(r"\w[\w\-&+]*", text)[1:]
            own = set(self.doc.body.own_names)
            return any(w[0].isupper() and w not in own for w in words)
        return False
